"""Prices come from the table: cache writes by TTL, batch discount, dated model names, file override."""

from __future__ import annotations

from pathlib import Path

import pytest

from coaching_pipeline.analysis.costs import PriceError, TokenUsage, cost_usd, load_price_table, price_table
from coaching_pipeline.settings import Settings

SONNET = "claude-sonnet-5-5"


def test_cost_usd_prices_cache_writes_by_ttl() -> None:
    table = load_price_table()
    five = cost_usd(table, SONNET, TokenUsage(cache_write_5m_tokens=1_000_000))
    hour = cost_usd(table, SONNET, TokenUsage(cache_write_1h_tokens=1_000_000))
    assert (five, hour) == (2.5, 4.0)


def test_cost_usd_batch_is_half_price() -> None:
    table = load_price_table()
    usage = TokenUsage(input_tokens=1_000_000, output_tokens=100_000, cache_read_tokens=1_000_000)
    assert cost_usd(table, SONNET, usage, batch=True) == pytest.approx(cost_usd(table, SONNET, usage) / 2)


def test_price_table_matches_dated_model_names_by_longest_prefix() -> None:
    assert load_price_table().prices_for("claude-sonnet-5-5-20261101").input == 2.0


def test_price_table_refuses_unknown_models() -> None:
    with pytest.raises(PriceError):
        load_price_table().prices_for("gpt-unknown")


def test_prices_file_setting_overrides_the_bundled_table(tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    row = "{input: 1, output: 1, cache_write_5m: 1, cache_write_1h: 1, cache_read: 1}"
    path.write_text(f"models:\n  claude-sonnet-5-5: {row}\n")
    table = price_table(Settings(coaching_prices_file=path))
    assert cost_usd(table, SONNET, TokenUsage(input_tokens=2_000_000)) == 2.0
