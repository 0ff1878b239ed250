"""Acceptance (issue 17): a Message Batch interrupted between submit and collect is resumed, not resubmitted.

`coaching run --batch` is SIGKILLed while it waits for its batch (committed to coaching.message_batches right
after submission); the next run collects that batch and stores each result once, creating no other batch and
sending no synchronous request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DatabaseFactory
from tests.reliability.support import DAY, pipeline_env, run_and_kill_when, run_to_end, simulators
from tests.reliability.support import count as scalar

SUBMITTED = "select count(*) from coaching.message_batches"
UNCOLLECTED = "select count(*) from coaching.message_batches where collected_at is null"
ANALYSES = "select count(*) from coaching.call_analyses where call_date = %s"
pytestmark = pytest.mark.timeout(1800)  # several real runs; on a busy machine each takes minutes


@pytest.fixture(scope="module")
def resumed(database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    url = database_factory.create("batch_resume")
    with simulators(batch_polls_to_finish=10**6) as sims:
        env = pipeline_env(url, Path(tmp_path_factory.mktemp("batch")), sims, COACHING_BATCH_POLL_SECONDS="0.2")
        run_and_kill_when(env, lambda: scalar(url, SUBMITTED) > 0, "--batch")
        at_kill = {"uncollected": scalar(url, UNCOLLECTED), "analyses": scalar(url, ANALYSES, (DAY,))}
        sims.claude.sim.batch_polls_to_finish = 0
        finished = run_to_end(env, "--batch")
        assert finished.returncode == 0, finished.stdout + finished.stderr
        created = [r for r in sims.claude.sim.logged("/v1/messages/batches") if r.method == "POST"]
        yield {"url": url, "at_kill": at_kill, "created": len(created), "messages": len(sims.claude.sim.logged())}


def test_batch_killed_after_submit_is_collected_by_the_next_run(resumed: dict[str, Any]) -> None:
    assert resumed["at_kill"] == {"uncollected": 1, "analyses": 0}
    assert resumed["created"] == 1
    assert resumed["messages"] == 0
    assert scalar(resumed["url"], UNCOLLECTED) == 0


def test_batch_results_are_stored_and_ledgered_once(resumed: dict[str, Any]) -> None:
    url = resumed["url"]
    analysed_calls = """
        select count(*) from raw.calls where call_date = %s and transcript_status = 'ready'
          and call_id not in (select call_id from coaching.analysis_skips)
    """
    assert scalar(url, ANALYSES, (DAY,)) == 4 * scalar(url, analysed_calls, (DAY,)) > 0
    per_result = """
        select count(*) from (
            select call_id, dimension from coaching.llm_requests where mode = 'batch' and status = 'ok'
            group by call_id, dimension having count(*) <> 1) as wrong
    """
    assert scalar(url, per_result) == 0
    assert scalar(url, "select count(*) from coaching.llm_requests where mode = 'batch' and status = 'ok'") == (
        scalar(url, ANALYSES, (DAY,))
    )
