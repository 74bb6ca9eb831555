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
    [
        "who",
        "whom",
        "whose",
        "what",
        "which",
        "when",
        "where",
        "why",
        "how",
        "whats",
        "who's",
        "what's",
        "when's",
        "where's",
    ]
)
# Words that carry no topic in a question about a document.
FILLER = frozenset(
    [
        "tell",
        "please",
        "say",
        "says",
        "said",
        "according",
        "mention",
        "mentioned",
        "mentions",
        "give",
        "given",
        "kind",
        "kinds",
        "sort",
        "happen",
        "happened",
        "happens",
        "know",
        "known",
        "many",
        "much",
        "also",
        "ever",
        "really",
        "actually",
    ]
)
# Words that may refer to the document itself ("what does the article say"): weighed lightly.
META_WORDS = frozenset(
    ["announcement", "article", "document", "statement", "text", "report", "story", "news", "piece"]
)
# Irregular English verb forms, so that "sent" meets "send" and "met" meets "meet".
_IRREGULAR = {
    form: base
    for base, forms in {
        "be": "was were been is are am",
        "begin": "began begun",
        "bring": "brought",
        "build": "built",
        "buy": "bought",
        "choose": "chose chosen",
        "come": "came",
        "do": "did done",
        "draw": "drew drawn",
        "drive": "drove driven",
        "eat": "ate eaten",
        "fall": "fell fallen",
        "feel": "felt",
        "fight": "fought",
        "find": "found",
        "fly": "flew flown",
        "forget": "forgot forgotten",
        "get": "got gotten",
        "give": "gave given",
        "go": "went gone",
        "grow": "grew grown",
        "have": "had has",
        "hear": "heard",
        "hide": "hid hidden",
        "hold": "held",
        "keep": "kept",
        "know": "knew known",
        "lead": "led",
        "leave": "left",
        "lose": "lost",
        "make": "made",
        "mean": "meant",
        "meet": "met",
        "pay": "paid",
        "ride": "rode ridden",
        "rise": "rose risen",
        "run": "ran",
        "say": "said",
        "see": "saw seen",
        "seek": "sought",
        "sell": "sold",
        "send": "sent",
        "sit": "sat",
        "speak": "spoke spoken",
        "spend": "spent",
        "stand": "stood",
        "steal": "stole stolen",
        "take": "took taken",
        "teach": "taught",
        "tell": "told",
        "think": "thought",
        "throw": "threw thrown",
        "understand": "understood",
        "wear": "wore worn",
        "win": "won",
        "write": "wrote written",
    }.items()
    for form in forms.split()
}
NUMBER_WORDS = frozenset(
    [
        "zero",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "dozen",
        "dozens",
        "hundreds",
        "thousands",
        "millions",
        "half",
    ]
)
MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
TIME_WORDS = frozenset(
    [
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "morning",
        "evening",
        "night",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "decade",
        "decades",
        "ago",
        "recently",
        "earlier",
        "later",
        "date",
        "day",
        "days",
        "weekend",
        "spring",
        "summer",
        "autumn",
        "winter",
        "minute",
        "minutes",
        "hour",
        "hours",
    ]
)
# Verbs that carry little topic of their own ("get", "take", "make"): weighed lightly.
LIGHT_WORDS = frozenset(
    [
        "get",
        "gets",
        "got",
        "gotten",
        "getting",
        "take",
        "takes",
        "took",
        "taken",
        "taking",
        "make",
        "makes",
        "made",
        "making",
        "do",
        "does",
        "did",
        "done",
        "doing",
        "go",
        "goes",
        "went",
        "gone",
        "going",
        "come",
        "comes",
        "came",
        "coming",
        "put",
        "puts",
        "keep",
        "kept",
        "give",
        "gives",
        "gave",
        "given",
        "use",
        "uses",
        "used",
        "using",
        "hold",
        "holds",
        "held",
        "let",
        "lets",
        "think",
        "thinks",
        "thought",
        "want",
        "wants",
        "wanted",
        "happen",
        "happened",
        "happening",
        "exact",
        "exactly",
        "actually",
        "real",
        "really",
        "like",
        "likes",
        "liked",
        "way",
        "ways",
        "thing",
        "things",
    ]
)
ROLE_NOUNS = frozenset(
    [
        "president",
        "lady",
        "minister",
        "king",
        "queen",
        "prince",
        "princess",
        "chancellor",
        "secretary",
        "senator",
        "governor",
        "ambassador",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "leader",
        "official",
        "officials",
        "representative",
        "envoy",
        "adviser",
        "advisor",
        "director",
        "chairman",
        "chair",
        "mayor",
        "general",
        "pope",
        "diplomat",
        "husband",
        "wife",
    ]
)
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|continued|continues|concluded|concludes|wrote|writes|"
    "stated|states|explained|noted|announced|revealed|declared|remarked|replied|asked"
)
PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "him",
        "her",
        "them",
        "his",
        "hers",
        "their",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "then",
    ]
)


