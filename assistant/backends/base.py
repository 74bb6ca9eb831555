"""The interface every answer backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assistant.response import Response
from assistant.types import Message, Passage, Query


class AnswerBackend(Protocol):
    """Turns a question and retrieved passages into a streamed, cited Answer.

    `condense` reads a follow-up with the turns it leans on; `stream` returns a Response
    whose deltas spell the final Answer's text. Citations must be spans of the corpus
    (the Assistant verifies them).
    """

    name: str
    model: str | None

    def condense(self, question: str, history: Sequence[Message]) -> Query:
        """The question as it stands alone, with the context it drew on (none without history)."""
        ...

    def stream(self, query: Query, passages: Sequence[Passage]) -> Response: ...

    def describe(self) -> str:
        """A one-line description for people: the backend, and its model and server if any."""
        ...
