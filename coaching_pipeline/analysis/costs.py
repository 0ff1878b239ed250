"""Dollars for a request's token usage, priced from a table kept in configuration (prices.yaml), not code."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

from coaching_pipeline.settings import Settings

CacheTtl = Literal["5m", "1h"]
_PER_TOKEN = 1_000_000


class PriceError(LookupError):
    """The model has no row in the price table; refuse to record a made-up $0."""


class ModelPrices(BaseModel):
    """USD per million tokens."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cache_write_5m: float = Field(ge=0)
    cache_write_1h: float = Field(ge=0)
    cache_read: float = Field(ge=0)


class PriceTable(BaseModel):
    batch_discount: float = Field(default=0.5, gt=0, le=1)
    models: dict[str, ModelPrices]

    def prices_for(self, model: str) -> ModelPrices:
        """The longest key the model name starts with, so dated snapshots share their family's row."""
        matches = [key for key in self.models if model.startswith(key)]
        if not matches:
            raise PriceError(f"no price for model {model!r}; add it to prices.yaml or COACHING_PRICES_FILE")
        return self.models[max(matches, key=len)]


class TokenUsage(BaseModel):
    """Token counts of one or more requests, with cache writes split by TTL because they are priced apart."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_5m_tokens: int = 0
    cache_write_1h_tokens: int = 0
    cache_read_tokens: int = 0

    @property
    def cache_write_tokens(self) -> int:
        return self.cache_write_5m_tokens + self.cache_write_1h_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(**{name: getattr(self, name) + getattr(other, name) for name in type(self).model_fields})

    @classmethod
    def from_counts(cls, written: int, output: int, ttl: CacheTtl) -> TokenUsage:
        """A worst-case estimate: every input token written to the cache at the given TTL."""
        if ttl == "1h":
            return cls(cache_write_1h_tokens=written, output_tokens=output)
        return cls(cache_write_5m_tokens=written, output_tokens=output)

    @classmethod
    def from_api(cls, usage: Any, requested_ttl: CacheTtl = "5m") -> TokenUsage:
        """Read the SDK's Usage; without a per-TTL breakdown, writes count at the TTL we asked for."""
        written = usage.cache_creation_input_tokens or 0
        breakdown = getattr(usage, "cache_creation", None)
        if breakdown is not None:
            five, hour = breakdown.ephemeral_5m_input_tokens, breakdown.ephemeral_1h_input_tokens
        elif requested_ttl == "1h":
            five, hour = 0, written
        else:
            five, hour = written, 0
        return cls(
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cache_write_5m_tokens=five,
            cache_write_1h_tokens=hour,
            cache_read_tokens=usage.cache_read_input_tokens or 0,
        )


def cost_usd(table: PriceTable, model: str, usage: TokenUsage, *, batch: bool = False) -> float:
    """List-price dollars; batch requests get the table's discount on every token class."""
    p = table.prices_for(model)
    dollars = (
        usage.input_tokens * p.input
        + usage.output_tokens * p.output
        + usage.cache_write_5m_tokens * p.cache_write_5m
        + usage.cache_write_1h_tokens * p.cache_write_1h
        + usage.cache_read_tokens * p.cache_read
    ) / _PER_TOKEN
    return round(dollars * (table.batch_discount if batch else 1.0), 6)


@lru_cache(maxsize=8)
def load_price_table(path: Path | None = None) -> PriceTable:
    if path is None:
        text = (resources.files("coaching_pipeline.analysis") / "prices.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return PriceTable.model_validate(yaml.safe_load(text))


def price_table(settings: Settings) -> PriceTable:
    return load_price_table(settings.coaching_prices_file)
