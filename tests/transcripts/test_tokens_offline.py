"""tiktoken must work with no network at all: the BPE file comes from a wheel, hash-checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_NO_NETWORK_SCRIPT = """
import socket, sys

def refuse(*args, **kwargs):
    raise OSError("network disabled for this test")

socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from coaching_pipeline.transcripts.tokens import count_tokens, encoding
assert encoding().name == "cl100k_base"
print(count_tokens("Hello José, this naïve € test works offline."))
"""


def test_count_tokens_works_without_network(tmp_path: Path) -> None:
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(tmp_path / "empty-cache"), "COACHING_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", _NO_NETWORK_SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 5
    assert any((tmp_path / "empty-cache").iterdir())


def test_seed_cache_rejects_corrupted_vocabulary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    from coaching_pipeline.transcripts import tokens

    class FakeResource:
        def __truediv__(self, _: str) -> FakeResource:
            return self

        def read_bytes(self) -> bytes:
            return gzip.compress(b"not the real vocabulary")

    monkeypatch.setattr(tokens.resources, "files", lambda _: FakeResource())
    with pytest.raises(tokens.TokenizerError, match="expected hash"):
        tokens.seed_cache(tmp_path)
