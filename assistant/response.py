"""A streamed answer: iterate for the text as it is written, then read the final Answer.

Backends produce one with `Response(generator)`, where the generator yields text deltas and
returns the Answer; front ends never have to tell a delta from the Answer:

    response = bot.respond("When does the new service start?")
    for delta in response:
        print(delta, end="")
    answer = response.answer()   # the cited Answer whose text the deltas spell
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator

from assistant.errors import BackendReplyError
from assistant.types import Answer

Parts = Generator[str, None, Answer]


class Response:
    """Text deltas while the answer is produced; `answer()` and `text()` once it is done.

    Iterating a second time yields nothing; `answer()` before iterating runs it to the end.
    """

    def __init__(self, parts: Parts, finish: Callable[[Answer], Answer] | None = None) -> None:
        self._parts = parts
        self._finish = finish
        self._answer: Answer | None = None
        self._done = False

    def __iter__(self) -> Iterator[str]:
        if self._done:
            return
        self._done = True
        answer = yield from self._parts
        if not isinstance(answer, Answer):
            raise BackendReplyError("the answer backend ended without an answer")
        self._answer = self._finish(answer) if self._finish else answer

    def answer(self) -> Answer:
        """The final Answer, running the rest of the stream first if it has not run."""
        for _ in self:
            pass
        if self._answer is None:
            raise BackendReplyError("the answer backend ended without an answer")
        return self._answer

    def text(self) -> str:
        return self.answer().text
