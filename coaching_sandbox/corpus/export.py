"""The corpus as JSON: one deterministic document, or a folder of files for the simulator, docs and demos."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from coaching_sandbox.corpus.generate import GongCorpus

PARTS = ("users", "calls", "transcripts", "available_at", "transcript_ready_at", "profiles", "malformed")
_TIMES = ("available_at", "transcript_ready_at")


def corpus_to_dict(corpus: GongCorpus) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(corpus, name) for name in PARTS}
    for name in _TIMES:
        data[name] = {call_id: moment.isoformat() for call_id, moment in data[name].items()}
    return data


def corpus_from_dict(data: dict[str, Any]) -> GongCorpus:
    values = {name: data[name] for name in PARTS}
    for name in _TIMES:
        values[name] = {call_id: datetime.fromisoformat(text) for call_id, text in values[name].items()}
    return GongCorpus(**values)


def to_json(corpus: GongCorpus, *, indent: int | None = None) -> str:
    """Stable text: same corpus, same bytes (insertion-ordered keys, UTF-8 kept as is)."""
    return json.dumps(corpus_to_dict(corpus), ensure_ascii=False, indent=indent)


def from_json(text: str) -> GongCorpus:
    return corpus_from_dict(json.loads(text))


def write_corpus(corpus: GongCorpus, folder: Path) -> list[Path]:
    """One `<part>.json` per corpus field, so a reader can load users without megabytes of transcripts."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, value in corpus_to_dict(corpus).items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    return written


def read_corpus(folder: Path) -> GongCorpus:
    return corpus_from_dict({name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8")) for name in PARTS})
