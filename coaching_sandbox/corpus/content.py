"""The `content` block of an extensive call: topic durations and tracker hits, derived from the transcript."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

TRACKERS = (  # (id, name, type, pattern): modest, like a new Gong tenant's defaults
    (
        "7305172904633528171",
        "Competitors",
        "KEYWORD",
        re.compile(r"Airflow|Astronomer|Dagster|Temporal|Step Functions|Kong|MCP gateway"),
    ),
    ("7305172904633528172", "Prefect Products", "KEYWORD", re.compile(r"Prefect Cloud|Horizon")),
    ("7305172904633528173", "Pricing", "SMART", re.compile(r"pric|budget|€|quote", re.IGNORECASE)),
)


@lru_cache(maxsize=65_536)
def _tracker_hits(text: str) -> tuple[int, ...]:
    """Indexes of the trackers a sentence mentions; memoized because most sentences recur verbatim."""
    return tuple(i for i, (_, _, _, pattern) in enumerate(TRACKERS) if pattern.search(text))


def call_content(entries: list[dict[str, Any]]) -> dict[str, Any]:
    topics: dict[str, float] = {}
    hits: list[list[dict[str, Any]]] = [[] for _ in TRACKERS]
    for entry in entries:
        sentences = entry["sentences"]
        if entry["topic"]:
            spoken = (sentences[-1]["end"] - sentences[0]["start"]) / 1000
            topics[entry["topic"]] = topics.get(entry["topic"], 0.0) + spoken
        for sentence in sentences:
            for index in _tracker_hits(sentence["text"]):
                hits[index].append({"startTime": round(sentence["start"] / 1000, 2), "speakerId": entry["speakerId"]})
    return {
        "topics": [{"name": name, "duration": round(seconds)} for name, seconds in topics.items()],
        "trackers": [
            {"id": tid, "name": name, "count": len(found), "type": kind, "occurrences": found}
            for (tid, name, kind, _), found in zip(TRACKERS, hits, strict=True)
        ],
    }
