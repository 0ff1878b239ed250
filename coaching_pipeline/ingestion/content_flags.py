"""Flag a stored transcript whose text looks like prompt injection: a `content` warning, never a rejection."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from coaching_pipeline.transcripts.injection import find_injections
from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.warehouse import queries

STAGE = "content"
REASON = "prompt_injection"
MAX_EXAMPLES = 5
MAX_EXCERPT = 200


def flag_content(conn: Any, call: dict[str, Any], transcript: Transcript) -> bool:
    """Record (or clear) the call's `prompt_injection` warning; True when the transcript is flagged.

    The detail keeps the rules matched and a few short excerpts, so a reviewer can judge a false positive
    without opening the transcript; the call is stored and analysed either way.
    """
    findings = list(find_injections(transcript))
    if not findings:
        conn.execute(queries.CLEAR_ISSUE, {"call_id": call["call_id"], "stage": STAGE})
        return False
    rules = sorted({rule for finding in findings for rule in finding.rules})
    examples = [
        {
            "turn_index": f.turn_index,
            "speaker_id": f.speaker_id,
            "start_ms": f.start_ms,
            "text": f.text[:MAX_EXCERPT],
            "rules": f.rules,
        }
        for f in findings[:MAX_EXAMPLES]
    ]
    detail = {
        "message": f"{len(findings)} sentence(s) look like instructions to the model: {', '.join(rules)}",
        "sentences": len(findings),
        "rules": rules,
        "examples": examples,
    }
    conn.execute(
        queries.RECORD_ISSUE,
        {
            "call_id": call["call_id"],
            "stage": STAGE,
            "severity": "warning",
            "reason": REASON,
            "detail": Jsonb(detail),
            "call_date": call["call_date"],
        },
    )
    return True
