"""Checks on what a user sends: well-formed questions and history, and instructions to break the rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from assistant.errors import QuestionError
from assistant.types import Message

# Attempts to override the assistant's rules. General phrasing, not about any document.
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b[^.?!]{0,40}\b(instructions?|rules?|prompt|"
    r"guidelines?|document|sources?|context|above|previous|everything)\b"
    r"|\b(you are now|from now on,? you|act as|pretend\b|roleplay as|jailbreak|"
    r"developer mode|DAN\b)"
    r"|\b(system prompt|your (?:instructions|rules|prompt))\b"
    r"|\b(?:say|write|claim|state|tell (?:me|us|them))\b[^.?!]{0,30}\b(?:even if|regardless)\b",
    re.IGNORECASE,
)


def check_question(question: object, max_chars: int) -> str:
    """The question stripped, or a QuestionError saying what to send instead."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    stripped = question.strip()
    if not stripped:
        raise QuestionError("the question is empty: type a question about the announcement")
    if len(stripped) > max_chars:
        raise QuestionError(
            f"the question is {len(stripped)} characters long; the limit is {max_chars} "
            "(ASSISTANT_MAX_QUESTION_CHARS): shorten it to one question"
        )
    return stripped


def check_history(history: Sequence[Any] | None) -> list[Message]:
    """History in the messages format; anything else is a QuestionError naming the bad turn."""
    turns: list[Message] = []
    for i, turn in enumerate(history or []):
        try:
            turns.append(turn if isinstance(turn, Message) else Message.model_validate(turn))
        except ValidationError:
            raise QuestionError(
                f"history[{i}] is not a message: use {{'role': 'user' or 'assistant', 'content': text}}"
            ) from None
    return turns


_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{1,200}>", re.IGNORECASE | re.DOTALL)


def without_markup(question: str) -> str:
    """The question with HTML tags (and script or style bodies) taken out, for understanding it.

    The text shown to people is escaped by the front ends; this only keeps markup from
    being read as words of the question.
    """
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", question)).strip() or question


def is_instruction_attack(question: str) -> bool:
    """True when the question tries to change the assistant's rules instead of asking."""
    return _INJECTION.search(question) is not None
