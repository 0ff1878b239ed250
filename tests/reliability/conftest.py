"""The reference every reliability test compares with: one clean `coaching run` of the day, built once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DatabaseFactory
from tests.reliability.support import pipeline_env, run_to_end, simulators, snapshot


@pytest.fixture(scope="session")
def clean_run(database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The warehouse after one uninterrupted run (url, snapshot) and the Claude requests it made."""
    url = database_factory.create("clean_run")
    with simulators() as sims:
        finished = run_to_end(pipeline_env(url, Path(tmp_path_factory.mktemp("clean")), sims))
        assert finished.returncode == 0, finished.stdout + finished.stderr
        messages = len(sims.claude.sim.logged())
    return {"url": url, "snapshot": snapshot(url), "messages": messages}
