"""The citation gate: nothing of a model's answer is shown until it cites a source that holds up.

A small model writes "1" for "How many bridges reopened?", or a paragraph of claims
with no marker at all, or obeys an instruction planted in a question. The gate holds the
(marker-filtered) text back until it carries at least one valid [n] and, when it states
numbers, at least one of them is found in the quotes it cites; from then on text streams
as it comes. A reply that never gets there is never shown (`passed` stays False) and the
caller puts a checked answer in its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.citations import facts, unsupported_facts
from assistant.types import Citation

_NAME = re.compile(r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


def numbers(text: str) -> list[str]:
    """The numbers, number words, months and days that text states (names left out)."""
    return [fact for fact in facts(text) if not _NAME.fullmatch(fact)]


def holds_up(text: str, citations: list[Citation]) -> bool:
    """At least one citation, and no number stated unless one of them is in a quote it cites."""
    if not citations:
        return False
    stated = numbers(text)
    if not stated:
        return True
    unsupported = set(unsupported_facts(text, citations))
    return any(number not in unsupported for number in stated)


class CitationGate:
    """Holds text back until `holds_up(text, cite(text))`; then lets it through as it comes."""

    def __init__(self, cite: Callable[[str], list[Citation]]) -> None:
        self.cite = cite
        self.text = ""
        self.passed = False

    def feed(self, piece: str) -> str:
        """What may be shown now: nothing while held, the held text when it passes, then each piece."""
        self.text += piece
        if self.passed:
            return piece
        # no marker closed yet: nothing can cite, so the (costly) check waits for the first "]"
        if piece and "]" in self.text and holds_up(self.text, self.cite(self.text)):
            self.passed = True
            return self.text
        return ""
