"""Which of the sentences that would be quoted goes first when the best-ranked one is of a weaker
kind than another: the body before its headline, a sentence that says why before one that tells
what came before, someone's words in quotation marks before a report of them. The model ranks by
how well a sentence meets the question; these are what it cannot weigh."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.extractive.decision import declines_outright
from assistant.extractive.entities import explains
from assistant.splitting import Sentence

if TYPE_CHECKING:
    from assistant.extractive.features import Scored
    from assistant.extractive.measures import Candidate

QUOTE_MARKS = re.compile('[“”"]')


def first_instead(rows: list[Scored], threshold: float, better: Callable[[Scored], bool]) -> None:
    """The first row after the best that would be quoted on its own (its probability at
    `threshold` at least) and that `better` prefers goes first."""
    found = next(
        (r for r in rows[1:] if r.p >= threshold and not declines_outright(r.features) and better(r)),
        None,
    )
    if found is not None:
        rows.remove(found)
        rows.insert(0, found)


def body_first(rows: list[Scored], threshold: float, headline: Callable[[Sentence], bool]) -> None:
    """A headline sums up what the body tells ("Lumora Recalls 212,000 Heaters Over Fire Risk"):
    when the best is one that would be quoted and a sentence of the body answers surely too,
    the body's is quoted instead."""
    if rows and rows[0].p >= threshold and headline(rows[0].candidate.sentence):
        first_instead(rows, threshold, lambda r: not headline(r.candidate.sentence))


def cause_first(rows: list[Scored], threshold: float, text_of: Callable[[Candidate], str]) -> None:
    """A reason is asked: when the best sentence does not say why outright ("… closed after the
    fire") and another that would be quoted does ("… was needed because …"), that one goes first.
    "why?" after an answer asks why of what the answer quoted: when the best is that sentence, the
    one nearest it that says why answers, with the confidence the quoted one has (the question
    says nothing of its own to weigh it by)."""
    if not rows or explains(text_of(rows[0].candidate)):
        return
    best = rows[0]
    if best.features["after_answer"] == 1.0 and best.p >= threshold:
        found = min(
            (
                r
                for r in rows[1:]
                if r.candidate.sentence.source == best.candidate.sentence.source
                and explains(r.candidate.sentence.text)
                and not declines_outright(r.features)
            ),
            key=lambda r: abs(r.candidate.sentence.index - best.candidate.sentence.index),
            default=None,
        )
        if found is not None:
            found.p = max(found.p, best.p)
            rows.remove(found)
            rows.insert(0, found)
            return
    first_instead(rows, threshold, lambda r: explains(r.candidate.sentence.text))


def quote_first(rows: list[Scored], threshold: float, text_of: Callable[[Candidate], str]) -> None:
    """Someone's own words are asked: when the best sentence reports them in other words ("Board
    chair Gloria Ramirez said the change was needed …") and another that would be quoted gives
    them in quotation marks, that one goes first."""
    if rows and not QUOTE_MARKS.search(text_of(rows[0].candidate)):
        first_instead(rows, threshold, lambda r: QUOTE_MARKS.search(r.candidate.sentence.text) is not None)


def edge_of_speech_first(
    rows: list[Scored], threshold: float, edge: str, speaks: Callable[[Sentence], bool]
) -> None:
    """Someone's last (or first) words are asked ("How did the mayor end her remarks?"): of the
    sentences that would be quoted where someone speaks (the one asked, when the question names
    them), the one the document gives last (first) goes first; a document tells a speech in order."""
    speaking = [
        r
        for r in rows
        if r.p >= threshold and not declines_outright(r.features) and speaks(r.candidate.sentence)
    ]
    asked = [r for r in speaking if r.features["spoken_by_asked"] > 0] or speaking
    if not asked:
        return
    source = asked[0].candidate.sentence.source  # the best-ranked one's document: its order
    same = [r for r in asked if r.candidate.sentence.source == source]
    found = (max if edge == "last" else min)(same, key=lambda r: r.candidate.sentence.index)
    rows.remove(found)
    rows.insert(0, found)