class AnswerType(Enum):
    AGE = "age"
    MONEY = "money"
    DURATION = "duration"
    NUMBER = "number"
    TIME = "time"
    NAME = "name"
    ORGANIZATION = "organization"
    PERSON = "person"
    PLACE = "place"
    REASON = "reason"
    OTHER = "other"


# First match wins, so the narrower types come first.
_TYPE_PATTERNS: list[tuple[AnswerType, re.Pattern[str]]] = [
    (
        AnswerType.ORGANIZATION,
        re.compile(
            r"\b(?:what|which)\s+(?:\w+\s+){0,2}(?:university|universities|organi[sz]ations?|agency|agencies|"
            r"institute|institution|lab|laboratory|company|companies|newspaper|outlet|network|"
            r"charity|ngo|committee|department|ministry|party)\b",
            re.I,
        ),
    ),
    (AnswerType.AGE, re.compile(r"\bhow old\b|\bwhat age\b|\bat what age\b|\bages?\b of", re.I)),
    (
        AnswerType.MONEY,
        re.compile(
            r"\bhow much (?:money|did|does|do|was|were|is|will)\b.*\b(?:cost|spen[dt]|pa(?:y|id)|"
            r"money|fund\w*|budget|worth|price)|\bhow much money\b|\bwhat (?:did|does|will) "
            r"(?:it|that|this) cost\b|\b(?:cost|price|budget) of\b",
            re.I,
        ),
    ),
    (AnswerType.DURATION, re.compile(r"\b(?:for )?how long\b(?! ago)", re.I)),
    (
        AnswerType.NUMBER,
        re.compile(
            r"\bhow (many|much|often|far|big|large)\b|\bwhat (number|percentage|share|"
            r"proportion|figure|total)\b|\bnumber of\b",
            re.I,
        ),
    ),
    (
        AnswerType.TIME,
        re.compile(
            r"\bwhen\b|\b(?:what|which) (?:exact )?(date|day|month|year|time)\b|\bthe date\b"
            r"|\bsince when\b|\bhow long ago\b|\bwhat time\b",
            re.I,
        ),
    ),
    (
        AnswerType.NAME,
        re.compile(
            r"\bnames?\b (?:of|is|are|was|were)\b|\bwhat (?:is|was|are|were) (?:the |his |her |"
            r"their |its |that |this )?(?:\w+'s |\w+’s )?names?\b|\b\w+['’]s names?\b|"
            r"\bwhat (?:is|was) (?:he|she|it|they) called\b",
            re.I,
        ),
    ),
    (
        AnswerType.PERSON,
        re.compile(r"\bwho\b|\bwhom\b|\bwhose\b|\bwhich (person|people|leader|official)\b", re.I),
    ),
    (
        AnswerType.PLACE,
        re.compile(
            r"\bwhere\b|\b(?:what|which) (places?|city|cities|countries|country|"
            r"locations?|venues?|states?|towns?|regions?)\b",
            re.I,
        ),
    ),
    (AnswerType.REASON, re.compile(r"\bwhy\b|\bfor what reason\b|\bhow come\b", re.I)),
]
TYPED = frozenset(
    {
        AnswerType.ORGANIZATION,
        AnswerType.AGE,
        AnswerType.MONEY,
        AnswerType.DURATION,
        AnswerType.NUMBER,
        AnswerType.TIME,
        AnswerType.NAME,
        AnswerType.PERSON,
        AnswerType.PLACE,
    }
)
_COUNTED = re.compile(
    r"\bhow many\s+(?:(?:more|other|of|the|these|those|his|her|their|its)\s+)*(?P<noun>[a-z][\w-]*)", re.I
)


