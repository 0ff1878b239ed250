"""A deterministic sample of Prefect's sales calls in Gong's API shapes (what `make demo` ingests)."""

from coaching_sandbox.corpus.export import from_json, read_corpus, to_json, write_corpus
from coaching_sandbox.corpus.generate import GongCorpus, corpus_window, generate_corpus, load_sample_corpus

__all__ = [
    "GongCorpus",
    "corpus_window",
    "from_json",
    "generate_corpus",
    "load_sample_corpus",
    "read_corpus",
    "to_json",
    "write_corpus",
]
