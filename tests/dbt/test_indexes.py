"""An index added to an incremental mart after its table exists reaches that table on the next run."""

from __future__ import annotations

from pathlib import Path

import psycopg

from tests.dbt.dbt_runs import run_dbt

FOCUS_INDEX_COLUMNS = ["rep_user_id", "dimension", "criterion_id", "call_date"]
INDEXES_ON_FOCUS_COLUMNS = """
select i.indexrelid::regclass::text
from pg_index as i
where
    i.indrelid = 'marts.call_criterion_scores'::regclass
    and (
        select array_agg(a.attname::text order by k.position)
        from unnest(i.indkey::int2 []) with ordinality as k (attnum, position)
        inner join pg_attribute as a on a.attrelid = i.indrelid and a.attnum = k.attnum
    ) = %s
"""


def focus_indexes(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute(INDEXES_ON_FOCUS_COLUMNS, (FOCUS_INDEX_COLUMNS,))]


def test_missing_index_is_created_once_by_the_next_partition_run(marts_url: str, dbt_target: Path) -> None:
    with psycopg.connect(marts_url, autocommit=True) as conn:
        for name in focus_indexes(marts_url):
            conn.execute(f"drop index {name}")
    assert focus_indexes(marts_url) == []
    for _ in range(2):
        run_dbt(marts_url, dbt_target, "run", "--select", "call_criterion_scores", day="2026-09-10")
    assert len(focus_indexes(marts_url)) == 1
