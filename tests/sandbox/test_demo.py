"""`coaching demo` with default verbosity says what it does in a screenful and ends with its summary."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import DatabaseFactory

# The sample corpus runs from 2026-08-03 to 2026-10-30; starting at its last two weeks keeps the run short.
START_DATE = "2026-10-19"


def test_demo_output_is_short_and_ends_with_the_summary(database_factory: DatabaseFactory) -> None:
    url = database_factory.create("demo")
    home = Path(tempfile.mkdtemp(prefix="coaching-demo-"))
    env = {**os.environ, "DATABASE_URL": url, "COACHING_HOME": str(home), "COACHING_START_DATE": START_DATE}
    for name in ("GONG_BASE_URL", "GONG_ACCESS_KEY", "GONG_ACCESS_KEY_SECRET", "ANTHROPIC_API_KEY"):
        env.pop(name, None)
    coaching = Path(sys.executable).with_name("coaching")
    result = subprocess.run([str(coaching), "demo"], env=env, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    lines = output.splitlines()
    assert result.returncode == 0, output[-3000:]
    assert len(lines) < 80, output
    assert "did not yield" not in output and "Traceback" not in output
    assert any(line.startswith("Ingested ") for line in lines)
    assert any(line.startswith("Weekly reviews of ") for line in lines)
    assert lines[-1].strip().startswith(("BI tools", "Stop the embedded")) or "coaching db stop" in lines[-1]
    assert any(line.startswith("Done in ") for line in lines[-8:])
