"""One Claude (or offline) request as the cost ledger records it: tokens, dollars, outcome."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from coaching_pipeline.analysis.costs import TokenUsage

Mode = Literal["sync", "batch", "offline"]
Status = Literal["ok", "invalid", "repair", "repair_invalid", "error", "errored", "expired", "canceled"]


class LedgerEntry(BaseModel):
    """What one request cost and how it went; `request_id` makes batch collection idempotent."""

    model: str
    mode: Mode
    status: Status
    usage: TokenUsage = Field(default_factory=TokenUsage)
    cost_usd: float = 0.0
    attempt: int = 1
    request_id: str | None = None
    run_id: str | None = None
    call_id: str | None = None
    dimension: str | None = None
    latency_ms: int | None = None
    error: str | None = None

    def row(self) -> dict[str, object]:
        return {
            "request_id": self.request_id,
            "run_id": self.run_id,
            "call_id": self.call_id,
            "dimension": self.dimension,
            "model": self.model,
            "mode": self.mode,
            "status": self.status,
            "attempt": self.attempt,
            "input_tokens": self.usage.input_tokens,
            "output_tokens": self.usage.output_tokens,
            "cache_creation_input_tokens": self.usage.cache_write_tokens,
            "cache_read_input_tokens": self.usage.cache_read_tokens,
            "cost_usd": self.cost_usd,
            "latency_ms": self.latency_ms,
            "error": self.error[:2000] if self.error else None,
        }
