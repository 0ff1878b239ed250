"""Endpoint handlers of the Gong simulator: each returns the JSON body or raises GongHttpError."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from starlette.requests import Request

from coaching_sandbox.simulators import _gong_data as data


class GongSimulator(Protocol):
    """What the handlers read of the simulator (gong.GongSimulator), named here so neither imports the other."""

    corpus: Any
    faults: Any
    clock: Callable[[], datetime]
    page_size: int
    transcript_page_size: int

    def visible_calls(self) -> list[dict[str, Any]]: ...

    def transcript(self, call_id: str) -> list[dict[str, Any]] | None: ...


class GongHttpError(Exception):
    """Ends a request with Gong's error body."""

    def __init__(self, status: int, *errors: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, errors)
        self.status, self.errors, self.headers = status, list(errors), dict(headers or {})


def _page(
    sim: GongSimulator,
    items: list[dict[str, Any]],
    key: str,
    cursor: str | None,
    listing: dict[str, Any],
    size: int,
) -> dict[str, Any]:
    if not items:
        raise GongHttpError(404, data.NO_CALLS_FOUND)
    listing_id = data.fingerprint(listing)
    offset = 0
    if cursor:
        if sim.faults.expire_next_cursor:
            sim.faults.expire_next_cursor = False
            raise GongHttpError(400, data.CURSOR_EXPIRED)
        offset = data.decode_cursor(cursor, listing_id)
    chunk = items[offset : offset + size]
    records: dict[str, Any] = {
        "totalRecords": len(items),
        "currentPageSize": len(chunk),
        "currentPageNumber": offset // size,
    }
    if offset + size < len(items):
        records["cursor"] = data.encode_cursor(offset + size, listing_id, sim.clock())
    return {"records": records, key: chunk}


async def users(sim: GongSimulator, request: Request) -> dict[str, Any]:
    users = list(sim.corpus.users)
    return _page(sim, users, "users", request.query_params.get("cursor"), {"ep": "users"}, sim.page_size)


async def calls(sim: GongSimulator, request: Request) -> dict[str, Any]:
    query = request.query_params
    filter_ = {k: query.get(k) for k in ("fromDateTime", "toDateTime", "workspaceId")}
    calls = [c["metaData"] for c in _filtered(sim, filter_)]
    return _page(sim, calls, "calls", query.get("cursor"), {"ep": "calls", **filter_}, sim.page_size)


async def extensive(sim: GongSimulator, request: Request) -> dict[str, Any]:
    body = await _body(request)
    exposed = (body.get("contentSelector") or {}).get("exposedFields") or {}
    calls = [_shape(sim, c, exposed) for c in _filtered(sim, body["filter"])]
    listing = {"ep": "extensive", "filter": body["filter"], "exposed": exposed}
    return _page(sim, calls, "calls", body.get("cursor"), listing, sim.page_size)


async def transcripts(sim: GongSimulator, request: Request) -> dict[str, Any]:
    body = await _body(request)
    found = []
    for call in _filtered(sim, body["filter"]):
        entries = sim.transcript(call["metaData"]["id"])
        if entries is not None:
            found.append({"callId": call["metaData"]["id"], "transcript": entries})
    listing = {"ep": "transcript", "filter": body["filter"]}
    return _page(sim, found, "callTranscripts", body.get("cursor"), listing, sim.transcript_page_size)


async def _body(request: Request) -> dict[str, Any]:
    """Parse a POST body; a cursor in the query string is ignored, exactly as Gong ignores it."""
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError as exc:
        raise GongHttpError(400, "request body is not valid JSON") from exc
    if not isinstance(body, dict) or not isinstance(body.get("filter"), dict):
        raise GongHttpError(400, "filter: must not be null")
    if body["filter"].get("callIds") == []:
        raise GongHttpError(400, data.EMPTY_CALL_IDS)
    return body


def _filtered(sim: GongSimulator, filter_: Mapping[str, Any]) -> list[dict[str, Any]]:
    start = data.parse_instant(filter_.get("fromDateTime"), "fromDateTime")
    end = data.parse_instant(filter_.get("toDateTime"), "toDateTime")
    ids = {str(i) for i in filter_["callIds"]} if filter_.get("callIds") is not None else None
    owners = set(filter_.get("primaryUserIds") or [])
    workspace = filter_.get("workspaceId")
    selected = []
    for call in sim.visible_calls():
        meta = call["metaData"]
        started = data.parse_instant(meta["started"], "started")
        if (start and started < start) or (end and started >= end) or (ids is not None and meta["id"] not in ids):
            continue
        if (owners and meta.get("primaryUserId") not in owners) or (workspace and meta.get("workspaceId") != workspace):
            continue
        selected.append(call)
    return selected


def _shape(sim: GongSimulator, call: dict[str, Any], exposed: Mapping[str, Any]) -> dict[str, Any]:
    shaped: dict[str, Any] = {"metaData": call["metaData"]}
    parties = call.get("parties") or []
    if exposed.get("parties"):
        shaped["parties"] = parties
    shaped["content"] = data.select_content(call.get("content"), exposed.get("content") or {})
    transcript = sim.transcript(call["metaData"]["id"]) or []
    wanted = exposed.get("interaction") or {}
    if call.get("interaction") is not None and any(wanted.values()):
        shaped["interaction"] = call["interaction"]
    else:
        shaped["interaction"] = data.interaction(parties, transcript, wanted)
    return shaped
