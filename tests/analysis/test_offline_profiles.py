"""Acceptance: on the sample corpus, offline scores tell the rep profiles apart (pure Python, no database)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from statistics import mean

import pytest

from coaching_pipeline.analysis.offline.analyzer import OfflineAnalyzer
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.ingestion.classify import call_type_from_title, role_from_title
from coaching_pipeline.knowledge.kb import load_kb
from coaching_pipeline.knowledge.models import Dimension, RepRole
from coaching_pipeline.knowledge.rubrics import load_rubrics
from coaching_pipeline.transcripts.normalize import normalize_transcript
from coaching_sandbox.corpus.generate import load_sample_corpus


@dataclass(frozen=True)
class Scored:
    rep: str
    profile: str
    call_type: str
    week: int
    dimension: Dimension
    score: float
    quotes_not_in_transcript: int


@pytest.fixture(scope="module")
def scored() -> list[Scored]:
    """Engagement on every call, discovery on discovery calls: all the acceptance checks need."""
    corpus = load_sample_corpus()
    rubrics, knowledge = load_rubrics(), load_kb()
    roles = {u["id"]: role_from_title(u.get("title")) for u in corpus.users}
    analyzer = OfflineAnalyzer()
    started = {c["metaData"]["id"]: datetime.fromisoformat(c["metaData"]["started"]).date() for c in corpus.calls}
    first = min(started.values())
    first_monday = date.fromordinal(first.toordinal() - first.weekday())
    rows: list[Scored] = []
    for call in corpus.calls:
        meta = call["metaData"]
        if meta["id"] in corpus.malformed:
            continue
        rep = meta["primaryUserId"]
        transcript = normalize_transcript(meta["id"], call["parties"], corpus.transcripts[meta["id"]], rep)
        call_type = call_type_from_title(meta["title"])
        role = RepRole(roles[rep]) if roles[rep] in RepRole.__members__ else None
        week = (started[meta["id"]] - first_monday).days // 7
        dimensions = [Dimension.ENGAGEMENT] + ([Dimension.DISCOVERY] if call_type == "discovery" else [])
        for dimension in dimensions:
            request = AnalysisRequest(
                transcript=transcript,
                dimension=dimension,
                rubric=rubrics[dimension],
                knowledge=knowledge,
                rep_role=role,
                call_type=call_type,
            )
            analysis = analyzer.analyze(request)
            spoken = {s.text for turn in transcript.turns for s in turn.sentences}
            missing = sum(not any(e.quote in text for text in spoken) for e in analysis.evidence)
            rows.append(Scored(rep, corpus.profiles[rep], call_type, week, dimension, analysis.overall_score, missing))
    return rows


def _rep_means(rows: list[Scored], dimension: Dimension) -> dict[tuple[str, str], float]:
    by_rep: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in rows:
        if row.dimension == dimension:
            by_rep[(row.profile, row.rep)].append(row.score)
    return {key: mean(values) for key, values in sorted(by_rep.items())}


def _lowest_profile(means: dict[tuple[str, str], float]) -> str:
    return min(means.items(), key=lambda item: item[1])[0][0]


def test_offline_monologuer_has_the_lowest_mean_engagement(scored: list[Scored]) -> None:
    means = _rep_means(scored, Dimension.ENGAGEMENT)
    assert _lowest_profile(means) == "monologuer", means


def test_offline_no_discovery_rep_has_the_lowest_mean_discovery(scored: list[Scored]) -> None:
    means = _rep_means(scored, Dimension.DISCOVERY)
    assert _lowest_profile(means) == "no_discovery", means


def test_offline_improver_discovery_trends_up(scored: list[Scored]) -> None:
    weekly: dict[int, list[float]] = defaultdict(list)
    for row in scored:
        if row.profile == "improver" and row.dimension == Dimension.DISCOVERY:
            weekly[row.week].append(row.score)
    weeks = sorted(weekly)
    means = [mean(weekly[w]) for w in weeks]
    first_three = [s for row_week in range(weeks[0], weeks[0] + 3) for s in weekly.get(row_week, [])]
    last_three = [s for row_week in range(weeks[-1] - 2, weeks[-1] + 1) for s in weekly.get(row_week, [])]
    assert mean(last_three) > mean(first_three), dict(zip(weeks, means, strict=True))
    x_bar, y_bar = mean(weeks), mean(means)
    slope = sum((x - x_bar) * (y - y_bar) for x, y in zip(weeks, means, strict=True)) / sum(
        (x - x_bar) ** 2 for x in weeks
    )
    assert slope > 0, dict(zip(weeks, means, strict=True))


def test_offline_corpus_evidence_is_verbatim(scored: list[Scored]) -> None:
    assert sum(row.quotes_not_in_transcript for row in scored) == 0