def counted_noun(question: str) -> str | None:
    """What "how many" counts: "children" in "how many of the children ...", skipping numbers."""
    match = _COUNTED.search(question)
    if match is None:
        return None
    noun = match.group("noun").lower()
    if noun in NUMBER_WORDS:
        rest = _COUNTED.search("how many " + question[match.end() :])
        noun = rest.group("noun").lower() if rest else ""
    return None if not noun or noun in stopwords() or noun in PRONOUNS else noun


_HOW = re.compile(r"\bhow (long|many|much|old|often|far|big|large)\b", re.I)
_AUX = [
    "is",
    "was",
    "are",
    "were",
    "did",
    "does",
    "do",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "be",
    "been",
    "being",
]
_WH_HEAD = re.compile(
    r"\b(?:what|which)\s+(?:(?:kinds?|sorts?|types?)\s+of\s+)?(?P<head>(?:(?!(?:" + "|".join(_AUX) + r")\b)"
    r"[\w’'-]+\s+){0,4}?)(?=(?:" + "|".join(_AUX) + r")\b|\w+ed\b)",
    re.I,
)


_DURATION_VERBS = frozenset(["last", "lasts", "lasted", "lasting", "take", "takes", "took", "taken"])


def question_phrase_words(question: str) -> set[str]:
    """Words that name the kind of answer wanted ("how long", "which city"), not its topic."""
    found = {m.group(1).lower() for m in _HOW.finditer(question)}
    if "long" in found:  # "how long did it last": the verb asks for the duration too
        found |= {w.lower() for w in words(question)} & _DURATION_VERBS
    for match in _WH_HEAD.finditer(question):
        found |= {w.lower() for w in words(match.group("head"))}
    return found


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
    low = word.lower()
    return str(_stemmer().stemWord(_IRREGULAR.get(low, low)))  # type: ignore[attr-defined]


def words(text: str) -> list[str]:
    """Words with inner punctuation kept (U.S., 20,000, back-channel), edges stripped."""
    return [w.strip(".,").replace("’", "'") for w in WORD.findall(text)]


