"""What a pipeline run from the CLI can refuse or fail with, in modules light enough for `coaching --help`."""

from __future__ import annotations


class PipelineRunError(RuntimeError):
    """A Dagster run failed; the message names the failed steps."""


class RangeError(ValueError):
    """A date option the pipeline cannot run: the message names the option, the value and what is accepted."""
