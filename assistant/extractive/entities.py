"""Things in a text that can answer a question: numbers, times, amounts, lengths of time, ages,
causes; and of names (names.py), those of the kind asked."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.extractive.dates import CLOCK, DATE, ERA, MONTH_OF_YEAR, UNTIL, VAGUE_TIMES, YEAR, times
from assistant.extractive.figures import IN_WORDS, numbers_at
from assistant.extractive.lexicon import is_currency, is_unit_of_measure, is_water_or_way
from assistant.extractive.names import acronyms, agents, names, not_a_person, organizations, places, roles
from assistant.extractive.questions import DIMENSIONS, AnswerType
from assistant.extractive.words import (
    MONTHS,
    NUMBER_WORDS,
    PLURAL_SCALES,
    SCALES,
    as_digits,
    stem,
    stopwords,
)


# A year ("in October 2020", "since 2019") says when, and an age ("a 34-year-old aid worker") how
# old: neither answers "how many", "how large" or "what share". "2000 people" is still a count: a
# word it counts follows it. Told apart by place: "Opened in 2010, the plant employs 2010 workers."
@lru_cache(maxsize=4096)
def count_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Numbers that can answer "how many" or "how much", with where they stand, fractions ("a
    third") among them: not a year, an age, a day of a date nor a time of the clock."""
    other = [m.span() for m in _AGE.finditer(text)] + [m.span("age") for m in _AGE_AFTER_NAME.finditer(text)]
    other += [m.span() for m in DATE.finditer(text)]  # the 18 of "October 18" counts nothing
    other += [m.span() for m in CLOCK.finditer(text)]  # nor the 8 of "8 a.m."
    other += [m.span() for m in _ADDRESS.finditer(text) if is_water_or_way(m.group("way").lower())]
    for match in re.finditer(YEAR + r"(?![,.]?\d)", text):
        after = re.match(r"\s+([a-z][\w-]*)", text[match.end() :])
        if after is None or after.group(1) in stopwords():
            other.append(match.span())
    fractions = [(m.start(), m.end(), m.group(0).lower()) for m in _FRACTION.finditer(text)]
    other += [(a, b) for a, b, _ in fractions]
    found = [(s, e, v) for s, e, v in numbers_at(text) if not any(a <= s and e <= b for a, b in other)]
    return tuple(sorted(found + fractions))


# a house's number in its street's name counts nothing: "1 Station Approach", "12 Gilt Street"
# (not "1,100 Benin Bronzes": a street's last word is a way)
_ADDRESS = re.compile(r"\b\d{1,4}[A-Za-z]?(?:\s+[A-Z][a-z]+){0,2}\s+(?P<way>[A-Z][a-z]+)\b")


# a share said as a fraction: "by a third", "half of them", "two-thirds"
_FRACTION = re.compile(
    r"\b(?:(?:a|one|two|three|four)[- ](?:half|third|quarter|fifth|tenth)s?|half|two-thirds|three-quarters)\b",
    re.I,
)


def counts(text: str) -> set[str]:
    """Numbers that can answer "how many" or "how much" (count_spans)."""
    return {value for *_, value in count_spans(text)}


SHARE_AFTER = r"\s?%|\s+(?:percent|per\s+cent)\b"  # "71 percent", "71%": a share, not a count
_SHARE_AFTER = re.compile(SHARE_AFTER, re.I)


