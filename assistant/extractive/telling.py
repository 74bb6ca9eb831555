"""The telling itself: a question about how someone ended or began their remarks or about when
news was told, and the time a sentence gives for its own telling ("…, she announced on Monday")."""

from __future__ import annotations

import re

from assistant.extractive.speakers import asks_speech
from assistant.extractive.words import SPEECH_VERBS

# the end or the start of someone's remarks: "How did the mayor end her remarks?", "his closing
# words", "at the end of her statement", "her opening line"
_REMARKS = r"(?:words|remarks|line|lines|statement|speech|address|comments?|message|sentence|quote)"
_THEIR = r"(?:(?:her|his|their|its|the)\s+)?"
_SPEECH_EDGE = {
    "last": re.compile(
        rf"\b(?:(?:closing|final|last|concluding|parting)\s+{_REMARKS}"
        rf"|(?:end|ended|ends|close|closed|closes|conclude|concluded|concludes|finish|finished)\s+{_THEIR}{_REMARKS}"
        rf"|the\s+end\s+of\s+{_THEIR}{_REMARKS})\b",
        re.IGNORECASE,
    ),
    "first": re.compile(
        rf"\b(?:(?:opening|first)\s+{_REMARKS}"
        rf"|(?:open|opened|opens|begin|began|begins|start|started|starts)\s+{_THEIR}{_REMARKS}"
        rf"|the\s+(?:start|beginning)\s+of\s+{_THEIR}{_REMARKS})\b",
        re.IGNORECASE,
    ),
}


def speech_edge_asked(question: str) -> str | None:
    """ "last" when the question asks how someone ended their remarks ("What were her closing
    words?"), "first" when it asks how they began; None otherwise."""
    return next((edge for edge, pattern in _SPEECH_EDGE.items() if pattern.search(question)), None)


# the telling itself: "When did the council announce it?", "On which day did the ministers make
# the announcement?", "When did she speak?"
_TOLD_IN = r"announcement|statement|remarks|speech|briefing"  # what a telling is made in
_TELLING = re.compile(
    rf"\b(?:announce|declare|reveal|{_TOLD_IN}|declaration|conference)s?\b"
    r"|\b(?:speak|spoke|spoken|addressed)\b",
    re.I,
)
# a time that ends the telling's phrase: "the mayor said Tuesday", "…, she announced in Lusaka on
# Monday", "made an announcement from the White House on Friday"
_TELLING_NOUNS = rf"(?:{_TOLD_IN}|address|comments?|news conference)"
_TOLD_AT = re.compile(
    r"\b(?:" + SPEECH_VERBS + r"|" + _TELLING_NOUNS + r")"
    r"(?:\s+(?:in|at|from)\s+(?:the\s+)?[A-Z][\w.’-]*(?:\s+[A-Z][\w.’-]*)*)?\s+(?:on\s+)?$",
    re.IGNORECASE,
)
# a time that names the telling: "during her Friday remarks", "Monday's announcement"
_TOLD_NAMED = re.compile(r"^(?:['’]s)?\s+" + _TELLING_NOUNS + r"\b", re.I)


# a dateline opens a press release with the place and the day it was issued ("KESTON, Tuesday 11
# February 2025 - …", "EASTFIELD, Ohio, Tuesday, November 4, 2025 — …"): the telling's time
_DATELINE_BEFORE = re.compile(r"\A\s*[A-Z]{2,}(?:[ .’'-]+[A-Z]{2,})*,[^.!?;:]{0,40}\Z")
_DATELINE_AFTER = re.compile(r"\A[\w ,.()]{0,30}?\s[-–—]{1,2}\s")  # "…, 2025 - ", "… (Reuters) — "


def asks_about_telling(question: str) -> bool:
    """The question asks about a saying or an announcement, not only about what it told."""
    return asks_speech(question) or _TELLING.search(question) is not None


def told_at(text: str, start: int, end: int) -> bool:
    """The time at text[start:end] is the telling's, not that of what it tells: it ends the verb
    or noun that tells the news ("… announced in Lusaka on Monday", "an announcement on Friday")
    or names the telling ("her Friday remarks"), or stands in the dateline that opens a release."""
    return (
        _TOLD_AT.search(text[:start]) is not None
        or _TOLD_NAMED.match(text[end:]) is not None
        or (
            _DATELINE_BEFORE.match(text[:start]) is not None and _DATELINE_AFTER.match(text[end:]) is not None
        )
    )
