"""call_scores carries each call's content flags (prompt injection), from raw.ingestion_issues stage content."""

from __future__ import annotations

import psycopg


def test_call_scores_flag_exactly_the_calls_with_a_content_issue(marts_db: psycopg.Connection) -> None:
    flagged = {
        row[0]
        for row in marts_db.execute(
            "select distinct i.call_id from raw.ingestion_issues as i join marts.call_scores as s using (call_id)"
            " where i.stage = 'content'"
        )
    }
    rows = marts_db.execute("select call_id, is_flagged, content_flags from marts.call_scores").fetchall()
    assert flagged and {call_id for call_id, is_flagged, _ in rows if is_flagged} == flagged
    assert {(is_flagged, tuple(flags)) for _, is_flagged, flags in rows} == {
        (True, ("prompt_injection",)),
        (False, ()),
    }
