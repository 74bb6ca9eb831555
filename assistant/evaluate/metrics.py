"""The golden-set metrics: pure functions over golden items and Answer objects.

Definitions (DESIGN.md), with every edge case fixed here:

- Spans: an evidence span, and when a citation or passage overlaps it, are defined in evidence.py.
- correctness: answerable items whose text contains every must_include group (a group
  matches when any of its alternatives occurs in the text, case-insensitively, as a
  substring, after [n] citation markers are removed, curly quotes straightened and runs of
  whitespace collapsed) / answerable items. An abstention on an answerable item is
  incorrect, whatever its text says.
- citation_precision: citations (on answerable items, abstained or not) that overlap an
  evidence span of their item / all those citations. No citation at all: None (undefined,
  not 0 and not 1). Citations on unanswerable items are not counted: there is no evidence
  to check them against (answering at all is what the abstention metric penalises).
- citation_recall: answerable items with at least one citation overlapping evidence /
  answerable items.
- abstention: unanswerable items abstained on / unanswerable items.
- over_abstention: answerable items abstained on / answerable items (lower is better).
- consistency: answerable groups whose every item is correct / answerable groups. A group
  is the wordings of one fact: the items of one document that share a `group`; an item
  without a group is a group of its own (so on a file without groups, consistency is
  correctness). Only answerable items count.
- citation_exact: citations (on every item) whose quote is the seed file's text at their
  offsets, seeds[source][start:end] == quote / all those citations; None without any.
- hit_at_k: answerable items with an evidence span overlapping any of the first k retrieved
  passages (Answer.passages) / answerable items. An item with several evidence strings hits
  when any of them does.
- mrr: mean over answerable items of 1/rank of the first of the k passages that overlaps
  evidence, 0 when none does.
- latency_p50_ms, latency_p95_ms: nearest-rank percentiles (the ceil(p*n)-th smallest) of
  the time ask() took, over every item that has a latency.

A rate over zero items (no answerable item, say) is None. Every metric is in [0, 1] except
the latencies; for all but over_abstention and the latencies, higher is better.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from assistant.evaluate.evidence import citation_on_evidence, first_hit_rank, locate_evidence
from assistant.evaluate.schema import GoldenItem
from assistant.types import Answer, Citation

METRIC_NAMES = (
    "correctness",
    "citation_precision",
    "citation_recall",
    "abstention",
    "over_abstention",
    "consistency",
    "citation_exact",
    "hit_at_k",
    "mrr",
    "latency_p50_ms",
    "latency_p95_ms",
)
LOWER_IS_BETTER = frozenset({"over_abstention", "latency_p50_ms", "latency_p95_ms"})

_MARKER = re.compile(r"\[\d{1,3}\]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", _MARKER.sub(" ", text).translate(_QUOTES)).lower()


def missing_groups(text: str, must_include: Sequence[Sequence[str]]) -> list[list[str]]:
    """The must_include groups none of whose alternatives occurs in the text."""
    haystack = _normalise(text)
    return [list(g) for g in must_include if not any(_normalise(alt).strip() in haystack for alt in g)]


def is_correct(answer: Answer, must_include: Sequence[Sequence[str]]) -> bool:
    """An answerable item's answer is correct: not an abstention, not cut off, and every group matches."""
    return not answer.abstained and not answer.incomplete and not missing_groups(answer.text, must_include)


def quote_is_exact(citation: Citation, seeds: Mapping[str, str]) -> bool:
    """The citation's quote is its seed file's text at its offsets."""
    text = seeds.get(citation.source)
    return text is not None and text[citation.start : citation.end] == citation.quote


def group_key(item: GoldenItem) -> str:
    """The fact an item asks about: its document and group, or the item alone when it has no group."""
    if item.group is None:
        return f"{item.document or ''}#{item.id}"
    return f"{item.document or ''}:{item.group}"


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: the ceil(p/100 * n)-th smallest value; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    index = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(index, len(ordered)) - 1]


@dataclass(frozen=True)
class ItemScore:
    """How one answer did on one golden item: what every metric needs, and why it failed."""

    id: str
    type: str
    answerable: bool
    abstained: bool
    group: str  # group_key: the wordings of one fact share it
    correct: bool  # answerable: is_correct; unanswerable: abstained
    citations: int  # citations counted for precision (answerable items only; 0 otherwise)
    citations_on_evidence: int
    rank: int | None  # first retrieved passage overlapping evidence (answerable items only)
    latency_ms: float | None
    failure: str | None
    quotes: int = 0  # every citation of the answer (answerable or not)
    quotes_exact: int = 0  # those whose quote is the seed's text at their offsets
    wording: str | None = None
    document: str | None = None

    @property
    def cited_evidence(self) -> bool:
        return self.citations_on_evidence > 0


