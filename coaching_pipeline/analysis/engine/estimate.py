"""What a run would cost before it runs: cache hits expected, then tokens and dollars of the misses."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel

from coaching_pipeline.analysis.claude.analyzer import EXPECTED_OUTPUT_TOKENS, ClaudeAnalyzer
from coaching_pipeline.analysis.engine import cache
from coaching_pipeline.analysis.engine.work import CallWork, Unit
from coaching_pipeline.analysis.request import Analyzer
from coaching_pipeline.knowledge.models import KnowledgeDocument
from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.warehouse.db import connect


class RunEstimate(BaseModel):
    """Conservative figures (ClaudeAnalyzer.estimate: every input token written to the prompt cache)."""

    calls: int
    units: int
    cache_hits_expected: int
    units_to_analyse: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    model: str
    analyzer: str


def estimate_units(
    url: str,
    analyzer: Analyzer,
    units: Sequence[Unit],
    knowledge: Sequence[KnowledgeDocument],
    parts: Callable[[CallWork], list[tuple[Transcript, int]]],
    *,
    refresh: bool = False,
) -> RunEstimate:
    """Look each unit up in the cache (a hit costs nothing) and price the rest as the engine would send them;
    the offline analyzer costs nothing, so its misses count tokens only."""
    hits, tokens, output, dollars = 0, 0, 0, 0.0
    with connect(url, autocommit=True) as conn:
        for unit in units:
            if not refresh and cache.lookup(conn, unit.key) is not None:
                hits += 1
                continue
            for part, part_tokens in parts(unit.work):
                if isinstance(analyzer, ClaudeAnalyzer):
                    part_tokens, usd = analyzer.estimate(analyzer.build_params(unit.request(knowledge, part)))
                    dollars += usd
                    output += EXPECTED_OUTPUT_TOKENS
                tokens += part_tokens
    return RunEstimate(
        calls=len({u.work.call.call_id for u in units}),
        units=len(units),
        cache_hits_expected=hits,
        units_to_analyse=len(units) - hits,
        input_tokens=tokens,
        output_tokens=output,
        cost_usd=round(dollars, 6),
        model=analyzer.model,
        analyzer=analyzer.kind,
    )
