"""The Gong v2 API client: users, calls, extensive call data and transcripts; paged, throttled, budgeted."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from types import TracebackType
from typing import Any, Self

import httpx
from pydantic import ValidationError

from coaching_pipeline.gong.budget import RequestBudget
from coaching_pipeline.gong.errors import GongConfigurationError
from coaching_pipeline.gong.models import (
    CallMetaData,
    CallTranscript,
    ExtensiveCall,
    GongUser,
    RawCallTranscript,
    TranscriptEntry,
)
from coaching_pipeline.gong.pagination import paginate
from coaching_pipeline.gong.ratelimit import TokenBucket
from coaching_pipeline.gong.transport import GongTransport
from coaching_pipeline.settings import Settings

BATCH_SIZE = 100
CONTENT_SELECTOR: dict[str, Any] = {
    "context": "None",
    "exposedFields": {
        "parties": True,
        "content": {
            "structure": True,
            "topics": True,
            "trackers": True,
            "trackerOccurrences": False,
            "pointsOfInterest": True,
            "brief": True,
            "outline": True,
            "highlights": True,
            "callOutcome": True,
            "keyPoints": True,
        },
        "interaction": {"speakers": True, "video": False, "personInteractionStats": True, "questions": True},
        "collaboration": {"publicComments": False},
        "media": False,
    },
}


class GongClient:
    """Synchronous and thread-safe; use as a context manager so the connection pool is closed.

    Every listing is a lazy iterator that parses a whole page before yielding from it. `transport` lets
    tests swap the network layer; `sleep` lets them observe retry delays without waiting them out.
    """

    def __init__(
        self,
        base_url: str,
        access_key: str,
        access_key_secret: str,
        *,
        requests_per_second: float = 3.0,
        max_retries: int = 5,
        timeout: float = 30.0,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_retry_after: float = 60.0,
        budget: RequestBudget | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=httpx.BasicAuth(access_key, access_key_secret),
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "coaching-pipeline"},
        )
        self._requests = GongTransport(
            self._http,
            limiter=TokenBucket(requests_per_second),
            budget=budget,
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_cap=backoff_cap,
            max_retry_after=max_retry_after,
            sleep=sleep,
        )

    @classmethod
    def from_settings(cls, settings: Settings, budget: RequestBudget | None = None) -> GongClient:
        """A client from GONG_* settings; pass a budget (e.g. PostgresBudget) to enforce the daily limit."""
        base_url, key, secret = (
            settings.gong_base_url,
            settings.gong_access_key,
            settings.gong_access_key_secret,
        )
        if not (base_url and key and key.get_secret_value() and secret and secret.get_secret_value()):
            raise GongConfigurationError(
                "Gong is not configured: set GONG_BASE_URL, GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET"
            )
        return cls(
            base_url,
            key.get_secret_value(),
            secret.get_secret_value(),
            requests_per_second=settings.gong_requests_per_second,
            max_retries=settings.gong_max_retries,
            timeout=settings.gong_timeout_seconds,
            budget=budget,
        )

    @property
    def request_count(self) -> int:
        """HTTP requests sent by this client, retries included."""
        return self._requests.request_count

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def iter_users(self) -> Iterator[GongUser]:
        def fetch(cursor: str | None) -> dict[str, Any] | None:
            return self._requests.request("GET", "/v2/users", params=_cursor_param(cursor))

        return paginate(fetch, items_key="users", model=GongUser, id_of=lambda u: u.id)

    def iter_calls(
        self, from_dt: datetime, to_dt: datetime, *, workspace_id: str | None = None
    ) -> Iterator[CallMetaData]:
        """Calls that started in [from_dt, to_dt): Gong's fromDateTime is inclusive, toDateTime exclusive."""
        params = {"fromDateTime": _iso(from_dt), "toDateTime": _iso(to_dt)}
        if workspace_id:
            params["workspaceId"] = workspace_id

        def fetch(cursor: str | None) -> dict[str, Any] | None:
            return self._requests.request("GET", "/v2/calls", params={**params, **_cursor_param(cursor)})

        return paginate(fetch, items_key="calls", model=CallMetaData, id_of=lambda c: c.id)

    def iter_extensive_calls(
        self,
        *,
        call_ids: Iterable[str] | None = None,
        from_dt: datetime | None = None,
        to_dt: datetime | None = None,
    ) -> Iterator[ExtensiveCall]:
        """Parties, content and interaction for the given calls (batched by 100) and/or a time range."""
        if call_ids is None and from_dt is None and to_dt is None:
            raise ValueError("iter_extensive_calls needs call_ids or a from_dt/to_dt range")
        base = _range_filter(from_dt, to_dt)
        batches = list(_batches(call_ids))

        def calls() -> Iterator[ExtensiveCall]:
            for batch in batches:
                filter_ = {**base, "callIds": batch} if batch is not None else base
                yield from self._post_pages(
                    "/v2/calls/extensive",
                    {"filter": filter_, "contentSelector": CONTENT_SELECTOR},
                    items_key="calls",
                    model=ExtensiveCall,
                    id_of=lambda c: c.id,
                )

        return calls()

    def fetch_transcripts(self, call_ids: Iterable[str]) -> dict[str, list[TranscriptEntry] | list[Any]]:
        """Transcripts by call id; calls whose transcript Gong has not produced yet are simply absent.

        A transcript that does not match Gong's documented shape comes back as the raw entries Gong sent, for
        ingestion to record as `malformed_payload`, rather than failing the page and every call on it.
        """
        result: dict[str, list[TranscriptEntry] | list[Any]] = {}
        for batch in _batches(call_ids):
            pages = self._post_pages(
                "/v2/calls/transcript",
                {"filter": {"callIds": batch}},
                items_key="callTranscripts",
                model=RawCallTranscript,
                id_of=lambda t: t.call_id,
            )
            result.update({t.call_id: _transcript_entries(t) for t in pages})
        return result

    def _post_pages(self, path: str, body: dict[str, Any], **kwargs: Any) -> Iterator[Any]:
        def fetch(cursor: str | None) -> dict[str, Any] | None:
            return self._requests.request("POST", path, body={**body, **_cursor_param(cursor)})

        return paginate(fetch, **kwargs)


def _transcript_entries(item: RawCallTranscript) -> list[TranscriptEntry] | list[Any]:
    entries = item.transcript if item.transcript is not None else []
    try:
        return CallTranscript.model_validate({"callId": item.call_id, "transcript": entries}).transcript
    except ValidationError:
        return entries if isinstance(entries, list) else [entries]


def _cursor_param(cursor: str | None) -> dict[str, str]:
    return {"cursor": cursor} if cursor else {}


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone; Gong needs an offset (use an aware datetime)")
    return value.isoformat()


def _range_filter(from_dt: datetime | None, to_dt: datetime | None) -> dict[str, str]:
    bounds = {"fromDateTime": from_dt, "toDateTime": to_dt}
    return {key: _iso(value) for key, value in bounds.items() if value is not None}


def _batches(call_ids: Iterable[str] | None) -> Iterator[list[str] | None]:
    """Unique ids in order (Gong requires uniqueItems), 100 per request; None means "no id filter"."""
    if call_ids is None:
        yield None
        return
    unique = list(dict.fromkeys(str(c) for c in call_ids))
    for start in range(0, len(unique), BATCH_SIZE):
        yield unique[start : start + BATCH_SIZE]
