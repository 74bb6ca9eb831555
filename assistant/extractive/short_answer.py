"""The short answer an answer opens with: the number, date, amount, age or length of time
asked for, verbatim from the quoted sentence and with its place in the document, or "Yes" when
the sentence says so plainly (there is no "No": a sentence that says otherwise is quoted and
the reader judges)."""

from __future__ import annotations

import re

from assistant.extractive.clues import says_in_order
from assistant.extractive.counting import asks_count, asks_how_often, counted_noun, counts_time
from assistant.extractive.dates import time_values
from assistant.extractive.entities import (
    EVERY_BEFORE,
    SHARE_AFTER,
    VAGUE_VALUES,
    describes,
    entities,
    length_end,
    makes_length,
    unit_end,
    value_places,
)
from assistant.extractive.features import Analysis, Scored
from assistant.extractive.figures import IN_WORDS, spoken
from assistant.extractive.measures import Candidate
from assistant.extractive.questions import AnswerType, dimension_asked, yes_no
from assistant.extractive.telling import asks_about_telling, told_at
from assistant.extractive.tense import time_asked_tense, told_in_other_tense
from assistant.extractive.typed import unit_asked
from assistant.extractive.words import NUMBER_WORDS, SCALES, content_words, stem, words

_LEAD_KINDS = frozenset(
    {AnswerType.NUMBER, AnswerType.MONEY, AnswerType.AGE, AnswerType.DURATION, AnswerType.TIME}
)
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|nobody|nothing|without)\b|n[’']t\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:—–]|\b(?:while|whereas|but)\b", re.I)


# a bare figure's currency and scale: "$75 million", "C$5.2 billion", "14 million euros", "71 percent"
_CURRENCY_BEFORE = re.compile(r"(?:\b[A-Z]{1,2})?[$€£¥]\s?$")
_CURRENCY_WORD = r"\s+(?:euros?|dollars?|pounds?|yen)\b(?!-)"
_SCALE_AFTER = re.compile(
    rf"{SHARE_AFTER}|\s+(?:thousand|million|billion|trillion)\b(?:{_CURRENCY_WORD})?|{_CURRENCY_WORD}",
    re.I,
)


# how near the figure comes to the true one: "more than 140", "up to 400", "nearly 20,000" ("over"
# and "under" are left out: "over 3 days" is no bound); two documents agree on a figure whatever
# word of approximation they give it, not when one says "more than 140" and the other "fewer than"
_APPROXIMATELY = r"about|around|nearly|almost|roughly|approximately|some"
_BOUNDS = rf"more than|less than|fewer than|up to|at least|at most|{_APPROXIMATELY}"
_ARTICLE_BEFORE = re.compile(r"(?:\bhalf\s+)?\ba\s+$", re.I)  # "a dozen", "half a dozen", "a hundred and ten"
_PER_AFTER = re.compile(
    r"(?:\s+times)?\s+(?:a|an|per(?!\s+cent)|each|every|daily|weekly|monthly|hourly|yearly|annually)\b", re.I
)
_PER_WORDS = frozenset(["a", "an", "per", "each", "every"])  # "twice a week": the unit follows
# a change told from one value to another: "will rise from $1.75 to $2.25"
_FROM_BEFORE = re.compile(rf"\bfrom\s+(?:(?:{_BOUNDS})\s+)?$", re.I)
_TO_AFTER = re.compile(r"(?:\s+[a-z]+)?\s+to\s+(?=[$€£¥\d]|\w)")  # "from 11 metres to 14.5 metres"
_FROM_TO_BEFORE = re.compile(r"\bfrom\s+\S+(?:\s+\S+)?\s+to\s+(?:(?:about|around|nearly|almost)\s+)?$", re.I)
_ASKS_OLD = re.compile(
    r"\b(?:before|previous(?:ly)?|old|used to|originally|prior|formerly|until now)\b", re.I
)
_BOUND_BEFORE = re.compile(rf"\b(?:{_BOUNDS})\s+$", re.I)
_APPROXIMATE_START = re.compile(rf"^(?:{_APPROXIMATELY})\s+", re.I)


def _whole_amount(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a figure widened to its currency, scale and bound: "4.6" of "4.6 million
    children", or "400" of "up to 400 members", alone would say another number."""
    span = text[start:end]
    figure = re.fullmatch(r"\d[\d,.]*", span) is not None
    if span[:1] in "$€£¥":  # an amount already, but for its country: "C$", "US$"
        country = re.search(r"\b[A-Z]{1,2}$", text[max(0, start - 2) : start])
        start -= len(country.group(0)) if country else 0
    elif figure or re.fullmatch(IN_WORDS, span, re.I):  # "$75 million", "two million euros", "a dozen"
        scale_first = span.split()[0].split("-")[0].lower() in SCALES  # "a dozen", not "a twenty-strong team"
        before_pattern = _CURRENCY_BEFORE if figure else _ARTICLE_BEFORE if scale_first else None
        before = before_pattern.search(text[max(0, start - 8) : start]) if before_pattern else None
        after = _SCALE_AFTER.match(text, end)
        start, end = (start - len(before.group(0)) if before else start), (after.end() if after else end)
    elif not span[:1].isdigit() and span.lower() not in NUMBER_WORDS:  # "1,500 euros", "half": bounded too
        return start, end
    bound = _BOUND_BEFORE.search(text[max(0, start - 16) : start])
    return (start - len(bound.group(0)) if bound else start), end


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clauses(text: str) -> list[int]:
    """For each character of the text, the number of the clause it stands in (commas, semicolons,
    dashes and "while", "whereas", "but" end a clause)."""
    out: list[int] = []
    n = 0
    last = 0
    for m in _CLAUSE_BREAK.finditer(text):
        out.extend([n] * (m.end() - last))
        last = m.end()
        n += 1
    out.extend([n] * (len(text) - last))
    return out


def lead(found: Analysis, best: Candidate) -> tuple[str, int] | None:
    """The short answer: the number, date, amount or length of time asked for, and
    where it starts in its document.

    Taken verbatim from the quoted sentence: of the values it holds that the question does
    not already give, one that is not the time a thing was said ("the mayor said
    Tuesday") unless the question asks about the saying; then the one in the clause holding
    most of the words the question and sentence share; then the one nearest such a word, a
    word of the question itself before one of the earlier turns a follow-up is read with.
    Names and places are left to the quote: which of several is meant is not safe to guess.
    """
    if found.kind not in _LEAD_KINDS:
        return None
    text = best.sentence.text
    anchors = [m.span() for m in re.finditer(r"[\w’'-]+", text) if stem(m.group(0)) in best.matched]
    # the words of the question itself, not of the earlier turns a follow-up is read with:
    # "and when do sign-ups end?" after "when do sign-ups start?" asks the date beside "end"
    own = {stem(w) for w in words(found.main)}
    own_anchors = [a for a in anchors if stem(text[a[0] : a[1]]) in own] or anchors
    clause = _clauses(text)
    about_telling = asks_about_telling(found.main)
    # "how big was the donation": not the 142 of "the school's 142-year history"
    lengths_apart = found.kind is AnswerType.NUMBER and not counts_time(found.main)
    counted = counted_noun(found.main) if found.kind is AnswerType.NUMBER else None
    counting = asks_count(found.main)
    places = value_places(text, found.kind, entities(found.main, found.kind) | VAGUE_VALUES, things=counting)
    how_often = asks_how_often(found.main)
    changes = found.kind in (AnswerType.NUMBER, AnswerType.MONEY)  # a date's "from … to" is a span of time
    asks_old = _ASKS_OLD.search(found.main) is not None
    unit = unit_asked(found.main, found.kind)
    if unit is not None:  # "what time": "9 a.m.", not the "Friday" beside it
        of_unit = time_values(text, unit)
        places = [(a, b) for a, b in places if any(v in text[a:b].lower() for v in of_unit)]
    measure = dimension_asked(found.main) if found.kind is AnswerType.NUMBER else None
    if measure is not None:  # "how deep": "14.5 metres"
        measured = [(a, b) for a, b in places if unit_end(text, b, measure) is not None]
        # not the "6.5-kilometre" of "the 6.5-kilometre channel", which tells its length, if another is said
        places = [(a, b) for a, b in measured if text[b : b + 1] != "-"] or measured
    tense = time_asked_tense(found.main) if found.kind is AnswerType.TIME else None
    options: list[tuple[bool, bool, int, int, int, int]] = []
    for start, end in places:
        if (
            (lengths_apart and makes_length(text, end))
            or (counting and describes(text, end, counted))  # "how many bags": not the 24 of "24-ounce bags"
            or told_in_other_tense(tense, text, start)
        ):
            continue  # nor "March 2019" of "went up in March 2019" for "when will fares go up"
        # not the day a thing was said ("the mayor said Tuesday"), unless that is asked;
        # then the value in the clause with most of the shared words, then the nearest
        reported = not about_telling and told_at(text, start, end)
        if reported and found.kind is AnswerType.TIME:
            continue  # the day it was told does not say when it happened (typed.holds_asked_kind)
        shared = sum(clause[a] == clause[start] for a, _ in anchors)
        distance = min((max(a - end, start - b) for a, b in own_anchors), default=start)
        # "how often": "every 20 minutes", "twice a week", never the six of "for six months"
        if how_often and not (
            EVERY_BEFORE.search(text[max(0, start - 8) : start]) or _PER_AFTER.match(text, end)
        ):
            continue
        options.append(
            (reported, changes and _superseded(text, start, end, asks_old), -shared, distance, start, end)
        )
    if not options:
        return None
    *_, at, end = min(options)
    if found.kind in (AnswerType.NUMBER, AnswerType.MONEY):
        at, end = _whole_amount(text, at, end)
    if found.kind is AnswerType.NUMBER:  # "14.5 metres", "a 24-inch main": the figure with its unit
        end = unit_end(text, end) or end
    if how_often:
        at, end = _how_often(text, at, end)
    return text[at:end], best.sentence.start + at


def _superseded(text: str, start: int, end: int, asks_old: bool) -> bool:
    """The value is the one of "from $1.75 to $2.25" that the question does not ask: the old one,
    unless the question asks what it was before ("the old fare", "before the change")."""
    old = _FROM_BEFORE.search(text, 0, start) is not None and _TO_AFTER.match(text, end) is not None
    new = _FROM_TO_BEFORE.search(text, 0, start) is not None
    return (old and not asks_old) or (new and asks_old)


def _how_often(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a figure widened to say how often: "every three months" of "three", "twice
    a week" of "twice", "four times a year" of "four"."""
    every = EVERY_BEFORE.search(text, 0, start)
    if every:
        return every.start(), length_end(text, end) or end
    per = _PER_AFTER.match(text, end)
    if per:
        unit = (
            re.match(r"\s+\w+", text[per.end() :]) if per.group(0).split()[-1].lower() in _PER_WORDS else None
        )
        return start, per.end() + (unit.end() if unit else 0)
    return start, end


def value(found: Analysis, candidate: Candidate) -> str:
    """The short answer, to compare two documents': "nearly 140" and "140" agree, and so do
    "fifty-five" and "fifty five"."""
    found_lead = lead(found, candidate)
    return spoken(_APPROXIMATE_START.sub("", found_lead[0].lower())) if found_lead else ""


# A yes/no question that says less than this ("Is she from Ethiopia?": one word) checks too
# little for a plain "Yes": a sentence that names Ethiopia may say it of someone else.
YES_MIN_WORDS = 2


def plain_yes(found: Analysis, best: Scored, text: str) -> bool:
    """A yes/no question whose every word the sentence (`text`, with the one it leans on) has
    itself, in the question's order, neither of them negated, no clash of tense: the sentence
    says yes plainly."""
    return (
        yes_no(found.main)
        and len(content_words(found.main)) >= YES_MIN_WORDS
        and says_in_order(found.main, text)
        and not best.features["numbers_unmet"]
        and not best.features["tense_clash"]
        and not _NEGATION.search(found.main)
        and not _NEGATION.search(text)
    )
