#!/bin/sh
# Every service's entrypoint: Dagster's storage URL derives from DATABASE_URL (same database, schema `dagster`),
# as the `coaching` command derives it locally, so the operator sets one URL.
set -eu
if [ -z "${COACHING_DAGSTER_PG_URL:-}" ] && [ -n "${DATABASE_URL:-}" ]; then
    COACHING_DAGSTER_PG_URL="$(python -c 'import os; from coaching_pipeline.warehouse.db import dagster_storage_url; print(dagster_storage_url(os.environ["DATABASE_URL"]))')"
    export COACHING_DAGSTER_PG_URL
fi
exec "$@"
