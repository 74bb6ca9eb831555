"""What a question asks for: its answer type, the words that name that type, what it counts."""

from __future__ import annotations

import re
from enum import Enum

from assistant.extractive.lexicon import is_person_kind, past_form
from assistant.extractive.words import content_words, stopwords, words


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


# "what"/"which", up to two words, and the noun that names the kind asked ("which two Dutch
# towns"), no verb among the words: in "what does the company blame", the company is who blames,
# not what is asked. After "is"/"was" the noun names the kind ("What is the agency responsible for
# the dam?") unless it is the subject of what follows ("What is the company blaming?", "What was
# the agency criticised for?", "What is the agency's budget?").
_WORD = r"(?:(?!(?:is|are|was|were|do|does|did|will|would|has|have|had|can|could|should|may|might)\b)\w+(?:['’]s)?\s+)"
_SUBJECT = r"(?!['’]s\b|(?:\s+\w+)?\s+\w+(?:ing|ed)\b|\s+for\b)"


_IS = r"(?:\s+(?:is|are|was|were)\s+|['’]?s\s+)"  # "what is", "what's", "whats"


def _asks_kind(nouns: str) -> str:
    return (
        rf"\b(?:what|which)\s+{_WORD}{{0,2}}?{nouns}\b"
        rf"|\b(?:what|which){_IS}{_WORD}{{0,2}}?{nouns}\b{_SUBJECT}"
    )


def _asks_value(nouns: str) -> str:
    """ "What is the fee …", "what's the total cost", "what is the ferry office's phone number": a noun
    that names a value asks for it, also when a verb follows ("What is the fee charged for a day
    pass?")."""
    return rf"\b(?:what|which){_IS}(?:(?:the|a|an)\s+)?{_WORD}{{0,2}}?{nouns}\b"


