"""Gong's cursor paging: follow `records.cursor` until it disappears, surviving one cursor expiry."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from coaching_pipeline.gong.errors import GongCursorExpiredError, GongResponseError
from coaching_pipeline.gong.models import Page

M = TypeVar("M", bound=BaseModel)
FetchPage = Callable[[str | None], dict[str, Any] | None]

log = logging.getLogger(__name__)


def paginate(fetch: FetchPage, *, items_key: str, model: type[M], id_of: Callable[[M], str]) -> Iterator[M]:
    """Yield every item of a listing; `fetch(cursor)` returns one page's body, or None for an empty result.

    Each page is parsed completely before any of its items is yielded, so a failure never leaves a
    caller holding half a page. An expired cursor restarts the listing once from the first page,
    skipping ids already yielded; a second expiry in the same listing is raised.
    """
    seen: set[str] = set()
    restarted = False
    cursor: str | None = None
    while True:
        try:
            body = fetch(cursor)
        except GongCursorExpiredError:
            if restarted or cursor is None:
                raise
            log.warning("Gong cursor expired after %d items; restarting the listing", len(seen))
            restarted, cursor = True, None
            continue
        if body is None:
            return
        page, items = _parse(body, items_key, model)
        for item in items:
            item_id = id_of(item)
            if item_id not in seen:
                seen.add(item_id)
                yield item
        cursor = page.records.cursor
        if not cursor:
            return


def _parse(body: dict[str, Any], items_key: str, model: type[M]) -> tuple[Page, list[M]]:
    try:
        page = Page.model_validate(body)
        items = [model.model_validate(item) for item in body.get(items_key) or []]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise GongResponseError(
            f"Gong page of {items_key!r} does not match the expected shape: {where}: {first['msg']}"
        ) from exc
    return page, items
