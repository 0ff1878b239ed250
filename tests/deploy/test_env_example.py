"""`.env.example` lists every setting of settings.py, once, each with a comment, and nothing else."""

from __future__ import annotations

import re
from collections import Counter

from coaching_pipeline.runner.environment import REPO_ROOT
from coaching_pipeline.settings import Settings

VARIABLE = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def _blocks() -> list[list[str]]:
    """The file's paragraphs (runs of non-blank lines)."""
    text = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    return [block.splitlines() for block in re.split(r"\n\s*\n", text) if block.strip()]


def test_env_example_lists_exactly_the_settings() -> None:
    listed = Counter(VARIABLE.findall((REPO_ROOT / ".env.example").read_text(encoding="utf-8")))
    assert set(listed) == {name.upper() for name in Settings.model_fields}
    assert [name for name, count in listed.items() if count > 1] == []


def test_env_example_comments_every_setting() -> None:
    uncommented = []
    for block in _blocks():
        commented = False
        for line in block:
            if line.startswith("#"):
                commented = True
            elif VARIABLE.match(line) and not commented:
                uncommented.append(line)
    assert uncommented == []


def test_env_example_values_are_the_defaults_or_blank() -> None:
    """A copied .env.example changes nothing: every value loads as the setting's default."""
    text = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.MULTILINE))
    given = {name.lower(): value for name, value in values.items() if value}
    defaults = Settings.model_construct()
    loaded = Settings.model_validate(given)
    assert {name: getattr(loaded, name) for name in given} == {name: getattr(defaults, name) for name in given}
