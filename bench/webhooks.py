"""Acknowledgement latency of the Gong webhook receiver: N signed deliveries over loopback HTTP.

The receiver runs as operators run it, `coaching webhooks serve` in its own process (JWT verification, body
hash, one insert into raw.gong_webhook_events through the pool); deliveries are signed beforehand and sent
one after another on a keep-alive connection, so the figures are the receiver's round trip as the sender
sees it. Target: p99 under 20 ms. Last line: one JSON object.

    .venv/bin/python bench/webhooks.py [--deliveries 1000] [--warmup 50]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

URL = "https://coaching.example/webhooks/gong"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextmanager
def _receiver(database_url: str, public_key: str) -> Iterator[str]:
    """`coaching webhooks serve` on a free loopback port; stopped (by its pid) when the block exits."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "GONG_WEBHOOK_PUBLIC_KEY": public_key, "GONG_WEBHOOK_URL": URL}
    command = [str(Path(sys.executable).with_name("coaching")), "webhooks", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base_url}/webhooks/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the receiver did not start")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()

    from coaching_pipeline.warehouse.db import connect
    from coaching_sandbox.simulators.gong_webhooks import GongWebhookRule, delivery
    from coaching_sandbox.warehouse.scratch import scratch_database

    rule = GongWebhookRule(URL)
    start = datetime(2026, 11, 2, 15, tzinfo=UTC)
    total = args.warmup + args.deliveries
    bodies = [delivery(str(9_000_000_000 + n), start + timedelta(minutes=n)) for n in range(total)]
    signed = [(body, rule.headers(body, expires_in=3600)) for body in bodies]
    latencies: list[float] = []
    with (
        scratch_database("bench_webhooks") as url,
        _receiver(url, rule.public_key_pem()) as base_url,
        httpx.Client(base_url=base_url, timeout=10) as client,
    ):
        for n, (body, headers) in enumerate(signed):
            t0 = time.perf_counter()
            response = client.post("/webhooks/gong", content=body, headers=headers)
            elapsed = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200, response.text
            if n >= args.warmup:
                latencies.append(elapsed)
        with connect(url) as conn:
            stored = conn.execute("select count(*) as n from raw.gong_webhook_events").fetchone()["n"]
    assert stored == total, f"{stored} events stored for {total} deliveries"
    print(
        json.dumps(
            {
                "benchmark": "webhooks",
                "date": date.today().isoformat(),
                "deliveries": len(latencies),
                "p50_ms": round(statistics.median(latencies), 2),
                "p99_ms": round(_percentile(latencies, 0.99), 2),
                "max_ms": round(max(latencies), 2),
                "target_p99_ms": 20,
                "stored": stored,
            }
        )
    )


if __name__ == "__main__":
    main()
