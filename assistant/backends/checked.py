"""A model backend held by the offline engine: refuse before generating, check the rewrite, no uncited answer.

Small models follow rules in a prompt loosely; the pipeline around the model holds instead:
- condense: the model's rewrite of a follow-up is used only when rewrite_check passes it;
  otherwise the offline condensing (the extractive engine's) is used, and a log line says so.
- refuse before generating: the extractive engine analyses the question and passages first.
  Where it is confident the documents do not answer (its best sentence's probability below
  REFUSE_SHARE of its answer threshold, or below the threshold with an out-of-scope reason or
  a name the documents never mention), the model is not called and the abstention is the
  extractive one (model_reply="not_asked"). Where it is unsure (it would decline, but not with
  that confidence), the model decides, from the sentences the engine ranks best: its reply is
  held back and shown only when it cites one of them (PLAUSIBLE_RANKS).
- no uncited answer shown as sourced: a reply the model backend could not show (no valid
  citation, or every number in it unsupported: model_reply="unchecked") is replaced by the
  extractive answer after a note ("replaced"), or by its abstention ("declined").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from assistant.backends.base import AnswerBackend
from assistant.backends.rewrite_check import rewrite_problem
from assistant.extractive import ExtractiveBackend
from assistant.extractive.decision import declines_outright
from assistant.extractive.features import Analysis
from assistant.response import Parts, Response
from assistant.types import Answer, Message, Passage, Query

log = logging.getLogger(__name__)

# The model is not asked when the best sentence's probability is below this share of the
# extractive engine's answer threshold: a clear margin under where it would answer itself.
REFUSE_SHARE = 0.5
# Where the engine is unsure, a reply is shown only when it cites one of the engine's best-ranked
# sentences: on the dev bank the evidence is among the top 3 for 92 % of answerable questions
# (top 1: 79 %, top 5: 96 %); a reply quoting a sentence further down is most often beside the point.
PLAUSIBLE_RANKS = 3
UNCHECKED_NOTE = (
    "The model's answer could not be checked against the announcement, so it is not shown. "
    "The announcement's own words: "
)


class CheckedBackend:
    """The model backend, with the extractive engine deciding before and checking after."""

    def __init__(self, model: AnswerBackend, offline: ExtractiveBackend) -> None:
        self.inner = model
        self.offline = offline
        self.name = model.name
        self.model = model.model

    def __repr__(self) -> str:
        return f"CheckedBackend({self.inner!r})"

    def describe(self) -> str:
        return self.inner.describe()

    def condense(self, question: str, history: Sequence[Message]) -> Query:
        query = self.inner.condense(question, history)
        if not history or query.text == question:
            return query
        problem = rewrite_problem(query.text, question, history)
        if not problem:
            return query
        log.info(
            "the model's rewrite %r of %r %s; using the offline condensing", query.text, question, problem
        )
        return self.offline.condense(question, history)

    def stream(self, query: Query, passages: Sequence[Passage]) -> Response:
        return Response(self._answer(query, passages))

    def declines_without_model(self, found: Analysis) -> bool:
        """The extractive engine is confident that the documents do not answer."""
        threshold = self.offline.decision.answer_threshold
        best = found.rows[0].p if found.rows else 0.0
        if best < REFUSE_SHARE * threshold or (found.rows and declines_outright(found.rows[0].features)):
            return True
        return best < threshold and bool(found.unknown or not found.shares_term)

    def _answer(self, query: Query, passages: Sequence[Passage]) -> Parts:
        found = self.offline.analyse(query, passages)  # once: to refuse, and for any checked answer
        if self.declines_without_model(found):
            declined = self.offline.respond(found)
            yield from declined
            return declined.answer().model_copy(update={"model_reply": "not_asked"})
        reply = self.inner.stream(query, passages)
        if self._unsure(found):
            # the engine would decline: the reply is held back, and shown only when it cites a
            # sentence the engine ranks among its best (a model that follows no rules quotes any)
            answer = reply.answer()
            if answer.model_reply == "used" and not answer.abstained and not self._backed(answer, found):
                log.info("the model's reply to %r cites no sentence the engine backs; not shown", query.text)
                answer = answer.model_copy(update={"model_reply": "unchecked"})
            if answer.model_reply != "unchecked":
                yield answer.text
                return answer
            return (yield from self._instead(query, found))
        yield from reply
        answer = reply.answer()
        if answer.model_reply != "unchecked":
            return answer
        return (yield from self._instead(query, found))

    def _unsure(self, found: Analysis) -> bool:
        """The engine would decline, though not with the confidence that keeps the model out
        (with no candidate at all, declines_without_model has already declined)."""
        return found.rows[0].p < self.offline.decision.answer_threshold

    @staticmethod
    def _backed(answer: Answer, found: Analysis) -> bool:
        """The reply cites one of the sentences the engine ranks best (PLAUSIBLE_RANKS)."""
        plausible = [r.candidate.sentence for r in found.rows[:PLAUSIBLE_RANKS]]
        return any(
            c.source == s.source and c.start < s.end and s.start < c.end
            for c in answer.citations
            for s in plausible
        )

    def _instead(self, query: Query, found: Analysis) -> Parts:
        """The extractive answer (after a note) or its abstention, for a reply that was not shown."""
        answer = self.offline.respond(found).answer()
        if answer.abstained:
            yield answer.text
            return answer.model_copy(update={"model_reply": "declined", "question": query.text})
        yield UNCHECKED_NOTE
        yield answer.text
        return answer.model_copy(
            update={"text": UNCHECKED_NOTE + answer.text, "model_reply": "replaced", "question": query.text}
        )
