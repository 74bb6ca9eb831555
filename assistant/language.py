"""Plain-English text analysis for extractive answering: terms, answer types, entities, speakers.

Everything here is about English in general; nothing names a document's facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'\-.,]*[A-Za-z0-9]|[A-Za-z0-9]")

QUESTION_WORDS = frozenset(
    "who whom whose what which when where why how whats who's what's when's where's".split()
)
# Words that carry no topic in a question about a document.
FILLER = frozenset(
    """announcement article document statement text report story tell please say says said according
    mention mentioned mentions exactly give given name named kind sort happen happened happens
    know known many much also ever really actually""".split()
)
NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand million billion dozen dozens hundreds thousands millions half""".split()
)
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
TIME_WORDS = frozenset(
    """today yesterday tomorrow tonight morning evening night week weeks month months year years
    decade ago since until before after during recently earlier later date day days weekend
    spring summer autumn fall winter""".split()
)
ROLE_NOUNS = frozenset(
    """president lady minister king queen prince princess chancellor secretary senator governor
    ambassador spokesperson spokesman spokeswoman leader official officials representative
    envoy adviser advisor director chairman chair mayor general pope diplomat husband wife""".split()
)
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|continued|continues|concluded|concludes|wrote|writes|"
    "stated|states|explained|noted|announced|revealed|declared|remarked|replied|asked"
)
PRONOUNS = frozenset("he she they him her them his hers their it its this that these those there then".split())


class AnswerType(Enum):
    NUMBER = "number"
    TIME = "time"
    PERSON = "person"
    PLACE = "place"
    REASON = "reason"
    OTHER = "other"


_TYPE_PATTERNS: list[tuple[AnswerType, re.Pattern[str]]] = [
    (AnswerType.NUMBER, re.compile(r"\bhow (many|much|old|long|often|far)\b|\bwhat (number|percentage|share|"
                                    r"proportion|age)\b|\bnumber of\b|\bhow big\b|\bhow large\b", re.I)),
    (AnswerType.TIME, re.compile(r"\bwhen\b|\bwhat (date|day|month|year|time)\b|\bwhich (date|day|month|year)\b"
                                  r"|\bsince when\b|\bhow long ago\b", re.I)),
    (AnswerType.PERSON, re.compile(r"\bwho\b|\bwhom\b|\bwhose\b|\bwhich (person|people|leader|official)\b"
                                    r"|\bwhat (?:is|was|are|were) (?:the |his |her |their )?names?\b|\bname of\b", re.I)),
    (AnswerType.PLACE, re.compile(r"\bwhere\b|\bwhat (place|city|country|location|venue)\b|"
                                   r"\bwhich (place|city|country|location|venue|state)\b", re.I)),
    (AnswerType.REASON, re.compile(r"\bwhy\b|\bfor what reason\b|\bhow come\b", re.I)),
]


def answer_type(question: str) -> AnswerType:
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(question):
            return kind
    return AnswerType.OTHER


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from llama_index.core.utils import globals_helper

    return frozenset(globals_helper.stopwords) | QUESTION_WORDS | {"s", "’s", "'s"}


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word.lower()))  # type: ignore[attr-defined]


def words(text: str) -> list[str]:
    """Words with inner punctuation kept (U.S., 20,000, back-channel), edges stripped."""
    return [w.strip(".,").replace("’", "'") for w in WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stopwords, no question or filler words."""
    stop = stopwords()
    out: list[str] = []
    for word in words(text):
        low = word.lower().removesuffix("'s")
        if low and low not in stop and low not in FILLER and low not in QUESTION_WORDS:
            out.append(low)
    return out


def terms(text: str) -> list[str]:
    """Stemmed content words, hyphenated words also split into their parts."""
    out: list[str] = []
    for word in content_words(text):
        out.append(stem(word))
        if "-" in word:
            out.extend(stem(p) for p in word.split("-") if p and p not in stopwords())
    return out


_DIGITS = re.compile(r"\b\d[\d,.]*\b")
_CAPITALISED = re.compile(r"(?<![.!?“\"]\s)(?<!^)\b[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))*")
_PLACE = re.compile(r"\b(?:in|at|from|to|across|near|inside|outside)\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)")


def numbers(text: str) -> set[str]:
    found = {m.group(0).rstrip(".,") for m in _DIGITS.finditer(text)}
    found |= {w.lower() for w in words(text) if w.lower() in NUMBER_WORDS}
    return found


def times(text: str) -> set[str]:
    low = {w.lower() for w in words(text)}
    found = low & (MONTHS | WEEKDAYS | TIME_WORDS)
    found |= {m.group(0) for m in re.finditer(r"\b(1[89]|20)\d\d\b", text)}
    return found


def names(text: str) -> set[str]:
    """Capitalised word runs that are not merely the first word of the text."""
    return {m.group(0) for m in _CAPITALISED.finditer(text)}


def roles(text: str) -> set[str]:
    return {w.lower() for w in words(text)} & ROLE_NOUNS


def places(text: str) -> set[str]:
    return {m.group(1) for m in _PLACE.finditer(text)}


def entities(text: str, kind: AnswerType) -> set[str]:
    """Things in `text` that could answer a question of this type."""
    match kind:
        case AnswerType.NUMBER:
            return numbers(text)
        case AnswerType.TIME:
            return times(text)
        case AnswerType.PERSON:
            return {n.lower() for n in names(text)} | roles(text)
        case AnswerType.PLACE:
            return {p.lower() for p in places(text)}
        case _:
            return set()


@dataclass(frozen=True)
class Speaker:
    """Who a sentence says is speaking, as written ('Trump', 'she', 'the first lady')."""

    mention: str
    start: int  # offset of the mention inside the sentence


_SPEAKER_AFTER_QUOTE = re.compile(
    r"[,?!]?”\s*(?P<who>(?:[Tt]he\s+)?[A-Za-z][\w.’]*(?:\s+[A-Z][\w.’]*)*)\s+(?:" + SPEECH_VERBS + r")\b"
)
_SPEAKER_FIRST = re.compile(
    r"^(?P<who>(?:[Tt]he\s+[a-z]+(?:\s+[a-z]+)?|[A-Z][\w.’]*(?:\s+[A-Z][\w.’]*)*|[Ss]he|[Hh]e|[Tt]hey))"
    r"(?:,[^,]{1,80},)?\s+(?:" + SPEECH_VERBS + r"|has said|had said|have said)\b"
)


def speaker(sentence: str) -> Speaker | None:
    """The speaker named by a speech verb, after a closing quote or opening the sentence."""
    for pattern in (_SPEAKER_AFTER_QUOTE, _SPEAKER_FIRST):
        match = pattern.search(sentence)
        if match:
            return Speaker(match.group("who"), match.start("who"))
    return None


_FULL_NAME = re.compile(
    r"(?P<full>(?:(?:[A-Z][a-z]+\s+)?(?:First\s+Lady|President|Prime\s+Minister|Minister|Secretary|"
    r"Senator|Governor|King|Queen|Chancellor|Ambassador|Mr\.|Mrs\.|Ms\.|Dr\.)\s+)?"
    r"[A-Z][a-z]+\s+(?P<surname>[A-Z][a-z]+))\b"
)


def full_names(text: str) -> Iterable[tuple[str, str, int]]:
    """(full mention, surname, offset) for each 'Title Given Surname' in the text."""
    for match in _FULL_NAME.finditer(text):
        yield match.group("full"), match.group("surname"), match.start("full")
