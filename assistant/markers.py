"""The [n] citation markers in answer text: the one pattern, and finding, dropping and removing them.

A marker is one to three digits in square brackets ("[1]" .. "[999]"); n counts from 1 and
names the Citation with that n. Models sometimes write a group ("[1, 2]", "[1;2]"): GROUP
matches one with the space before it, for filters that rewrite it as "[1][2]".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_MARKER = 999  # three digits at most
_N = r"\d{1,3}"
MARKER = re.compile(rf"\[({_N})\]")
_SPACED = re.compile(rf"\s?\[({_N})\]")
# A complete group: "[3]", "[1, 2]", "[1;2]", with the space before it and the word character after
# it, if any (a dropped marker takes its space along unless a word follows).
GROUP = re.compile(rf"(\s?)\[({_N}(?:\s*[,;]\s*{_N})*)\](?=(\w)?)")


def markers(text: str) -> list[int]:
    """The [n] markers in order of first appearance."""
    seen: list[int] = []
    for match in MARKER.finditer(text):
        n = int(match.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def drop_markers(text: str, keep: Iterable[int]) -> str:
    """Remove every [n] whose n is not kept, with the space before it."""
    allowed = set(keep)
    return _SPACED.sub(lambda m: m.group(0) if int(m.group(1)) in allowed else "", text)


def strip_markers(text: str) -> str:
    """The text with every [n] taken out (spaces left as they were)."""
    return MARKER.sub("", text)