# The earliest match wins; at one place, the narrower type, which comes first here.
_TYPE_PATTERNS: list[tuple[AnswerType, re.Pattern[str]]] = [
    (
        AnswerType.ORGANIZATION,
        re.compile(
            _asks_kind(
                r"(?:university|universities|organi[sz]ations?|agency|agencies|"
                r"institute|institution|lab|laboratory|company|companies|newspaper|outlet|network|"
                r"charity|ngo|committee|department|ministry|party)"
            ),
            re.I,
        ),
    ),
    (AnswerType.AGE, re.compile(r"\bhow old\b|\bwhat age\b|\bat what age\b|\bages?\b of", re.I)),
    (
        AnswerType.MONEY,
        re.compile(
            r"\bhow much (?:money|did|does|do|was|were|is|are|will|would|has|have|had)\b.*\b(?:cost|spen[dt]|pa(?:y|id)|"
            r"money|fund\w*|budget|worth|price|fee|fare|sold|sell|bought|buy|charge|salary|wage|earn)"
            r"|\bfor how much\b|\bhow much money\b|\bhow much (?:is|are|was|were|will) (?:a|an|each|one|per)\b"
            r"|\bwhat (?:did|does|will) "
            r"(?:it|that|this) cost\b|\b(?:cost|price|budget) of\b|"
            + _asks_value(r"(?:costs?|prices?|fees?|fares?|budgets?|salary|salaries|wages?)"),
            re.I,
        ),
    ),
    (
        AnswerType.DURATION,
        re.compile(
            r"\b(?:for )?how long\b(?! ago)"
            r"|\b(?:length|duration) of\b(?!.*\b(?:met(?:re|er)s?|km|kilomet(?:re|er)s?|miles?|feet|foot|yards?)\b)",
            re.I,
        ),
    ),
    (
        AnswerType.NUMBER,
        re.compile(
            r"\bhow (many|much|often|far(?! back)|big|large|deep|tall|wide|high|heavy|thick)\b"
            r"|\bwhat (number|percent|percentage|share|proportion|fraction|figure|total)\b"
            r"|\b(?:number|size|count|depth|height|width|weight) of\b|"
            + _asks_value(
                r"(?:numbers?|percentages?|shares?|proportions?|fractions?|figures?|totals?|amounts?|population|tolls?)"
            ),
            re.I,
        ),
    ),
    (
        AnswerType.TIME,
        re.compile(
            r"\bwhen\b|\b(?:what|which) (?:exact )?(date|day|month|year|time)s?\b|\bthe date\b"
            r"|\bsince when\b|\bhow long ago\b|\bhow far back\b|\bwhat time\b|"
            + _asks_value(r"(?:dates?|day|month|year|deadline)"),
            re.I,
        ),
    ),
    (
        AnswerType.NAME,
        re.compile(
            r"\bnames?\b (?:of|is|are|was|were)\b|\bwhat (?:is|was|are|were) (?:the |his |her |"
            r"their |its |that |this )?(?:\w+'s |\w+’s )?names?\b|\b\w+['’]s names?\b|"
            r"\bwhat(?:['’]s|\s+(?:is|was|are|were|will))\s+(?:[\w’'-]+\s+){0,4}?(?:be\s+)?(?:called|named)\b",
            re.I,
        ),
    ),
    (
        AnswerType.PERSON,
        re.compile(r"\bwho\b|\bwhom\b|\bwhose\b", re.I),
    ),
    (
        AnswerType.PLACE,
        re.compile(
            r"\bwhere\b|"
            + _asks_kind(r"(?:places?|city|cities|countries|country|locations?|venues?|towns?|regions?)")
            + r"|\b(?:what|which) states?\b",
            re.I,
        ),
    ),
    (
        AnswerType.REASON,
        re.compile(
            r"\bwhy\b|\bfor what reason\b|\bhow come\b|\bwhat (?:reasons?|caused|causes|sparked|triggered|prompted|led to)\b"
            r"|\bwhat(?:'s|’s| is| was) behind\b|\bwhat (?:does|did) (?:\w+\s+){1,3}blame\b|"
            + _asks_value(r"(?:reasons?|causes?|motives?)"),
            re.I,
        ),
    ),
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
        AnswerType.REASON,
    }
)
# the word after "how" that asks a measure ("how old", "how far", "how deep"): it says what kind of answer
# is wanted, and means nothing in the sentence ("old" is not met by "a former student")
# what is measured with a unit of length or of weight; not "high", also of shares and prices
# ("how high is unemployment")
DIMENSIONS = {"deep": "length", "tall": "length", "wide": "length", "thick": "length", "heavy": "weight"}
_DIMENSION_NOUNS = {
    "depth": "length",
    "height": "length",
    "width": "length",
    "thickness": "length",
    "weight": "weight",
}
HOW_MEASURES = frozenset({"long", "old", "often", "far", "big", "large", *DIMENSIONS})
_HOW = re.compile(rf"\bhow (many|much|{'|'.join(sorted(HOW_MEASURES))})\b", re.I)
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
# "Name the two ministers", "the names of", "the number of": words asking for the answer's kind
_ASKING_NOUN = re.compile(
    r"^\W*(?:please\s+)?(name)\s+(?=the\s)"
    r"|\b(names?|number|amount|size|length|duration|percentage|share|proportion|fraction|total|count)\s+of\b",
    re.I,
)


def measures_asked(question: str) -> set[str]:
    """The measures the question asks with "how": "old" of "how old is she"; not the "old" of
    "which old buildings"."""
    return {m.group(1).lower() for m in _HOW.finditer(question)} & HOW_MEASURES


_DIMENSION_OF = re.compile(rf"\b({'|'.join(_DIMENSION_NOUNS)}) of\b", re.I)


def dimension_asked(question: str) -> str | None:
    """ "length" when the question asks how deep, tall, wide or thick something is (or its depth,
    height …), "weight" when how heavy: a figure said with a unit of it answers ("14.5 metres"),
    a bare count does not; None otherwise."""
    asked = sorted(measures_asked(question) & DIMENSIONS.keys())
    if asked:
        return DIMENSIONS[asked[0]]
    noun = _DIMENSION_OF.search(question)
    return _DIMENSION_NOUNS[noun.group(1).lower()] if noun else None


def question_phrase_words(question: str) -> set[str]:
    """Words that name the kind of answer wanted ("how long", "which city"), not its topic."""
    found = {m.group(1).lower() for m in _HOW.finditer(question)}
    if "long" in found:  # "how long did the strike go on": the verb asks for the duration too
        found |= {w.lower() for w in words(question)} & _DURATION_VERBS
    for match in _WH_HEAD.finditer(question):
        found |= {w.lower() for w in words(match.group("head"))}
    found |= {(m.group(1) or m.group(2)).lower() for m in _ASKING_NOUN.finditer(question)}
    return found


