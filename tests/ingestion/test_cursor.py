"""The sensor's window planning: bounded steps, overlap for late listings, caught-up detection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coaching_pipeline.ingestion.cursor import PollCursor, advance, next_window

START = datetime(2026, 8, 3, tzinfo=UTC)


def test_next_window_first_poll_starts_at_start_and_is_bounded() -> None:
    now = START + timedelta(days=100)
    window = next_window(PollCursor(), now, START, max_window=timedelta(days=31))
    assert window.from_dt == START
    assert window.to_dt == START + timedelta(days=31)
    assert not window.caught_up


def test_next_window_rereads_overlap_before_cursor() -> None:
    cursor = PollCursor(listed_until=START + timedelta(days=10))
    window = next_window(cursor, START + timedelta(days=10, hours=1), START, overlap=timedelta(hours=6))
    assert window.from_dt == START + timedelta(days=10) - timedelta(hours=6)
    assert window.to_dt == START + timedelta(days=10, hours=1)
    assert window.caught_up


def test_advance_round_trips_through_json() -> None:
    window = next_window(PollCursor(), START + timedelta(days=2), START)
    cursor = advance(PollCursor(), window)
    restored = PollCursor.from_json(cursor.to_json())
    assert restored.listed_until == START + timedelta(days=2)
    assert restored.ticks == 1


def test_next_window_never_starts_before_start() -> None:
    cursor = PollCursor(listed_until=START + timedelta(hours=1))
    window = next_window(cursor, START + timedelta(hours=2), START, overlap=timedelta(hours=6))
    assert window.from_dt == START
