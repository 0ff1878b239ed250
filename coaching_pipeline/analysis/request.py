"""What an analyzer is asked (one call, one dimension) and the protocol every analyzer implements."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel

from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.knowledge.models import Dimension, KnowledgeDocument, RepRole, Rubric
from coaching_pipeline.transcripts.models import Transcript


class AnalysisRequest(BaseModel):
    transcript: Transcript
    dimension: Dimension
    rubric: Rubric
    knowledge: list[KnowledgeDocument]
    rep_role: RepRole | None = None
    call_type: str | None = None


class Analyzer(Protocol):
    """Claude and the offline heuristic both score a call this way; the engine adds cache, ledger, verification."""

    model: str
    kind: Literal["claude", "offline"]

    def analyze(self, request: AnalysisRequest) -> DimensionAnalysis: ...
