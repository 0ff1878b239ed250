"""Token-bounded, overlapping transcript chunks that split only between sentences and rebuild exactly.

A chunk's `token_count` is estimated as the sum of its lines' counts, without re-encoding its body (see
sentence_index.py): it matches or slightly exceeds `count_tokens(chunk.body)`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from coaching_pipeline.transcripts.models import Transcript, Turn
from coaching_pipeline.transcripts.render import render_line, speaker_label
from coaching_pipeline.transcripts.sentence_index import Segment, SentenceIndex

# A chunk ends at a turn boundary instead of mid-turn when that costs at most this share of max_tokens.
TURN_BOUNDARY_SLACK = 0.2


class Chunk(BaseModel):
    """One window of the transcript; turns and times span the whole body, overlap included."""

    index: int = Field(ge=0)
    first_turn: int
    last_turn: int
    start_ms: int
    end_ms: int
    token_count: int = Field(ge=0, description="Estimated: the sum of the body lines' token counts.")
    overlap_tokens: int = Field(ge=0, description="Estimated tokens of the leading overlap lines.")
    body: str
    segments: list[Segment]


def _render_segment(transcript: Transcript, labels: dict[str, str], segment: Segment) -> str:
    turn = transcript.turns[segment.turn_index]
    sentences = turn.sentences[segment.first_sentence : segment.last_sentence + 1]
    return render_line(labels[turn.speaker_id], sentences[0].start_ms, (s.text for s in sentences))


def _chunk(sentences: SentenceIndex, index: int, o: int, a: int, b: int) -> Chunk:
    """The chunk holding overlap sentences [o, a) and its own sentences [a, b)."""
    overlap_segments, overlap_lines = sentences.lines(o, a, overlap=True)
    own_segments, own_lines = sentences.lines(a, b, overlap=False)
    transcript = sentences.transcript
    last_turn = sentences.turn[b - 1]
    overlap_cost = sentences.cost(o, a)
    return Chunk(
        index=index,
        first_turn=sentences.turn[o],
        last_turn=last_turn,
        start_ms=sentences.start[o],
        end_ms=transcript.turns[last_turn].sentences[sentences.position[b - 1]].end_ms,
        token_count=overlap_cost + sentences.cost(a, b),
        overlap_tokens=overlap_cost,
        body="\n".join(overlap_lines + own_lines),
        segments=overlap_segments + own_segments,
    )


def chunk_transcript(transcript: Transcript, *, max_tokens: int = 1500, overlap_tokens: int = 150) -> list[Chunk]:
    """Sliding windows over sentences within max_tokens, so a long call fits a prompt and loses no context.

    Each chunk after the first opens with the previous chunk's trailing sentences (at most overlap_tokens,
    marked overlap=True) so a moment cut at a boundary is still read whole. A window ends between turns
    when that costs at most TURN_BOUNDARY_SLACK of max_tokens, else between sentences. A sentence longer
    than max_tokens alone becomes its own chunk, without overlap: sentences are never split.
    """
    if max_tokens < 1 or not 0 <= overlap_tokens < max_tokens:
        raise ValueError(f"need 0 <= overlap_tokens < max_tokens, got {overlap_tokens} and {max_tokens}")
    sentences = SentenceIndex(transcript)
    slack = int(max_tokens * TURN_BOUNDARY_SLACK)
    chunks: list[Chunk] = []
    previous_start = a = 0
    while a < sentences.count:
        o = a
        if chunks:
            budget = min(overlap_tokens, max_tokens - sentences.cost(a, a + 1))
            o = sentences.overlap_start(previous_start, a, budget)
        b = sentences.furthest_end(a, max_tokens - sentences.cost(o, a))
        if b == a:
            o, b = a, a + 1
        elif b < sentences.count and sentences.position[b]:
            turn_start = b - sentences.position[b]
            if turn_start > a and sentences.cost(a, b) - sentences.cost(a, turn_start) <= slack:
                b = turn_start
        chunks.append(_chunk(sentences, len(chunks), o, a, b))
        previous_start, a = a, b
    return chunks


def rebuild_turns(chunks: list[Chunk], transcript: Transcript) -> list[Turn]:
    """Reassemble turns from the chunks' own segments: equal to `transcript.turns` only if chunking lost,
    repeated and altered nothing, which is what the chunk asset check asserts.

    Overlap segments are dropped. A segment whose body line is not the rendering of its sentences, or
    that points outside the transcript, contributes nothing, so any corruption surfaces as a difference
    (never as an exception) and the check can name the call.
    """
    turns = transcript.turns
    labels = {sid: speaker_label(transcript, sid) for sid in transcript.speakers}
    rebuilt: list[Turn] = []
    previous: int | None = None
    for chunk in chunks:
        lines = chunk.body.split("\n")
        if len(lines) != len(chunk.segments):
            continue
        for line, segment in zip(lines, chunk.segments, strict=True):
            if segment.overlap or segment.turn_index >= len(turns):
                continue
            turn = turns[segment.turn_index]
            picked = turn.sentences[segment.first_sentence : segment.last_sentence + 1]
            if not picked or line != _render_segment(transcript, labels, segment):
                continue
            if segment.turn_index == previous:
                rebuilt[-1].sentences.extend(picked)
            else:
                rebuilt.append(turn.model_copy(update={"sentences": list(picked)}))
            previous = segment.turn_index
    return rebuilt
