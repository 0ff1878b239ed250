"""Reply models absorb Gong's habits: new fields, explicit nulls, offsets with or without fractions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coaching_pipeline.gong.models import CallMetaData, ExtensiveCall, GongUser, Party, TranscriptEntry


def test_models_ignore_unknown_fields() -> None:
    user = GongUser.model_validate({"id": "1", "brandNewField": {"x": 1}})

    assert user.id == "1" and not hasattr(user, "brandNewField")


def test_models_tolerate_explicit_nulls() -> None:
    call = ExtensiveCall.model_validate(
        {
            "metaData": {"id": "5", "started": "2026-08-03T10:00:00Z", "duration": None},
            "parties": None,
            "content": None,
            "interaction": None,
        }
    )

    assert call.parties == [] and call.meta_data.duration == 0 and call.content is None


def test_models_parse_offsets_with_and_without_fractions() -> None:
    plain = CallMetaData.model_validate({"id": "1", "started": "2026-08-03T02:30:00-07:00"})
    fraction = CallMetaData.model_validate({"id": "2", "started": "2026-08-03T09:30:00.123456Z"})

    assert plain.started == datetime(2026, 8, 3, 9, 30, tzinfo=UTC)
    assert fraction.started - plain.started == timedelta(microseconds=123456)


def test_models_read_naive_datetimes_as_utc() -> None:
    call = CallMetaData.model_validate({"id": "1", "started": "2026-08-03T09:30:00"})

    assert call.started.utcoffset() == timedelta(0)


def test_models_keep_the_exact_payload_as_raw() -> None:
    payload = {
        "speakerId": "7",
        "topic": None,
        "sentences": [{"start": 0, "end": 900, "text": "Hi."}],
        "x": 1,
    }

    entry = TranscriptEntry.model_validate(payload)

    assert entry.raw is payload and entry.sentences[0].raw == payload["sentences"][0]


def test_models_coerce_numeric_ids_to_strings() -> None:
    party = Party.model_validate({"id": 123, "speakerId": 456, "affiliation": None})

    assert (party.id, party.speaker_id, party.affiliation) == ("123", "456", "Unknown")
