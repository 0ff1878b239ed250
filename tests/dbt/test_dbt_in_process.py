"""dbt runs inside the Dagster run's process: events stream as with a subprocess, failures name their nodes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg
import psycopg

from coaching_pipeline.defs.dbt import (
    ReferenceMartsMissing,
    coaching_dbt_assets,
    coaching_dbt_reference_assets,
    dbt_resource,
)
from coaching_pipeline.defs.dbt_in_process import DbtCommandFailed

if TYPE_CHECKING:
    from tests.conftest import DatabaseFactory

SCORES = dg.AssetKey(["marts", "call_scores"])


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


def test_reference_run_builds_the_reference_marts_with_their_tests(marts_url: str) -> None:
    result = dg.materialize([coaching_dbt_reference_assets], resources={"dbt": dbt_resource(marts_url)})
    reps = dg.AssetKey(["marts", "reps"])
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert materialized == {reps, dg.AssetKey(["intermediate", "int_rubric_versions_ranked"])}
    checks = result.get_asset_check_evaluations()
    assert "relationships_reps_manager_user_id__user_id__ref_reps_" in {check.check_name for check in checks}
    assert all(check.passed for check in checks)


def test_partition_run_without_reference_marts_says_what_to_run(database_factory: DatabaseFactory) -> None:
    result = dg.materialize(
        [coaching_dbt_assets],
        partition_key="2026-09-10",
        resources={"dbt": dbt_resource(database_factory.create("no_reference"))},
        raise_on_error=False,
    )
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert failure.step_failure_data.error is not None
    assert failure.step_failure_data.error.cls_name == ReferenceMartsMissing.__name__
    description = failure.step_failure_data.user_failure_data.description or ""
    assert "marts.reps" in description
    assert "reference_data_job" in description


def test_failing_node_is_named_and_the_rest_still_materializes(isolated_database_url: str) -> None:
    dg.materialize([coaching_dbt_reference_assets], resources={"dbt": dbt_resource(isolated_database_url)})
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
    assert "call_interaction_stats" in (failure.step_failure_data.user_failure_data.description or "")
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert dg.AssetKey(["marts", "call_scores"]) in materialized
    assert dg.AssetKey(["marts", "call_interaction_stats"]) not in materialized
