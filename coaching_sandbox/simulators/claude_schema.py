"""A deterministic JSON-schema instance generator; field-name heuristics make analyses look real."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coaching_sandbox.simulators.claude_content import Prose, Quote, TranscriptView, stable_int

_HINT = re.compile(r"\{([^{}]*)\}")
_HINT_PAIR = re.compile(r"(\w+):\s*(-?\d+(?:\.\d+)?)")
_INDEX = re.compile(r"\[\d+\]")
_SCORE_WEIGHTS = (1, 2, 2, 3, 3, 3, 4, 4, 4, 5)
_SECONDS_FIELDS = {"start_seconds", "seconds", "start_time", "start", "timestamp_seconds", "time_seconds"}
_PROSE_RATIONALE = ("rationale", "reason", "reasoning", "justification", "explanation")
MAX_DEPTH = 12


class SchemaError(ValueError):
    """The schema cannot be satisfied or resolved (the API answers 400)."""


def _bound(schema: dict[str, Any], key: str) -> float | None:
    """A constraint from the schema, or from the `{minimum: 1, ...}` note the SDK moves into descriptions."""
    if isinstance(schema.get(key), int | float):
        return float(schema[key])
    hints = _HINT.findall(str(schema.get("description", "")))
    for note in reversed(hints):
        for name, value in _HINT_PAIR.findall(note):
            if name == key:
                return float(value)
    return None


@dataclass
class _Frame:
    """The object being generated: its evidence quote (if it has one) and the values produced so far."""

    quote: Quote | None = None
    values: dict[str, Any] = field(default_factory=dict)


class InstanceGenerator:
    def __init__(
        self,
        root: dict[str, Any],
        view: TranscriptView,
        dimension: str | None,
        criteria: list[str],
        ask: str = "",
    ) -> None:
        self.root = root
        self.view = view
        self.prose = Prose(view.seed, dimension)
        self.dimension = dimension
        self.criteria = criteria
        self.ask = ask
        self._counters: dict[str, int] = {}
        self._scores: list[int] = []
        self._invented: list[str] = []
        self._invented_at = ""

    def generate(self) -> Any:
        return self._value(self.root, "$", "", _Frame(), 0)

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in schema:
            ref = str(schema["$ref"])
            if not ref.startswith("#"):
                raise SchemaError(f"output_config.format.schema: unsupported $ref {ref!r}")
            target: Any = self.root
            for part in filter(None, ref[1:].split("/")):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise SchemaError(f"output_config.format.schema: unresolvable $ref {ref!r}")
                target = target[part]
            schema = {**{k: v for k, v in schema.items() if k != "$ref"}, **target}
            seen += 1
            if seen > MAX_DEPTH:
                raise SchemaError("output_config.format.schema: $ref cycle")
        return schema

    def _count(self, path: str) -> int:
        key = _INDEX.sub("[]", path)
        self._counters[key] = self._counters.get(key, -1) + 1
        return self._counters[key]

    def _value(self, schema: dict[str, Any], path: str, name: str, frame: _Frame, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise SchemaError("output_config.format.schema: nesting too deep")
        schema = self._resolve(schema)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return self._enum(list(schema["enum"]), path, name)
        for key in ("anyOf", "oneOf"):
            if schema.get(key):
                branches = [self._resolve(b) for b in schema[key]]
                chosen = next((b for b in branches if b.get("type") != "null"), branches[0])
                rest = {k: v for k, v in schema.items() if k != key}
                return self._value({**rest, **chosen}, path, name, frame, depth + 1)
        if schema.get("allOf"):
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            for part in schema["allOf"]:
                merged.update(self._resolve(part))
            return self._value(merged, path, name, frame, depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
        if kind == "object":
            return self._object(schema, path, depth)
        if kind == "array":
            return self._array(schema, path, name, frame, depth)
        if kind == "integer":
            return self._integer(schema, path, name, frame)
        if kind == "number":
            return self._number(schema, path, name, frame)
        if kind == "boolean":
            return name.startswith(("is_", "has_")) and stable_int(self.view.seed, path) % 2 == 0
        if kind == "null":
            return None
        return self._string(schema, path, name, frame)

    def _object(self, schema: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        properties: dict[str, Any] = schema.get("properties", {})
        if depth > MAX_DEPTH // 2:
            required = set(schema.get("required", []))
            properties = {name: sub for name, sub in properties.items() if name in required}
        frame = _Frame()
        if "quote" in properties:
            limit = _bound(self._resolve(properties["quote"]), "maxLength")
            frame.quote = self.view.pick(path, int(limit) if limit else 600)
        for prop, sub in properties.items():
            frame.values[prop] = self._value(sub, f"{path}.{prop}", prop, frame, depth + 1)
        return frame.values

    def _array(self, schema: dict[str, Any], path: str, name: str, frame: _Frame, depth: int) -> list[Any]:
        items = self._resolve(schema.get("items", {}))
        properties = items.get("properties", {})
        criterion = self._resolve(properties["criterion_id"]) if "criterion_id" in properties else None
        if criterion is not None and criterion.get("enum"):
            length = len(self._focus(criterion["enum"]))
        elif criterion is not None and self.criteria:
            length = len(self.criteria)
        elif "quote" in properties:
            length = 3 if self.view.quotes else 1
        else:
            length = 2
        low, high = _bound(schema, "minItems"), _bound(schema, "maxItems")
        length = int(low or 0) if depth > MAX_DEPTH // 2 else max(int(low or 0), length)
        length = min(int(high), length) if high is not None else length
        return [self._value(items, f"{path}[{i}]", name, frame, depth + 1) for i in range(length)]

    def _focus(self, values: list[Any]) -> list[Any]:
        """Enum values the final ask names (one schema may list every rubric's criteria), else all of them."""
        named = [v for v in values if isinstance(v, str) and re.search(rf"\b{re.escape(v)}\b", self.ask)]
        return named or values

    def _enum(self, values: list[Any], path: str, name: str) -> Any:
        if not values:
            raise SchemaError(f"output_config.format.schema: empty enum at {path}")
        if "criterion" in name:
            focus = self._focus(values)
            return focus[self._count(path) % len(focus)]
        if self.dimension in values:
            return self.dimension
        return values[stable_int(self.view.seed, path) % len(values)]

    def _criterion(self, path: str) -> str:
        """Ids from the prompt; failing that, invented ones that later fields (evidence) reuse in turn."""
        count = self._count(path)
        if self.criteria:
            return self.criteria[count % len(self.criteria)]
        where = _INDEX.sub("[]", path)
        if self._invented and where != self._invented_at:
            return self._invented[count % len(self._invented)]
        self._invented_at = where
        self._invented.append(f"criterion_{count + 1}")
        return self._invented[-1]

    def _integer(self, schema: dict[str, Any], path: str, name: str, frame: _Frame) -> int:
        low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
        if _bound(schema, "exclusiveMinimum") is not None:
            low = (_bound(schema, "exclusiveMinimum") or 0) + 1
        if _bound(schema, "exclusiveMaximum") is not None:
            high = (_bound(schema, "exclusiveMaximum") or 0) - 1
        if frame.quote is not None and name in _SECONDS_FIELDS | {"start_ms"}:
            value = frame.quote.seconds * (1000 if name == "start_ms" else 1)
            return int(min(max(value, low or 0), high if high is not None else value))
        if "score" in name:
            low, high = (low if low is not None else 1), (high if high is not None else 5)
            if (low, high) == (1, 5):
                value = _SCORE_WEIGHTS[stable_int(self.view.seed, path) % len(_SCORE_WEIGHTS)]
            else:
                value = int(low) + stable_int(self.view.seed, path) % (int(high) - int(low) + 1)
            self._scores.append(value)
            return value
        low = low if low is not None else 0
        high = high if high is not None else low + 10
        return int(low) + stable_int(self.view.seed, path) % (int(high) - int(low) + 1)

    def _number(self, schema: dict[str, Any], path: str, name: str, frame: _Frame) -> float:
        low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
        if frame.quote is not None and name in _SECONDS_FIELDS:
            return float(frame.quote.seconds)
        if "score" in name:
            low, high = (low if low is not None else 1.0), (high if high is not None else 5.0)
            if self._scores:
                mean = round(sum(self._scores) / len(self._scores), 1)
                return min(max(mean, low), high)
            return float(self._integer({"minimum": low, "maximum": high}, path, name, frame))
        low = low if low is not None else 0.0
        high = high if high is not None else low + 1.0
        fraction = (stable_int(self.view.seed, path) % 1000) / 1000
        return round(low + fraction * (high - low), 3)

    def _string(self, schema: dict[str, Any], path: str, name: str, frame: _Frame) -> str:
        text = self._string_text(schema, path, name.lower(), frame)
        low, high = _bound(schema, "minLength"), _bound(schema, "maxLength")
        while low is not None and len(text) < low:
            text = f"{text} {self.prose.behaviour(path + text)}."
        return text[: int(high)] if high is not None else text

    def _string_text(self, schema: dict[str, Any], path: str, name: str, frame: _Frame) -> str:
        quote = frame.quote
        if name in ("quote", "excerpt"):
            return quote.text if quote else "No transcript lines were provided."
        if quote is not None and name in ("speaker", "speaker_name", "name"):
            return quote.name
        if quote is not None and ("timestamp" in name or name == "time"):
            return quote.timestamp
        if "criterion" in name:
            return self._criterion(path)
        if name == "dimension":
            return self.dimension or "general"
        formats = {"date-time": "2026-08-03T15:00:00Z", "date": "2026-08-03", "time": "15:00:00Z"}
        if schema.get("format") in formats:
            return formats[str(schema["format"])]
        if any(word in name for word in _PROSE_RATIONALE):
            score = frame.values.get("score")
            criterion = frame.values.get("criterion_id")
            return self.prose.rationale(path, score if isinstance(score, int) else None, criterion)
        return self.prose.sentence(path, name)
