"""A small Gong tenant whose transcripts carry marker phrases and PII, and searches over every warehouse column."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import psycopg
from psycopg import sql

from coaching_pipeline.ingestion.cursor import PollCursor
from tests.ingestion.gong_shapes import TinyCorpus, add_call, rep_user

OLD_MARKER = "quokka saffron ledger"
NEW_MARKER = "heron cobalt lantern"
PII = ["jose.nunez@acme.example", "+1 (415) 555-0134", "4111 1111 1111 1111"]
FAKE_KEYS = {
    "GONG_ACCESS_KEY": "GONGKEY-fake-7Q2W9E",
    "GONG_ACCESS_KEY_SECRET": "GONGSECRET-fake-4R8T1Y",
    "ANTHROPIC_API_KEY": "sk-ant-fake-CLAUDEKEY-6U3I0O",
    "GONG_WEBHOOK_SECRET": "WHSECRET-fake-5P2A8S",
}
TEXT_TYPES = ("text", "character varying", "character", "jsonb", "json")


def _transcript(call_id: str, marker: str) -> list[dict[str, Any]]:
    rep, customer = f"{call_id}91", f"{call_id}92"
    turns = [
        (rep, ["Thanks for joining today.", f"Walk me through how the {marker} process works for you?"]),
        (customer, [f"We run the {marker} on Airflow and it breaks weekly.", "Mail jose.nunez@acme.example."]),
        (rep, [f"What is the biggest challenge with the {marker} at night?", "Call me on +1 (415) 555-0134."]),
        (customer, ["My manager decides by the end of the quarter.", "Bill the card 4111 1111 1111 1111."]),
        (rep, [f"As a next step, let's schedule a deep dive on the {marker}.", "Does Thursday work for you?"]),
        (customer, ["Thursday works for us.", f"Send the {marker} case study please."]),
    ]
    entries, clock = [], 0
    for speaker, sentences in turns:
        timed = []
        for text in sentences:
            timed.append({"start": clock, "end": clock + 4000, "text": text})
            clock += 4500
        entries.append({"speakerId": speaker, "topic": None, "sentences": timed})
    return entries


def corpus(old_day: date, new_day: date) -> tuple[TinyCorpus, dict[str, datetime]]:
    """Two calls on a day past the retention window and two inside it; returns the corpus and call starts."""
    tiny, starts = TinyCorpus(users=[rep_user()]), {}
    for day, marker, base in ((old_day, OLD_MARKER, 6_100_000), (new_day, NEW_MARKER, 6_200_000)):
        for n in range(2):
            call_id = str(base + n)
            starts[call_id] = datetime.combine(day, time(15 + n), tzinfo=UTC)
            add_call(tiny, call_id, starts[call_id], transcript=_transcript(call_id, marker))
            tiny.calls[-1]["content"] = {"topics": [], "brief": f"The customer described the {marker}."}
    return tiny, starts


def caught_up(cursor: str | None) -> bool:
    """The sensor's listing has reached the present (the sample days are all in the past)."""
    listed_until = PollCursor.from_json(cursor).listed_until
    return listed_until is not None and listed_until >= datetime.now(UTC) - timedelta(minutes=5)


def days_ago(n: int) -> date:
    return datetime.now(UTC).date() - timedelta(days=n)


def columns_containing(url: str, needle: str) -> list[str]:
    """`schema.table.column` of every text or JSON column, in every schema, holding `needle` (any case)."""
    found = []
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            """
            select c.table_schema, c.table_name, c.column_name
            from information_schema.columns as c
            join information_schema.tables as t using (table_schema, table_name)
            where t.table_type = 'BASE TABLE' and c.data_type = any(%s)
              and c.table_schema not in ('pg_catalog', 'information_schema')
            """,
            (list(TEXT_TYPES),),
        ).fetchall()
        for schema, table, column in columns:
            query = sql.SQL("select count(*) from {}.{} where {}::text ilike %s").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)
            )
            if conn.execute(query, (f"%{needle}%",)).fetchone()[0]:
                found.append(f"{schema}.{table}.{column}")
    return found


class Captured(logging.Handler):
    """Every log record of the process, formatted with its arguments and any traceback."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
