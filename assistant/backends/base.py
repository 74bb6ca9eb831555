"""The interface every answer backend implements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from assistant.types import Answer, Message, Passage

Turn = str | Answer  # a streamed text delta, and last of all the Answer


class AnswerBackend(Protocol):
    """Turns a question and retrieved passages into streamed text and a cited Answer.

    `stream` yields text deltas and then exactly one Answer whose text equals the
    deltas joined. Citations must be spans of the corpus (the Assistant verifies them).
    """

    name: str
    model: str | None

    def condense(self, question: str, history: Sequence[Message]) -> str:
        """A standalone question for a follow-up; the question itself when there is no history."""
        ...

    def stream(
        self, question: str, passages: Sequence[Passage], history: Sequence[Message]
    ) -> Iterator[Turn]: ...
