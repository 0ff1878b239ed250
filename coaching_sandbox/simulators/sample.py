"""The bundled sample corpus served by the Gong simulator: what the pipeline talks to when no GONG_* is set."""

from __future__ import annotations

import threading
from contextlib import ExitStack

from pydantic import BaseModel

SAMPLE_ACCESS_KEY = "sample-access-key"
SAMPLE_ACCESS_KEY_SECRET = "sample-access-key-secret"


class GongEndpoint(BaseModel):
    base_url: str
    access_key: str
    access_key_secret: str
    is_sample: bool


_lock = threading.Lock()
_running: dict[str, GongEndpoint] = {}
_stack = ExitStack()


def sample_gong_endpoint() -> GongEndpoint:
    """Start (once per process) a local Gong simulator over the sample corpus and return where it listens."""
    with _lock:
        if "sample" not in _running:
            from coaching_sandbox.corpus.generate import load_sample_corpus
            from coaching_sandbox.simulators.gong import serve_gong

            running = _stack.enter_context(
                serve_gong(
                    load_sample_corpus(),
                    access_key=SAMPLE_ACCESS_KEY,
                    access_key_secret=SAMPLE_ACCESS_KEY_SECRET,
                )
            )
            _running["sample"] = GongEndpoint(
                base_url=running.base_url,
                access_key=SAMPLE_ACCESS_KEY,
                access_key_secret=SAMPLE_ACCESS_KEY_SECRET,
                is_sample=True,
            )
        return _running["sample"]
