"""`coaching report`: the warehouse summary, or a week's reviews written to files (and optionally delivered)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coaching_pipeline.cli.errors import KNOWN_ERRORS, fail
from coaching_pipeline.runner import environment as runtime

if TYPE_CHECKING:
    from coaching_pipeline.reviews.render import ReportFormat


def report(
    week: Annotated[
        str | None,
        typer.Option(help="ISO week (2026-W47), a date in it, or 'latest' (the latest complete week with calls)."),
    ] = None,
    rep: Annotated[str | None, typer.Option(help="Only this rep's review (their email).")] = None,
    team: Annotated[str | None, typer.Option(help="Only this team's review (team name or manager email).")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder for the files (default COACHING_HOME/reviews/<week>).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="html or md.")] = "html",
    deliver: Annotated[
        bool, typer.Option(help="Also send the week's reviews like the schedule does (each message once).")
    ] = False,
) -> None:
    """Without --week: what the warehouse holds. With --week: write the week's reviews and print their paths."""
    from coaching_pipeline.reviews.errors import ReviewError, ReviewWeekError
    from coaching_pipeline.reviews.render import ReportFormat
    from coaching_pipeline.reviews.weeks import parse_week

    if week is None:
        if rep or team or out or deliver:
            _usage("--rep, --team, --out and --deliver need --week")
        return _summary()
    if rep and team:
        _usage("give --rep or --team, not both")
    if deliver and (rep or team):
        _usage("--deliver sends the whole week: leave out --rep and --team")
    try:
        chosen = ReportFormat(fmt)
    except ValueError:
        _usage(f"--format must be html or md, not {fmt!r}")
    try:
        url = runtime.prepare_environment()
        monday = _latest(url) if week == "latest" else parse_week(week)
        if deliver:
            return _deliver(url, monday, out)
        for path in _write(url, monday, chosen, rep, team, out):
            typer.echo(path)
    except ReviewError as exc:
        fail(exc, code=2 if isinstance(exc, ReviewWeekError) else 1)
    except KNOWN_ERRORS as exc:
        fail(exc, code=1)


def _write(
    url: str, monday: date, fmt: ReportFormat, rep: str | None, team: str | None, out: Path | None
) -> list[Path]:
    from coaching_pipeline.reviews import lookup
    from coaching_pipeline.reviews.render import render_rep_review, render_team_review
    from coaching_pipeline.reviews.weekly import collect_week, render_week, write_reports

    folder = out or _week_folder(monday)
    if rep:
        reports = [render_rep_review(url, lookup.rep_by_email(url, rep), monday, fmt)]
    elif team:
        reports = [render_team_review(url, manager, monday, fmt) for manager in lookup.managers_of(url, team)]
    else:
        reports = render_week(collect_week(url, monday), (fmt,))
    return write_reports(reports, folder)


def _deliver(url: str, monday: date, out: Path | None) -> None:
    from coaching_pipeline.reviews.deliver import DeliveryConfig
    from coaching_pipeline.reviews.recipients import load_overrides
    from coaching_pipeline.reviews.weekly import run_week
    from coaching_pipeline.settings import get_settings

    settings = get_settings()
    outcome = run_week(
        url,
        monday,
        out_dir=out or _week_folder(monday),
        config=DeliveryConfig.from_settings(settings),
        overrides=load_overrides(settings.coaching_review_recipients_file),
        base_url=settings.coaching_review_base_url,
    )
    for path in outcome.files:
        typer.echo(path)
    if outcome.dry_run:
        typer.echo("dry run: no SMTP_HOST/SMTP_FROM or Slack webhook configured, nothing sent")
    typer.echo(
        f"sent {outcome.count('sent')}, already sent {outcome.count('skipped')}, failed {outcome.count('failed')}"
    )
    for failure in outcome.failures:
        typer.secho(f"failed: {failure.key.channel} to {failure.key.recipient}: {failure.error}", err=True)
    if outcome.failures:
        raise typer.Exit(code=1)


def _week_folder(monday: date) -> Path:
    from coaching_pipeline.settings import get_settings

    return get_settings().coaching_home / "reviews" / monday.isoformat()


def _latest(url: str) -> date:
    from coaching_pipeline.reviews.lookup import latest_complete_week

    return latest_complete_week(url, datetime.now(UTC).date())


def _summary() -> None:
    from coaching_pipeline.reviews.warehouse_summary import demo_summary

    try:
        lines = demo_summary(runtime.prepare_environment())
    except KNOWN_ERRORS as exc:
        fail(exc, code=1)
    typer.echo("\n".join(lines))


def _usage(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)
