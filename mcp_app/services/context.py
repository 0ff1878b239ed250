"""What every service call shares: the app's database URL and the analysis engine it reuses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row

from coaching_pipeline.analysis.engine import AnalysisEngine, build_analyzer
from coaching_pipeline.analysis.engine.options import EngineOptions
from coaching_pipeline.analysis.request import Analyzer
from coaching_pipeline.settings import Settings, get_settings
from mcp_app.services import knowledge_store


@dataclass
class AppContext:
    """One per server: the engine (its circuit breaker outlives a call) is built on first use."""

    url: str
    settings: Settings = field(default_factory=get_settings)
    analyzer: Analyzer | None = None
    _engine: AnalysisEngine | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _idle: list[psycopg.Connection] = field(default_factory=list)

    @contextmanager
    def read(self) -> Iterator[psycopg.Connection]:
        """An autocommit dict-row connection, reused across calls: a new one costs more than most queries."""
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed:
            conn = psycopg.connect(self.url, row_factory=dict_row, autocommit=True)
        try:
            yield conn
        finally:
            if conn.closed or conn.info.transaction_status != TransactionStatus.IDLE:
                conn.close()
            else:
                with self._lock:
                    self._idle.append(conn)

    def engine(self, *, spend_cap_usd: float | None = None) -> AnalysisEngine:
        """The pipeline's own engine over the warehouse's current knowledge base; a spend cap below the
        configured one (a batch's max_cost_usd) gets an engine of its own sharing the analyzer."""
        with self._lock:
            engine = self._engine
        if engine is None:
            built = self._build(None)  # outside the lock: building reads the knowledge base through read()
            with self._lock:
                self._engine = engine = self._engine or built
        if spend_cap_usd is None or spend_cap_usd >= engine.options.spend_cap_usd:
            return engine
        return self._build(spend_cap_usd)

    def knowledge_changed(self) -> None:
        """The next analysis reads the knowledge base again (after update_knowledge_base)."""
        with self._lock:
            self._engine = None

    def _build(self, spend_cap_usd: float | None) -> AnalysisEngine:
        options = EngineOptions.from_settings(self.settings)
        if spend_cap_usd is not None:
            options = options.model_copy(update={"spend_cap_usd": spend_cap_usd})
        analyzer = self.analyzer or build_analyzer(self.settings)
        self.analyzer = analyzer
        with self.read() as conn:
            knowledge = knowledge_store.current_documents(conn)
        return AnalysisEngine(self.url, analyzer, settings=self.settings, options=options, knowledge=knowledge)
