"""The transcript flattened to sentences with token prefix sums: chunking's O(1) cost model.

Each sentence is encoded once, with the space that precedes it in a rendered line; each line adds its
`[MM:SS] Name (role):` label and one token for its line break. cl100k_base cuts text into pieces at the
same places whether a sentence stands alone or inside a line, so the sum matches or slightly exceeds the
real count of the rendered lines, without ever re-encoding them.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from pydantic import BaseModel, Field

from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.transcripts.render import LINE_BREAK, format_timestamp, one_line, speaker_label
from coaching_pipeline.transcripts.tokens import count_tokens, encoding


def _count_each(texts: list[str]) -> list[int]:
    """Token counts, one encode per text: count_tokens_batch's thread pool costs ~60 us per text, which
    is more than encoding a sentence, so a plain loop is several times faster for sentence-sized texts."""
    return list(map(len, map(encoding().encode_ordinary, texts)))


class Segment(BaseModel):
    """Consecutive sentences of one turn, rendered as one body line; `overlap` repeats the previous chunk."""

    turn_index: int = Field(ge=0)
    first_sentence: int = Field(ge=0)
    last_sentence: int = Field(ge=0, description="Inclusive.")
    overlap: bool = False


class SentenceIndex:
    """The transcript flattened to sentences, with prefix sums so any line or window costs O(1)."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.labels = {sid: speaker_label(transcript, sid) for sid in transcript.speakers}
        label_tokens = {sid: count_tokens(f" {label}") for sid, label in self.labels.items()}
        turns = transcript.turns
        sizes = [len(turn.sentences) for turn in turns]
        self.turn = [number for number, size in enumerate(sizes) for _ in range(size)]
        self.position = [position for size in sizes for position in range(size)]
        self.start = [sentence.start_ms for turn in turns for sentence in turn.sentences]
        texts = [sentence.text for turn in turns for sentence in turn.sentences]
        joined = "".join(texts)
        if not joined.isprintable() and LINE_BREAK.search(joined):
            texts = [one_line(text) for text in texts]
        self.texts = [" " + text for text in texts]
        self.count = len(texts)
        self.sizes = sizes
        self.turn_labels = [self.labels[turn.speaker_id] for turn in turns]
        self.speaker_tokens = [label_tokens[turn.speaker_id] for turn in turns]
        self._stamp_tokens: dict[int, int] = {}
        self.prefix = [0, *accumulate(_count_each(self.texts))]
        turn_starts = [self.label_cost(i) if p == 0 else 0 for i, p in enumerate(self.position)]
        self.label_prefix = [0, *accumulate(turn_starts)]
        self.reach = [p + q for p, q in zip(self.prefix, self.label_prefix, strict=True)]

    def label_cost(self, i: int) -> int:
        """Tokens of the label that opens a line at sentence i, plus one for the line break.

        cl100k_base encodes every 1-3 digit number as one token, so a `[MM:SS]` stamp's count depends
        only on how many digits its hours have: one encode per shape, not one per line.
        """
        hours = self.start[i] // 3_600_000
        shape = len(str(hours)) if hours else 0
        if shape not in self._stamp_tokens:
            self._stamp_tokens[shape] = count_tokens(f"[{format_timestamp(self.start[i])}]")
        return self._stamp_tokens[shape] + self.speaker_tokens[self.turn[i]] + 1

    def cost(self, a: int, b: int) -> int:
        """Estimated tokens of the lines rendering sentences [a, b)."""
        if b <= a:
            return 0
        return self.reach[b] - self.prefix[a] - self.label_prefix[a + 1] + self.label_cost(a)

    def furthest_end(self, a: int, budget: int) -> int:
        """The largest b with cost(a, b) <= budget (a when not even one sentence fits)."""
        limit = budget + self.prefix[a] + self.label_prefix[a + 1] - self.label_cost(a)
        return max(a, min(bisect_right(self.reach, limit) - 1, self.count))

    def overlap_start(self, previous_start: int, a: int, budget: int) -> int:
        """The earliest o >= previous_start whose lines [o, a) fit the overlap budget (a for none)."""
        o = a
        while o > previous_start and self.cost(o - 1, a) <= budget:
            o -= 1
        return o

    def lines(self, a: int, b: int, overlap: bool) -> tuple[list[Segment], list[str]]:
        """Segments and rendered lines for sentences [a, b), one per stretch of a single turn.

        A line is render.render_line's output built from the already-flattened texts by one join.
        """
        segments: list[Segment] = []
        lines: list[str] = []
        i = a
        while i < b:
            turn = self.turn[i]
            end = min(b, i + self.sizes[turn] - self.position[i])
            segments.append(
                Segment(
                    turn_index=turn,
                    first_sentence=self.position[i],
                    last_sentence=self.position[end - 1],
                    overlap=overlap,
                )
            )
            lines.append(f"[{format_timestamp(self.start[i])}] {self.turn_labels[turn]}" + "".join(self.texts[i:end]))
            i = end
        return segments, lines
