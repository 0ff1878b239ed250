"""`dbt docs generate` catalogs every mart."""

from __future__ import annotations

import json
from pathlib import Path

from tests.dbt.dbt_runs import INCREMENTAL_MARTS, TABLE_MARTS, run_dbt


def test_docs_generate_catalogs_every_mart(marts_url: str, dbt_target: Path) -> None:
    run_dbt(marts_url, dbt_target, "docs", "generate")
    catalog = json.loads((dbt_target / "catalog.json").read_text(encoding="utf-8"))
    cataloged = {node["metadata"]["name"] for node in catalog["nodes"].values()}
    assert set(INCREMENTAL_MARTS) | set(TABLE_MARTS) <= cataloged
    assert (dbt_target / "index.html").exists()
