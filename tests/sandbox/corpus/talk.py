"""Per-call measures a coach would take, computed straight from Gong's JSON (no pipeline code involved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from coaching_sandbox.corpus import GongCorpus

START = date(2026, 8, 3)
DISCOVERY_SIGNALS = (
    "walk me through",
    "how do you currently",
    "what's the biggest challenge",
    "what happens when",
    "how do you measure",
    "what would it mean",
    "who else is involved",
    "how do you make decisions",
    "what's driving the timing",
    "timeline",
    "tell me more",
    "you mentioned",
    "so what i'm hearing",
)


@dataclass(frozen=True)
class CallTalk:
    """What a coach would measure on one call, computed straight from Gong's JSON."""

    kind: str
    week: int
    rep_share: float
    rep_questions: int
    rep_text: str
    longest_rep_run_s: float


def kind_of(call: dict[str, Any]) -> str:
    return call["metaData"]["title"].rsplit("| ", 1)[1]


def measure(corpus: GongCorpus, call: dict[str, Any]) -> CallTalk:
    meta = call["metaData"]
    rep_ids = {p["speakerId"] for p in call["parties"] if p.get("userId") == meta["primaryUserId"]}
    rep_ms = other_ms = questions = 0
    texts: list[str] = []
    longest = run_start = run_end = 0
    for entry in corpus.transcripts[meta["id"]]:
        spoken = sum(s["end"] - s["start"] for s in entry["sentences"])
        if entry["speakerId"] in rep_ids:
            rep_ms += spoken
            questions += sum(s["text"].endswith("?") for s in entry["sentences"])
            texts.extend(s["text"] for s in entry["sentences"])
            run_start = run_start if run_end else entry["sentences"][0]["start"]
            run_end = entry["sentences"][-1]["end"]
            longest = max(longest, run_end - run_start)
        else:
            other_ms += spoken
            run_start = run_end = 0
    week = (datetime.fromisoformat(meta["started"]).date() - START).days // 7
    share = rep_ms / (rep_ms + other_ms)
    return CallTalk(kind_of(call), week, share, questions, " ".join(texts).lower(), longest / 1000)


def talks_for(corpus: GongCorpus, profile: str) -> list[list[CallTalk]]:
    """Per rep with `profile`, the measures of each of their well-formed calls."""
    reps = [user_id for user_id, label in corpus.profiles.items() if label == profile]
    return [
        [
            measure(corpus, call)
            for call in corpus.calls
            if call["metaData"]["primaryUserId"] == rep and call["metaData"]["id"] not in corpus.malformed
        ]
        for rep in reps
    ]
