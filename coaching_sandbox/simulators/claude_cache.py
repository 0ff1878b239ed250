"""Prompt-cache emulation: which prefix tokens are read from cache, written to it, or plain input."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from itertools import accumulate

from coaching_sandbox.simulators.claude_prompt import Prompt
from coaching_sandbox.simulators.claude_wire import CacheCreation, Usage

LOOKBACK_BLOCKS = 20


@dataclass
class _Entry:
    expires_at: float
    ttl_seconds: int


def _ttl_seconds(prompt: Prompt, index: int) -> int:
    control = prompt.segments[index].cache_control
    return control.seconds if control is not None else 300


class PromptCache:
    """Prefix hashes with expiry on the simulated clock; a hit refreshes the entry's time to live.

    Like the API, each breakpoint also checks up to 20 earlier block boundaries for a hit, so a
    request whose breakpoint moved further down still reads the prefix an earlier request wrote.
    """

    def __init__(self, min_cacheable_tokens: int = 1024) -> None:
        self.min_cacheable_tokens = min_cacheable_tokens
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @staticmethod
    def _prefix_hashes(prompt: Prompt) -> list[str]:
        hashes: list[str] = []
        running = hashlib.sha256(prompt.model.encode())
        for segment in prompt.segments:
            running.update(b"\x00" + segment.material.encode())
            hashes.append(running.copy().hexdigest())
        return hashes

    def _live(self, key: str, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.expires_at <= now:
            return None
        return entry

    def account(self, prompt: Prompt, now: float, *, dry_run: bool = False) -> Usage:
        """Usage for one request; unless dry_run, refresh the hit and store the newly written prefixes."""
        prefix = list(accumulate(prompt.tokens))
        total = prefix[-1] if prefix else 0
        breakpoints = prompt.breakpoints
        if not breakpoints:
            return Usage(input_tokens=total)
        hashes = self._prefix_hashes(prompt)
        minimum = self.min_cacheable_tokens
        with self._lock:
            candidates = sorted(
                {i for bp in breakpoints for i in range(bp, max(bp - LOOKBACK_BLOCKS, -1), -1)}, reverse=True
            )
            read_end, hit = -1, None
            for index in candidates:
                hit = self._live(hashes[index], now) if prefix[index] >= minimum else None
                if hit is not None:
                    read_end = index
                    break
            read = prefix[read_end] if hit is not None else 0
            written = [bp for bp in breakpoints if bp > read_end and prefix[bp] >= minimum]
            creation = CacheCreation()
            start = read
            for bp in written:
                seconds = _ttl_seconds(prompt, bp)
                if seconds == 3600:
                    creation.ephemeral_1h_input_tokens += prefix[bp] - start
                else:
                    creation.ephemeral_5m_input_tokens += prefix[bp] - start
                start = prefix[bp]
                if not dry_run:
                    self._entries[hashes[bp]] = _Entry(now + seconds, seconds)
            if hit is not None and not dry_run:
                hit.expires_at = max(hit.expires_at, now + hit.ttl_seconds)
        created = creation.ephemeral_5m_input_tokens + creation.ephemeral_1h_input_tokens
        return Usage(
            input_tokens=total - read - created,
            cache_read_input_tokens=read,
            cache_creation_input_tokens=created,
            cache_creation=creation,
        )
