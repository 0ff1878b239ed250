"""Chunking: token-bounded windows that split only between sentences, overlap, and rebuild exactly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coaching_pipeline.transcripts.chunking import Chunk, chunk_transcript, rebuild_turns
from coaching_pipeline.transcripts.models import Sentence, Speaker, SpeakerRole, Transcript, Turn
from coaching_pipeline.transcripts.render import one_line, parse_rendered_line, render_line, speaker_label
from coaching_pipeline.transcripts.tokens import count_tokens
from tests.transcripts.factories import transcript

PROPERTIES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = [
    "flows",
    "retries",
    "work pools",
    "Horizon",
    "Airflow",
    "timeline",
    "東京",
    "Überall",
    "42",
    "?",
    "—",
]


@st.composite
def transcripts(draw: st.DrawFn, text: st.SearchStrategy[str] | None = None) -> Transcript:
    """Random calls: 1-4 speakers of any role, 1-30 turns of 1-6 sentences, times that may pass an hour."""
    text = text if text is not None else st.text(max_size=60)
    roles = draw(st.lists(st.sampled_from(list(SpeakerRole)), min_size=1, max_size=4))
    speakers = {
        str(n): Speaker(speaker_id=str(n), name=draw(st.text(min_size=1, max_size=12)), role=role)
        for n, role in enumerate(roles)
    }
    clock = draw(st.integers(0, 4_000_000))
    turns = []
    for index in range(draw(st.integers(1, 30))):
        sentences = []
        for _ in range(draw(st.integers(1, 6))):
            start = clock + draw(st.integers(0, 3_000))
            clock = start + draw(st.integers(0, 20_000))
            sentences.append(Sentence(start_ms=start, end_ms=clock, text=draw(text)))
        turns.append(Turn(index=index, speaker_id=draw(st.sampled_from(list(speakers))), sentences=sentences))
    return Transcript(call_id="call", speakers=speakers, turns=turns)


def _own_sentences(chunk: Chunk) -> int:
    return sum(s.last_sentence - s.first_sentence + 1 for s in chunk.segments if not s.overlap)


sizes = st.tuples(st.integers(20, 400), st.integers(0, 120)).filter(lambda t: t[1] < t[0])


@PROPERTIES
@given(transcripts(), sizes)
def test_chunk_transcript_rebuilds_turns_exactly(call: Transcript, size: tuple[int, int]) -> None:
    chunks = chunk_transcript(call, max_tokens=size[0], overlap_tokens=size[1])
    assert rebuild_turns(chunks, call) == call.turns


@PROPERTIES
@given(transcripts(), sizes)
def test_chunk_transcript_lines_hold_whole_sentences(call: Transcript, size: tuple[int, int]) -> None:
    for chunk in chunk_transcript(call, max_tokens=size[0], overlap_tokens=size[1]):
        for line, segment in zip(chunk.body.split("\n"), chunk.segments, strict=True):
            turn = call.turns[segment.turn_index]
            whole = turn.sentences[segment.first_sentence : segment.last_sentence + 1]
            label = speaker_label(call, turn.speaker_id)
            assert line == render_line(label, whole[0].start_ms, [s.text for s in whole])


@PROPERTIES
@given(transcripts(), sizes)
def test_chunk_transcript_stays_within_max_tokens_unless_one_oversized_sentence(
    call: Transcript, size: tuple[int, int]
) -> None:
    for chunk in chunk_transcript(call, max_tokens=size[0], overlap_tokens=size[1]):
        assert count_tokens(chunk.body) <= chunk.token_count
        assert chunk.token_count <= size[0] or (_own_sentences(chunk) == 1 and chunk.overlap_tokens == 0)


@PROPERTIES
@given(transcripts(), sizes)
def test_chunk_transcript_overlap_repeats_the_previous_chunks_tail(call: Transcript, size: tuple[int, int]) -> None:
    chunks = chunk_transcript(call, max_tokens=size[0], overlap_tokens=size[1])
    assert not any(s.overlap for s in chunks[0].segments)
    for previous, chunk in zip(chunks, chunks[1:], strict=False):
        overlap = [(s.turn_index, s.last_sentence) for s in chunk.segments if s.overlap]
        own = [(s.turn_index, s.last_sentence) for s in previous.segments if not s.overlap]
        assert chunk.overlap_tokens <= size[1]
        assert not overlap or overlap[-1] == own[-1]


@PROPERTIES
@given(transcripts(text=st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)))
def test_chunk_transcript_overlap_is_present_when_sentences_are_short(call: Transcript) -> None:
    chunks = chunk_transcript(call, max_tokens=200, overlap_tokens=60)
    for chunk in chunks[1:]:
        assert chunk.segments[0].overlap and chunk.overlap_tokens > 0


@PROPERTIES
@given(transcripts(), sizes)
def test_chunk_transcript_lines_carry_speaker_and_timestamp(call: Transcript, size: tuple[int, int]) -> None:
    for chunk in chunk_transcript(call, max_tokens=size[0], overlap_tokens=size[1]):
        for line, segment in zip(chunk.body.split("\n"), chunk.segments, strict=True):
            turn = call.turns[segment.turn_index]
            speaker = call.speakers[turn.speaker_id]
            parsed = parse_rendered_line(line)
            assert parsed is not None
            assert parsed.seconds == turn.sentences[segment.first_sentence].start_ms // 1000
            assert (parsed.name, parsed.role) == (one_line(speaker.name), speaker.role)


@PROPERTIES
@given(transcripts(text=st.text(st.characters(min_codepoint=0x80, exclude_categories=["Cs"]), min_size=1)))
def test_chunk_transcript_preserves_non_ascii_text(call: Transcript) -> None:
    bodies = "\n".join(c.body for c in chunk_transcript(call, max_tokens=60, overlap_tokens=10))
    assert all(one_line(s.text) in bodies for turn in call.turns for s in turn.sentences)


def test_chunk_transcript_gives_an_oversized_sentence_its_own_chunk() -> None:
    long = " ".join(["orchestration"] * 80)
    call = transcript(("r", [(0, 1, "Hi."), (2, 3, long)]), ("c", [(4, 5, "Wow.")]))
    chunks = chunk_transcript(call, max_tokens=40, overlap_tokens=10)
    big = [c for c in chunks if long in c.body]
    assert len(big) == 1 and big[0].token_count > 40 and big[0].body.endswith(long) and _own_sentences(big[0]) == 1


def test_chunk_transcript_prefers_a_nearby_turn_boundary() -> None:
    sentence = "We run flows on work pools."
    call = transcript(("r", [(n, n, sentence) for n in range(9)]), ("c", [(n, n, sentence) for n in range(10, 30)]))
    per_sentence = count_tokens(" " + sentence)
    chunks = chunk_transcript(call, max_tokens=10 * per_sentence + 20, overlap_tokens=0)
    assert chunks[0].segments[-1].turn_index == 0 and chunks[1].segments[0].first_sentence == 0


def test_chunk_transcript_keeps_a_short_transcript_in_one_chunk() -> None:
    call = transcript(("r", [(0, 1_000, "Hello.")]), ("c", [(1_500, 2_000, "Hi!")]))
    (chunk,) = chunk_transcript(call)
    assert (chunk.first_turn, chunk.last_turn, chunk.start_ms, chunk.end_ms, chunk.overlap_tokens) == (
        0,
        1,
        0,
        2000,
        0,
    )


def test_chunk_transcript_rejects_overlap_not_below_max_tokens() -> None:
    with pytest.raises(ValueError):
        chunk_transcript(transcript(("r", [(0, 1, "Hi.")])), max_tokens=100, overlap_tokens=100)


def _long_call() -> Transcript:
    turns = [[(n * 10 + k, n * 10 + k, f"Sentence {n}.{k} about retries.") for k in range(3)] for n in range(20)]
    return transcript(*[("rc"[n % 2], sentences) for n, sentences in enumerate(turns)])


def test_rebuild_turns_differs_when_a_chunk_is_missing() -> None:
    call = _long_call()
    chunks = chunk_transcript(call, max_tokens=60, overlap_tokens=10)
    assert rebuild_turns(chunks[:1] + chunks[2:], call) != call.turns


def test_rebuild_turns_differs_when_a_chunk_repeats() -> None:
    call = _long_call()
    chunks = chunk_transcript(call, max_tokens=60, overlap_tokens=10)
    assert rebuild_turns(chunks[:2] + chunks[1:], call) != call.turns


def test_rebuild_turns_differs_when_a_body_changes() -> None:
    call = _long_call()
    chunks = chunk_transcript(call, max_tokens=60, overlap_tokens=10)
    chunks[1] = chunks[1].model_copy(update={"body": chunks[1].body.replace("retries", "caching")})
    assert rebuild_turns(chunks, call) != call.turns


def test_rebuild_turns_leaves_the_transcript_untouched() -> None:
    call = _long_call()
    before = call.model_copy(deep=True)
    rebuild_turns(chunk_transcript(call, max_tokens=60, overlap_tokens=10), call)
    assert call == before


def test_chunk_transcript_of_a_call_without_turns_is_empty() -> None:
    call = transcript()
    assert chunk_transcript(call) == [] and rebuild_turns([], call) == []
