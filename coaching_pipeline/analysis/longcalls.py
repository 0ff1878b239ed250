"""Long calls, map-reduce: analyse each chunk as a transcript, then merge the analyses weighted by tokens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from coaching_pipeline.analysis.evidence import normalize
from coaching_pipeline.analysis.models import CriterionScore, DimensionAnalysis
from coaching_pipeline.transcripts.chunking import chunk_transcript
from coaching_pipeline.transcripts.models import Transcript, Turn
from coaching_pipeline.transcripts.render import render_transcript
from coaching_pipeline.transcripts.tokens import count_tokens

MAX_LIST = 5
MAX_EVIDENCE = 12


def rendered_tokens(transcript: Transcript) -> int:
    return count_tokens(render_transcript(transcript))


def window(transcript: Transcript, start_ms: int, end_ms: int) -> Transcript:
    """The turns and sentences inside [start_ms, end_ms]: a chunk as a transcript any analyzer can take."""
    turns = []
    for turn in transcript.turns:
        inside = [s for s in turn.sentences if s.start_ms >= start_ms and s.end_ms <= end_ms]
        if inside:
            turns.append(Turn(index=turn.index, speaker_id=turn.speaker_id, topic=turn.topic, sentences=inside))
    return transcript.model_copy(update={"turns": turns})


def split(transcript: Transcript, budget_tokens: int) -> list[tuple[Transcript, int]]:
    """Chunks no larger than the budget, each with its token count (its weight in the merge)."""
    overlap = min(2_000, budget_tokens // 10)
    parts = []
    for chunk in chunk_transcript(transcript, max_tokens=budget_tokens, overlap_tokens=overlap):
        part = window(transcript, chunk.start_ms, chunk.end_ms)
        if part.turns:
            parts.append((part, max(1, count_tokens(chunk.body))))
    return parts


def _dedupe(items: Sequence[str], limit: int) -> list[str]:
    seen: set[str] = set()
    kept = []
    for item in items:
        key = normalize(item)
        if key and key not in seen:
            seen.add(key)
            kept.append(item)
    return kept[:limit]


def merge(parts: Sequence[tuple[DimensionAnalysis, int]]) -> DimensionAnalysis:
    """Token-weighted criterion and overall scores; strengths, improvements and evidence deduplicated.

    Evidence should already be verified against the full transcript, so quotes near a chunk edge that both
    chunks cited collapse into one.
    """
    if len(parts) == 1:
        return parts[0][0]
    by_criterion: dict[str, list[tuple[CriterionScore, int]]] = defaultdict(list)
    for analysis, weight in parts:
        for score in analysis.criterion_scores:
            by_criterion[score.criterion_id].append((score, weight))
    scores = []
    for criterion_id, scored in by_criterion.items():
        total = sum(w for _, w in scored)
        mean = sum(s.score * w for s, w in scored) / total
        rationale = max(scored, key=lambda sw: sw[1])[0].rationale
        scores.append(
            CriterionScore(criterion_id=criterion_id, score=min(5, max(1, int(mean + 0.5))), rationale=rationale)
        )
    total_weight = sum(w for _, w in parts)
    overall = sum(a.overall_score * w for a, w in parts) / total_weight
    evidence, seen = [], set()
    for analysis, _ in parts:
        for item in analysis.evidence:
            key = normalize(item.quote)
            if key not in seen:
                seen.add(key)
                evidence.append(item)
    return DimensionAnalysis(
        dimension=parts[0][0].dimension,
        criterion_scores=scores,
        overall_score=round(min(5.0, max(1.0, overall)), 2),
        strengths=_dedupe([s for a, _ in parts for s in a.strengths], MAX_LIST),
        improvements=_dedupe([s for a, _ in parts for s in a.improvements], MAX_LIST),
        evidence=sorted(evidence, key=lambda e: e.start_seconds)[:MAX_EVIDENCE],
    )
