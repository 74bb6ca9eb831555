"""The announcement assistant: answers about the seed documents, with verified citations.

Importing it has no side effects; the offline switches (assistant.offline) are applied
where the model, tokenizer, index and clients are created.
"""

from assistant.api import Assistant
from assistant.config import Settings, load_settings
from assistant.errors import (
    AssistantError,
    BackendAuthError,
    BackendError,
    BackendRateLimited,
    BackendReplyError,
    ConfigError,
    GoldenFileError,
    GoldenSchemaError,
    IndexStoreError,
    MalformedReplyError,
    QuestionError,
    SeedsError,
)
from assistant.types import Answer, Citation, Message, Passage

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "BackendAuthError",
    "BackendError",
    "BackendRateLimited",
    "BackendReplyError",
    "Citation",
    "ConfigError",
    "GoldenFileError",
    "GoldenSchemaError",
    "IndexStoreError",
    "MalformedReplyError",
    "Message",
    "Passage",
    "QuestionError",
    "SeedsError",
    "Settings",
    "load_settings",
]
