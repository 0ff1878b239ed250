"""The simulated model's turn: a text, JSON or tool_use reply to a valid request, broken on demand."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from coaching_pipeline.transcripts.tokens import count_tokens, encoding
from coaching_sandbox.simulators.claude_content import Prose, TranscriptView, phrases
from coaching_sandbox.simulators.claude_schema import InstanceGenerator
from coaching_sandbox.simulators.claude_wire import MessageParam, MessageRequest

Malformed = Literal["invalid_json", "schema_violation", "out_of_range", "missing_criterion", "extra_prose"]
_CRITERION = re.compile(r"""(?:criterion_id|criterion|\bid)["']?\s*[:=]\s*["'`]?([a-z][a-z0-9_]{2,})""", re.I)


@dataclass(frozen=True)
class Reply:
    content: list[dict[str, Any]]
    stop_reason: str
    stop_sequence: str | None
    output_tokens: int


def _texts(content: str | list[dict[str, Any]]) -> list[str]:
    if isinstance(content, str):
        return [content]
    texts: list[str] = []
    for block in content:
        if block.get("type") == "text":
            texts.append(str(block.get("text", "")))
        elif block.get("type") == "tool_result" and isinstance(block.get("content"), str):
            texts.append(block["content"])
        elif block.get("type") == "document" and block.get("source", {}).get("type") == "text":
            texts.append(str(block["source"].get("data", "")))
    return texts


def _user_messages(request: MessageRequest) -> list[MessageParam]:
    return [m for m in request.messages if m.role == "user"]


def ask_text(request: MessageRequest) -> str:
    """The last text block of the last user turn: where a per-dimension request says what it wants."""
    users = _user_messages(request)
    texts = _texts(users[-1].content) if users else []
    return texts[-1] if texts else ""


def detect_dimension(request: MessageRequest) -> str | None:
    """The coaching dimension the final ask names most often (then earliest), else the system prompt's."""
    system = _texts(request.system) if request.system else []
    for text in (ask_text(request), *system):
        lowered = text.lower()
        found = []
        for name in phrases()["signals"]:
            spellings = {name, name.replace("_", " ")}
            count = sum(lowered.count(spelling) for spelling in spellings)
            if count:
                first = min(p for p in (lowered.find(spelling) for spelling in spellings) if p >= 0)
                found.append((-count, first, name))
        if found:
            return min(found)[2]
    return None


def criteria_hints(request: MessageRequest) -> list[str]:
    """Rubric criterion ids written in the prompt (`id: situation`), used when the schema has no enum."""
    texts = _texts(request.system) if request.system else []
    for message in _user_messages(request):
        texts.extend(_texts(message.content))
    found: list[str] = []
    for text in texts:
        for match in _CRITERION.findall(text):
            if match not in found:
                found.append(match)
    return found


def _violate(value: Any, schema: dict[str, Any]) -> Any:
    """Valid JSON that breaks the schema the way a model might: a required field missing, or a wrong type."""
    if isinstance(value, dict):
        required = [key for key in schema.get("required", []) if key in value]
        if required:
            return {k: v for k, v in value.items() if k != required[0]}
        if value:
            first = next(iter(value))
            return {**value, first: [] if not isinstance(value[first], list) else "not-a-list"}
    return {"unexpected": value}


def _misjudge(value: Any, malformed: Malformed | None) -> Any:
    """Schema-shaped JSON our own rules refuse: a score of 7 on a 1-5 rubric, or a criterion left out."""
    scores = value.get("criterion_scores") if isinstance(value, dict) else None
    if not isinstance(scores, list) or not scores:
        return value
    if malformed == "out_of_range":
        return {**value, "criterion_scores": [{**scores[0], "score": 7}, *scores[1:]]}
    if malformed == "missing_criterion":
        return {**value, "criterion_scores": scores[:-1] if len(scores) > 1 else []}
    return value


def _truncate_json(text: str) -> str:
    cut = text[: max(1, len(text) // 2)]
    try:
        json.loads(cut)
    except ValueError:
        return cut
    return cut + ","


def _limit(text: str, request: MessageRequest) -> tuple[str, str, str | None]:
    """Apply stop sequences then max_tokens, as generation would."""
    for stop in request.stop_sequences or []:
        if stop and stop in text:
            return text[: text.index(stop)], "stop_sequence", stop
    tokens = encoding().encode_ordinary(text)
    if len(tokens) > request.max_tokens:
        return encoding().decode(tokens[: request.max_tokens]), "max_tokens", None
    return text, "end_turn", None


def _plain_text(view: TranscriptView, dimension: str | None, prose_key: str) -> str:
    prose = Prose(view.seed, dimension)
    note = f"Coaching note ({dimension or 'general'}): the rep {prose.behaviour(prose_key)}."
    quote = view.pick(prose_key)
    if quote is not None:
        note += f' For example, at {quote.timestamp} {quote.name} said: "{quote.text}"'
    return note


def _tool_target(request: MessageRequest) -> dict[str, Any] | None:
    if not request.tools or request.output_schema is not None:
        return None
    choice = request.tool_choice or {"type": "auto"}
    if choice.get("type") == "none":
        return None
    last = request.messages[-1].content
    if isinstance(last, list) and any(block.get("type") == "tool_result" for block in last):
        return None
    tools = [tool for tool in request.tools if "input_schema" in tool]
    if choice.get("type") == "tool":
        tools = [tool for tool in tools if tool.get("name") == choice.get("name")]
    return tools[0] if tools else None


def compose(request: MessageRequest, malformed: Malformed | None, tool_use_id: str) -> Reply:
    """The reply content for a request; `malformed` breaks it the way a misbehaving model would."""
    if request.max_tokens == 0:
        return Reply([], "max_tokens", None, 0)
    dimension = detect_dimension(request)
    user_text = "\n".join(t for m in _user_messages(request) for t in _texts(m.content))
    view = TranscriptView(user_text, dimension)
    tool = _tool_target(request)
    if tool is not None:
        schema = tool["input_schema"]
        value = InstanceGenerator(schema, view, dimension, criteria_hints(request), ask_text(request)).generate()
        if malformed is not None:
            value = _violate(value, schema)
        block = {"type": "tool_use", "id": tool_use_id, "name": tool["name"], "input": value}
        return Reply([block], "tool_use", None, count_tokens(json.dumps(value)) + 10)
    schema = request.output_schema
    if schema is not None:
        value = InstanceGenerator(schema, view, dimension, criteria_hints(request), ask_text(request)).generate()
        text = json.dumps(_violate(value, schema) if malformed == "schema_violation" else _misjudge(value, malformed))
        if malformed == "invalid_json":
            text = _truncate_json(text)
        elif malformed == "extra_prose":
            text = f"Here is my analysis of the call:\n{text}\nLet me know if you want more detail."
    else:
        text = _plain_text(view, dimension, "reply")
        if malformed is not None:
            text = _truncate_json(text)
    text, stop_reason, stop_sequence = _limit(text, request)
    output_tokens = max(1, count_tokens(text))
    return Reply([{"type": "text", "text": text}], stop_reason, stop_sequence, output_tokens)
