"""Is a model's standalone rewrite of a follow-up fit to search and answer with?

A small model asked to condense "When did he sign it?" may answer the question instead
("The answer to this question is: 2017-08-31"), drop what was asked, or add a name or a
date of its own. A rewrite is used only when it reads as a question, keeps every topic
word of the question as asked, and states no name, number or date that the conversation
does not hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.citations import facts
from assistant.extractive.words import content_words, stem, words
from assistant.types import Message

_QUESTION_START = re.compile(
    r"^(what|which|who|whom|whose|when|where|why|how|did|does|do|is|are|was|were|can|could|will|"
    r"would|has|have|had|should|shall|may|might|in what|on what|to whom|at what|for what)\b",
    re.IGNORECASE,
)


def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text)}


def rewrite_problem(rewrite: str, question: str, history: Sequence[Message]) -> str:
    """What is wrong with the rewrite ("" when it may be used)."""
    text = rewrite.strip()
    if not (text.endswith("?") or _QUESTION_START.match(text)):
        return "is not a question"
    kept = _stems(text)
    dropped = [w for w in content_words(question) if stem(w) not in kept]
    if dropped:
        return f"drops {', '.join(repr(w) for w in dropped)} of the question"
    said = {w.lower() for w in words(" ".join([question, *(turn.content for turn in history)]))}
    added = [fact for fact in facts(text) if not all(w.lower() in said for w in words(fact))]
    if added:
        return f"adds {', '.join(repr(f) for f in added)}, which the conversation does not hold"
    return ""
