"""Local stand-ins for the machine's edge: a real SMTP server (aiosmtpd) and an HTTP server for Slack's
incoming webhook, each recording what it received and able to refuse on demand."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LocalSmtp:
    """Accepts every message except for addresses in `refuse` (550), keeps the parsed messages."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    attempts: dict[str, int] = field(default_factory=dict)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:  # noqa: N802
        self.attempts[address] = self.attempts.get(address, 0) + 1
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[LocalSmtp]:
        server = cls(port=free_port())
        controller = Controller(server, hostname="127.0.0.1", port=server.port)
        controller.start()
        try:
            yield server
        finally:
            controller.stop()


@dataclass
class LocalSlack:
    """Answers 200 "ok" like an incoming webhook, or 500 while `failures_left` > 0 (or always if -1)."""

    url: str = ""
    payloads: list[dict[str, Any]] = field(default_factory=list)
    failures_left: int = 0
    requests: int = 0

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[LocalSlack]:
        state = cls()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                state.requests += 1
                if state.failures_left:
                    state.failures_left -= 1 if state.failures_left > 0 else 0
                    self._answer(500, b"internal_error")
                    return
                state.payloads.append(json.loads(body))
                self._answer(200, b"ok")

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        state.url = f"http://127.0.0.1:{httpd.server_address[1]}/services/T000/B000/secret"
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield state
        finally:
            httpd.shutdown()
            httpd.server_close()
