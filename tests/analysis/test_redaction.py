"""Redaction in the engine: PII never reaches Claude, stored quotes keep the placeholders and verify, the
offline analyzer reads the very text Claude would, and the cache key follows the policy's version."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Literal

import psycopg

from coaching_pipeline.analysis.engine.cache import CacheKey
from coaching_pipeline.analysis.engine.core import AnalysisEngine
from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.analysis.offline.analyzer import OfflineAnalyzer
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.transcripts.redaction import RedactionPolicy
from coaching_pipeline.transcripts.render import render_transcript
from coaching_sandbox.simulators.claude import RunningClaude
from tests.analysis.support import KNOWLEDGE, RUBRICS, claude, claude_engine, insert_call, messages, new_date, options

__all__ = ["claude"]

PII = [
    "riley.rep@prefect.example",
    "+1 (415) 555-0134",
    "casey.customer@acme.example",
    "020 7946 0958",
    "4111 1111 1111 1111",
    "5500 0000 0000 0004",
    "415.555.0199",
    "Casey Customer",
]
PII_LINES = [
    ("r", "Walk me through your setup. Mail riley.rep@prefect.example or call me at +1 (415) 555-0134 any time."),
    ("c", "Sure, I am Casey Customer, reach me at casey.customer@acme.example or on 020 7946 0958."),
    ("r", "As a next step, walk me through billing: we charge the card 4111 1111 1111 1111 for the pilot."),
    ("c", "Use the backup card 5500 0000 0000 0004 if that one fails, my manager signs off."),
    ("r", "Walk me through who else is involved, and is 415.555.0199 the best direct line for the next step?"),
    ("c", "Yes, that line works. We run Airflow today and retries are manual."),
]
POLICY = RedactionPolicy(names=("Casey Customer",))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _leaks(text: str) -> list[str]:
    """PII found in `text`, as written or with the separators dropped (models and JSON may reformat)."""
    bare = _digits(text)
    return [p for p in PII if p.casefold() in text.casefold() or (len(_digits(p)) >= 7 and _digits(p) in bare)]


class RecordingOffline(OfflineAnalyzer):
    """The offline analyzer, remembering the transcripts it was asked about."""

    kind: Literal["offline"] = "offline"

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def analyze(self, request: AnalysisRequest) -> DimensionAnalysis:
        self.seen.append(render_transcript(request.transcript))
        return super().analyze(request)


def test_claude_requests_carry_no_pii_and_stored_evidence_keeps_placeholders(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    call_id = insert_call(db, call_date, lines=PII_LINES)
    engine = claude_engine(database_url, claude, redaction=POLICY)
    engine.analyze_partition(call_date, list(Dimension))
    bodies = [json.dumps(entry.body) for entry in messages(claude)]
    assert bodies and all(not _leaks(body) for body in bodies)
    assert "[EMAIL]" in bodies[0] and "[CARD]" in bodies[0] and "[NAME]" in bodies[0]
    stored = db.execute(
        "select a.evidence, c.result from coaching.call_analyses a "
        "join coaching.analysis_cache c using (cache_key) where a.call_id = %s",
        (call_id,),
    ).fetchall()
    assert len(stored) == 4
    evidence = [e for row in stored for e in row["evidence"]]
    assert not _leaks(json.dumps([row["evidence"] for row in stored] + [row["result"] for row in stored]))
    placeheld = [e for e in evidence if re.search(r"\[(EMAIL|PHONE|CARD|NAME)\]", e["quote"] + e["speaker"])]
    assert placeheld and all(e["verified"] for e in placeheld)


def test_offline_analyzer_reads_the_same_redacted_text_as_claude(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    insert_call(db, call_date, lines=PII_LINES)
    recording = RecordingOffline()
    offline = AnalysisEngine(
        database_url, recording, options=options(redaction=POLICY), rubrics=RUBRICS, knowledge=KNOWLEDGE
    )
    offline.analyze_partition(call_date, [Dimension.DISCOVERY])
    claude_engine(database_url, claude, redaction=POLICY).analyze_partition(call_date, [Dimension.DISCOVERY])
    assert len(recording.seen) == 1 and not _leaks(recording.seen[0])
    assert recording.seen[0] in json.dumps(messages(claude)[0].body, ensure_ascii=False).replace("\\n", "\n")


def test_cache_key_digest_follows_the_redaction_version() -> None:
    base = CacheKey(transcript_sha256="t", dimension="d", rubric_version="v1", prompt_version="p", model="m")
    redacted = base.model_copy(update={"redaction_version": POLICY.version})
    other = base.model_copy(update={"redaction_version": RedactionPolicy().version})
    assert len({base.digest, redacted.digest, other.digest}) == 3
    before_redaction_existed = hashlib.sha256(json.dumps(["t", "d", "v1", "p", "m"]).encode()).hexdigest()
    assert base.digest == before_redaction_existed
