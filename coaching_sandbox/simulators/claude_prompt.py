"""The prompt as the API bills and caches it: tools, output format, system, messages; a segment per block."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from coaching_pipeline.transcripts.tokens import count_tokens_batch
from coaching_sandbox.simulators.claude_wire import CacheControl, CountTokensRequest

MAX_BREAKPOINTS = 4
MESSAGE_OVERHEAD = 3
TOOL_OVERHEAD = 8
FORMAT_OVERHEAD = 16
IMAGE_TOKENS = 1_600


class PromptError(ValueError):
    """The request is well formed JSON but the API would refuse its content (400 invalid_request_error)."""


@dataclass(frozen=True)
class Segment:
    """One block of the prompt: `material` keys the cache prefix, `text` plus `overhead` is what it costs."""

    material: str
    text: str
    overhead: int
    cache_control: CacheControl | None


@dataclass(frozen=True)
class Prompt:
    model: str
    segments: list[Segment]
    tokens: list[int]

    @property
    def total(self) -> int:
        return sum(self.tokens)

    @property
    def breakpoints(self) -> list[int]:
        return [i for i, segment in enumerate(self.segments) if segment.cache_control is not None]


def _cache_control(block: dict[str, Any]) -> CacheControl | None:
    raw = block.get("cache_control")
    if raw is None:
        return None
    try:
        return CacheControl.model_validate(raw)
    except ValueError as exc:
        raise PromptError(f"cache_control: invalid value {raw!r}") from exc


def _canonical(where: str, block: dict[str, Any]) -> str:
    bare = {key: value for key, value in block.items() if key != "cache_control"}
    return json.dumps({"at": where, "block": bare}, sort_keys=True, separators=(",", ":"))


def _block_cost(block: dict[str, Any]) -> tuple[str, int]:
    """The text a block is tokenized as, plus a fixed overhead for what has no text (images)."""
    kind = block.get("type")
    if kind == "text":
        return str(block.get("text", "")), 0
    if kind == "image":
        return "", IMAGE_TOKENS
    if kind == "tool_use":
        return f"{block.get('name', '')} {json.dumps(block.get('input', {}))}", 4
    if kind == "tool_result":
        content = block.get("content", "")
        if isinstance(content, list):
            content = " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
        return str(content), 4
    if kind == "thinking":
        return str(block.get("thinking", "")), 0
    if kind == "document":
        source = block.get("source", {})
        return str(source.get("data", "")) if source.get("type") == "text" else "", IMAGE_TOKENS
    return json.dumps({k: v for k, v in block.items() if k != "cache_control"}), 0


def _blocks(content: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


def _segments(request: CountTokensRequest, schema_in_prefix: bool) -> list[Segment]:
    segments: list[Segment] = []
    for tool in request.tools or []:
        described = json.dumps({k: v for k, v in tool.items() if k != "cache_control"}, sort_keys=True)
        segments.append(Segment(_canonical("tool", tool), described, TOOL_OVERHEAD, _cache_control(tool)))
    schema = request.output_schema
    schema_segment = None
    if schema is not None:
        described = json.dumps(schema, sort_keys=True)
        schema_segment = Segment(_canonical("format", schema), described, FORMAT_OVERHEAD, None)
        if schema_in_prefix:
            segments.append(schema_segment)
    for block in _blocks(request.system) if request.system else []:
        text, overhead = _block_cost(block)
        segments.append(Segment(_canonical("system", block), text, overhead, _cache_control(block)))
    choices = {"tool_choice": request.tool_choice, "thinking": request.thinking}
    segments.append(Segment(_canonical("choices", choices), "", 0, None))
    for index, message in enumerate(request.messages):
        for position, block in enumerate(_blocks(message.content)):
            text, overhead = _block_cost(block)
            overhead += MESSAGE_OVERHEAD if position == 0 else 0
            where = f"message:{index}:{message.role}"
            segments.append(Segment(_canonical(where, block), text, overhead, _cache_control(block)))
    if request.cache_control is not None and segments:
        last = segments[-1]
        segments[-1] = Segment(last.material, last.text, last.overhead, request.cache_control)
    if schema_segment is not None and not schema_in_prefix:
        segments.append(schema_segment)
    return segments


def _check_breakpoints(segments: list[Segment]) -> None:
    controls = [s.cache_control for s in segments if s.cache_control is not None]
    if len(controls) > MAX_BREAKPOINTS:
        raise PromptError(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. Found {len(controls)}."
        )
    seen_short = False
    for control in controls:
        if control.ttl == "5m":
            seen_short = True
        elif seen_short:
            raise PromptError("a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block")


def build_prompt(request: CountTokensRequest, *, schema_in_prefix: bool = True) -> Prompt:
    """Flatten and count a request; raises PromptError for what the API rejects about caching.

    The API injects a structured-output schema as a system preamble, so by default it is part of the
    cached prefix and changing it misses the cache; `schema_in_prefix=False` bills it as uncached input.
    """
    segments = _segments(request, schema_in_prefix)
    _check_breakpoints(segments)
    counts = count_tokens_batch([segment.text for segment in segments])
    tokens = [count + segment.overhead for count, segment in zip(counts, segments, strict=True)]
    return Prompt(model=request.model, segments=segments, tokens=tokens)
