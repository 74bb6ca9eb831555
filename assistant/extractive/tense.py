"""Whether a question and a sentence, or a time in it, speak of what will happen or of what happened.

General English: a question asks ahead ("will", "when does … take effect", "expected to") or
back ("did", "was", a verb in the past); a time in a sentence is told ahead or back by the word
right before it ("from May 4") or the nearest verb before it in its clause.
"""

from __future__ import annotations

import re

from assistant.extractive.lexicon import irregular_past, past_form
from assistant.extractive.words import words

_ASKS_FUTURE = re.compile(r"\b(?:will|shall|going to|gonna|upcoming|next)\b", re.I)
# the words that tell what happened, in a question or a sentence, beside a verb in the past
_PAST = re.compile(r"\b(?:did|was|were|had|ago|last)\b", re.I)
_SAYS_FUTURE = re.compile(
    r"\b(?:will|would|shall|going to|plans?|planned|scheduled|expected|next|upcoming|from|until|starting)\b",
    re.I,
)
_SAYS_PAST = re.compile(r"\b(?:was|were|had|did|ago|last|\w{3,}ed)\b", re.I)


def _irregular_past_in(text: str) -> bool:
    """The text has an irregular verb in the past ("said", "won", "took")."""
    return not irregular_past().isdisjoint(w.lower() for w in words(text))


def tense_clash(question: str, text: str) -> float:
    """1 when the question asks what will happen and the sentence only tells what happened, or the
    reverse. A verb in the past tells what happened, irregular ("said", "won") as well as regular."""
    future, past = bool(_ASKS_FUTURE.search(question)), bool(_PAST.search(question))
    says_future = bool(_SAYS_FUTURE.search(text))
    says_past = bool(_SAYS_PAST.search(text)) or _irregular_past_in(text)
    if future and not past:
        return float(says_past and not says_future)
    if past and not future:
        return float(says_future and not says_past)
    return 0.0


# A question asks when something will be (or is due to be), or when it was: "when does the fare
# rise take effect", "when is the plant expected to reopen" against "when did the talks begin".
_WHEN_AHEAD = re.compile(
    r"\b(?:will|shall|going to|gonna|upcoming|next|(?:expected|supposed|scheduled|set|due|planned) to)\b"
    r"|^\W*(?:and\s+)?when\s+(?:does|do|is|are)\b",
    re.I,
)
# what tells the tense of a time in a sentence: a word right before it ("from May 4", "until
# June"), else the nearest verb before it in its clause
_TOLD_AHEAD_AT = frozenset(["from", "until", "till", "starting", "beginning", "next", "upcoming", "by"])
_TOLD_AHEAD = re.compile(
    r"\b(?:will|would|shall|going to|plans?|planned|scheduled|expected|due to|set to)\b", re.I
)
# a participle after these is no verb in the past: "the affected counties", "will be shipped"
_NO_VERB_BEFORE = frozenset(
    ["the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "all", "some", "be", "being"]
)
TENSE_REACH = 8  # words before a time in which its verb is sought
# a time that says its tense itself, whatever the verb: "last month", "ago", "next week"
_TELLS_ITS_TENSE = re.compile(
    r"(?P<past>last|previous|yesterday|ago)\b|(?P<ahead>next|coming|upcoming|tomorrow)\b", re.I
)


def time_asked_tense(question: str) -> str | None:
    """ "ahead" when the question asks when something will be, "past" when it asks when it was,
    None when it does not say or says both."""
    ahead = bool(_WHEN_AHEAD.search(question))
    past = bool(_PAST.search(question)) or _irregular_past_in(question)
    if ahead == past:
        return None
    return "ahead" if ahead else "past"


def time_told_tense(text: str, start: int) -> str | None:
    """The tense of the time that starts at `start`: "from May 4" and "will close on May 4" are
    ahead, "took effect in March 2019" and "declared … on Monday" past ("the affected counties on
    Tuesday", "will be shipped in the fall": a participle after "the" or "be" is no verb)."""
    itself = _TELLS_ITS_TENSE.match(text, start)
    if itself is not None:  # "last month", "three years ago"; "next week", "in the coming months"
        return "past" if itself.group("past") else "ahead"
    before = re.split(r"[;:.!?]", text[:start])[-1]
    tokens = [t.lower() for t in re.findall(r"[\w’'-]+", before)][-TENSE_REACH:]
    if tokens and tokens[-1] in _TOLD_AHEAD_AT:
        return "ahead"
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if _TOLD_AHEAD.fullmatch(token) or _TOLD_AHEAD.fullmatch(" ".join(tokens[i : i + 2])):
            return "ahead"
        if i > 0 and tokens[i - 1] in _NO_VERB_BEFORE:
            continue
        if _PAST.fullmatch(token) or past_form(token):
            return "past"
    return None


def told_in_other_tense(asked: str | None, text: str, start: int) -> bool:
    """The time at `start` is told in another tense than the one asked (time_asked_tense)."""
    told = time_told_tense(text, start) if asked is not None else None
    return told is not None and told != asked
