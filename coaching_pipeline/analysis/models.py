"""The shape of one coaching analysis (a call scored on one dimension), shared by Claude and offline paths."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coaching_pipeline.knowledge.models import Dimension


class Evidence(BaseModel):
    quote: str = Field(min_length=1, max_length=600, description="Verbatim words from the transcript.")
    speaker: str = Field(description="Speaker name as shown in the transcript.")
    start_seconds: float = Field(ge=0, description="When the quote starts, seconds from call start.")
    criterion_id: str | None = Field(default=None, description="Rubric criterion this evidence supports.")
    verified: bool = Field(default=False, description="Set by our verifier, never trusted from the model.")


class CriterionScore(BaseModel):
    criterion_id: str
    score: int = Field(ge=1, le=5)
    rationale: str = Field(max_length=1200)


class DimensionAnalysis(BaseModel):
    """What the model returns (Claude or offline), validated before anything is stored."""

    dimension: Dimension
    criterion_scores: list[CriterionScore] = Field(min_length=1)
    overall_score: float = Field(ge=1, le=5)
    strengths: list[str] = Field(default_factory=list, max_length=5)
    improvements: list[str] = Field(default_factory=list, max_length=5)
    evidence: list[Evidence] = Field(default_factory=list, max_length=12)
