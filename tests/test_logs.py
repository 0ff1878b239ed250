"""Structured logs: a call's analysis log line carries its run id and call id, as JSON when asked."""

from __future__ import annotations

import io
import json
import logging

import psycopg

from coaching_pipeline.analysis.engine.core import AnalysisEngine
from coaching_pipeline.analysis.offline.analyzer import OfflineAnalyzer
from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.logs import configure_logging, log_context
from tests.analysis.support import KNOWLEDGE, RUBRICS, insert_call, new_date, options


def test_engine_analysis_log_lines_carry_run_and_call_ids(database_url: str, db: psycopg.Connection) -> None:
    handler = configure_logging("json")
    stream = io.StringIO()
    handler.setStream(stream)
    try:
        call_date = new_date()
        call_id = insert_call(db, call_date)
        analyzer = OfflineAnalyzer()
        engine = AnalysisEngine(database_url, analyzer, options=options(), rubrics=RUBRICS, knowledge=KNOWLEDGE)
        engine.analyze_calls([call_id], [Dimension.DISCOVERY], run_id="run-logs-1")
    finally:
        logging.getLogger("coaching_pipeline").removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    stored = [line for line in lines if line["message"] == "analysis stored"]
    assert stored and stored[0]["run_id"] == "run-logs-1" and stored[0]["call_id"] == call_id
    assert stored[0]["dimension"] == "discovery" and stored[0]["level"] == "info"


def test_log_context_nests_and_text_format_names_the_ids() -> None:
    handler = configure_logging("text")
    stream = io.StringIO()
    handler.setStream(stream)
    log = logging.getLogger("coaching_pipeline.test")
    try:
        with log_context(run_id="run-2"), log_context(call_id="call-9"):
            log.info("inside")
        log.info("outside")
    finally:
        logging.getLogger("coaching_pipeline").removeHandler(handler)
    inside, outside = stream.getvalue().splitlines()
    assert "[run=run-2 call=call-9]: inside" in inside
    assert "[run=None call=None]: outside" in outside