def _failure(
    item: GoldenItem,
    answer: Answer,
    missing: list[list[str]],
    on_evidence: list[bool],
    rank: int | None,
    k: int,
) -> str | None:
    reasons: list[str] = []
    if not item.answerable:
        if not answer.abstained:
            reasons.append("answered a question it should have declined")
        return "; ".join(reasons) or None
    if answer.abstained:
        reasons.append(f"abstained ({answer.reason or 'no reason'}) on an answerable question")
    elif missing:
        reasons.append("missing " + ", ".join(" or ".join(repr(a) for a in g) for g in missing))
    if not answer.citations:
        if not answer.abstained:
            reasons.append("no citation")
    elif not any(on_evidence):
        reasons.append("no citation overlaps the evidence")
    else:
        off = [f"[{c.n}]" for c, ok in zip(answer.citations, on_evidence, strict=True) if not ok]
        if off:
            reasons.append(f"citation{'s' if len(off) > 1 else ''} {', '.join(off)} off the evidence")
    if rank is None:
        reasons.append(f"evidence not in the top {k} retrieved passages")
    return "; ".join(reasons) or None


def score_item(
    item: GoldenItem,
    answer: Answer,
    seeds: Mapping[str, str],
    k: int,
    latency_ms: float | None = None,
    error: str | None = None,
) -> ItemScore:
    """Score one answer; `error` (the ask raised) is put first in the failure."""
    evidence = locate_evidence(item.evidence, seeds)
    if item.answerable:
        missing = missing_groups(answer.text, item.must_include)
        correct = not answer.abstained and not answer.incomplete and not missing
        on_evidence = [citation_on_evidence(c, evidence) for c in answer.citations]
        rank = first_hit_rank(answer.passages, evidence, k)
    else:
        missing, correct, on_evidence, rank = [], answer.abstained, [], None
    failure = _failure(item, answer, missing, on_evidence, rank, k)
    if error:
        failure = f"error: {error}" + (f"; {failure}" if failure else "")
    return ItemScore(
        id=item.id,
        type=item.type,
        answerable=item.answerable,
        abstained=answer.abstained,
        group=group_key(item),
        correct=correct,
        citations=len(on_evidence),
        citations_on_evidence=sum(on_evidence),
        rank=rank,
        latency_ms=latency_ms,
        failure=failure,
        quotes=len(answer.citations),
        quotes_exact=sum(quote_is_exact(c, seeds) for c in answer.citations),
        wording=item.wording,
        document=item.document,
    )


class Metrics(BaseModel):
    """The metrics of a set of scored items; None where a rate has no items to count."""

    correctness: float | None = None
    citation_precision: float | None = None
    citation_recall: float | None = None
    abstention: float | None = None
    over_abstention: float | None = None
    consistency: float | None = None
    citation_exact: float | None = None
    hit_at_k: float | None = None
    mrr: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None


class TypeMetrics(Metrics):
    """Metrics of the items of one type, with how many there are."""

    n: int = 0
    answerable: int = 0
    unanswerable: int = 0


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def consistency(answerable: Sequence[ItemScore]) -> float | None:
    """Answerable groups whose every item is correct / answerable groups."""
    groups: dict[str, bool] = {}
    for s in answerable:
        groups[s.group] = groups.get(s.group, True) and s.correct
    return _rate(sum(groups.values()), len(groups))


def aggregate(scores: Sequence[ItemScore]) -> TypeMetrics:
    """Every metric over the given item scores (see the module docstring for the definitions)."""
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    latencies = [s.latency_ms for s in scores if s.latency_ms is not None]
    n_ans = len(answerable)
    return TypeMetrics(
        n=len(scores),
        answerable=n_ans,
        unanswerable=len(unanswerable),
        correctness=_rate(sum(s.correct for s in answerable), n_ans),
        citation_precision=_rate(
            sum(s.citations_on_evidence for s in answerable), sum(s.citations for s in answerable)
        ),
        citation_recall=_rate(sum(s.cited_evidence for s in answerable), n_ans),
        abstention=_rate(sum(s.abstained for s in unanswerable), len(unanswerable)),
        over_abstention=_rate(sum(s.abstained for s in answerable), n_ans),
        consistency=consistency(answerable),
        citation_exact=_rate(sum(s.quotes_exact for s in scores), sum(s.quotes for s in scores)),
        hit_at_k=_rate(sum(s.rank is not None for s in answerable), n_ans),
        mrr=(sum(1 / s.rank for s in answerable if s.rank is not None) / n_ans) if n_ans else None,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
    )


def breakdown(scores: Sequence[ItemScore], key: Callable[[ItemScore], str | None]) -> dict[str, TypeMetrics]:
    """Metrics per value of `key` (items whose key is None left out), in order of first appearance."""
    groups: dict[str, list[ItemScore]] = {}
    for s in scores:
        value = key(s)
        if value is not None:
            groups.setdefault(value, []).append(s)
    return {value: aggregate(group) for value, group in groups.items()}


def by_type(scores: Sequence[ItemScore]) -> dict[str, TypeMetrics]:
    """Metrics per item type, in the order the types first appear."""
    return breakdown(scores, lambda s: s.type)


def overall(scores: Sequence[ItemScore]) -> Metrics:
    """The headline metrics (METRIC_NAMES), without the counts."""
    return Metrics.model_validate(aggregate(scores).model_dump(include=set(METRIC_NAMES)))
