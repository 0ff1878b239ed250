"""Deliberately broken calls, so ingestion's issue handling is exercised by the sample data itself."""

from __future__ import annotations

import random
from typing import Any

EMPTY = "empty transcript: Gong returned the call with no monologues"
UNKNOWN_SPEAKER = "transcript speakerId {speaker} matches no party of the call"
NO_SPEAKER_IDS = "no party carries a speakerId, so no transcript speaker can be resolved"


def corrupt(
    rng: random.Random,
    calls: dict[str, dict[str, Any]],
    transcripts: dict[str, list[dict[str, Any]]],
    candidates: list[str],
) -> dict[str, str]:
    """Break three of `candidates` (call ids) in place, one way each; returns callId -> what is wrong."""
    if len(candidates) < 3:
        return {}
    empty, unknown, anonymous = rng.sample(candidates, 3)
    transcripts[empty] = []

    parties = calls[unknown]["parties"]
    external = [p["speakerId"] for p in parties if p["affiliation"] == "External" and "speakerId" in p]
    stranger = str(rng.randrange(10**18, 10**19))
    for entry in transcripts[unknown]:
        if entry["speakerId"] == external[-1]:
            entry["speakerId"] = stranger

    for party in calls[anonymous]["parties"]:
        party.pop("speakerId", None)
    return {
        empty: EMPTY,
        unknown: UNKNOWN_SPEAKER.format(speaker=stranger),
        anonymous: NO_SPEAKER_IDS,
    }