# Stopwords that change what is asked ("how many more", "the other five").
_KEEP_STOP: frozenset[str] = frozenset(["more", "other", "further", "again", "most", "few"])


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stopwords, no question or filler words."""
    stop = stopwords()
    out: list[str] = []
    for word in words(text):
        low = word.lower().removesuffix("'s")
        if low and (low not in stop or low in _KEEP_STOP) and low not in FILLER and low not in QUESTION_WORDS:
            out.append(low)
    return out


_DIGITS = re.compile(r"\b\d[\d,.]*\b")
_CAPITALISED = re.compile(r"(?<![.!?“\"]\s)(?<!^)\b[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))*")
_PLACE = re.compile(
    r"\b(?:in|at|from|to|across|near|inside|outside)\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)"
)


def _parts(text: str) -> set[str]:
    """Lower-cased words, hyphenated ones also as their parts ("five-minute": five, minute)."""
    out: set[str] = set()
    for word in words(text):
        low = word.lower()
        out.add(low)
        out.update(low.split("-"))
    return out


def numbers(text: str) -> set[str]:
    found = {m.group(0).rstrip(".,") for m in _DIGITS.finditer(text)}
    return found | (_parts(text) & NUMBER_WORDS)


_RELATIVE_TIME = re.compile(
    r"\b(?:last|next|this|that|past|coming|previous|same)\s+(?:" + "|".join(sorted(TIME_WORDS)) + r")\b"
    r"|\b(?:today|yesterday|tomorrow|tonight|recently|earlier|later|ago|soon)\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b(?:1[89]|20)\d\d\b",
    re.I,
)


def times(text: str) -> set[str]:
    """Points in time: months, weekdays, years, dates, "last month", "ago"; not a length ("three-year")."""
    found = _parts(text) & (MONTHS | WEEKDAYS)
    return found | {m.group(0).lower() for m in _RELATIVE_TIME.finditer(text)}


def is_acronym(word: str) -> bool:
    """NATO, UNICEF, FIFA: two or more capitals, no lower case (U.S. has dots and is not one)."""
    return len(word) >= 2 and word.isalpha() and word.isupper()


_ASKED_UNIT = re.compile(r"\b(?:what|which|in what|in which)\s+(year|month|day)\b", re.I)


def time_unit_asked(question: str) -> str | None:
    """'year', 'month' or 'day' when the question asks for that precisely ("what year ...")."""
    match = _ASKED_UNIT.search(question)
    return match.group(1).lower() if match else None


def time_values(text: str, unit: str) -> set[str]:
    """Times in the text that name the unit asked: a year, a month, a day or date."""
    low = _parts(text)
    if unit == "year":
        return {m.group(0) for m in re.finditer(r"\b(1[89]|20)\d\d\b", text)}
    if unit == "month":
        return low & MONTHS
    return (
        (low & WEEKDAYS)
        | {"today", "yesterday", "tomorrow"} & low
        | {m.group(0) for m in re.finditer(r"\b\d{4}-\d{2}-\d{2}\b", text)}
    )


def names(text: str) -> set[str]:
    """Capitalised word runs that are not merely the first word of the text."""
    return {m.group(0) for m in _CAPITALISED.finditer(text)}


def roles(text: str) -> set[str]:
    return {w.lower() for w in words(text)} & ROLE_NOUNS


def places(text: str) -> set[str]:
    return {m.group(1) for m in _PLACE.finditer(text)}


_UNITS = r"(?:second|minute|hour|day|week|month|year|decade)s?"
_DURATION = re.compile(
    r"\b(?:\d[\d,.]*|" + "|".join(sorted(NUMBER_WORDS)) + r"|several|few|many|a|an)[- ]" + _UNITS + r"\b"
    r"|\b(?:for|past|last)\s+(?:the\s+)?(?:\w+\s+)?" + _UNITS + r"\b",
    re.I,
)
_AGE = re.compile(r"\b\d+[- ]years?[- ]old\b|\baged?\s+\d+|\bturned\s+\d+|\bages?\s+(?:of\s+)?\d+", re.I)
_MONEY = re.compile(
    r"[$€£]\s?\d|\b\d[\d,.]*\s*(?:dollars|euros|pounds|usd|eur)\b|\b(?:dollars|euros)\b", re.I
)


def entities(text: str, kind: AnswerType) -> set[str]:
    """Things in `text` that could answer a question of this type."""
    match kind:
        case AnswerType.AGE:
            return {m.group(0).lower() for m in _AGE.finditer(text)}
        case AnswerType.MONEY:
            return {m.group(0).lower() for m in _MONEY.finditer(text)}
        case AnswerType.DURATION:
            return {m.group(0).lower() for m in _DURATION.finditer(text)}
        case AnswerType.NUMBER:
            return numbers(text)
        case AnswerType.TIME:
            return times(text)
        case AnswerType.PERSON:
            return {n.lower() for n in names(text)} | roles(text)
        case AnswerType.NAME:
            return {n.lower() for n in names(text)}
        case AnswerType.ORGANIZATION:
            return {n.lower() for n in names(text) if " " in n}
        case AnswerType.PLACE:
            return {p.lower() for p in places(text)}
        case _:
            return set()


@dataclass(frozen=True)
class Speaker:
    """Who a sentence says is speaking, as written ('Smith', 'she', 'the mayor')."""

    mention: str
    start: int  # offset of the mention inside the sentence


_SPEAKER_AFTER_QUOTE = re.compile(
    r"[,?!]?[”\"]\s*(?P<who>[Tt]he\s+[a-z]+(?:\s+[a-z]+){0,2}|[A-Za-z][\w.’]*(?:\s+[A-Z][\w.’]*)*)\s+(?:"
    + SPEECH_VERBS
    + r")\b"
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


# A run of capitalised words (titles and given names) ending in a surname: "Mayor Jane Ortiz".
_FULL_NAME = re.compile(r"(?P<full>(?:(?:[A-Z][a-z]+|Mr\.|Mrs\.|Ms\.|Dr\.)\s+)+(?P<surname>[A-Z][a-z]+))\b")


def full_names(text: str) -> Iterable[tuple[str, str, int]]:
    """(full mention, surname, offset) for each 'Title Given Surname' in the text."""
    for match in _FULL_NAME.finditer(text):
        yield match.group("full"), match.group("surname"), match.start("full")
