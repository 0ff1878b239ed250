"""The bundled sample tenant: the Gong simulator over the sample corpus, handed to the pipeline as GONG_*."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from coaching_pipeline.settings import get_settings
from coaching_sandbox.corpus.generate import load_sample_corpus
from coaching_sandbox.simulators.gong import serve_gong

SAMPLE_ACCESS_KEY = "sample-access-key"
SAMPLE_ACCESS_KEY_SECRET = "sample-access-key-secret"


@contextmanager
def sample_gong_environment() -> Iterator[dict[str, str]]:
    """Serve the sample corpus on a loopback port and export its URL and key pair as GONG_* for the block
    (restoring what was there after), exactly as an operator would configure a real tenant."""
    with serve_gong(
        load_sample_corpus(), access_key=SAMPLE_ACCESS_KEY, access_key_secret=SAMPLE_ACCESS_KEY_SECRET
    ) as running:
        env = {
            "GONG_BASE_URL": running.base_url,
            "GONG_ACCESS_KEY": SAMPLE_ACCESS_KEY,
            "GONG_ACCESS_KEY_SECRET": SAMPLE_ACCESS_KEY_SECRET,
        }
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        get_settings.cache_clear()
        try:
            yield env
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            get_settings.cache_clear()
