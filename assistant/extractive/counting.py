"""What a question counts: the noun of "how many" or "the number of", and whether it asks for a
count beyond one already given ("how many more")."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.extractive.entities import TIME_UNITS
from assistant.extractive.words import NUMBER_WORDS, PRONOUNS, stopwords

_COUNTED = re.compile(
    r"\b(?:how many|(?:the|what|which)\s+(?:total\s+)?number\s+of)\s+"
    r"(?:(?:more|other|of|the|these|those|his|her|their|its)\s+)*(?P<noun>[a-z][\w-]*)",
    re.I,
)


# "How many more children …?" asks for a count beyond one already given; a sentence gives it only
# with a word of addition ("three more", "another 300", "the remaining five"), never as a total.
_ASKS_ADDITIONAL = re.compile(r"\bhow (?:many|much) (?:more|additional|further|extra|other)\b", re.I)
_ADDITION = re.compile(
    r"\b(?:more|another|additional|further|extra|other|others|remaining|rest|still)\b", re.I
)


def counts_beyond(question: str, text: str) -> bool:
    """False when the question asks how many more (other, additional …) and the text has no word
    of addition: its numbers are totals, not what was asked."""
    return not _ASKS_ADDITIONAL.search(question) or bool(_ADDITION.search(text))


_ASKS_COUNT = re.compile(r"\bhow many\b|\b(?:the|what|which)\s+number\s+of\b", re.I)


def asks_count(question: str) -> bool:
    """The question asks how many things: "how many", "the number of students"."""
    return _ASKS_COUNT.search(question) is not None


@lru_cache(maxsize=1024)  # these are asked of each candidate sentence of one question
def counted_noun(question: str) -> str | None:
    """What "how many" or "the number of" counts: "children" in "how many of the children ...",
    "students" in "the number of students supported", skipping numbers;
    nothing for "how many times", which asks how often."""
    match = _COUNTED.search(question)
    if match is None:
        return None
    noun = match.group("noun").lower()
    if noun in NUMBER_WORDS:
        rest = _COUNTED.search("how many " + question[match.end() :])
        noun = rest.group("noun").lower() if rest else ""
    # "how many times" asks how often: "twice" answers it with no noun counted
    return None if not noun or noun in stopwords() or noun in PRONOUNS or noun == "times" else noun


_HOW_OFTEN = re.compile(r"\bhow often\b", re.I)


def asks_how_often(question: str) -> bool:
    """The question asks how often ("every 20 minutes", "twice a week" answer it)."""
    return _HOW_OFTEN.search(question) is not None


@lru_cache(maxsize=1024)
def counts_time(question: str) -> bool:
    """ "How many years …", "how often …": a count of a unit of time is asked, and a length of
    time ("for 30 days") may answer it; "how many times" or "how many people" it does not."""
    counted = counted_noun(question) or ""
    return counted.removesuffix("s") in TIME_UNITS or asks_how_often(question)


# the verb after the counted noun and its auxiliaries: "died" in "how many people have died"
_HAPPENED = re.compile(
    r"^(?:\s+(?:have|has|had|been|be|were|was|are|is|will|would|did|got|get))*\s+(?P<verb>[a-z]+)", re.I
)


@lru_cache(maxsize=1024)
def counted_happening(question: str) -> str | None:
    """What happened to the things counted: "died" in "how many people have died since the storm",
    "killed" in "how many people were killed"; None when no verb follows the counted noun."""
    match = _COUNTED.search(question)
    if match is None:
        return None
    verb = _HAPPENED.match(question[match.end() :])
    return verb.group("verb").lower() if verb and verb.group("verb").lower() not in stopwords() else None
