"""Points in time in a text: months, weekdays, years, days of the calendar, "last month"."""

from __future__ import annotations

import re

from assistant.extractive.words import MONTHS, TIME_WORDS, WEEKDAYS, words

YEAR = r"\b(?:1[89]|20)\d\d\b"  # 1800 to 2099


def _parts(text: str) -> set[str]:
    """Lower-cased words, hyphenated ones also as their parts ("five-minute": five, minute)."""
    out: set[str] = set()
    for word in words(text):
        low = word.lower()
        out.add(low)
        out.update(low.split("-"))
    return out


VAGUE_TIMES = ("recently", "earlier", "later", "ago", "soon")
_RELATIVE_TIME = re.compile(
    r"\b(?:last|next|this|that|past|coming|previous|same)\s+(?:" + "|".join(sorted(TIME_WORDS)) + r")\b"
    r"|\b(?:today|yesterday|tomorrow|tonight|" + "|".join(VAGUE_TIMES) + r")\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|" + YEAR,
    re.I,
)


# Months that are common words too ("it may be", "a march"): a month only when capitalised
_WORD_MONTHS = frozenset(["may", "march", "august"])


def _calendar_words(text: str, names: frozenset[str]) -> set[str]:
    """The text's months or weekdays (of `names`), lower-cased: "May" of "in May", never the "may"
    of "it may be"."""
    return {
        low
        for word in words(text)
        for part in word.split("-")
        if (low := part.lower()) in names and (part[:1].isupper() or low not in _WORD_MONTHS)
    }


# a time of the clock: "6:30 a.m.", "8 p.m.", "10am", "14:00", "9 o'clock", "noon", "midnight"
CLOCK = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s?(?:[ap]\.m\.|[ap]m\b)|\b\d{1,2}:\d{2}\b(?!:)|\b\d{1,2}\s+o['’]clock\b"
    r"|\b(?:noon|midday|midnight)\b",
    re.I,
)
# the part of a day that answers "what time of day" as well as a clock does ("on Wednesday morning")
_DAY_PARTS = frozenset(["morning", "afternoon", "evening", "night", "tonight", "overnight"])


# an era: a decade ("the 1960s", "the early 2000s", "the '90s") or a century ("the 12th century",
# "a 15th-century church", "the nineteenth century")
ERA = (
    r"(?:(?:early|mid|late)[-\s]+)?(?:(?:1\d|20)\d0s|['’]\d0s)\b"
    r"|\b(?:\d{1,2}(?:st|nd|rd|th)|(?:[a-z]+-)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|[a-z]+teenth|twentieth))[-\s]centur(?:y|ies)\b"
)
_ERA = re.compile(ERA, re.I)
# a season as a time: "in the fall", "by early spring", "this autumn" ("next spring": _RELATIVE_TIME)
_SEASON = re.compile(
    r"\b(?:in|by|during|until|before|after|this|next|last)\s+(?:the\s+)?(?:(?:early|late|mid)[-\s]+)?"
    r"(?:spring|summer|fall|autumn|winter)\b",
    re.I,
)


def times(text: str) -> set[str]:
    """Points in time: months, weekdays, years, dates, times of the clock, "last month", "ago", a
    decade or century, a season ("in the fall"); not a length ("three-year")."""
    found = _calendar_words(text, MONTHS | WEEKDAYS)
    return found | {
        m.group(0).lower() for p in (_RELATIVE_TIME, CLOCK, _ERA, _SEASON) for m in p.finditer(text)
    }


_MONTH = r"(?:" + "|".join(sorted(MONTHS)) + r")"
_DAY_OF_MONTH = r"\d{1,2}(?:st|nd|rd|th)?\b"
# a day of a month: "September 2", "2 September", "the 2nd of September", "2025-09-02"
DATE = re.compile(
    rf"\b{_MONTH}\.?\s+{_DAY_OF_MONTH}(?!,?\d)|\b{_DAY_OF_MONTH}\s+(?:of\s+)?{_MONTH}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b",
    re.I,
)
# a month of a year: "March 2022", "June, 2024"
MONTH_OF_YEAR = re.compile(rf"\b{_MONTH}\.?,?\s+{YEAR}", re.I)
# the time a thing lasts until, which tells how long it lasts: "until the end of March 2026",
# "through Sunday", "until next year"
_WEEKDAY = r"(?:" + "|".join(sorted(WEEKDAYS)) + r")"
UNTIL = re.compile(
    r"\b(?:until|till|through)\s+(?:the\s+(?:end|start|beginning|middle)\s+of\s+)?"
    rf"(?:(?:{_MONTH}|{_WEEKDAY})\b(?:\.?\s+{_DAY_OF_MONTH})?(?:,?\s+{YEAR})?|{YEAR}|next\s+(?:week|month|year|spring|summer|autumn|fall|winter))",
    re.I,
)


def time_values(text: str, unit: str) -> set[str]:
    """Times in the text that name the unit asked: a year, a month, a weekday, a day, a date
    (a day named in the calendar: "September 2", "Friday"; not "today"), or a time of day (a
    time of the clock, "noon", "in the morning")."""
    if unit == "clock":
        return {m.group(0).lower() for m in CLOCK.finditer(text)} | (_parts(text) & _DAY_PARTS)
    if unit == "year":
        return {m.group(0) for m in re.finditer(YEAR, text)}
    if unit == "month":
        return _calendar_words(text, MONTHS)
    low = _parts(text)
    if unit == "weekday":
        return low & WEEKDAYS
    dates = (low & WEEKDAYS) | {m.group(0).lower() for m in DATE.finditer(text)}
    return dates if unit == "date" else dates | {"today", "yesterday", "tomorrow"} & low


_ASKED_UNIT = re.compile(
    r"\b(?:what|which|in what|in which|at what)\s+(?:exact\s+)?(year|month|day|date|time)\b"
    r"(?!\s*(?:frame|span|period|limit|line|zone|of\s+(?:the\s+)?year))(\s+of\s+the\s+week\b)?",
    re.I,
)


def time_unit_asked(question: str) -> str | None:
    """'year', 'month', 'day', 'date', 'weekday' or 'clock' when the question asks for that
    precisely ("what year …", "which day of the week …", "at what time …", "what time of day …")."""
    match = _ASKED_UNIT.search(question)
    if match is None:
        return None
    unit = match.group(1).lower()
    return "weekday" if match.group(2) else "clock" if unit == "time" else unit
