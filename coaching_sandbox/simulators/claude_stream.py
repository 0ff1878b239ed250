"""Server-sent events for `stream: true`, in the order and shapes the SDK's stream accumulator expects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from coaching_sandbox.simulators.claude_wire import Message

_CHUNK_CHARS = 48


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def _deltas(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if block["type"] == "tool_use":
        partial = json.dumps(block["input"])
        for start in range(0, len(partial), _CHUNK_CHARS):
            yield {"type": "input_json_delta", "partial_json": partial[start : start + _CHUNK_CHARS]}
        return
    text = block.get("text", "")
    for start in range(0, len(text), _CHUNK_CHARS):
        yield {"type": "text_delta", "text": text[start : start + _CHUNK_CHARS]}


def sse_events(message: Message) -> Iterator[str]:
    """message_start, one start/deltas/stop group per content block, message_delta, message_stop."""
    usage = message.usage.model_dump(mode="json")
    head = message.model_dump(mode="json")
    head.update(content=[], stop_reason=None, stop_sequence=None, usage={**usage, "output_tokens": 1})
    yield _event("message_start", {"type": "message_start", "message": head})
    for index, block in enumerate(message.content):
        empty = {**block, "input": {}} if block["type"] == "tool_use" else {**block, "text": ""}
        yield _event("content_block_start", {"type": "content_block_start", "index": index, "content_block": empty})
        yield _event("ping", {"type": "ping"})
        for delta in _deltas(block):
            yield _event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
        yield _event("content_block_stop", {"type": "content_block_stop", "index": index})
    delta = {"stop_reason": message.stop_reason, "stop_sequence": message.stop_sequence}
    final_usage = {
        "input_tokens": usage["input_tokens"],
        "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
        "cache_read_input_tokens": usage["cache_read_input_tokens"],
        "output_tokens": usage["output_tokens"],
    }
    yield _event("message_delta", {"type": "message_delta", "delta": delta, "usage": final_usage})
    yield _event("message_stop", {"type": "message_stop"})
