"""The pipeline's data-delimiter contract, checked on every request the simulator receives.

Our prompts (coaching_pipeline/analysis/claude/prompt.py) put the call between a `<transcript>` line and a
`</transcript>` line and the system prompt declares what lies between them to be data. The real API cannot
know this; the simulator refuses a request that breaks it, with the API's 400 `invalid_request_error`, so a
code path that ever sends a transcript outside the delimiters (or lets a speaker's `</transcript>` through)
fails loudly in tests. `SimConfig(require_transcript_delimiters=False)` turns the check off for tests of
the wire protocol itself.
"""

from __future__ import annotations

from typing import Any

OPEN = "<transcript>"
CLOSE = "</transcript>"


def _texts(content: str | list[dict[str, Any]] | None) -> list[str]:
    if content is None:
        return []
    if isinstance(content, str):
        return [content]
    return [str(block.get("text", "")) for block in content if isinstance(block, dict) and block.get("type") == "text"]


def delimiter_problem(system: str | list[dict[str, Any]] | None, messages: list[Any]) -> str | None:
    """What is wrong with the request's delimiters, or None when the contract holds.

    The system prompt names both delimiters; the user turns hold exactly one opening and one closing delimiter,
    each on a line of its own, in that order, in one text block. `messages` are MessageParam-like objects or
    dicts with `role` and `content`.
    """
    system_text = "\n".join(_texts(system))
    if OPEN not in system_text or CLOSE not in system_text:
        return f"system: must declare the {OPEN} ... {CLOSE} delimiters that enclose the call as data"
    user_texts = []
    for message in messages:
        role = message.get("role") if isinstance(message, dict) else message.role
        content = message.get("content") if isinstance(message, dict) else message.content
        if role == "user":
            user_texts.extend(_texts(content))
    opens = sum(text.count(OPEN) for text in user_texts)
    closes = sum(text.count(CLOSE) for text in user_texts)
    if (opens, closes) != (1, 1):
        return (
            f"messages: the call must sit inside exactly one {OPEN} ... {CLOSE} block "
            f"(found {opens} opening and {closes} closing delimiters)"
        )
    block = next(text for text in user_texts if OPEN in text)
    lines = block.splitlines()
    if OPEN not in lines or CLOSE not in lines or lines.index(OPEN) > lines.index(CLOSE):
        return f"messages: {OPEN} and {CLOSE} must each stand on a line of their own, in that order, in one block"
    return None
