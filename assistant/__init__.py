"""The announcement assistant: answers about the seed documents, with verified citations."""

from assistant import offline

offline.apply()

from assistant.api import Assistant  # noqa: E402
from assistant.config import Settings, load_settings  # noqa: E402
from assistant.errors import (  # noqa: E402
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
from assistant.types import Answer, Citation, Message, Passage  # noqa: E402

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