def thing_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Counts of things, that answer "how many": not an amount of money ("$12 million") nor a
    share ("71 percent of children", "a third"), which answer "how much" and "what share"."""
    money = money_spans(text)
    return tuple(
        (s, e, v)
        for s, e, v in count_spans(text)
        if not _SHARE_AFTER.match(text, e)
        and not _FRACTION.fullmatch(v)
        and not any(a <= s and e <= b for a, b in money)
    )


# what may follow a count that names no thing: the sentence's end, or when or where it stood
_NOTHING_COUNTED = re.compile(
    r"(?:\s+(?:thousand|million|billion|hundred))?(?:\s*(?:[.;]|$)|\s+(?:in|on|at|by|as|since|until|last|this)\b)"
)


def bare_counts(text: str) -> bool:
    """The text holds a count that names no thing after it ("closer to 35,000 in March", "up to
    400."): a count of whatever the question counts, for all the sentence says. Not "Vance, who is
    78, said …", where the comma sets off an age."""
    return any(_NOTHING_COUNTED.match(text, end) for _, end, _value in thing_spans(text))


# Values that say something is a time or a number without saying which: a clue that a sentence
# holds the kind of answer asked for, but no short answer ("Later —", "Million —").
VAGUE_VALUES = frozenset([*VAGUE_TIMES, *(s for s in SCALES if s != "dozen"), *PLURAL_SCALES])


TIME_UNITS = ("second", "minute", "hour", "day", "week", "month", "year", "decade")
_UNITS = rf"(?:{'|'.join(TIME_UNITS)})s?"
# a figure that makes a length of time of the word after it: "a 142-year history", "a five-minute
# speech", "for eight months"
_LENGTH_AFTER = re.compile(rf"-{_UNITS}\b|\s+{_UNITS}\b(?![-\w])", re.I)
_DURATION = re.compile(
    r"\b(?:\d[\d,.]*|" + "|".join(sorted(NUMBER_WORDS)) + r"|one|several|few|many|a|an)[- ]" + _UNITS + r"\b"
    r"|\b(?:for|past)\s+(?:the\s+)?(?:\w+\s+)?" + _UNITS + r"\b"
    # "the last three months" is a length of time; "last month" is a time
    r"|(?<=\bthe\s)last\s+\w+\s+" + _UNITS + r"\b",
    re.I,
)
# a length after "every" tells how often, not how long: "survey the coast every three months"
EVERY_BEFORE = re.compile(r"\b(?:every|each)\s+$", re.I)
_AGE_NUMBER = rf"(?:\d+|{IN_WORDS})\b"
# ages told by a range, in any unit: "aged between nine months and 14 years", "ages 6 to 12"
_AGES = rf"(?:between\s+|from\s+)?{_AGE_NUMBER}(?:[- ]{_UNITS})?(?:\s+(?:and|to)\s+{_AGE_NUMBER}(?:[- ]{_UNITS})?)?"
# a year a thing was made in (1000 to 2099), not a number of days it took: "built in 1200 days";
# or its era ("built in the 1960s", "dating from the 12th century")
_MADE_IN = rf"(?:\b(?:1\d|20)\d\d\b(?!\s+{_UNITS}\b)|(?:the\s+)?(?:{ERA}))"
# an age, or what tells it: the year a thing was born, built or founded
_AGE = re.compile(
    rf"\b{_AGE_NUMBER}[- ]years?[- ]old\b|\baged?\s+{_AGES}|\bturned\s+{_AGE_NUMBER}|\bages?\s+(?:of\s+)?{_AGES}"
    r"|\b(?:born|built|founded|established|opened|constructed)\s+in\s+(?:(?:early|mid|late)\s+)?(?:(?:"
    + "|".join(sorted(MONTHS))
    + r")\s+)?"
    + _MADE_IN
    + r"|\b(?:dating|dates?|dated)\s+(?:back\s+)?(?:to|from)\s+"
    + _MADE_IN,
    re.I,
)
# a person's age set off after the name, as news writes it: "Faith Wanjiru, 27, won …"
_AGE_AFTER_NAME = re.compile(r"\b[A-Z][a-z]+,\s(?P<age>\d{1,3}),")
# how long a thing has lasted tells its age too ("a 142-year history"), though it stays a count
# ("how many years of history")
_HISTORY = re.compile(r"\b\d+[- ]year[- ]history\b", re.I)
# a whole amount, for the short answer: "$4.2 million", "€300", "1,500 euros"
_AMOUNT = r"\d+(?:[.,]\d+)*(?:\s*(?:thousand|million|billion|trillion|bn)\b)?"
_MONEY = re.compile(
    rf"[$€£]\s?{_AMOUNT}|\b{_AMOUNT}\s*(?:dollars|euros|pounds|usd|eur)\b|\b(?:dollars|euros)\b", re.I
)
_AMOUNT_OF = re.compile(rf"\b{_AMOUNT}\s+(?P<unit>[a-z]+)\b(?!-)")  # not "5 euro-zone countries"


def money_spans(text: str) -> list[tuple[int, int]]:
    """Where the text gives amounts of money: "$4.2 million", "14 million euros", and an amount
    of any currency WordNet knows ("6.5 million kroner", "300 shillings")."""
    found = [m.span() for m in _MONEY.finditer(text)]
    return found + [m.span() for m in _AMOUNT_OF.finditer(text) if is_currency(m.group("unit"))]


# Words that give a reason or a purpose: "because ...", "due to ...", "to protect ...".
_CAUSE = re.compile(
    r"\b(?:because|due to|owing to|as a result|thanks to|so that|in order to|since (?!\d)|after|amid|"
    r"following|for fear|in response to|reason|aim(?:s|ed)? to|"
    # "the cause of the fire was …" (not "… is unknown"), "caused", "sparked", "… triggered the
    # landslide" (not "the alarm was triggered at 3 am"), "blamed the loss on …", "blamed X for"
    r"cause\s+of\b[^,;]{0,60}?\b(?:is|was)\s+(?!unknown|unclear|not\b|still\b|under\b)|caused|sparked|"
    r"(?<!was\s)(?<!were\s)(?<!been\s)(?:triggered|blamed\b[^,;]{0,40}?\bfor)|blamed\b[^,;]{0,40}?\bon|"
    r"triggered by|to (?:help|protect|avoid|reduce|ensure|"
    r"prevent|keep|make|allow|support|cover|meet|improve|give))\b",
    re.I,
)


# Words that say outright why: "because …", "due to …", "so that …" (not "after", "amid" or
# "following", which tell what came before, nor "since", which tells from when as often as why).
_EXPLAINS = re.compile(
    r"\b(?:because|due to|owing to|as a result of|thanks to|so that|in order to|for fear|in response to|"
    r"caused by|blamed|triggered by)\b",
    re.I,
)


def explains(text: str) -> bool:
    """The text says outright why something is so ("… was needed because fare revenue …")."""
    return _EXPLAINS.search(text) is not None


def _whole_value(value: str) -> str:
    """A pattern finding the value as a whole: "3" not inside "300", "5" not in "1.5"."""
    pattern = re.escape(value)
    if value[:1].isalnum():
        pattern = r"(?<!\w)(?<!\d[.,])" + pattern
    if value[-1:].isalnum():
        pattern += r"(?!\w)(?![.,]\d)"
    return pattern


def value_places(
    text: str, kind: AnswerType, given: set[str] | frozenset[str], things: bool = False
) -> list[tuple[int, int]]:
    """Where the text's values of the kind stand, those in `given` aside (in words or in digits):
    counts by place ("Opened in 2010, it employs 2010 workers": the second), a day of a month
    whole ("September 2"), the others found whole in the text itself (not in a lower-cased copy,
    whose offsets shift after "İ"). `things`: the question asks how many (thing_spans)."""
    given = {as_digits(v) for v in given}  # "8" is given when the question says "eight"
    if kind is AnswerType.NUMBER:
        spans = thing_spans(text) if things else count_spans(text)
        return [(start, end) for start, end, value in spans if as_digits(value) not in given]
    values = {v for v in entities(text, kind) if as_digits(v) not in given}
    found = [m.span() for value in values for m in re.finditer(_whole_value(value), text, re.I)]
    if kind is AnswerType.TIME:  # a month with its day or year is one value: "September 2", "March 2022"
        dates = [
            m.span()
            for p in (DATE, MONTH_OF_YEAR)
            for m in p.finditer(text)
            if m.group(0).lower() not in given
        ]
        found = [f for f in found if not any(a <= f[0] and f[1] <= b for a, b in dates)] + dates
    return sorted(set(found))  # in the text's order, whatever the order of the set of values


def length_end(text: str, end: int) -> int | None:
    """Where the length of time ends that the figure ending at `end` makes with the word after
    it ("142-year", "eight months"); None when it makes none."""
    unit = _LENGTH_AFTER.match(text, end)
    return unit.end() if unit else None


def makes_length(text: str, end: int) -> bool:
    """The figure ending at `end` makes a length of time with the word after it ("142-year",
    "eight months")."""
    return length_end(text, end) is not None


_UNIT_AFTER = re.compile(r"(-?)([A-Za-z]{2,})\b(?:\s+([a-z]+)\b)?")
# the words that may follow a measure written apart: "300 metres long", "24 hours apart"
_MEASURE_ENDS = frozenset([*DIMENSIONS, "long", "high", "away", "apart", "across", "per"])


def unit_end(text: str, end: int, measure: str | None = None) -> int | None:
    """Where the unit of measure after the figure ending at `end` ends ("14.5 metres", "24-inch"),
    or None when none follows it (`measure`: "length", "weight": none of that). Written apart, the
    unit is the figure's only when no other noun follows it: not in "31 league matches"."""
    unit = _UNIT_AFTER.match(text, end + (text[end : end + 1] == " "))
    if unit is None or (not unit.group(1) and text[end : end + 1] != " "):
        return None
    word, then = unit.group(2), unit.group(3)
    if word.lower() in stopwords() or not is_unit_of_measure(word, measure):  # "a" of "a year" is no ampere
        return None
    if not unit.group(1) and then is not None and then not in stopwords() and then not in _MEASURE_ENDS:
        return None
    return unit.end(2)


def measures(text: str, measure: str | None = None) -> set[str]:
    """Figures said with a unit of measure (`measure`: of length, of weight), that answer "how
    deep", "how heavy" (not "11 goals")."""
    return {value for _, end, value in count_spans(text) if unit_end(text, end, measure) is not None}


def describes(text: str, end: int, counted: str | None) -> bool:
    """The figure ending at `end` is a measure ("24-ounce bags", "two gallons per household") in
    another unit than the thing counted: it counts no bags and no households; "40 miles" still
    answers "how many miles", and "a twenty-strong team" counts."""
    after = unit_end(text, end)
    return after is not None and (counted is None or stem(text[end:after].strip(" -")) != stem(counted))


def entities(text: str, kind: AnswerType) -> set[str]:
    """Things in `text` that could answer a question of this type."""
    match kind:
        case AnswerType.AGE:
            return {m.group(0).lower() for pattern in (_AGE, _HISTORY) for m in pattern.finditer(text)} | {
                m.group("age") for m in _AGE_AFTER_NAME.finditer(text)
            }
        case AnswerType.MONEY:
            return {text[a:b].lower() for a, b in money_spans(text)}
        case AnswerType.DURATION:  # not an age: "children aged between nine months and 14 years"
            ages = [m.span() for m in _AGE.finditer(text)]
            return {
                m.group(0).lower()
                for m in _DURATION.finditer(text)
                if not any(a <= m.start() and m.end() <= b for a, b in ages)
                and not EVERY_BEFORE.search(text, 0, m.start())
            } | {m.group(0).lower() for m in UNTIL.finditer(text)}  # "pause hiring until the end of March"
        case AnswerType.NUMBER:
            return counts(text)
        case AnswerType.TIME:
            return times(text)
        case AnswerType.PERSON:  # who paid? NASA: a body answers "who" too
            return (
                {n.lower() for n in names(text) if not not_a_person(n)}
                | roles(text)
                | acronyms(text)
                | agents(text)
            )
        case AnswerType.NAME:
            return {n.lower() for n in names(text)}
        case AnswerType.ORGANIZATION:
            return organizations(text)
        case AnswerType.PLACE:
            return {p.lower() for p in places(text)}
        case AnswerType.REASON:
            return {m.group(0).lower() for m in _CAUSE.finditer(text)}
        case _:
            return set()
