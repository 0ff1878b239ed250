"""Message Batches: kept for the server's life, processed once a client has polled enough times."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from coaching_sandbox.simulators.claude_wire import (
    SAMPLING_FREE_VERSION,
    SAMPLING_PARAMS,
    ApiError,
    BatchCreateRequest,
    BatchRequestItem,
    MessageBatch,
    MessageRequest,
    RequestCounts,
    invalid_request,
    new_id,
    validation_message,
)


class ClaudeSimulator(Protocol):
    """What the batch store uses of the simulator (claude_state.ClaudeSimulator), which holds the store."""

    batch_polls_to_finish: int
    clock: Callable[[], float]

    def take_batch_error(self) -> bool: ...

    def check_message(self, request: MessageRequest) -> Any: ...

    def answer(self, request: MessageRequest, prompt: Any, *, batch: bool = False) -> Any: ...


BATCH_LIFETIME_SECONDS = 24 * 3600
ResultType = Literal["succeeded", "errored", "canceled", "expired"]


def rfc3339(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")


@dataclass
class BatchRecord:
    id: str
    items: list[BatchRequestItem]
    api_version: str
    created_at: float
    status: Literal["in_progress", "canceling", "ended"] = "in_progress"
    polls: int = 0
    ended_at: float | None = None
    cancel_initiated_at: float | None = None
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def expires_at(self) -> float:
        return self.created_at + BATCH_LIFETIME_SECONDS

    def counts(self) -> RequestCounts:
        if self.status != "ended":
            return RequestCounts(processing=len(self.items))
        tally: dict[str, int] = {}
        for line in self.results:
            kind = line["result"]["type"]
            tally[kind] = tally.get(kind, 0) + 1
        return RequestCounts(**tally)

    def to_wire(self, base_url: str) -> MessageBatch:
        ended = self.status == "ended"
        return MessageBatch(
            id=self.id,
            processing_status=self.status,
            request_counts=self.counts(),
            created_at=rfc3339(self.created_at),
            expires_at=rfc3339(self.expires_at),
            ended_at=rfc3339(self.ended_at) if self.ended_at is not None else None,
            cancel_initiated_at=rfc3339(self.cancel_initiated_at) if self.cancel_initiated_at else None,
            results_url=f"{base_url}/v1/messages/batches/{self.id}/results" if ended else None,
        )

    def results_jsonl(self) -> str:
        return "".join(json.dumps(line) + "\n" for line in self.results)


class BatchStore:
    """Batches by id. A batch ends on the poll after `sim.batch_polls_to_finish` polls saw it in progress."""

    def __init__(self, sim: ClaudeSimulator) -> None:
        self.sim = sim
        self._batches: dict[str, BatchRecord] = {}
        self._lock = threading.RLock()

    def create(self, body: BatchCreateRequest, api_version: str) -> BatchRecord:
        ids = [item.custom_id for item in body.requests]
        duplicates = sorted({custom_id for custom_id in ids if ids.count(custom_id) > 1})
        if duplicates:
            raise invalid_request(f"requests: custom_id values must be unique, repeated: {duplicates[:5]}")
        record = BatchRecord(new_id("msgbatch"), body.requests, api_version, self.sim.clock())
        with self._lock:
            self._batches[record.id] = record
        return record

    def get(self, batch_id: str) -> BatchRecord:
        record = self._batches.get(batch_id)
        if record is None:
            raise ApiError(404, "not_found_error", f"message_batch_id: no batch found with id {batch_id}")
        return record

    def poll(self, batch_id: str) -> BatchRecord:
        with self._lock:
            record = self.get(batch_id)
            if record.status == "ended":
                return record
            if self.sim.clock() >= record.expires_at:
                self._finish(record, "expired")
            elif record.status == "canceling":
                self._finish(record, "canceled")
            elif record.polls >= self.sim.batch_polls_to_finish:
                self._finish(record, None)
            else:
                record.polls += 1
            return record

    def cancel(self, batch_id: str) -> BatchRecord:
        with self._lock:
            record = self.get(batch_id)
            if record.status == "in_progress":
                record.status = "canceling"
                record.cancel_initiated_at = self.sim.clock()
            return record

    def delete(self, batch_id: str) -> str:
        with self._lock:
            record = self.get(batch_id)
            if record.status != "ended":
                raise invalid_request(f"Batch {batch_id} cannot be deleted while processing; cancel it first.")
            del self._batches[batch_id]
            return batch_id

    def page(self, limit: int, after_id: str | None, before_id: str | None) -> tuple[list[BatchRecord], bool]:
        """Most recent first, like the API; cursors are batch ids."""
        ordered = list(reversed(self._batches.values()))
        ids = [record.id for record in ordered]
        if after_id in ids:
            ordered = ordered[ids.index(after_id) + 1 :]
        elif before_id in ids:
            ordered = ordered[: ids.index(before_id)][-limit:]
        return ordered[:limit], len(ordered) > limit

    def _finish(self, record: BatchRecord, forced: ResultType | None) -> None:
        for item in record.items:
            result = {"type": forced} if forced else self._run(item, record.api_version)
            record.results.append({"custom_id": item.custom_id, "result": result})
        record.status = "ended"
        record.ended_at = self.sim.clock()

    def _run(self, item: BatchRequestItem, api_version: str) -> dict[str, Any]:
        """One request, processed in order so later requests read what earlier ones cached."""
        try:
            if self.sim.take_batch_error():
                raise ApiError(500, "api_error", "Internal server error")
            sampling = [p for p in SAMPLING_PARAMS if p in item.params]
            if api_version == SAMPLING_FREE_VERSION and sampling:
                raise invalid_request(f"{sampling[0]}: is not supported with anthropic-version {api_version}")
            request = MessageRequest.model_validate(item.params)
            if request.stream:
                raise invalid_request("stream: streaming is not supported in batch requests")
            message = self.sim.answer(request, self.sim.check_message(request), batch=True)
        except ValidationError as exc:
            error = invalid_request(validation_message(exc))
            return {"type": "errored", "error": error.body(None).model_dump(mode="json", exclude_none=True)}
        except ApiError as exc:
            return {"type": "errored", "error": exc.body(None).model_dump(mode="json", exclude_none=True)}
        return {"type": "succeeded", "message": message.model_dump(mode="json")}
