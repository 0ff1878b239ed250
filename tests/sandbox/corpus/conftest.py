"""The default sample corpus, built once per process and shared by the corpus tests."""

from __future__ import annotations

import pytest

from coaching_sandbox.corpus import GongCorpus, load_sample_corpus


@pytest.fixture(scope="session")
def sample() -> GongCorpus:
    return load_sample_corpus()
