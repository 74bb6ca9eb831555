"""Text compared loosely: curly quotes straightened, runs of spaces made one, case folded.

Seed files keep their exact characters (citations are checked against them); these helpers
only serve comparisons ("does this quote contain that fact?") and one-line displays.
"""

from __future__ import annotations

import re

QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Every run of whitespace (newlines too) made one space, the ends trimmed."""
    return " ".join(text.split())


def normalise(text: str) -> str:
    """Straight quotes, single spaces, lower case, ends trimmed: for containment tests."""
    return _SPACES.sub(" ", text.translate(QUOTES)).strip().lower()
