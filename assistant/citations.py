"""Citations a reader can check: spans verified against the seed files, unsupported facts flagged."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from assistant.extractive.words import MONTHS, NUMBER_WORDS, WEEKDAYS
from assistant.markers import markers, strip_markers
from assistant.normalise import normalise
from assistant.types import Citation

log = logging.getLogger(__name__)

_FACT = re.compile(
    r"\b\d[\d,.]*\d\b|\b\d\b|\b(?i:" + "|".join(sorted(NUMBER_WORDS | MONTHS | WEEKDAYS)) + r")\b"
    r"|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z\[])")


@lru_cache(maxsize=32)
def _seed_text(path: Path, mtime: float) -> str:
    return path.read_text(encoding="utf-8")


def verify(citation: Citation, seeds_dir: Path) -> bool:
    """True when seeds/<source>[start:end] is exactly the quote."""
    path = seeds_dir / citation.source
    if path.parent != seeds_dir or not path.is_file():
        return False
    text = _seed_text(path, path.stat().st_mtime)
    return (
        0 <= citation.start < citation.end <= len(text)
        and text[citation.start : citation.end] == citation.quote
    )


def facts(text: str) -> list[str]:
    """Numbers, number words, months and days, and capitalised names in a piece of text."""
    return [m.group(0) for m in _FACT.finditer(strip_markers(text))]


def unsupported_facts(text: str, citations: list[Citation]) -> list[str]:
    """Facts in an answer sentence that none of the quotes that sentence cites contains."""
    by_n = {c.n: normalise(c.quote) for c in citations}
    missing: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        cited = [by_n[n] for n in markers(sentence) if n in by_n]
        if not cited:
            cited = list(by_n.values())
        for fact in facts(sentence):
            needle = normalise(fact)
            if not any(needle in quote for quote in cited) and fact not in missing:
                missing.append(fact)
    return missing
