"""Gong-style interaction statistics (talk ratio, monologues, questions, interactivity, patience)."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from coaching_pipeline.transcripts.models import Sentence, SpeakerRole, Transcript, Turn

QUESTION_MARKS = ("?", "\uff1f")  # ASCII and full-width, so non-English questions count too
# Gong's interactivity 0-10 scale is reached at 8 speaker switches per minute.
SWITCHES_PER_MINUTE_FOR_TEN = 8.0


class GongGuidance(BaseModel):
    """Gong's published ranges for a rep's calls, for marts and reviews to compare against."""

    model_config = ConfigDict(frozen=True)

    talk_ratio_ideal: float = 0.43
    talk_ratio_max: float = 0.65
    longest_monologue_max_seconds: float = 150.0
    discovery_questions_min: int = 11
    discovery_questions_max: int = 14
    interactivity_min: float = 5.0
    patience_min_seconds: float = 0.6
    patience_max_seconds: float = 1.0


GONG_GUIDANCE = GongGuidance()


class InteractionStats(BaseModel):
    """Per-call statistics; every duration is in seconds, measured from sentence start/end times."""

    rep_talk_ratio: float | None = Field(
        description="Rep talk time / the talk time of identified speakers; None without a rep."
    )
    longest_monologue_seconds: float = Field(ge=0)
    longest_customer_story_seconds: float = Field(ge=0)
    rep_question_count: int = Field(ge=0)
    customer_question_count: int = Field(ge=0)
    interactivity: float = Field(ge=0, le=10)
    patience_seconds: float | None = Field(description="None when no customer turn is followed by the rep.")
    speaker_talk_seconds: dict[str, float]
    duration_seconds: float = Field(ge=0)


def _talk_seconds(sentences: list[Sentence]) -> float:
    return sum(s.end_ms - s.start_ms for s in sentences) / 1000


def _longest_run(turns: list[Turn], belongs: Callable[[Turn], bool]) -> float:
    """Longest span of consecutive turns that all satisfy `belongs`, from first start to last end."""
    longest = 0.0
    run: list[Turn] = []
    for turn in [*turns, None]:
        if turn is not None and belongs(turn):
            run.append(turn)
            continue
        if run:
            span = max(t.end_ms for t in run) - min(t.start_ms for t in run)
            longest = max(longest, span / 1000)
        run = []
    return longest


def _questions(turns: list[Turn]) -> int:
    return sum(s.text.rstrip().endswith(QUESTION_MARKS) for turn in turns for s in turn.sentences)


def interaction_stats(transcript: Transcript) -> InteractionStats:
    """Compute Gong's conversation metrics so reviews can compare a call to GONG_GUIDANCE.

    - rep_talk_ratio: rep talk time / the talk time of every identified speaker (talk time = sum of
      sentence end - start, so cross-talk counts for each speaker). The unidentified speaker (sentences
      whose Gong speakerId matched no party) is left out, as Gong's talk ratio counts only the speakers it
      attributes; None when the call has no rep or no identified speaker talks.
    - longest_monologue_seconds: longest run of consecutive rep turns (one merged stretch), from its
      first sentence's start to its last sentence's end, pauses inside included.
    - longest_customer_story_seconds: the same for consecutive customer turns (any customer).
    - rep_question_count / customer_question_count: sentences ending with "?" (or full-width "？").
    - interactivity: speaker switches (consecutive turns by different speakers) per minute of
      duration, mapped onto Gong's 0-10 scale as min(10, switches_per_minute * 10 / 8).
    - patience_seconds: mean pause between a customer turn's end and the start of a rep turn that
      directly follows it, ignoring negative gaps (interruptions); None when there is none.
    - The unidentified speaker is nobody's side: its turns end monologues and customer stories, its
      questions count for neither side, and a switch to or from it counts towards interactivity.
    - speaker_talk_seconds: talk time per speaker_id who spoke, the unidentified speaker included.
    - duration_seconds: from the first sentence's start to the last sentence's end.
    """
    turns = transcript.turns
    roles = {sid: speaker.role for sid, speaker in transcript.speakers.items()}
    rep_turns = [t for t in turns if roles[t.speaker_id] == SpeakerRole.REP]
    customer_turns = [t for t in turns if roles[t.speaker_id] == SpeakerRole.CUSTOMER]
    talk: dict[str, float] = {}
    for turn in turns:
        talk[turn.speaker_id] = talk.get(turn.speaker_id, 0.0) + _talk_seconds(turn.sentences)
    identified_talk = sum(seconds for sid, seconds in talk.items() if transcript.speakers[sid].is_identified)
    has_rep = SpeakerRole.REP in roles.values()
    rep_talk = sum(_talk_seconds(t.sentences) for t in rep_turns)
    duration = (max(t.end_ms for t in turns) - min(t.start_ms for t in turns)) / 1000 if turns else 0.0
    switches = sum(a.speaker_id != b.speaker_id for a, b in zip(turns, turns[1:], strict=False))
    per_minute = switches / (duration / 60) if duration else 0.0
    gaps = [
        (b.start_ms - a.end_ms) / 1000
        for a, b in zip(turns, turns[1:], strict=False)
        if roles[a.speaker_id] == SpeakerRole.CUSTOMER
        and roles[b.speaker_id] == SpeakerRole.REP
        and b.start_ms >= a.end_ms
    ]
    return InteractionStats(
        rep_talk_ratio=rep_talk / identified_talk if has_rep and identified_talk else None,
        longest_monologue_seconds=_longest_run(turns, lambda t: roles[t.speaker_id] == SpeakerRole.REP),
        longest_customer_story_seconds=_longest_run(turns, lambda t: roles[t.speaker_id] == SpeakerRole.CUSTOMER),
        rep_question_count=_questions(rep_turns),
        customer_question_count=_questions(customer_turns),
        interactivity=min(10.0, per_minute * 10 / SWITCHES_PER_MINUTE_FOR_TEN),
        patience_seconds=sum(gaps) / len(gaps) if gaps else None,
        speaker_talk_seconds=talk,
        duration_seconds=duration,
    )
