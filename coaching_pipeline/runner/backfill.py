"""`coaching run`: poll Gong through the sensor, then materialize a date range as one run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import dagster as dg
from psycopg.types.json import Jsonb
from pydantic import BaseModel

from coaching_pipeline.gong.errors import GongConfigurationError
from coaching_pipeline.runner import environment as runtime
from coaching_pipeline.runner.runs import (
    PollSummary,
    pipeline_run_config,
    poll_until_caught_up,
    run_range,
    run_reference_data,
)
from coaching_pipeline.settings import BatchMode, get_settings
from coaching_pipeline.warehouse.db import connect

CLI_STATE_KEY = "cli_gong_poll"


class CliPollState(BaseModel):
    """The CLI's own sensor cursor, plus the days found but not yet processed by a successful run, so that
    re-running after a failure picks them up again."""

    cursor: str | None = None
    pending_first: date | None = None
    pending_last: date | None = None

    def add(self, first: date | None, last: date | None) -> None:
        if first is None or last is None:
            return
        self.pending_first = min(filter(None, [self.pending_first, first]))
        self.pending_last = max(filter(None, [self.pending_last, last]))


def _load_state(url: str) -> CliPollState:
    with connect(url) as conn:
        row = conn.execute("select state from raw.ingestion_state where state_key = %s", (CLI_STATE_KEY,)).fetchone()
    return CliPollState.model_validate(row["state"]) if row else CliPollState()


def _save_state(url: str, state: CliPollState) -> None:
    with connect(url) as conn:
        conn.execute(
            """
            insert into raw.ingestion_state (state_key, state) values (%s, %s)
            on conflict (state_key) do update set state = excluded.state, updated_at = now()
            """,
            (CLI_STATE_KEY, Jsonb(state.model_dump(mode="json"))),
        )


def _tick_printer(echo: Callable[[str], None]) -> Callable[[int, dg.SensorResult | dg.SkipReason], None]:
    def on_tick(tick: int, result: dg.SensorResult | dg.SkipReason) -> None:
        if isinstance(result, dg.SensorResult) and result.run_requests:
            calls = sum(int(r.tags.get("coaching/calls", "0")) for r in result.run_requests)
            echo(f"  sensor tick {tick}: {calls} calls to process")
        else:
            reason = (
                result.skip_message
                if isinstance(result, dg.SkipReason)
                else (result.skip_reason.skip_message if result.skip_reason else "nothing new")
            )
            echo(f"  sensor tick {tick}: {reason}")

    return on_tick


def require_gong() -> None:
    """Refuse to start without Gong credentials: users and calls come from Gong, and nothing else stands in."""
    if not get_settings().gong_configured:
        raise GongConfigurationError(
            "Gong is not configured: set GONG_BASE_URL, GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET "
            "(`make demo` runs the pipeline on a bundled sample tenant instead)"
        )


def run_pipeline(
    first: date | None,
    last: date | None,
    *,
    poll: bool = True,
    use_batches: BatchMode | None = None,
    refetch: bool = False,
    echo: Callable[[str], None] = print,
    verbose: bool = False,
) -> PollSummary:
    """Refresh users and rubrics, poll Gong until caught up, then run [first, last] (default: what the poll found).
    `use_batches` overrides COACHING_USE_BATCHES for this run (`--batch` is always, `--no-batch` never);
    `refetch` asks Gong again for transcripts already stored; without `verbose`, Dagster's and dbt's own logs
    show warnings and errors only."""
    require_gong()
    config = pipeline_run_config(use_batches, refetch=refetch)
    return _run_pipeline(first, last, poll=poll, run_config=config, echo=echo, quiet=not verbose)


def _run_pipeline(
    first: date | None,
    last: date | None,
    *,
    poll: bool,
    run_config: dict[str, Any] | None,
    echo: Callable[[str], None],
    quiet: bool,
) -> PollSummary:
    url = runtime.prepare_environment()
    # The code location loads here, not at import: it parses the dbt manifest, which `coaching --help` and the
    # commands that never run the pipeline should not wait for.
    from coaching_pipeline.definitions import defs

    instance = dg.DagsterInstance.get()
    echo("Refreshing Gong users, rubrics and the knowledge base ...")
    run_reference_data(defs, instance, quiet=quiet)
    summary = PollSummary()
    state = _load_state(url)
    if poll:
        echo("Polling Gong through gong_calls_sensor ...")
        summary = poll_until_caught_up(defs, instance, cursor=state.cursor, on_tick=_tick_printer(echo), quiet=quiet)
        state.cursor = summary.cursor
        state.add(summary.first_day, summary.last_day)
        _save_state(url, state)
    explicit = first is not None
    first = first or state.pending_first
    last = last or (state.pending_last if not explicit else first)
    if first is None or last is None:
        echo("Nothing new to process.")
        return summary
    echo(f"Materializing partitions {first} .. {last} as one run ...")
    result = run_range(defs, instance, first, last, run_config=run_config, quiet=quiet, report_to=url)
    if not explicit:
        state.pending_first = state.pending_last = None
        _save_state(url, state)
    shown = run_figures(result)
    for key, figures in shown.items():
        echo(f"  {key}: " + ", ".join(f"{k}={v}" for k, v in figures.items() if k not in _ONCE))
    echo_batch_choice(shown, echo)
    models = {e.event_specific_data.materialization.asset_key for e in result.get_asset_materialization_events()}
    echo(f"  dbt and other assets materialized: {len(models)} assets")
    echo(f"Run {result.run_id} succeeded.")
    return summary


def run_figures(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, object]]:
    """The figures worth printing per asset, for the whole run: the days' own figures (the materialization of a
    one-day run, each day's observation in a longer one: defs/daily_metadata.py), counts summed over the days,
    and the run's shared figures (model, analysis mode)."""
    materialized = {
        event.asset_key.to_user_string(): event.metadata
        for event in (e.event_specific_data.materialization for e in result.get_asset_materialization_events())
    }
    days: dict[str, list[Mapping[str, Any]]] = {}
    for event in (e.event_specific_data.asset_observation for e in result.get_asset_observation_events()):
        days.setdefault(event.asset_key.to_user_string(), []).append(event.metadata)
    shown: dict[str, dict[str, object]] = {}
    for key, metadata in materialized.items():
        figures: dict[str, object] = {}
        for day in days.get(key) or [metadata]:
            for name, value in day.items():
                if name in _SHOWN:
                    figures[name] = _combined(figures.get(name), value.value)
        figures.update({name: value.value for name, value in metadata.items() if name in _ONCE})
        if figures:
            shown[key] = figures
    return shown


def _combined(total: object, value: object) -> object:
    """A count adds to the days before it; anything else is the same every day."""
    if isinstance(total, int | float) and isinstance(value, int | float) and not isinstance(value, bool):
        return round(total + value, 6)
    return value


def echo_batch_choice(shown: dict[str, dict[str, object]], echo: Callable[[str], None]) -> None:
    """One line for the run's analyses (the four dimensions share it): batches or not, and why."""
    for figures in shown.values():
        if "analysis_mode" in figures:
            echo(f"  analyses: {figures['analysis_mode']} ({figures.get('batch_choice', '')})")
            return


# Metadata printed once for the run rather than once per analysis asset.
_ONCE = {"analysis_mode", "batch_choice"}
_SHOWN = {
    "calls",
    "fetched",
    "stored",
    "waiting_for_transcript",
    "invalid",
    "warnings",
    "chunks",
    "calls_analysed",
    "calls_skipped",
    "cache_hits",
    "cost_usd",
    "model",
    *_ONCE,
}
