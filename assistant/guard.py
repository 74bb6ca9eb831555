"""Checks on what a user sends: well-formed questions and history, and instructions to break the rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from assistant.errors import QuestionError
from assistant.types import Message

# Attempts to change the assistant's rules, judged by what is asked of the assistant, not by
# single words: "ignore the transfer for a moment" or "pretend I know nothing" are ordinary
# questions; "ignore your instructions" or "pretend you are" are not. About English, not
# about any document.
_RULES = (
    r"(?:instructions?|rules?|prompts?|guidelines?|guardrails?|restrictions?|constraints?|"
    r"programming|directives?|system message|safety|filters?)"
)
_ATTACKS = [
    # overriding the rules: "ignore all previous instructions", "forget your rules"
    rf"\b(?:ignore|disregard|forget|override|bypass|drop|skip)\b(?:\s+(?:all|any|the|your|my|of|previous|"
    rf"prior|above|earlier|these|those|former|original|every|existing))*\s+{_RULES}",
    # answering from elsewhere than the documents
    r"\b(?:ignore|disregard|forget)\b(?:\s+(?:the|this|that|your))?\s+(?:document|sources?|announcement|"
    r"article|text|context)\b(?:\s+\w+){0,3}\s+(?:and|then|,)\s+(?:just\s+)?(?:answer|tell|say|use|make|guess|speculate)",
    r"\bguess anyway\b|\bdon'?t refuse\b|\bfrom (?:your\s+)?memory\b",
    # a message posing as the system or its developer
    r"^\W*(?:system|admin|developer|root)\s*:|\bdebug mode\b|\b(?:dump|print|show)\s+your\s+(?:config|configuration|settings)\b",
    r"\b(?:use|using|from|with|rely on|draw on)\s+your\s+(?:own\s+)?(?:general\s+)?(?:knowledge|training|memory|opinion)",
    r"\bwithout\s+(?:using|relying on|checking|looking at|citing)\s+(?:the\s+)?(?:document|sources?|announcement|article)",
    # becoming someone else: "you are now", "pretend you are", "act as an unfiltered AI"
    r"\byou are now\b|\bfrom now on,?\s+(?:you|act|answer|respond|reply)\b",
    r"\bpretend\s+(?:that\s+)?(?:you|you're|you are|to be|there (?:are|is) no)\b",
    # making the documents say something else: "pretend the article says ..."
    r"\b(?:pretend|imagine|suppose|assume)\s+(?:that\s+)?(?:the|this)\s+(?:article|document|announcement|"
    r"text|source|statement)s?\s+(?:says?|said|states?|mentions?|claims?|reports?)\b",
    r"\b(?:act|behave|respond)\s+(?:as if you|as though you|like you)\b",
    r"\bact as\s+(?:an?\s+)?(?:\w+\s+)?(?:ai|assistant|model|chatbot|bot|gpt)\b(?:\s+\w+){0,4}\s+(?:without|with no|that|who)\b",
    r"\bact as\s+(?:an?\s+)?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|rogue)\b",
    r"\b(?:roleplay|role-play)\s+as\b|\bjailbreak|\bdeveloper mode\b|\bdo anything now\b",
    # reading out the hidden prompt
    r"\bsystem prompt\b|\b(?:reveal|show|print|repeat|output|display|leak|share)\b[^.?!]{0,25}\b(?:your|the)\s+"
    r"(?:hidden\s+|initial\s+|original\s+|secret\s+)?(?:instructions|prompt|rules|guidelines|system message)",
    r"\b(?:repeat|print|show|output)\b[^.?!]{0,20}\b(?:text|everything|words)\s+above\b",
    r"\byour\s+(?:instructions|system prompt|hidden prompt|programming)\b",
    # writing something new instead of asking what the documents say: "write me a statement
    # saying ...", "make up a plausible name"; asked of the assistant (the start of a clause,
    # "can you ...", "and ..."), never "did she write a letter"
    r"(?:^|[.:;!?,\-]\s*|\b(?:and|then|just|please|now|can you|could you|would you|will you)\s+)"
    r"(?:write|compose|draft|invent|fabricate|make up|come up with|generate|create)\s+"
    r"(?:(?!(?:of|when|where|what|who|why|how|down|about|for|from|to|in|on|at|with|that|which)\b)[\w'’-]+\s+){0,3}?"
    r"(?:statement|letter|story|poem|essay|tweet|post|e-?mail|speech|op-ed|"
    r"(?:opinion\s+)?piece|demand|press release|name|quote|quotation|song|limerick|script|dialogue|"
    r"headline|rumou?r)s?\b",
    r"\blet'?s play a game\b",
    # saying something whatever the documents say
    r"\b(?:say|write|claim|state|tell (?:me|us|them))\b[^.?!]{0,30}\b(?:even if|regardless)\b",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _ATTACKS), re.IGNORECASE)
_SHOUTED = re.compile(r"\bDAN\b")  # the "Do Anything Now" persona: in capitals, unlike the name Dan


DEFAULT_HISTORY_TURNS = 20  # the defaults of ASSISTANT_MAX_HISTORY_TURNS and _CHARS
DEFAULT_HISTORY_CHARS = 20_000


def _bad_character(text: str) -> str | None:
    """Where `text` holds something that is not a character (a lone surrogate, a byte that was not UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"position {exc.start} holds {text[exc.start]!r}, which is not a character"
    return None


def check_question(question: object, max_chars: int) -> str:
    """The question stripped, or a QuestionError saying what to send instead."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    bad = _bad_character(question)
    if bad:
        raise QuestionError(
            f"the question is not valid text ({bad}; a byte that is not UTF-8, or half of a "
            "surrogate pair): send it as UTF-8 text"
        )
    stripped = question.strip()
    if not stripped:
        raise QuestionError("the question is empty: type a question about the announcement")
    if len(stripped) > max_chars:
        raise QuestionError(
            f"the question is {len(stripped)} characters long; the limit is {max_chars} "
            "(ASSISTANT_MAX_QUESTION_CHARS): shorten it to one question"
        )
    return stripped


def check_history(
    history: Sequence[Any] | None,
    max_turns: int = DEFAULT_HISTORY_TURNS,
    max_chars: int = DEFAULT_HISTORY_CHARS,
) -> list[Message]:
    """The most recent turns of the history that fit the limits, or a QuestionError naming what is wrong.

    Older turns past `max_turns` or `max_chars` are left out, as a chat forgets; the last turn
    alone longer than `max_chars` is an error (ASSISTANT_MAX_HISTORY_CHARS).
    """
    if history is None:
        return []
    if isinstance(history, str | bytes) or not isinstance(history, Sequence):
        raise QuestionError(
            f"history must be a list of messages, not {type(history).__name__}: use "
            "[{'role': 'user' or 'assistant', 'content': text}, ...], or [] for none"
        )
    turns: list[Message] = []
    for i, turn in enumerate(history):
        try:
            message = turn if isinstance(turn, Message) else Message.model_validate(turn)
        except ValidationError:
            raise QuestionError(
                f"history[{i}] is not a message: use {{'role': 'user' or 'assistant', 'content': text}}"
            ) from None
        bad = _bad_character(message.content)
        if bad:
            raise QuestionError(f"history[{i}] is not valid text ({bad}): send every turn as UTF-8 text")
        turns.append(message)
    if turns and len(turns[-1].content) > max_chars:
        raise QuestionError(
            f"history[{len(turns) - 1}] is {len(turns[-1].content):,} characters long; the limit for the "
            f"history is {max_chars:,} (ASSISTANT_MAX_HISTORY_CHARS): send a shorter history"
        )
    kept: list[Message] = []
    used = 0
    for message in reversed(turns[len(turns) - max_turns :] if max_turns else []):
        used += len(message.content)
        if used > max_chars:
            break
        kept.append(message)
    return kept[::-1]


_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{1,200}>", re.IGNORECASE | re.DOTALL)


def without_markup(question: str) -> str:
    """The question with HTML tags (and script or style bodies) taken out, for understanding it.

    The text shown to people is escaped by the front ends; this only keeps markup from
    being read as words of the question.
    """
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", question)).strip() or question


def is_instruction_attack(question: str) -> bool:
    """True when the question tries to change the assistant's rules instead of asking."""
    return _INJECTION.search(question) is not None or _SHOUTED.search(question) is not None
