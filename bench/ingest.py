"""Ingest N simulated calls end to end (Gong simulator -> client -> sensor -> assets -> Postgres).

Reports calls/minute, Gong API requests per call (naive client: ~3), and chunking throughput as a ratio
to bare tiktoken encoding of the same transcripts. Last line: one JSON object with the headline figures.

    .venv/bin/python bench/ingest.py [--calls 2000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from datetime import date

import dagster as dg


def _ingest(url: str, corpus, rps: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from coaching_pipeline.defs import ingest
    from coaching_pipeline.defs.jobs import coaching_job
    from coaching_pipeline.defs.resources import GongResource, WarehouseResource
    from coaching_pipeline.defs.sensors import build_gong_calls_sensor, range_tags
    from coaching_pipeline.runner.runs import request_days
    from coaching_sandbox.simulators.gong import serve_gong

    assets = [ingest.gong_users, ingest.raw_transcripts, ingest.chunked_transcripts, ingest.call_interaction_stats]
    with serve_gong(corpus) as gong:
        resources = {
            "warehouse": WarehouseResource(database_url=url),
            "gong": GongResource(
                base_url=gong.base_url,
                access_key=gong.sim.access_key,
                access_key_secret=gong.sim.access_key_secret,
                requests_per_second=rps,
            ),
        }
        instance = dg.DagsterInstance.ephemeral()
        started = time.perf_counter()
        dg.materialize([assets[0]], instance=instance, resources=resources)
        sensor = build_gong_calls_sensor(coaching_job)
        cursor, days, ticks = None, [], 0
        while True:
            result = sensor(dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources))
            cursor, ticks = result.cursor, ticks + 1
            if not result.run_requests:
                break
            days += [d for r in result.run_requests for d in request_days(r)]
        tags = range_tags(min(days), max(days))
        run = dg.materialize(assets[1:], instance=instance, resources=resources, tags=tags)
        elapsed = time.perf_counter() - started
        assert run.success
        requests = len(gong.sim.request_log)
    return {"seconds": elapsed, "gong_requests": requests, "sensor_ticks": ticks}


def _chunk_ratio(url: str, repeats: int) -> dict[str, float]:
    from coaching_pipeline.transcripts.chunking import chunk_transcript
    from coaching_pipeline.transcripts.models import Transcript
    from coaching_pipeline.transcripts.render import render_transcript
    from coaching_pipeline.transcripts.tokens import encoding
    from coaching_pipeline.warehouse.db import connect

    with connect(url) as conn:
        transcripts = [
            Transcript.model_validate(r["normalized"])
            for r in conn.execute("select normalized from raw.transcripts order by call_id limit 400")
        ]
    texts = [render_transcript(t) for t in transcripts]
    enc = encoding()
    tokens = sum(len(enc.encode_ordinary(t)) for t in texts)
    bare, chunked = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for text in texts:
            enc.encode_ordinary(text)
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for transcript in transcripts:
            chunk_transcript(transcript)
        chunked.append(time.perf_counter() - t0)
    bare_rate, chunk_rate = tokens / statistics.median(bare), tokens / statistics.median(chunked)
    return {
        "tokens": tokens,
        "bare_tokens_per_s": bare_rate,
        "chunk_tokens_per_s": chunk_rate,
        "chunking_ratio_to_tiktoken": chunk_rate / bare_rate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rps", type=float, default=3.0, help="client rate limit (Gong allows 3/s)")
    args = parser.parse_args()
    os.environ.setdefault("COACHING_START_DATE", "2026-08-03")
    from coaching_sandbox.corpus.generate import generate_corpus
    from coaching_sandbox.warehouse.scratch import scratch_database

    corpus = generate_corpus(seed=42, calls=args.calls)
    with scratch_database("bench_ingest") as url:
        figures = _ingest(url, corpus, args.rps)
        chunking = _chunk_ratio(url, args.repeats)
    calls = len(corpus.calls)
    naive = 2 * calls + math.ceil(calls / 100)
    headline = {
        "benchmark": "ingest",
        "date": date.today().isoformat(),
        "calls": calls,
        "calls_per_minute": round(calls / figures["seconds"] * 60, 1),
        "end_to_end_seconds": round(figures["seconds"], 1),
        "gong_requests": figures["gong_requests"],
        "gong_requests_per_call": round(figures["gong_requests"] / calls, 4),
        "naive_requests_per_call": round(naive / calls, 2),
        "sensor_ticks": figures["sensor_ticks"],
        "chunking_tokens": chunking["tokens"],
        "chunking_tokens_per_s": round(chunking["chunk_tokens_per_s"]),
        "tiktoken_tokens_per_s": round(chunking["bare_tokens_per_s"]),
        "chunking_ratio_to_tiktoken": round(chunking["chunking_ratio_to_tiktoken"], 3),
    }
    print(json.dumps(headline))


if __name__ == "__main__":
    main()
