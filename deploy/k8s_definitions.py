"""The code location as Kubernetes runs it: the same definitions, with each step of a run in its own pod.

A backfill is one run (single-run backfill policy) whose steps (transcripts, the four analyses, dbt) then get
pods of their own, sized per step through the `dagster-k8s/config` tag; pools still hold dbt and Gong to one
step at a time. Loaded by the Helm chart's user deployment (deploy/helm/values.yaml); needs the `deploy` extra.
"""

import dagster as dg
from dagster_k8s import k8s_job_executor

from coaching_pipeline.definitions import defs as pipeline

defs = dg.Definitions.merge(pipeline, dg.Definitions(executor=k8s_job_executor))
