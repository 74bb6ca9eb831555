"""Follow-ups: when a question leans on the turns before it, and what it leans on."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive.questions import AnswerType, answer_type
from assistant.extractive.words import PRONOUNS, content_words, words
from assistant.markers import strip_markers
from assistant.messages import DECLINES
from assistant.types import Message, Query


def _points_back(question: str) -> bool:
    """A pronoun ("who said that?", "where was it signed?"): it stands for something said before."""
    return not {w.lower() for w in words(question)}.isdisjoint(PRONOUNS)


def dependent(question: str) -> bool:
    """A question that cannot stand alone: a pronoun, too few topic words, or "and ...?"."""
    return (
        _points_back(question)
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
    # a pronoun most often stands for what the last answer named, and a bare "why?" asks the
    # reason for what it said; any other ellipsis without a pronoun ("and the tunnel?", "at what
    # cost?", "and when?") narrows the earlier question, not its answer
    asks_why = not content_words(question) and answer_type(question) is AnswerType.REASON
    answer = _answered(history) if _points_back(question) or asks_why else ""
    return Query(text=question, context=" ".join(context), answer=answer, history=tuple(history))


def _answered(history: Sequence[Message]) -> str:
    """What the last answer said, without its [n] markers: "" when the last turn is not an
    answer, or it declined (a decline says nothing about the documents)."""
    last = history[-1]
    text = " ".join(strip_markers(last.content).split())
    if last.role != "assistant" or text.startswith(DECLINES):
        return ""
    return text
