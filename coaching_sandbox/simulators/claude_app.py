"""Starlette routes speaking the Messages and Message Batches wire protocol over a ClaudeSimulator."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from coaching_sandbox.simulators.claude_state import ClaudeSimulator, LoggedRequest
from coaching_sandbox.simulators.claude_stream import sse_events
from coaching_sandbox.simulators.claude_wire import (
    API_VERSIONS,
    SAMPLING_FREE_VERSION,
    SAMPLING_PARAMS,
    ApiError,
    BatchCreateRequest,
    CountTokensRequest,
    MessageRequest,
    Usage,
    invalid_request,
    new_id,
    validation_message,
)

MAX_MESSAGE_BYTES = 32 * 1024 * 1024
MAX_BATCH_BYTES = 256 * 1024 * 1024
_LOGGED_HEADERS = (
    "anthropic-version",
    "anthropic-beta",
    "content-type",
    "accept",
    "x-stainless-retry-count",
    "idempotency-key",
    "anthropic-workspace-id",
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Answer:
    response: Response
    usage: Usage | None = None


Handler = Callable[[Request, Any, str], Awaitable[Answer]]


def _parse(model: type[M], body: Any) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise invalid_request(validation_message(exc)) from exc


def _authenticate(sim: ClaudeSimulator, request: Request) -> str | None:
    """Bearer (SDK 2.x) or x-api-key (SDK 1.x); only checked when the simulator has a key configured."""
    authorization = request.headers.get("authorization", "")
    bearer = authorization[7:] if authorization.lower().startswith("bearer ") else None
    supplied = request.headers.get("x-api-key") or bearer
    scheme = "x-api-key" if request.headers.get("x-api-key") else "bearer" if bearer else None
    if sim.api_key is not None:
        if not supplied:
            raise ApiError(401, "authentication_error", "x-api-key or Authorization header is required")
        if not secrets.compare_digest(supplied.encode(), sim.api_key.encode()):
            raise ApiError(401, "authentication_error", "invalid x-api-key")
    return scheme


def _api_version(request: Request) -> str:
    version = request.headers.get("anthropic-version")
    if not version:
        raise invalid_request("anthropic-version: header is required")
    if version not in API_VERSIONS:
        raise invalid_request(f"anthropic-version: unknown version {version!r}")
    return version


async def _json_body(request: Request, limit: int) -> Any:
    raw = await request.body()
    if len(raw) > limit:
        raise ApiError(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.")
    try:
        body = json.loads(raw or b"null")
    except ValueError as exc:
        raise invalid_request("Request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise invalid_request("Request body must be a JSON object.")
    return body


def _json(payload: BaseModel | dict[str, Any], usage: Usage | None = None) -> Answer:
    data = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    return Answer(JSONResponse(data), usage)


def build_app(sim: ClaudeSimulator) -> Starlette:
    """The HTTP face of `sim`; every response carries `request-id` and `anthropic-ratelimit-*` headers."""

    def endpoint(handler: Handler, *, body_limit: int | None = None) -> Callable[[Request], Awaitable[Response]]:
        async def serve(request: Request) -> Response:
            request_id = new_id("req")
            headers = {name: request.headers[name] for name in _LOGGED_HEADERS if name in request.headers}
            body: Any = None
            try:
                headers["auth"] = _authenticate(sim, request) or "none"
                version = _api_version(request)
                body = await _json_body(request, body_limit) if body_limit is not None else None
                answer = await handler(request, body, version)
                response, usage, error_type = answer.response, answer.usage, None
            except ApiError as exc:
                payload = exc.body(request_id).model_dump(mode="json", exclude_none=True)
                response = JSONResponse(payload, status_code=exc.status, headers=exc.headers)
                usage, error_type = None, exc.error_type
            response.headers["request-id"] = request_id
            response.headers.update(sim.rate_limit_headers())
            sim.request_log.append(
                LoggedRequest(
                    method=request.method,
                    path=request.url.path,
                    body=body,
                    headers=headers,
                    status=response.status_code,
                    request_id=request_id,
                    usage=usage,
                    error_type=error_type,
                    at=sim.clock(),
                )
            )
            return response

        return serve

    def base_url(request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}"

    async def create_message(request: Request, body: Any, version: str) -> Answer:
        sampling = [name for name in SAMPLING_PARAMS if name in body]
        if version == SAMPLING_FREE_VERSION and sampling:
            raise invalid_request(f"{sampling[0]}: is not supported with anthropic-version {version}")
        parsed = _parse(MessageRequest, body)
        prompt = sim.check_message(parsed)
        fault = sim.take_fault()
        if fault is not None:
            raise fault
        sim.charge_rate_window(prompt)
        if sim.faults.slow_seconds:
            await asyncio.sleep(sim.faults.slow_seconds)
        message = sim.answer(parsed, prompt)
        if parsed.stream:
            return Answer(StreamingResponse(sse_events(message), media_type="text/event-stream"), message.usage)
        return _json(message, message.usage)

    async def count_tokens(request: Request, body: Any, version: str) -> Answer:
        prompt = sim.prompt(_parse(CountTokensRequest, body))
        return _json({"input_tokens": prompt.total})

    async def create_batch(request: Request, body: Any, version: str) -> Answer:
        fault = sim.take_fault(batch=True)
        if fault is not None:
            raise fault
        parsed = _parse(BatchCreateRequest, body)
        for index, item in enumerate(parsed.requests):
            messages = item.params.get("messages")
            if isinstance(messages, list) and all(isinstance(m, dict) for m in messages):
                sim.check_delimiters(item.params.get("system"), messages, where=f"requests.{index}.params.")
        record = sim.batches.create(parsed, version)
        return _json(record.to_wire(base_url(request)))

    async def list_batches(request: Request, body: Any, version: str) -> Answer:
        try:
            limit = int(request.query_params.get("limit", "20"))
        except ValueError as exc:
            raise invalid_request("limit: must be an integer") from exc
        if not 1 <= limit <= 1000:
            raise invalid_request("limit: must be between 1 and 1000")
        records, has_more = sim.batches.page(
            limit, request.query_params.get("after_id"), request.query_params.get("before_id")
        )
        data = [record.to_wire(base_url(request)).model_dump(mode="json") for record in records]
        first, last = (data[0]["id"], data[-1]["id"]) if data else (None, None)
        return _json({"data": data, "has_more": has_more, "first_id": first, "last_id": last})

    async def retrieve_batch(request: Request, body: Any, version: str) -> Answer:
        return _json(sim.batches.poll(request.path_params["batch_id"]).to_wire(base_url(request)))

    async def cancel_batch(request: Request, body: Any, version: str) -> Answer:
        return _json(sim.batches.cancel(request.path_params["batch_id"]).to_wire(base_url(request)))

    async def delete_batch(request: Request, body: Any, version: str) -> Answer:
        batch_id = sim.batches.delete(request.path_params["batch_id"])
        return _json({"id": batch_id, "type": "message_batch_deleted"})

    async def batch_results(request: Request, body: Any, version: str) -> Answer:
        record = sim.batches.get(request.path_params["batch_id"])
        if record.status != "ended":
            raise invalid_request(f"Batch {record.id} has not finished processing; results are not available.")
        return Answer(Response(record.results_jsonl(), media_type="application/binary"))

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        kind = "not_found_error" if status in (404, 405) else "api_error"
        error = ApiError(404 if status == 405 else status, kind, f"Not found: {request.method} {request.url.path}")
        request_id = new_id("req")
        payload = error.body(request_id).model_dump(mode="json", exclude_none=True)
        headers = {"request-id": request_id, **sim.rate_limit_headers()}
        return JSONResponse(payload, status_code=error.status, headers=headers)

    batch = "/v1/messages/batches/{batch_id}"
    routes = [
        Route("/v1/messages", endpoint(create_message, body_limit=MAX_MESSAGE_BYTES), methods=["POST"]),
        Route(
            "/v1/messages/count_tokens",
            endpoint(count_tokens, body_limit=MAX_MESSAGE_BYTES),
            methods=["POST"],
        ),
        Route("/v1/messages/batches", endpoint(create_batch, body_limit=MAX_BATCH_BYTES), methods=["POST"]),
        Route("/v1/messages/batches", endpoint(list_batches), methods=["GET"]),
        Route(batch, endpoint(retrieve_batch), methods=["GET"]),
        Route(batch, endpoint(delete_batch), methods=["DELETE"]),
        Route(f"{batch}/cancel", endpoint(cancel_batch), methods=["POST"]),
        Route(f"{batch}/results", endpoint(batch_results), methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: not_found})
