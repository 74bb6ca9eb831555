"""Errors the assistant raises, each with a message that says what to do.

AssistantError
├── ConfigError          a setting is wrong or missing (names the variable)
├── QuestionError        the question is empty or too long
├── SeedsError           the seeds folder is missing, empty or unreadable
├── IndexStoreError      the vector store cannot be reached or opened
└── BackendError         the answer backend failed
    ├── BackendAuthError     the server refused the key (401/403)
    ├── BackendRateLimited   429 after every retry
    └── BackendReplyError    5xx, timeout, connection failure, malformed reply
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: every error the assistant raises on purpose."""


class ConfigError(AssistantError):
    """A setting is missing or has a value the assistant cannot use."""


class QuestionError(AssistantError):
    """The question cannot be asked as given."""


class SeedsError(AssistantError):
    """The source documents cannot be loaded."""


class IndexStoreError(AssistantError):
    """The vector store cannot be opened or reached."""


class BackendError(AssistantError):
    """The answer backend failed."""


class BackendAuthError(BackendError):
    """The model server refused the credentials."""


class BackendRateLimited(BackendError):
    """The model server kept answering 429 after every retry."""


class BackendReplyError(BackendError):
    """The model server failed, timed out, or replied with something unusable."""
