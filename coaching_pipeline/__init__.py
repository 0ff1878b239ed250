"""Sales-call coaching pipeline: Gong calls scored by Claude against versioned rubrics, served as dbt marts."""

import warnings

# backfill_policy is marked beta in Dagster 1.13 but is the documented way to get single-run backfills, which
# every partitioned asset here relies on; the warning would otherwise print once per asset on every import.
warnings.filterwarnings("ignore", message=r"Parameter `backfill_policy`", category=Warning)
