"""Follow-ups: when a question leans on the turns before it, and what it leans on."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive.words import PRONOUNS, content_words, words
from assistant.types import Message, Query


def dependent(question: str) -> bool:
    """A question that cannot stand alone: a pronoun, too few topic words, or "and ...?"."""
    lowered = {w.lower() for w in words(question)}
    return (
        bool(lowered & PRONOUNS)
        or len(content_words(question)) < 2
        or bool(re.match(r"^(and|what about|how about|also)\b", question.strip(), re.I))
    )


def condense(question: str, history: Sequence[Message]) -> Query:
    """Carry the earlier question(s) along when this one leans on them."""
    if not history or not dependent(question):
        return Query(text=question, history=tuple(history))
    context: list[str] = []
    for turn in reversed(history):
        if turn.role != "user":
            continue
        context.insert(0, turn.content.strip())
        if not dependent(turn.content) or len(context) == 2:
            break
    return Query(text=question, context=" ".join(context), history=tuple(history))
