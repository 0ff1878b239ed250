"""A local stand-in for Anthropic's Messages and Message Batches APIs over real HTTP (tests, bench, demos).

It honours what our code depends on: the 2026-10-21 version rules, bearer auth, prompt-cache accounting on a
simulated clock, structured output that validates against the request's JSON schema with verbatim transcript
quotes, batches that end after a few polls, and injectable failures (429, 529, 500, spend limit, malformed).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coaching_sandbox.simulators._server import serve_app
from coaching_sandbox.simulators.claude_app import build_app
from coaching_sandbox.simulators.claude_state import (
    ClaudeSimulator,
    Faults,
    LoggedRequest,
    SimClock,
    SimConfig,
)

if TYPE_CHECKING:
    import anthropic

__all__ = [
    "ClaudeSimulator",
    "Faults",
    "LoggedRequest",
    "RunningClaude",
    "SimClock",
    "SimConfig",
    "build_app",
    "serve_claude",
]


@dataclass(frozen=True)
class RunningClaude:
    """Where the simulator listens and its live state (faults, clock, request_log, cache, batches)."""

    base_url: str
    sim: ClaudeSimulator

    def client(self, *, api_key: str | None = None, max_retries: int = 0, **kwargs: Any) -> anthropic.Anthropic:
        """A real SDK client pointed here; retries off by default so tests see every failure."""
        import anthropic

        key = api_key or self.sim.api_key or "sim"
        return anthropic.Anthropic(api_key=key, base_url=self.base_url, max_retries=max_retries, **kwargs)


@contextmanager
def serve_claude(*, host: str = "127.0.0.1", port: int = 0, **kwargs: Any) -> Iterator[RunningClaude]:
    """Serve a fresh ClaudeSimulator(**kwargs) until the block exits; point the SDK's base_url at base_url."""
    sim = ClaudeSimulator(**kwargs)
    with serve_app(build_app(sim), host=host, port=port) as base_url:
        yield RunningClaude(base_url=base_url, sim=sim)


def main(argv: list[str] | None = None) -> None:
    """`python -m coaching_sandbox.simulators.claude --port 8402`: serve until interrupted."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8402)
    parser.add_argument("--api-key", default=None, help="require this key (Bearer or x-api-key); default any")
    parser.add_argument("--min-cacheable-tokens", type=int, default=1024)
    parser.add_argument("--batch-polls-to-finish", type=int, default=1)
    args = parser.parse_args(argv)
    sim = ClaudeSimulator(
        api_key=args.api_key,
        min_cacheable_tokens=args.min_cacheable_tokens,
        batch_polls_to_finish=args.batch_polls_to_finish,
    )
    uvicorn.run(build_app(sim), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
