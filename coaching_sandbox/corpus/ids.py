"""Gong-shaped identifiers and timestamps, drawn from a seeded generator so every run is reproducible."""

from __future__ import annotations

import random
from datetime import datetime

_UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_BASE32 = "abcdefghijklmnopqrstuv0123456789"


class IdFactory:
    """Numeric-string ids (Gong's are up to 20 digits) that never repeat within one corpus."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[str] = set()

    def numeric(self, digits: int = 19) -> str:
        while True:
            value = str(self._rng.randrange(10 ** (digits - 1), 10**digits))
            if value not in self._seen:
                self._seen.add(value)
                return value

    def token(self, length: int, alphabet: str = _UPPER_ALNUM) -> str:
        return "".join(self._rng.choices(alphabet, k=length))

    def calendar_event_id(self) -> str:
        return self.token(26, _BASE32) + "@google.com"


def iso(moment: datetime, *, fractional: bool = False) -> str:
    """ISO-8601 with the moment's own UTC offset, as Gong sends it (milliseconds only on some values)."""
    return moment.isoformat(timespec="milliseconds" if fractional else "seconds")
