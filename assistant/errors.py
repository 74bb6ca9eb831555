"""Errors the assistant raises, each with a message that says what to do.

AssistantError
├── ConfigError          a setting is wrong or missing (names the variable)
├── QuestionError        the question is empty or too long
├── SeedsError           the seeds folder is missing, empty or unreadable
├── IndexStoreError      the vector store cannot be reached or opened
├── BackendError         the answer backend failed
│   ├── BackendAuthError     the server refused the key (401/403)
│   ├── BackendRateLimited   429 after every retry
│   └── BackendReplyError    5xx, timeout, connection failure, unusable reply
│       └── MalformedReplyError  200 with something that is not a chat completion
├── GoldenFileError      the golden Q&A file cannot be read (missing, not UTF-8)
└── GoldenSchemaError    the golden Q&A file breaks the schema (every line at fault listed)

Every one is exported from `assistant`; the CLI prints the message and exits 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


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


class MalformedReplyError(BackendReplyError):
    """The server answered 200 with something that is not a chat completion."""


class GoldenFileError(AssistantError):
    """The golden file cannot be read at all (missing, not UTF-8)."""


@dataclass(frozen=True)
class SchemaProblem:
    """One thing wrong with one line of a golden file (line 0: the file as a whole)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class GoldenSchemaError(AssistantError):
    """A golden file breaks the schema; nothing was run. `problems` lists every line at fault."""

    def __init__(self, path: Path, problems: Sequence[SchemaProblem]) -> None:
        self.path = path
        self.problems = list(problems)
        shown = "\n".join(f"  {path}:{p}" if p.line else f"  {path}: {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(
            f"golden file {path} breaks the schema ({count} problem{'s' if count != 1 else ''}); "
            f"no question was run:\n{shown}"
        )
