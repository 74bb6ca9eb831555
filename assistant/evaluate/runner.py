"""The run loop: every golden item through Assistant.ask (history included), timed and scored."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from pydantic import BaseModel, Field

from assistant.errors import AssistantError, BackendAuthError, ConfigError, IndexStoreError
from assistant.evaluate.evidence import Span, citation_on_evidence, locate_evidence
from assistant.evaluate.metrics import ItemScore, Metrics, TypeMetrics, by_type, overall, score_item
from assistant.evaluate.schema import GoldenItem
from assistant.types import Answer

# Errors that would fail every item the same way: the run stops instead of scoring them.
FATAL = (BackendAuthError, ConfigError, IndexStoreError)


class Asker(Protocol):
    """What the runner needs of an Assistant."""

    def ask(self, question: str, history: Sequence[Any] | None = None) -> Answer: ...


class CitedSpan(BaseModel):
    """A citation as the eval shows it, with whether it overlaps the item's evidence."""

    n: int
    source: str
    quote: str
    start: int
    end: int
    on_evidence: bool


class ItemResult(BaseModel):
    """One golden item's outcome, as printed in the JSON and the report."""

    id: str
    question: str
    type: str
    answerable: bool
    document: str | None = None
    group: str | None = None
    wording: str | None = None
    answer: str
    abstained: bool
    reason: str | None
    correct: bool
    citations: list[CitedSpan]
    failure: str | None
    latency_ms: float | None
    rank: int | None = Field(description="Rank of the first retrieved passage overlapping evidence.")
    history: list[dict[str, str]] = Field(default_factory=list, exclude=True)
    must_include: list[list[str]] = Field(default_factory=list, exclude=True)
    evidence: list[Span] = Field(default_factory=list, exclude=True)
    retrieved: list[Span] = Field(default_factory=list, exclude=True)


class EvalResult(BaseModel):
    """A whole run: headline metrics, metrics by type, and every item."""

    backend: str
    model: str | None
    k: int
    n: int
    metrics: Metrics
    by_type: dict[str, TypeMetrics]
    items: list[ItemResult]
    scores: list[ItemScore] = Field(default_factory=list, exclude=True)

    @property
    def failures(self) -> list[ItemResult]:
        return [i for i in self.items if i.failure]


def _item_result(
    item: GoldenItem, answer: Answer, score: ItemScore, evidence: list[Span], k: int
) -> ItemResult:
    return ItemResult(
        id=item.id,
        question=item.question,
        type=item.type,
        answerable=item.answerable,
        document=item.document,
        group=item.group,
        wording=item.wording,
        answer=answer.text,
        abstained=answer.abstained,
        reason=answer.reason,
        correct=score.correct,
        citations=[
            CitedSpan(
                n=c.n,
                source=c.source,
                quote=c.quote,
                start=c.start,
                end=c.end,
                on_evidence=item.answerable and citation_on_evidence(c, evidence),
            )
            for c in answer.citations
        ],
        failure=score.failure,
        latency_ms=score.latency_ms,
        rank=score.rank,
        history=item.history_messages(),
        must_include=item.must_include,
        evidence=evidence,
        retrieved=[Span(p.source, p.start, p.end) for p in answer.passages[:k]],
    )


def run_golden(
    bot: Asker,
    items: Sequence[GoldenItem],
    seeds: Mapping[str, str],
    k: int,
    *,
    backend: str = "",
    model: str | None = None,
    on_item: Callable[[ItemResult], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
    warm_up: bool = True,
) -> EvalResult:
    """Ask every item (with its history), time each ask(), score it, and aggregate.

    With warm_up, the first item is asked once untimed before the timed run, so that the
    one-time loading a first ask() pays (models, tokenizers, caches) is not in the latencies.

    An AssistantError on one item is recorded as that item's failure (scored as an empty,
    non-abstaining answer); one that would fail every item (bad key, bad config, no index)
    stops the run.
    """
    results: list[ItemResult] = []
    scores: list[ItemScore] = []
    if warm_up and items:
        try:
            bot.ask(items[0].question, history=items[0].history_messages())
        except FATAL:
            raise
        except AssistantError:
            pass  # the timed run records it
    for item in items:
        error: str | None = None
        started = clock()
        try:
            answer = bot.ask(item.question, history=item.history_messages())
        except FATAL:
            raise
        except AssistantError as exc:
            answer, error = Answer(text="", question=item.question), f"{type(exc).__name__}: {exc}"
        latency_ms = (clock() - started) * 1000
        score = score_item(item, answer, seeds, k, latency_ms=latency_ms, error=error)
        result = _item_result(item, answer, score, locate_evidence(item.evidence, seeds), k)
        scores.append(score)
        results.append(result)
        if on_item is not None:
            on_item(result)
    return EvalResult(
        backend=backend,
        model=model,
        k=k,
        n=len(results),
        metrics=overall(scores),
        by_type=by_type(scores),
        items=results,
        scores=scores,
    )
