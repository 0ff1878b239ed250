"""Builds the Messages request in cache order: system (rubrics + KB), then the transcript, then the ask.

Breakpoint 1 closes the system block, identical for every call and dimension; breakpoint 2 closes the
transcript, so the four dimensions of one call write that prefix once and read it three times. The ask has no
breakpoint. The output schema is part of the cached prefix too (the API renders it ahead of the system
prompt), so every request gets the same schema: the union of all criterion ids. Per-dimension membership is
checked when the reply is validated.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from anthropic import transform_schema

from coaching_pipeline.analysis.costs import CacheTtl
from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.knowledge.models import Dimension, KnowledgeDocument, RepRole, Rubric
from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.transcripts.render import render_transcript

# The transcript's delimiters, each on a line of its own; prompts/system.md declares what lies between data.
TRANSCRIPT_OPEN = "<transcript>"
TRANSCRIPT_CLOSE = "</transcript>"
_ANGLES = str.maketrans({"<": "\u2039", ">": "\u203a"})


@dataclass(frozen=True)
class PromptFile:
    version: str
    body: str


@lru_cache(maxsize=16)
def load_prompt(name: str) -> PromptFile:
    """A prompt file with YAML front matter holding its `prompt_version`."""
    text = (resources.files("coaching_pipeline.analysis.claude") / "prompts" / f"{name}.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    return PromptFile(version=str(meta["prompt_version"]), body=body.strip())


def prompt_version(dimension: Dimension) -> str:
    """Both files shape the reply, so a change to either must miss the analysis cache."""
    return f"{load_prompt('system').version}+{load_prompt(dimension.value).version}"


def render_rubric(rubric: Rubric) -> str:
    lines = [
        f"## Rubric: {rubric.dimension.value} ({rubric.version}) - {rubric.title}",
        f"Method: {rubric.method}",
    ]
    lines.append(rubric.description.strip())
    for c in rubric.criteria:
        roles = ", ".join(r.value for r in c.applies_to)
        lines += [
            f"### {c.id}: {c.name} (weight {c.weight:g}; applies to {roles})",
            c.description.strip(),
            f"- 1: {c.anchors.score_1}",
            f"- 3: {c.anchors.score_3}",
            f"- 5: {c.anchors.score_5}",
        ]
        if c.signals:
            lines.append("Signals: " + "; ".join(f'"{s}"' for s in c.signals))
        lines.append("Drills: " + "; ".join(c.drills))
    return "\n".join(lines)


def render_knowledge(documents: Sequence[KnowledgeDocument]) -> str:
    parts = []
    for doc in sorted(documents, key=lambda d: d.document_id):
        header = f"## {doc.title} [{doc.document_id}; {doc.product} {doc.version}; updated {doc.updated}]"
        extra = []
        if doc.terms:
            extra.append("Terms: " + ", ".join(doc.terms))
        if doc.competitors:
            extra.append("Competitors: " + ", ".join(doc.competitors))
        parts.append("\n".join([header, *extra, doc.body.strip()]))
    return "\n\n".join(parts)


def system_text(rubrics: Mapping[Dimension, Rubric], knowledge: Sequence[KnowledgeDocument]) -> str:
    ordered = [rubrics[d] for d in Dimension if d in rubrics]
    return "\n\n".join(
        [
            load_prompt("system").body,
            "# Coaching rubrics",
            *(render_rubric(r) for r in ordered),
            "# Product knowledge base",
            render_knowledge(knowledge),
        ]
    )


def as_data(text: str) -> str:
    """Text from a call, made unable to close or open a tag: `<` and `>` become `‹` and `›`.

    The system prompt says so, and says the transcript is data; a speaker who says `</transcript>` (or
    `<system>`) is shown as `‹/transcript›`, so the one real closing delimiter is the one we write.
    """
    return text.translate(_ANGLES)


def transcript_text(transcript: Transcript, rep_role: RepRole | None, call_type: str | None) -> str:
    """The call between the delimiters the system prompt declares to be data, never instructions."""
    role = rep_role.value if rep_role else "unknown"
    header = as_data(f"Call {transcript.call_id}; call type: {call_type or 'unknown'}; rep role: {role}.")
    return f"{header}\n{TRANSCRIPT_OPEN}\n{as_data(render_transcript(transcript))}\n{TRANSCRIPT_CLOSE}"


def ask_text(dimension: Dimension, rubric: Rubric, rep_role: RepRole | None) -> str:
    criteria = rubric.criteria_for(rep_role) or rubric.criteria
    listed = "\n".join(f"- {c.id}: {c.name} (weight {c.weight:g})" for c in criteria)
    return (
        f"{load_prompt(dimension.value).body}\n\nUse rubric {dimension.value} {rubric.version}. Set "
        f'"dimension" to "{dimension.value}" and score exactly these criteria, no others:\n{listed}'
    )


def allowed_criteria(rubric: Rubric, rep_role: RepRole | None) -> set[str]:
    return {c.id for c in (rubric.criteria_for(rep_role) or rubric.criteria)}


def output_schema(rubrics: Mapping[Dimension, Rubric]) -> dict[str, Any]:
    """DimensionAnalysis as the model may answer it: no `verified` flag, criterion ids from our rubrics."""
    schema = copy.deepcopy(DimensionAnalysis.model_json_schema())
    ids = sorted({c.id for r in rubrics.values() for c in r.criteria})
    defs = schema["$defs"]
    defs["Evidence"]["properties"].pop("verified", None)
    defs["Evidence"]["properties"]["criterion_id"] = {"anyOf": [{"enum": ids}, {"type": "null"}]}
    defs["CriterionScore"]["properties"]["criterion_id"] = {"enum": ids, "type": "string"}
    return transform_schema(schema)


def cache_control(ttl: CacheTtl) -> dict[str, str]:
    return {"type": "ephemeral", "ttl": ttl} if ttl == "1h" else {"type": "ephemeral"}


def build_params(
    request: AnalysisRequest,
    rubrics: Mapping[Dimension, Rubric],
    *,
    model: str,
    max_tokens: int,
    ttl: CacheTtl = "5m",
) -> dict[str, Any]:
    """Keyword arguments for `messages.create` (and a batch request's `params`); never sampling parameters."""
    merged = {**rubrics, request.dimension: request.rubric}
    return {
        "model": model,
        "max_tokens": max_tokens,
        "system": [
            {
                "type": "text",
                "text": system_text(merged, request.knowledge),
                "cache_control": cache_control(ttl),
            }
        ],
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        "text": transcript_text(request.transcript, request.rep_role, request.call_type),
                        "cache_control": cache_control(ttl),
                    },
                    {"type": "text", "text": ask_text(request.dimension, request.rubric, request.rep_role)},
                ],
            }
        ],
        "output_config": {"format": {"type": "json_schema", "schema": output_schema(merged)}},
    }
