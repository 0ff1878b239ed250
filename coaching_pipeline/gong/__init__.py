"""The Gong API: the httpx client, its pydantic reply models, errors and request budgets."""

from coaching_pipeline.gong.budget import InMemoryBudget, RequestBudget
from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.gong.errors import (
    GongAuthError,
    GongBudgetExceeded,
    GongConfigurationError,
    GongCursorExpiredError,
    GongError,
    GongNotFoundError,
    GongRequestError,
    GongResponseError,
    GongUnavailableError,
)
from coaching_pipeline.gong.models import (
    CallMetaData,
    ExtensiveCall,
    GongUser,
    Party,
    TranscriptEntry,
    TranscriptSentence,
)

__all__ = [
    "CallMetaData",
    "ExtensiveCall",
    "GongAuthError",
    "GongBudgetExceeded",
    "GongClient",
    "GongConfigurationError",
    "GongCursorExpiredError",
    "GongError",
    "GongNotFoundError",
    "GongRequestError",
    "GongResponseError",
    "GongUnavailableError",
    "GongUser",
    "InMemoryBudget",
    "Party",
    "RequestBudget",
    "TranscriptEntry",
    "TranscriptSentence",
]
