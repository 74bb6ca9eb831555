"""Where an item's evidence is in the seed files, and what overlaps it: citations, retrieved passages.

An evidence string is located in every seed file at every place it occurs (exact,
case-sensitive); each occurrence is an evidence span [start, end) of that file. A citation or
passage *overlaps* evidence when it is in the same file and its span [start, end) shares at
least one character with an evidence span (a < d and c < b).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.types import Citation, Passage


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) of one seed file."""

    source: str
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.source == other.source and self.start < other.end and other.start < self.end


def locate_evidence(evidence: Iterable[str], seeds: Mapping[str, str]) -> list[Span]:
    """Every occurrence of every evidence string in every seed file."""
    spans: list[Span] = []
    for needle in evidence:
        if not needle:
            continue
        for source, text in seeds.items():
            at = text.find(needle)
            while at >= 0:
                spans.append(Span(source, at, at + len(needle)))
                at = text.find(needle, at + 1)
    return spans


def citation_on_evidence(citation: Citation, evidence: Sequence[Span]) -> bool:
    span = Span(citation.source, citation.start, citation.end)
    return any(span.overlaps(e) for e in evidence)


def first_hit_rank(passages: Sequence[Passage], evidence: Sequence[Span], k: int) -> int | None:
    """1-based rank of the first of the top-k passages that overlaps evidence; None if none does."""
    for rank, p in enumerate(passages[:k], start=1):
        if any(Span(p.source, p.start, p.end).overlaps(e) for e in evidence):
            return rank
    return None
