"""Small builders for hand-made transcripts used across the transcript tests."""

from __future__ import annotations

from coaching_pipeline.transcripts.models import Sentence, Speaker, SpeakerRole, Transcript, Turn

SPEAKERS = {
    "r": Speaker(speaker_id="r", name="Riley Rep", role=SpeakerRole.REP, user_id="u1"),
    "c": Speaker(speaker_id="c", name="Casey Customer", role=SpeakerRole.CUSTOMER),
    "d": Speaker(speaker_id="d", name="Dana Customer", role=SpeakerRole.CUSTOMER),
    "i": Speaker(speaker_id="i", name="Ira Internal", role=SpeakerRole.INTERNAL, user_id="u2"),
}


def transcript(
    *turns: tuple[str, list[tuple[int, int, str]]], speakers: dict[str, Speaker] | None = None
) -> Transcript:
    """turns: (speaker_id, [(start_ms, end_ms, text), ...]) in call order."""
    return Transcript(
        call_id="call-1",
        rep_user_id="u1",
        speakers=speakers if speakers is not None else SPEAKERS,
        turns=[
            Turn(
                index=index,
                speaker_id=speaker_id,
                sentences=[Sentence(start_ms=start, end_ms=end, text=text) for start, end, text in sentences],
            )
            for index, (speaker_id, sentences) in enumerate(turns)
        ],
    )