def topic_words(question: str) -> list[str]:
    """The question's content words that name its topic, not the kind of answer it wants
    ("how long", "which city"): none in "over how long?", two in "how many of them close in
    winter?"."""
    heads = question_phrase_words(question)
    return [w for w in content_words(question) if w not in heads]


# "which player", "what two Danish officials": "what"/"which", up to two words that are no
# function word nor a verb in the past, and a noun that is a kind of person in WordNet, asks who
_WHICH_NOUN = re.compile(rf"\b(?:what|which)\s+(?P<words>{_WORD}{{0,2}}\w+)\b", re.I)
_PEOPLE_NOUNS = frozenset({"person", "persons", "people"})


def _asks_person_kind(question: str) -> list[int]:
    """Where a "which"/"what" asks for a person by naming a kind of person."""
    found = []
    for match in _WHICH_NOUN.finditer(question):
        run = words(match.group("words"))
        for word, following in zip(run, [*run[1:], ""], strict=True):
            low = word.lower()
            if word.istitle() and following.istitle():
                continue  # a name's first word is no kind: "which Premier League clubs"
            if low in _PEOPLE_NOUNS:
                found.append(match.start())
                break
            if low in stopwords() or past_form(low):
                break  # no function word is a kind of person ("which towns have to leave": not "have")
            if low.isalpha() and is_person_kind(low):
                found.append(match.start())
                break
    return found


_ASKS_QUOTE = re.compile(r"\b(?:quote|exact words|own words|verbatim|word for word)\b", re.I)


def asks_quote(question: str) -> bool:
    """The question asks for someone's own words ("Give me the exact quote from the harbor master",
    "Quote the minister on …"), not what they said in other words."""
    return _ASKS_QUOTE.search(question) is not None


def answer_type(question: str) -> AnswerType:
    """The kind of answer the question's own asking phrase wants: the phrase that comes first
    ("Where was she standing when she spoke?" asks a place, not the time of a subordinate
    clause); of two at one place, the narrower ("how much money" before "how much")."""
    question = _COMMAND.sub("What is ", _NAME_THE.sub("What are the names of ", question, count=1), count=1)
    polar = yes_no(question)
    found = [
        (match.start(), rank, kind)
        for rank, (kind, pattern) in enumerate(_TYPE_PATTERNS)
        for match in pattern.finditer(question)
        if not (polar and _relative(question, match.start()))
    ]
    ranks = {kind: rank for rank, (kind, _) in enumerate(_TYPE_PATTERNS)}
    found += [
        (at, ranks[AnswerType.PERSON], AnswerType.PERSON)
        for at in _asks_person_kind(question)
        if not (polar and _relative(question, at))
    ]
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else AnswerType.OTHER


# A request asks what a question would: "Tell me the fee …", "Can you give me the date …" ask
# "What is the fee …"; "Name the two ministers" asks their names.
_COMMAND = re.compile(
    r"^\W*(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:(?:tell|give|show|get|find)\s+(?:me|us)"
    r"|state|find|identify|give)\s+(?=(?:the|his|her|its|their)\s)",
    re.I,
)
_NAME_THE = re.compile(r"^\W*(?:please\s+)?name\s+(?=the\s)", re.I)


# Words after which a wh-word asks its own question inside a yes/no one: "Did she say who
# signed?", "Can you tell me when it opens?"; after any other word it starts a relative clause.
_EMBEDDING = frozenset(
    "know knows knew tell told me us you say says said ask asked wonder sure clear explain show "  # noqa: SIM905
    "remember mention mentions mentioned find out about of".split()
)


def _relative(question: str, at: int) -> bool:
    """The wh-word at `at` begins a relative clause ("Will children who lack a card be turned
    away?"): it follows a word that does not embed a question."""
    if not re.match(r"(?i)(?:who|whom|whose|which|where|when)\b", question[at:]):
        return False
    before = words(question[:at])
    return bool(before) and before[-1].lower() not in _EMBEDDING


_POLAR = re.compile(
    r"^\W*(?:is|isn't|are|aren't|was|wasn't|were|weren't|do|does|doesn't|did|didn't|will|won't|would|"
    r"can|can't|could|should|shall|has|hasn't|have|haven't|had)\b",
    re.I,
)


def yes_no(question: str) -> bool:
    """The question asks yes or no ("Did the ferry sail on Monday?"): a wrong premise gets a
    "no" from the sentence that says otherwise, so a rival in it is an answer, not a near miss."""
    return bool(_POLAR.search(question))
