"""Rubric and knowledge-base document shapes; files in rubrics/ and kb/ are validated against these."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Dimension(StrEnum):
    """The four coaching dimensions: one rubric, one analysis asset and one score per call each."""

    DISCOVERY = "discovery"
    PRODUCT_KNOWLEDGE = "product_knowledge"
    OBJECTION_HANDLING = "objection_handling"
    ENGAGEMENT = "engagement"


class RepRole(StrEnum):
    SE = "SE"
    AE = "AE"
    CSM = "CSM"


class Anchors(BaseModel):
    """What a 1, a 3 and a 5 look like for one criterion."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    score_1: str = Field(alias="1", min_length=10)
    score_3: str = Field(alias="3", min_length=10)
    score_5: str = Field(alias="5", min_length=10)


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    description: str
    weight: float = Field(gt=0, le=1)
    applies_to: list[RepRole] = Field(min_length=1)
    anchors: Anchors
    signals: list[str] = Field(default_factory=list, description="Phrases that evidence the criterion.")
    drills: list[str] = Field(min_length=1)


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dimension: Dimension
    version: str = Field(pattern=r"^v\d+$")
    title: str
    method: str = Field(description="The named sales method it is grounded in, e.g. MEDDPICC, LAER.")
    description: str
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("criteria")
    @classmethod
    def _weights_sum_to_one(cls, criteria: list[Criterion]) -> list[Criterion]:
        total = sum(c.weight for c in criteria)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"criterion weights must sum to 1.0, got {total:.3f}")
        ids = [c.id for c in criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("criterion ids must be unique")
        return criteria

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def criteria_for(self, role: RepRole | None) -> list[Criterion]:
        return [c for c in self.criteria if role is None or role in c.applies_to]


class KnowledgeDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_id: str = Field(description="File stem, e.g. prefect_features.")
    product: str
    version: str
    updated: date
    title: str
    terms: list[str] = Field(default_factory=list, description="Product terms a rep should use correctly.")
    competitors: list[str] = Field(default_factory=list)
    body: str = Field(min_length=1)

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()
