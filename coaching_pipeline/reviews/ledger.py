"""The delivery ledger (coaching.review_deliveries): claim a message before sending it, record how it went."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from coaching_pipeline.reviews import queries
from coaching_pipeline.warehouse.db import connect

Channel = Literal["email", "slack"]
Status = Literal["sending", "sent", "failed"]


class DeliveryKey(BaseModel, frozen=True):
    """One message: a review for one recipient on one channel in one week."""

    week_start: date
    channel: Channel
    recipient: str
    review: str


class DeliveryRecord(BaseModel):
    channel: Channel
    recipient: str
    review: str
    status: Status
    attempts: int
    last_error: str | None = None
    sent_at: datetime | None = None


def claim(url: str, key: DeliveryKey) -> bool:
    """True when this caller now owns the message and must send it; False when it was sent or is held."""
    with connect(url, autocommit=True) as conn:
        return queries.row(conn, "claim_delivery", **key.model_dump()) is not None


def finish(url: str, key: DeliveryKey, *, sent: bool, attempts: int, error: str | None) -> None:
    with connect(url, autocommit=True) as conn:
        conn.execute(
            queries.sql("finish_delivery"),
            {**key.model_dump(), "status": "sent" if sent else "failed", "attempts": attempts, "last_error": error},
        )


def week_records(url: str, week_start: date) -> list[DeliveryRecord]:
    with connect(url) as conn:
        return [DeliveryRecord(**r) for r in queries.rows(conn, "week_deliveries", week_start=week_start)]
