"""How much of Dagster's and dbt's own output a run from the CLI shows: everything with --verbose; otherwise
it is held back, so the one line per stage the CLI prints stays readable, and its tail is shown only when
something fails. (dagster-dbt writes every dbt event to stdout, and Dagster's console loggers write to
stderr; neither has a public switch for a run executed in process, so both streams are captured.)"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator

SHOWN_ON_FAILURE = 40


@contextlib.contextmanager
def held_back(enabled: bool) -> Iterator[None]:
    """While enabled, capture stdout and stderr for the block; if it raises, write the last lines to stderr."""
    if not enabled:
        yield
        return
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            yield
    except BaseException:
        tail = buffer.getvalue().splitlines()[-SHOWN_ON_FAILURE:]
        if tail:
            sys.stderr.write("\n".join(["... the last lines Dagster and dbt wrote:", *tail]) + "\n")
        raise
