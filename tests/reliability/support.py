"""Run `coaching run` as a real process, kill it when the warehouse reaches a given state, and compare warehouses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import psycopg

from coaching_sandbox.corpus.generate import load_sample_corpus
from coaching_sandbox.simulators.claude import RunningClaude, serve_claude
from coaching_sandbox.simulators.gong import RunningGong, serve_gong
from coaching_sandbox.simulators.sample import SAMPLE_ACCESS_KEY, SAMPLE_ACCESS_KEY_SECRET

DAY = "2026-08-04"
COMPARED_SCHEMAS = ("raw", "coaching", "marts")
RUN_TIMEOUT_SECONDS = 600

# Columns that legitimately differ between a clean run and a crashed-then-resumed one, and only those: ids drawn
# from sequences or from the API, the moments rows were written, the Dagster run that wrote them, and how long
# a request took. Everything else must match row for row.
VOLATILE_COLUMNS: dict[str, frozenset[str]] = {
    "raw.users": frozenset({"ingested_at", "updated_at"}),
    "raw.calls": frozenset({"first_seen_at", "updated_at"}),
    "raw.transcripts": frozenset({"fetched_at"}),
    "raw.ingestion_issues": frozenset({"recorded_at"}),
    "raw.ingestion_state": frozenset({"updated_at"}),
    "coaching.rubrics": frozenset({"loaded_at"}),
    "coaching.kb_documents": frozenset({"loaded_at"}),
    "coaching.analysis_cache": frozenset({"created_at", "expires_at"}),
    "coaching.call_analyses": frozenset({"analyzed_at"}),
    "coaching.analysis_failures": frozenset({"recorded_at"}),
    "coaching.analysis_skips": frozenset({"recorded_at"}),
    "coaching.call_interaction_stats": frozenset({"computed_at"}),
    "coaching.llm_requests": frozenset({"ledger_id", "request_id", "run_id", "requested_at", "latency_ms"}),
    "coaching.message_batches": frozenset({"batch_id", "requests", "submitted_at", "ended_at", "collected_at"}),
    "coaching.pipeline_events": frozenset({"event_id", "event_key", "occurred_at", "run_id", "detail"}),
    "marts.reps": frozenset({"updated_at"}),  # the marts carry these write times over from raw and coaching
    "marts.call_scores": frozenset({"analyzed_at"}),
    "marts.call_interaction_stats": frozenset({"computed_at"}),
}

# Logs of what each run did, which a re-run legitimately adds to: Gong requests made per day (the crashed run
# made some), cache lookups (the re-run finds what the crashed run stored: those are the hits that prove it did
# not pay again), and the marts' figures counted from those lookups. Compared in the tests by what they must
# keep, not row for row.
RUN_LOG_COLUMNS: dict[str, frozenset[str]] = {
    "raw.gong_request_budget": frozenset({"requests"}),
    "coaching.cache_events": frozenset({"event_id", "run_id", "occurred_at", "is_hit", "saved_usd"}),
    "marts.llm_daily_costs": frozenset(
        {"cache_lookup_count", "cache_hit_count", "cache_miss_count", "cache_hit_rate", "saved_usd"}
    ),
}


# Tables whose grain is the wall-clock day a request was made, not the partition: a clean run and a crashed one
# that straddle midnight split the same requests over different days. Compared as totals over every day.
WALL_CLOCK_DAY_COLUMNS: dict[str, str] = {
    "raw.gong_request_budget": "day",
    "marts.llm_daily_costs": "activity_date",
}


# The daily summary of coaching.pipeline_events: how many runs started, failed or retried a connection, which
# a crash or a restart changes by design (coaching.pipeline_events itself is compared without its keys).
NOT_COMPARED = frozenset({"marts.pipeline_health"})


def tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema = any(%s) and table_type = 'BASE TABLE' order by 1",
        (list(COMPARED_SCHEMAS),),
    ).fetchall()
    return [row[0] for row in rows if row[0] not in NOT_COMPARED]


def snapshot(url: str) -> dict[str, list[str]]:
    """Every table of the compared schemas as a sorted list of JSON rows, without the volatile columns. Tables
    that are logs of runs (RUN_LOG_COLUMNS) keep one row per distinct remaining value."""
    shot: dict[str, list[str]] = {}
    with psycopg.connect(url) as conn:
        for table in tables(conn):
            dropped = sorted(VOLATILE_COLUMNS.get(table, frozenset()) | RUN_LOG_COLUMNS.get(table, frozenset()))
            schema, name = table.split(".")
            query = f'select to_jsonb(t) - %s::text[] from "{schema}"."{name}" as t'
            found = [row[0] for row in conn.execute(query, (dropped,))]
            if table in WALL_CLOCK_DAY_COLUMNS:
                found = [_totals(found, without=WALL_CLOCK_DAY_COLUMNS[table])]
            rows = sorted(json.dumps(row, sort_keys=True) for row in found)
            shot[table] = sorted(set(rows)) if table in RUN_LOG_COLUMNS else rows
    return shot


def _totals(rows: list[dict[str, Any]], *, without: str) -> dict[str, Any]:
    """One row summing each numeric column over all rows (the day column left out), rounded to the cent's
    ten-thousandth so that adding the days in another order gives the same figure."""
    summed: dict[str, Any] = {}
    for row in rows:
        for name, value in row.items():
            if name != without and isinstance(value, int | float):
                summed[name] = round(summed.get(name, 0) + value, 6)
    return summed


def differences(expected: Mapping[str, list[str]], actual: Mapping[str, list[str]]) -> dict[str, Any]:
    """Per table, the columns whose values differ and the rows only one side has (at most two of each), for a
    readable assertion message."""
    found: dict[str, Any] = {}
    for table in sorted(set(expected) | set(actual)):
        left, right = expected.get(table), actual.get(table)
        if left == right:
            continue
        if left is None or right is None:
            found[table] = "missing table" if right is None else "unexpected table"
            continue
        missing = [row for row in left if row not in right] or [f"{len(left)} rows vs {len(right)}"]
        extra = [row for row in right if row not in left]
        found[table] = {"columns": _differing_columns(left, right), "missing": missing[:2], "extra": extra[:2]}
    return found


def _differing_columns(left: list[str], right: list[str]) -> list[str]:
    rows_left, rows_right = [json.loads(row) for row in left], [json.loads(row) for row in right]
    names = {name for row in rows_left + rows_right for name in row}

    def values(rows: list[dict[str, Any]], name: str) -> list[str]:
        return sorted(json.dumps(row.get(name), sort_keys=True) for row in rows)

    return sorted(name for name in names if values(rows_left, name) != values(rows_right, name))


def count(url: str, query: str, params: tuple[Any, ...] = ()) -> int:
    with psycopg.connect(url, connect_timeout=5) as conn:
        row = conn.execute(query, params).fetchone()
    return int(row[0]) if row else 0


@dataclass
class Simulators:
    gong: RunningGong
    claude: RunningClaude


@contextmanager
def simulators(**claude_config: Any) -> Iterator[Simulators]:
    """The sample tenant and a Claude simulator whose replies and bills depend only on the request: the prompt
    cache is off (nothing reaches the minimum), so a re-run's token counts equal a clean run's."""
    config = {"min_cacheable_tokens": 10**9, **claude_config}
    with (
        serve_gong(
            load_sample_corpus(), access_key=SAMPLE_ACCESS_KEY, access_key_secret=SAMPLE_ACCESS_KEY_SECRET
        ) as gong,
        serve_claude(**config) as claude,
    ):
        yield Simulators(gong=gong, claude=claude)


def pipeline_env(url: str, home: Path, sims: Simulators, **extra: str) -> dict[str, str]:
    """What an operator would export: the warehouse, local state, the Gong tenant and Claude."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("COACHING_", "DAGSTER_", "GONG_", "ANTHROPIC_", "DATABASE_URL"))
    }
    env.update(
        {
            "DATABASE_URL": url,
            "COACHING_HOME": str(home),
            "GONG_BASE_URL": sims.gong.base_url,
            "GONG_ACCESS_KEY": SAMPLE_ACCESS_KEY,
            "GONG_ACCESS_KEY_SECRET": SAMPLE_ACCESS_KEY_SECRET,
            "ANTHROPIC_API_KEY": "sim-key",
            "ANTHROPIC_BASE_URL": sims.claude.base_url,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            # The simulator has no per-minute token limit worth pacing for: the default 400,000 would spend
            # about 45 s of each fresh run waiting on the engine's own token bucket.
            "COACHING_INPUT_TOKENS_PER_MINUTE": "100000000",
            **extra,
        }
    )
    return env


