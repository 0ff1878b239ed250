"""Run a dbt command inside the Dagster run's own process and stream its results as Dagster events.

dagster-dbt's DbtCliResource starts a `dbt` subprocess for every command: a fresh interpreter that imports
dbt and reloads the project, about five seconds before the first model runs, while a one-day partition
build needs about one second of SQL. dbt's documented Python entry point (dbtRunner) runs the same command
here, where importing dagster-dbt has already loaded most of dbt. Its callbacks receive the very messages
`--log-format json` prints, so dagster-dbt's own DbtCoreCliEventMessage turns them into the same Output and
AssetCheckResult events a subprocess would give. dbt runs in a worker thread so results stream as they come.

dbt keeps process-wide state (flags, adapters, the event manager), so one process runs one dbt command at a
time: Dagster gives every run its own process, and the lock below serializes the in-process executor.

Python's cyclic garbage collector is paused while dbt runs (invoke_dbt): dbt allocates hundreds of thousands
of long-lived objects per command (the manifest, each node's Jinja context), so the collector kept
re-scanning them, a fifth of a one-day build. Garbage is bounded by the number of nodes, not rows (the data
stays in Postgres). When dbt returns, one collection of the youngest generation, where everything allocated
during the pause still sits, frees the command's cyclic garbage (about 45 ms; a full collection would also
re-scan Dagster's and dbt's long-lived heap, about 240 ms).
"""

from __future__ import annotations

import gc
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dbt_common.events.base_types import EventMsg
from dbt_common.events.functions import msg_to_dict

from coaching_pipeline.defs import dbt_cte_injection

_ONE_COMMAND_AT_A_TIME = threading.Lock()
_FINISHED = object()
# The events dagster-dbt turns into materializations and check results (DbtCoreCliEventMessage).
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})


@dataclass(frozen=True)
class DbtCommand:
    """What to run and where: the args after `dbt` (no selection: the context selects), the project, the
    profiles directory, and a target directory of the command's own."""

    args: Sequence[str]
    project: DbtProject
    profiles_dir: Path
    target_path: Path


class DbtCommandFailed(dg.Failure):
    """dbt finished with errors; the description names each failing node and its message."""


def stream_dbt(command: DbtCommand, context: dg.AssetExecutionContext) -> Iterator[Any]:
    """Run `command` for the assets and checks selected in `context`; yield their Dagster events as each
    node finishes, then raise DbtCommandFailed if any node failed (after yielding what succeeded)."""
    params = get_updated_cli_invocation_params_for_context(
        context=context, manifest={}, dagster_dbt_translator=DagsterDbtTranslator()
    )
    project_dir = Path(params.dbt_project.project_dir) if params.dbt_project else command.project.project_dir
    argv = [
        *command.args,
        *params.selection_args,
        *(["--indirect-selection", params.indirect_selection] if params.indirect_selection else []),
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(command.profiles_dir),
        "--target-path",
        str(command.target_path),
        "--log-path",
        str(command.target_path),
        "--no-version-check",
        "--no-use-colors",
    ]
    with _ONE_COMMAND_AT_A_TIME:
        results: list[Any] = []
        for raw_event in _run_in_thread(argv, results):
            event = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
            yield from event.to_default_asset_events(
                manifest=params.manifest,
                dagster_dbt_translator=params.dagster_dbt_translator,
                context=context,
                target_path=command.target_path,
                project=command.project,
            )
    _raise_on_failure(argv, results[0])


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, then collect what it allocated (see the module docstring)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(0)


def invoke_dbt(argv: Sequence[str], callbacks: Sequence[Callable[[EventMsg], None]] = ()) -> Any:
    """dbtRunner(callbacks).invoke(argv) with garbage collection paused and dbt_cte_injection installed;
    returns dbt's dbtRunnerResult."""
    from dbt.cli.main import dbtRunner

    dbt_cte_injection.install()
    with garbage_collection_paused():
        return dbtRunner(callbacks=list(callbacks)).invoke(list(argv))


def _run_in_thread(argv: Sequence[str], results: list[Any]) -> Iterator[Mapping[str, Any]]:
    """dbt's node-result events as dicts, while dbt runs in a worker thread; its dbtRunnerResult lands in
    `results` once the iterator is exhausted."""
    events: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def on_event(message: EventMsg) -> None:
        if message.info.name in RESULT_EVENTS:
            events.put(msg_to_dict(message))

    def invoke() -> None:
        try:
            results.append(invoke_dbt(argv, callbacks=[on_event]))
        except BaseException as error:  # handed to the caller's thread below
            results.append(error)
        finally:
            events.put(_FINISHED)

    worker = threading.Thread(target=invoke, name="dbt", daemon=True)
    worker.start()
    while (item := events.get()) is not _FINISHED:
        yield item
    worker.join()
    if isinstance(results[0], BaseException):
        raise results[0]


def _raise_on_failure(argv: Sequence[str], result: Any) -> None:
    if result.success:
        return
    problems = [
        f"{node.node.unique_id}: {node.status} {node.message or ''}".strip()
        for node in getattr(result.result, "results", None) or []
        if str(node.status) in FAILED_STATUSES
    ]
    detail = "\n".join(problems) or repr(result.exception)
    raise DbtCommandFailed(
        description=f"dbt {' '.join(argv[:1])} failed:\n{detail}",
        metadata={"failed_nodes": len(problems)},
    )
