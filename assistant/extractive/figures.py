"""Numbers in a text, in figures or in words ("eight", "fifty-five", "three hundred and twenty")."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.extractive.words import ONES, PLURAL_SCALES, SCALES, TEENS, TENS

_DIGITS = re.compile(r"\b\d[\d,.]*\b")

# a number in words, whole: "fifty-five", "twenty-one", "three hundred and twenty", "one million",
# "a dozen"'s "dozen"; not "twenty two" of "twenty two-bedroom flats", nor one number of "four
# three-year-olds". "Half", "twice" and the vague "dozens" stand alone.
_ONE = "(?:" + "|".join(ONES) + ")"
_SMALL = (  # "one" alone is no number here ("one of them"): only before a scale, or after a tens word
    f"(?:(?:{'|'.join(TENS)})(?:-{_ONE}|\\s+{_ONE}(?!-))?|{'|'.join(TEENS)}|zero|{'|'.join(ONES[1:])})"
)
_SCALE = "(?:" + "|".join(SCALES) + ")"
_GROUP = rf"(?:{_SMALL}|one)(?:[-\s]+{_SCALE})+"  # "three hundred", "twenty thousand", "one million"
_TAIL = rf"(?:\s+(?:and\s+)?(?:{_SMALL}|one)(?![-\s]+{_SCALE})(?!-))"  # "… and twenty", not "… two-bedroom"
IN_WORDS = rf"(?:{_GROUP}(?:\s+(?:and\s+)?{_GROUP})*{_TAIL}?|{_SCALE}{_TAIL}?|{_SMALL})"
_IN_WORDS = re.compile(rf"\b{IN_WORDS}\b", re.I)
# a text with none of these words holds no number in words, and is not searched (the pattern is slow)
_NUMBER_PARTS = frozenset([*ONES, *TEENS, *TENS, *SCALES, "zero"])


def spoken(number: str) -> str:
    """A number in words as one value, however it is spaced or hyphenated: "fifty five" and
    "Fifty-five" are "fifty-five", "three hundred and twenty" is "three-hundred-twenty"."""
    return re.sub(r"[-\s]+(?:and[-\s]+)?", "-", number.lower())


_ALONE = re.compile(r"\b(?:" + "|".join(("half", "twice", "thrice", *PLURAL_SCALES)) + r")\b", re.I)


@lru_cache(maxsize=4096)  # a sentence is read for many questions
def numbers_at(text: str) -> tuple[tuple[int, int, str], ...]:
    """Each number of the text, in figures or words, with where it stands."""
    found = [(m.start(), m.end(), m.group(0).rstrip(".,")) for m in _DIGITS.finditer(text)]
    if not _NUMBER_PARTS.isdisjoint(re.findall(r"[a-z]+", text.lower())):
        found += [(m.start(), m.end(), spoken(m.group(0))) for m in _IN_WORDS.finditer(text)]
    return (*found, *((m.start(), m.end(), m.group(0).lower()) for m in _ALONE.finditer(text)))
