"""Dollars per call of the analysis engine on the sample corpus, via the Claude simulator, at list prices.

Figures (Sonnet row of the price table, mean USD per call, four dimensions each):
  (a) naive      four full prompts per call, nothing cached (the same prompts, billed as plain input)
  (b) cached     ours, synchronous, with the prompt-cache layout (system, then transcript, then the ask)
  (c) batch      ours through Message Batches (half price, 1-hour cache TTL)
  (d) floor      every transcript token read once at the input price, plus the outputs
Then (b) is run again: it must cost $0 with a 100% analysis-cache hit rate. Targets: (c) within 2x of (d),
and (c) at least 20x cheaper than the original plan's $3.17 per call. Last line: one JSON object.

    .venv/bin/python bench/cost.py [--calls N]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, datetime
from typing import Any

from psycopg.types.json import Jsonb

ORIGINAL_PLAN_USD = 3.17
MODEL = "claude-sonnet-5-5"


def _load(url: str, limit: int | None) -> tuple[list[str], dict[str, int]]:
    """Normalize the corpus into raw users, calls and transcripts; return call ids and transcript tokens."""
    from coaching_pipeline.ingestion.classify import call_type_from_title, role_from_title
    from coaching_pipeline.transcripts.normalize import TranscriptError, normalize_transcript
    from coaching_pipeline.transcripts.render import render_transcript
    from coaching_pipeline.transcripts.tokens import count_tokens
    from coaching_pipeline.warehouse.db import connect
    from coaching_sandbox.corpus.generate import load_sample_corpus

    corpus = load_sample_corpus()
    call_ids, tokens = [], {}
    with connect(url, autocommit=True) as conn:
        for user in corpus.users:
            conn.execute(
                "insert into raw.users (user_id, role, title, payload) values (%s, %s, %s, %s)",
                (user["id"], role_from_title(user.get("title")), user.get("title"), Jsonb(user)),
            )
        for call in corpus.calls:
            if limit is not None and len(call_ids) >= limit:
                break
            meta = call["metaData"]
            try:
                transcript = normalize_transcript(
                    meta["id"], call["parties"], corpus.transcripts[meta["id"]], meta["primaryUserId"]
                )
            except TranscriptError:
                continue
            started = datetime.fromisoformat(meta["started"])
            conn.execute(
                """insert into raw.calls (call_id, call_date, started_at, duration_seconds, title,
                   primary_user_id, call_type, payload, transcript_status)
                   values (%s, %s, %s, %s, %s, %s, %s, %s, 'ready')""",
                (
                    meta["id"],
                    started.date(),
                    started,
                    meta["duration"],
                    meta["title"],
                    meta["primaryUserId"],
                    call_type_from_title(meta["title"]),
                    Jsonb(meta),
                ),
            )
            text = render_transcript(transcript)
            conn.execute(
                """insert into raw.transcripts (call_id, payload, normalized, sha256, token_count, turn_count,
                   sentence_count) values (%s, '[]', %s, %s, %s, %s, 0)""",
                (
                    meta["id"],
                    Jsonb(transcript.model_dump(mode="json")),
                    _sha(transcript.model_dump_json()),
                    count_tokens(text),
                    len(transcript.turns),
                ),
            )
            call_ids.append(meta["id"])
            tokens[meta["id"]] = count_tokens(text)
    return call_ids, tokens


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _ledger(url: str, run_id: str) -> dict[str, float]:
    from coaching_pipeline.warehouse.db import connect

    with connect(url) as conn:
        row = conn.execute(
            """select count(*) as requests, coalesce(sum(cost_usd), 0) as cost,
                      coalesce(sum(input_tokens + cache_creation_input_tokens + cache_read_input_tokens), 0)
                          as prompt_tokens,
                      coalesce(sum(output_tokens), 0) as output_tokens
               from coaching.llm_requests where run_id = %s and status <> 'error'""",
            (run_id,),
        ).fetchone()
    return {key: float(value) for key, value in row.items()}


def _run(url: str, base_url: str, call_ids: list[str], run_id: str, *, batch: bool) -> tuple[Any, float]:
    from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer
    from coaching_pipeline.analysis.engine.core import AnalysisEngine
    from coaching_pipeline.analysis.engine.options import EngineOptions
    from coaching_pipeline.knowledge.models import Dimension
    from coaching_pipeline.settings import Settings

    settings = Settings(anthropic_api_key="bench", anthropic_base_url=base_url, coaching_model=MODEL)
    # Dollars are measured here, not our throttling: lift the spend cap and the input-token bucket.
    options = EngineOptions.from_settings(
        settings, spend_cap_usd=1e9, input_tokens_per_minute=10**9, batch_poll_seconds=0.05
    )
    engine = AnalysisEngine(url, ClaudeAnalyzer(settings), settings=settings, options=options)
    started = time.perf_counter()
    report = engine.analyze_calls(call_ids, list(Dimension), run_id=run_id, use_batch=batch)
    return report, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=None, help="analyse only the first N calls")
    args = parser.parse_args()

    from coaching_pipeline.analysis.costs import load_price_table
    from coaching_sandbox.simulators.claude import serve_claude
    from coaching_sandbox.warehouse.scratch import scratch_database

    prices = load_price_table().prices_for(MODEL)
    figures: dict[str, Any] = {"date": date.today().isoformat(), "model": MODEL}
    with scratch_database("bench_cost_sync") as sync_url, scratch_database("bench_cost_batch") as batch_url:
        call_ids, tokens = _load(sync_url, args.calls)
        _load(batch_url, args.calls)
        n = len(call_ids)
        with serve_claude() as claude:
            cached, seconds = _run(sync_url, claude.base_url, call_ids, "bench-cached", batch=False)
            again, _ = _run(sync_url, claude.base_url, call_ids, "bench-again", batch=False)
        with serve_claude() as claude:
            batched, batch_seconds = _run(batch_url, claude.base_url, call_ids, "bench-batch", batch=True)
        sync_ledger = _ledger(sync_url, "bench-cached")
    naive = (sync_ledger["prompt_tokens"] * prices.input + sync_ledger["output_tokens"] * prices.output) / 1e6
    floor = (sum(tokens.values()) * prices.input + sync_ledger["output_tokens"] * prices.output) / 1e6
    per_call = {
        "naive_usd_per_call": naive / n,
        "cached_usd_per_call": cached.cost_usd / n,
        "batch_usd_per_call": batched.cost_usd / n,
        "floor_usd_per_call": floor / n,
    }
    figures |= {key: round(value, 5) for key, value in per_call.items()}
    figures |= {
        "calls": n,
        "failures": cached.failures + batched.failures,
        "batch_vs_floor": round(per_call["batch_usd_per_call"] / per_call["floor_usd_per_call"], 3),
        "plan_vs_batch": round(ORIGINAL_PLAN_USD / per_call["batch_usd_per_call"], 1),
        "naive_vs_cached": round(per_call["naive_usd_per_call"] / per_call["cached_usd_per_call"], 2),
        "mean_transcript_tokens": round(sum(tokens.values()) / n),
        "output_tokens_per_call": round(sync_ledger["output_tokens"] / n),
        "second_run_usd": again.cost_usd,
        "second_run_hit_rate": round(again.cache_hits / max(1, again.cache_hits + again.cache_misses), 4),
        "sync_seconds": round(seconds, 1),
        "batch_seconds": round(batch_seconds, 1),
    }
    figures["targets_met"] = (
        figures["batch_vs_floor"] <= 2.0
        and figures["plan_vs_batch"] >= 20
        and figures["second_run_usd"] == 0
        and figures["second_run_hit_rate"] == 1.0
    )
    for key, value in figures.items():
        print(f"{key:>24}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
