"""coaching_rubrics: the versioned rubrics and knowledge base, validated and loaded into the warehouse."""

import dagster as dg

from coaching_pipeline.defs.resources import WarehouseResource
from coaching_pipeline.knowledge.store import sync_knowledge


@dg.asset(group_name="knowledge", kinds={"postgres"})
def coaching_rubrics(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Rubrics (one per dimension and version) and knowledge-base documents; a broken file loads nothing."""
    report = sync_knowledge(warehouse.url())
    return dg.MaterializeResult(
        metadata={
            f"{part}_{k}": v for part, counts in report.model_dump().items() for k, v in counts.items() if k != "table"
        }
    )
