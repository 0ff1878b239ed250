"""Secrets after a real run with recognisable fake keys: none in logs, the Dagster event log and run configs,
the warehouse, rendered reports, receiver answers or error messages. The run's Claude requests hold no PII."""

from __future__ import annotations

import re

from tests.security.conftest import SecuredRun
from tests.security.support import FAKE_KEYS, PII, columns_containing

KEYS = list(FAKE_KEYS.values())


def _leaks(text: str) -> list[str]:
    return [key for key in KEYS if key in text]


def test_secrets_never_reach_the_logs(secured_run: SecuredRun) -> None:
    assert len(secured_run.logs) > 100, "the capture saw the run"
    assert _leaks("\n".join(secured_run.logs)) == []


def test_secrets_never_reach_the_dagster_event_log_or_run_configs(secured_run: SecuredRun) -> None:
    instance = secured_run.instance
    texts = []
    for run in instance.get_runs():
        texts += [repr(run.run_config), repr(run.tags)]
        texts += [repr(entry) for entry in instance.all_logs(run.run_id)]
    assert len(instance.get_runs()) >= 4 and len(texts) > 100
    assert _leaks("\n".join(texts)) == []


def test_secrets_never_reach_the_warehouse(secured_run: SecuredRun) -> None:
    assert {key: columns_containing(secured_run.url, key) for key in KEYS} == {key: [] for key in KEYS}


def test_secrets_never_reach_reports_answers_or_errors(secured_run: SecuredRun) -> None:
    text = "\n".join(secured_run.outputs)
    assert "Gong refused the credentials" in text and "AuthenticationError" in text
    assert "Ingested 4 calls" in text
    assert _leaks(text) == []


def test_secrets_never_reach_mcp_answers(secured_run: SecuredRun) -> None:
    answers = secured_run.mcp_answers
    assert set(answers) == {"insights", "search_new", "search_old", "analyze"}
    assert "6200001" in answers["analyze"]
    assert _leaks("\n".join(answers.values())) == []


def test_pipeline_run_sent_claude_no_pii(secured_run: SecuredRun) -> None:
    assert secured_run.claude_bodies
    bodies = "\n".join(secured_run.claude_bodies)
    digits = re.sub(r"\D", "", bodies)
    assert [p for p in PII if p in bodies or re.sub(r"\D", "", p) in digits and "@" not in p] == []
    assert "[EMAIL]" in bodies and "[CARD]" in bodies
