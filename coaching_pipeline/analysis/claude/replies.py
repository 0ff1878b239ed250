"""Turning a model reply into a DimensionAnalysis we trust, and the one repair request when it is not."""

from __future__ import annotations

import copy
import json
from typing import Any

from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.knowledge.models import Dimension

REPAIR_PROMPT = (
    "Your {dimension} analysis could not be used: {error}\n"
    "Reply again with only the corrected JSON object for the same {dimension} analysis, matching the schema."
)


class MalformedReply(ValueError):
    """The reply did not validate, even after one repair request."""

    def __init__(self, message: str, *, reply: str = "") -> None:
        super().__init__(message)
        self.reply = reply


def reply_text(message: Any) -> str:
    return "".join(block.text for block in message.content if getattr(block, "type", None) == "text")


def parse_reply(text: str, dimension: Dimension, allowed_criteria: set[str]) -> DimensionAnalysis:
    """Validate the JSON and our own rules; ValueError says what is wrong, in words the model can act on.

    Every criterion of this dimension must be scored exactly once; ids outside it (the shared schema allows
    every rubric's ids) are dropped. Scores outside the rubric's 1-5, a missing field, or anything around the
    JSON object (prose, a code fence) fail here, so the engine asks once for a repair and then records a
    failure: such a reply is never stored. `verified` is ours to set, never the model's.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the reply is not valid JSON ({exc.msg} at position {exc.pos})") from exc
    analysis = DimensionAnalysis.model_validate(data)
    if analysis.dimension != dimension:
        raise ValueError(f'"dimension" must be "{dimension.value}", not "{analysis.dimension.value}"')
    scores = [c for c in analysis.criterion_scores if c.criterion_id in allowed_criteria]
    missing = allowed_criteria - {c.criterion_id for c in scores}
    if missing:
        wanted, absent = ", ".join(sorted(allowed_criteria)), ", ".join(sorted(missing))
        raise ValueError(f"criterion_scores must score these criteria: {wanted} (missing: {absent})")
    if len(scores) != len(allowed_criteria):
        raise ValueError("criterion_scores must score each criterion once")
    evidence = [
        e.model_copy(
            update={
                "verified": False,
                "criterion_id": e.criterion_id if e.criterion_id in allowed_criteria else None,
            }
        )
        for e in analysis.evidence
    ]
    return analysis.model_copy(update={"criterion_scores": scores, "evidence": evidence})


def repair_params(params: dict[str, Any], bad_reply: str, error: Exception, dimension: Dimension) -> dict[str, Any]:
    """The same request plus the bad reply and the error; the cached system and transcript still hit."""
    repaired = copy.copy(params)
    repaired["messages"] = [
        *params["messages"],
        {"role": "assistant", "content": [{"type": "text", "text": bad_reply.strip() or "(empty reply)"}]},
        {
            "role": "user",
            "content": [
                {
                    "type": "text",
                    "text": REPAIR_PROMPT.format(dimension=dimension.value, error=str(error)[:2000]),
                }
            ],
        },
    ]
    return repaired
