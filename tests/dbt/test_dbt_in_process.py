"""dbt runs inside the Dagster run's process: events stream as with a subprocess, failures name their nodes."""

from __future__ import annotations

import dagster as dg
import psycopg

from coaching_pipeline.defs.dbt import coaching_dbt_assets, dbt_resource
from coaching_pipeline.defs.dbt_in_process import DbtCommandFailed

SCORES = dg.AssetKey(["marts", "fct_call_scores"])


def test_partition_run_reports_materializations_and_dbt_tests_as_checks(marts_url: str) -> None:
    """A partition run evaluates the tests no constraint enforces (relationships) as asset checks."""
    result = dg.materialize(
        [coaching_dbt_assets],
        selection=[SCORES],
        partition_key="2026-09-10",
        resources={"dbt": dbt_resource(marts_url)},
    )
    assert [event.asset_key for event in result.get_asset_materialization_events()] == [SCORES]
    checks = result.get_asset_check_evaluations()
    assert [check.check_name.split("_")[0] for check in checks] == ["relationships"]
    assert {check.asset_key for check in checks} == {SCORES}
    assert all(check.passed for check in checks)


def test_failing_node_is_named_and_the_rest_still_materializes(isolated_database_url: str) -> None:
    with psycopg.connect(isolated_database_url, autocommit=True) as conn:
        conn.execute("drop table coaching.call_interaction_stats")
    result = dg.materialize(
        [coaching_dbt_assets],
        partition_key="2026-09-10",
        resources={"dbt": dbt_resource(isolated_database_url)},
        raise_on_error=False,
    )
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    error = failure.step_failure_data.error
    assert error is not None
    assert error.cls_name == DbtCommandFailed.__name__
    assert "fct_call_interaction_stats" in (failure.step_failure_data.user_failure_data.description or "")
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert dg.AssetKey(["marts", "fct_call_scores"]) in materialized
    assert dg.AssetKey(["marts", "fct_call_interaction_stats"]) not in materialized
