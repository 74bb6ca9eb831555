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


def times(text: str) -> set[str]:
    """Points in time: months, weekdays, years, dates, "last month", "ago"; not a length ("three-year")."""
    found = _calendar_words(text, MONTHS | WEEKDAYS)
    return found | {m.group(0).lower() for m in _RELATIVE_TIME.finditer(text)}


_MONTH = r"(?:" + "|".join(sorted(MONTHS)) + r")"
_DAY_OF_MONTH = r"\d{1,2}(?:st|nd|rd|th)?\b"
# a day of a month: "September 2", "2 September", "the 2nd of September", "2025-09-02"
DATE = re.compile(
    rf"\b{_MONTH}\.?\s+{_DAY_OF_MONTH}(?!,?\d)|\b{_DAY_OF_MONTH}\s+(?:of\s+)?{_MONTH}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b",
    re.I,
)


def time_values(text: str, unit: str) -> set[str]:
    """Times in the text that name the unit asked: a year, a month, a weekday, a day, or a date
    (a day named in the calendar: "September 2", "Friday"; not "today")."""
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
    r"\b(?:what|which|in what|in which)\s+(?:exact\s+)?(year|month|day|date)\b(\s+of\s+the\s+week\b)?", re.I
)


def time_unit_asked(question: str) -> str | None:
    """'year', 'month', 'day', 'date' or 'weekday' when the question asks for that precisely
    ("what year …", "which day of the week …")."""
    match = _ASKED_UNIT.search(question)
    if match is None:
        return None
    return "weekday" if match.group(2) else match.group(1).lower()
