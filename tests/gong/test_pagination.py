"""Cursor paging as a pure function over fake pages: restart once on expiry, never twice, no duplicates."""

from __future__ import annotations

from typing import Any

import pytest

from coaching_pipeline.gong.errors import GongCursorExpiredError
from coaching_pipeline.gong.models import GongUser
from coaching_pipeline.gong.pagination import paginate

PAGES = {None: (["1", "2"], "c2"), "c2": (["3", "4"], "c3"), "c3": (["5"], None)}


class FakeListing:
    """Serves PAGES; raises an expiry for the cursors listed in `expire` (each once)."""

    def __init__(self, expire: list[str] | None = None) -> None:
        self.expire = list(expire or [])
        self.cursors: list[str | None] = []

    def __call__(self, cursor: str | None) -> dict[str, Any] | None:
        self.cursors.append(cursor)
        if cursor in self.expire:
            self.expire.remove(cursor)
            raise GongCursorExpiredError("GET /v2/users", 400, ["cursor has expired"])
        ids, following = PAGES[cursor]
        records = {"cursor": following} if following else {}
        return {"requestId": "r", "records": records, "users": [{"id": i} for i in ids]}


def _ids(fetch: FakeListing) -> list[str]:
    return [u.id for u in paginate(fetch, items_key="users", model=GongUser, id_of=lambda u: u.id)]


def test_paginate_follows_cursor_until_absent() -> None:
    fetch = FakeListing()

    assert _ids(fetch) == ["1", "2", "3", "4", "5"]
    assert fetch.cursors == [None, "c2", "c3"]


def test_paginate_restarts_once_without_duplicates() -> None:
    fetch = FakeListing(expire=["c3"])

    assert _ids(fetch) == ["1", "2", "3", "4", "5"]
    assert fetch.cursors == [None, "c2", "c3", None, "c2", "c3"]


def test_paginate_raises_on_second_expiry() -> None:
    fetch = FakeListing(expire=["c2", "c3"])

    with pytest.raises(GongCursorExpiredError):
        _ids(fetch)


def test_paginate_empty_result_yields_nothing() -> None:
    assert list(paginate(lambda _: None, items_key="users", model=GongUser, id_of=lambda u: u.id)) == []
