"""PII redaction before transcript text leaves for Claude: emails, phone numbers, card numbers, denied names.

Pure. A policy is what it redacts; its `version` changes whenever the rules (RULES_VERSION) or the
configuration (kinds, deny list) change, so cached analyses of differently redacted text are never reused.
Placeholders survive quote verification: a model quoting "mail me at [EMAIL]" matches the redacted transcript.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from coaching_pipeline.transcripts.models import Transcript

RULES_VERSION = "r1"  # bump whenever a pattern below changes
KINDS = ("email", "phone", "card", "name")
PLACEHOLDERS = {"email": "[EMAIL]", "phone": "[PHONE]", "card": "[CARD]", "name": "[NAME]"}

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# Speech-to-text spells addresses out: "jane dot doe at acme dot com".
_SPOKEN_EMAIL = re.compile(
    r"\b[\w+-]+(?:\s+dot\s+[\w+-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+(?:com|org|net|io|co|ai|edu|gov)\b",
    re.IGNORECASE,
)
# A run of 7+ digits joined by spaces, dots, dashes or parentheses, optionally with a leading +.
_DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+\s?)?\(?\d(?:[\s().-]{0,2}\d){6,22}(?!\w)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def luhn_valid(digits: str) -> bool:
    """The checksum every payment card number carries."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_deny_list(lines: Iterable[str]) -> tuple[str, ...]:
    """Names one per line; blank lines and text after '#' are ignored."""
    names = (line.split("#", 1)[0].strip() for line in lines)
    return tuple(dict.fromkeys(n for n in names if n))


@dataclass(frozen=True)
class RedactionPolicy:
    kinds: frozenset[str] = frozenset(KINDS)
    names: tuple[str, ...] = field(default=())

    @cached_property
    def version(self) -> str:
        """`none` when nothing is redacted, else the rules' version and a digest of the configuration."""
        names = sorted({n.casefold() for n in self.names}) if "name" in self.kinds else []
        if not self.kinds or (self.kinds == {"name"} and not names):
            return "none"
        config = json.dumps([sorted(self.kinds), names]).encode()
        return f"{RULES_VERSION}-{hashlib.sha256(config).hexdigest()[:12]}"

    @cached_property
    def _names(self) -> re.Pattern[str] | None:
        if "name" not in self.kinds or not self.names:
            return None
        words = sorted(self.names, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, name.split())) for name in words)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def _digits(self, match: re.Match[str]) -> str:
        text = match.group(0)
        digits = re.sub(r"\D", "", text)
        if "card" in self.kinds and 13 <= len(digits) <= 19 and luhn_valid(digits):
            return PLACEHOLDERS["card"]
        # A bare run of under 10 digits is more likely an amount than a phone number said without pauses.
        plain = text.isdigit() and len(digits) < 10
        if "phone" in self.kinds and 7 <= len(digits) <= 15 and not plain and not _ISO_DATE.fullmatch(text.strip()):
            return PLACEHOLDERS["phone"]
        return text

    def redact_text(self, text: str) -> str:
        if "email" in self.kinds:
            text = _SPOKEN_EMAIL.sub(PLACEHOLDERS["email"], _EMAIL.sub(PLACEHOLDERS["email"], text))
        if self.kinds & {"phone", "card"}:
            text = _DIGIT_RUN.sub(self._digits, text)
        if self._names is not None:
            text = self._names.sub(PLACEHOLDERS["name"], text)
        return text

    def redact(self, transcript: Transcript) -> Transcript:
        """The transcript as an analyzer may see it: every sentence, speaker name and title redacted."""
        if self.version == "none":
            return transcript
        speakers = {
            key: speaker.model_copy(
                update={
                    "name": self.redact_text(speaker.name),
                    "title": self.redact_text(speaker.title) if speaker.title else speaker.title,
                }
            )
            for key, speaker in transcript.speakers.items()
        }
        turns = [
            turn.model_copy(
                update={"sentences": [s.model_copy(update={"text": self.redact_text(s.text)}) for s in turn.sentences]}
            )
            for turn in transcript.turns
        ]
        return transcript.model_copy(update={"speakers": speakers, "turns": turns})
