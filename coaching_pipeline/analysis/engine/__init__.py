"""The analysis engine: cache, ledger, spend limits and the sync and batch runners around an analyzer."""

from coaching_pipeline.analysis.engine.core import AnalysisEngine, analyze_calls, analyze_partition, build_analyzer

__all__ = ["AnalysisEngine", "analyze_calls", "analyze_partition", "build_analyzer"]
