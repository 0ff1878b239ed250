"""dbt runs with Python's cyclic garbage collector paused, and the collector always comes back."""

from __future__ import annotations

import gc

import pytest

from coaching_pipeline.defs.dbt_in_process import garbage_collection_paused


def test_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with garbage_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_is_restored_when_dbt_raises() -> None:
    with pytest.raises(RuntimeError), garbage_collection_paused():
        raise RuntimeError("dbt failed")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with garbage_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