def run_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "coaching_pipeline.cli", "run", "--no-poll", "--from", DAY, "--to", DAY, *args]


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


def run_to_end(env: Mapping[str, str], *args: str) -> Finished:
    done = subprocess.run(
        run_command(*args), env=dict(env), capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False
    )
    return Finished(done.returncode, done.stdout, done.stderr)


@dataclass
class Running:
    """A started `coaching run`, its output going to files (a pipe nobody reads could fill and block it)."""

    process: subprocess.Popen[str]
    out: IO[str]
    err: IO[str]

    def output(self) -> Finished:
        self.out.seek(0)
        self.err.seek(0)
        return Finished(self.process.returncode, self.out.read(), self.err.read())


def start_run(env: Mapping[str, str], *args: str) -> Running:
    """The run in its own process group, so that killing the group kills dbt's subprocess too."""
    # The files outlive this function: the process writes them until it ends, then output() reads them.
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")  # noqa: SIM115
    process = subprocess.Popen(
        run_command(*args), env=dict(env), stdout=out, stderr=err, text=True, start_new_session=True
    )
    return Running(process, out, err)


def wait_until(run: Running, reached: Callable[[], bool], *, poll: float = 0.05) -> None:
    """Return as soon as `reached()` holds while the process runs; fail if it ends (or times out) first, so a
    point that is never reached cannot pass unnoticed."""
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while run.process.poll() is None and time.monotonic() < deadline:
        try:
            if reached():
                return
        except psycopg.OperationalError:
            pass  # the server is busy or restarting: look again
        time.sleep(poll)
    kill(run)
    finished = run.output()
    reason = "the run ended (or timed out) before the point was reached"
    raise AssertionError(f"{reason}:\n{finished.stdout}\n{finished.stderr}")


def kill(run: Running) -> None:
    if run.process.poll() is None:
        os.killpg(run.process.pid, signal.SIGKILL)
    run.process.wait()


def finish(run: Running) -> Finished:
    try:
        run.process.wait(timeout=RUN_TIMEOUT_SECONDS)
    finally:
        kill(run)
    return run.output()


def run_and_kill_when(env: Mapping[str, str], reached: Callable[[], bool], *args: str) -> None:
    """SIGKILL the run's whole process group as soon as `reached()` holds."""
    run = start_run(env, *args)
    try:
        wait_until(run, reached)
    finally:
        kill(run)
