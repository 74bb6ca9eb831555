"""The default backend: answers with the documents' own sentences, verbatim, or declines.

For a question and the retrieved passages:
1. Candidates: the sentences of the passages and those of their documents nearest the
   question in meaning;
   a sentence that leans on the one before it ("While there, she ...", a quotation
   continued) is read with it (measures.py, speakers.py).
2. Features: coverage of the question's topic words (by stem, WordNet relation, word
   embedding), meaning, the kind of answer asked for, names, words the documents never
   use, scope (features.py).
3. Decision: one logistic model, fitted on the dev part of the question bank, gives each
   candidate a probability; the best is quoted when it reaches the fitted threshold, with
   a second sentence when the model backs it too (decision.py, weights.json).
4. The answer: the short answer first (the number, date, amount, length of time) taken
   verbatim from the quoted sentence, with its span in Answer.short, or "Yes" when the
   sentence says so plainly (short_answer.py); then the sentence with its [n]; a term of the
   question that the documents never mention is named; a speaker given as a bare surname or
   pronoun gets a note saying who that is, with its own citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.corpus import Corpus
from assistant.extractive import followup, short_answer
from assistant.extractive.decision import Model, declines_outright, load_model
from assistant.extractive.features import Analyser, Analysis, Scored
from assistant.extractive.questions import TYPED, AnswerType, dimension_asked, topic_words
from assistant.extractive.roles import asked_holder
from assistant.extractive.speakers import SpeakerNote
from assistant.extractive.typed import unit_asked
from assistant.extractive.wordnet import preload
from assistant.messages import OUT_OF_SCOPE_TEXT, doesnt_say
from assistant.response import Parts, Response
from assistant.splitting import Sentence
from assistant.types import AbstainReason, Answer, Citation, Message, Passage, Query

_TYPE_WORDS = {
    AnswerType.AGE: "age",
    AnswerType.MONEY: "amount of money",
    AnswerType.DURATION: "length of time",
    AnswerType.NUMBER: "number",
    AnswerType.TIME: "date or time",
    AnswerType.NAME: "name",
    AnswerType.ORGANIZATION: "organization",
    AnswerType.PERSON: "person",
    AnswerType.PLACE: "place",
    AnswerType.REASON: "reason",
}
_UNIT_WORDS = {"weekday": "day of the week", "clock": "time of day"}  # the others say themselves
SECOND_SENTENCE_GAIN = 0.3  # a second sentence must add this share of the question's weight
MAX_SENTENCES = 2
OUT_OF_SCOPE_SIMILARITY = 0.30  # names the reason of a decline: below it, the question is off-topic


class ExtractiveBackend(Analyser):
    """Quotes the sentences that answer; abstains with a reason when none does."""

    name = "extractive"
    model: str | None = None

    def __init__(self, corpus: Corpus, decision: Model | None = None) -> None:
        super().__init__(corpus)
        self.decision = decision or load_model()
        preload()

    def describe(self) -> str:
        return "extractive (offline: quotes the announcement's own sentences)"

    def condense(self, question: str, history: Sequence[Message]) -> Query:
        return followup.condense(question, history)

    @staticmethod
    def _abstain(text: str, reason: AbstainReason) -> Parts:
        yield text
        return Answer(text=text, abstained=True, reason=reason)

    # -- answering -----------------------------------------------------------------------
    def stream(self, query: Query, passages: Sequence[Passage]) -> Response:
        return self.respond(self.analyse(query, passages))

    def respond(self, found: Analysis) -> Response:
        """The answer (or abstention) to a question already analysed."""
        return Response(self._answer(found))

    def _answer(self, found: Analysis) -> Parts:
        best = found.rows[0] if found.rows else None
        if best is None or best.p < self.decision.answer_threshold or declines_outright(best.features):
            text, reason = self._declined(found, best)
            return (yield from self._abstain(text, reason))
        other = self._disagreeing(found)
        if other is not None:
            text, citations = self._differ(found, [best, other])
            yield from re.findall(r"\S+\s*", text)
            return Answer(text=text, citations=citations)
        chosen = self._choose(found)
        text, citations = self._compose(
            chosen, explain_speakers=found.kind in (AnswerType.PERSON, AnswerType.NAME), main=found.main
        )
        missing = found.unknown or (found.foreign if best.features["unknown_share"] > 0 else [])
        if missing:
            listed = " or ".join(f"“{w}”" for w in missing)
            text = f"The announcement does not mention {listed}; it says: {text}"
        # the short answer answers the question as asked: not when part of it is missing
        lead = None if missing else short_answer.lead(found, best.candidate)
        short = None
        if lead is not None:
            span, at = lead
            n = next((c.n for c in citations if c.start <= at < c.end), None)
            if n is not None:
                short = self.corpus.cite(n, best.candidate.sentence.source, at, at + len(span))
                text = f"{short_answer.upper_first(span)} — {text}"
        elif not missing and short_answer.plain_yes(found, best, self._text_of(best.candidate)):
            text = f"Yes — {text}"
        yield from re.findall(r"\S+\s*", text)
        return Answer(text=text, citations=citations, short=short)

    @staticmethod
    def _declined(found: Analysis, best: Scored | None) -> tuple[str, AbstainReason]:
        topic = " ".join(topic_words(found.main)) or "that"  # not "name" of "the name of the ship"
        if not found.shares_term and (best is None or best.features["scope"] < OUT_OF_SCOPE_SIMILARITY):
            return OUT_OF_SCOPE_TEXT, "out_of_scope"
        missing = found.unknown or found.foreign
        if missing:
            listed = " or ".join(f"“{w}”" for w in missing)
            return doesnt_say(f"it never mentions {listed}."), "not_in_document"
        if best is not None and found.kind in TYPED and not best.candidate.typed:
            # "what year": no year; "how tall": no length
            unit = unit_asked(found.main, found.kind) or (
                dimension_asked(found.main) if found.kind is AnswerType.NUMBER else None
            )
            what = _UNIT_WORDS.get(unit, unit) if unit else _TYPE_WORDS.get(found.kind, "answer")
            return doesnt_say(f"it gives no {what} for “{topic}”."), "not_in_document"
        return doesnt_say(f"nothing in it answers “{topic}”."), "not_in_document"

    def _choose(self, found: Analysis) -> list[Sentence]:
        """The best sentence, and a second one only when the model backs it and it adds to it."""
        best = found.rows[0].candidate
        chosen = [best]
        weights = {t.stem: t.weight for t in self._terms(found.main, found.context)}
        total = sum(weights.values()) or 1.0
        for other in found.rows[1:]:
            if len(chosen) >= MAX_SENTENCES or other.p < self.decision.answer_threshold:
                break
            gain = sum(weights.get(t, 0.0) for t in other.candidate.matched - best.matched) / total
            if other.candidate.typed and gain >= SECOND_SENTENCE_GAIN:
                chosen.append(other.candidate)
        # the best first (after the one it leans on), so the short answer stands before the
        # quote it is taken from; the others after it, in the documents' order
        groups = [
            [c.before, c.sentence] if c.before is not None and c.leans else [c.sentence] for c in chosen
        ]
        rest = sorted((s for g in groups[1:] for s in g), key=lambda s: (s.source, s.start))
        picked: dict[tuple[str, int], Sentence] = {}
        for sentence in [*groups[0], *rest]:
            picked.setdefault(self._key(sentence), sentence)
        return list(picked.values())

    def _disagreeing(self, found: Analysis) -> Scored | None:
        """A sentence of another document that the model backs too and that gives another value.

        Only for questions that ask for a value (a number, date, amount, length of time): two
        documents giving two values is a disagreement the reader must see, not one to settle.
        """
        best = found.rows[0]
        value = short_answer.value(found, best.candidate)
        if not value:
            return None
        for other in found.rows[1:]:
            if other.p < self.decision.answer_threshold:
                break
            if other.candidate.sentence.source == best.candidate.sentence.source:
                continue
            theirs = short_answer.value(found, other.candidate)
            if theirs and theirs != value:
                return other
        return None

    def _differ(self, found: Analysis, rows: list[Scored]) -> tuple[str, list[Citation]]:
        """Each document's value first, then its sentence, named by the document's title and date."""
        parts: list[str] = ["The documents differ."]
        citations: list[Citation] = []
        for row in rows:
            value = short_answer.lead(found, row.candidate)
            lead = short_answer.upper_first(value[0]) if value else ""
            quoted = [row.candidate.before] if row.candidate.leans and row.candidate.before else []
            sentences: list[str] = []
            for sentence in [*quoted, row.candidate.sentence]:
                citation = self.corpus.cite(len(citations) + 1, sentence.source, sentence.start, sentence.end)
                citations.append(citation)
                sentences.append(f"{sentence.text} [{citation.n}]")
            named = f"“{citations[-1].title}”" + (f" ({citations[-1].date})" if citations[-1].date else "")
            parts.append(f"{lead} — {named}: {' '.join(sentences)}")
        return " ".join(parts), citations

    def _role_note(self, sentence: Sentence, main: str) -> SpeakerNote | None:
        """Who holds the role the sentence gives its speaker or subject by, when the question
        asks that (roles.py): "(“The first lady” here is First Lady Melania Trump [2].)"."""
        note = self._facts(sentence.source).role_holder(sentence.index)
        return note if note is not None and asked_holder(main, sentence, note) else None

    def _compose(
        self, chosen: list[Sentence], explain_speakers: bool, main: str = ""
    ) -> tuple[str, list[Citation]]:
        parts: list[str] = []
        citations: list[Citation] = []
        noted: set[str] = set()
        for sentence in chosen:
            citations.append(
                self.corpus.cite(len(citations) + 1, sentence.source, sentence.start, sentence.end)
            )
            parts.append(f"{sentence.text} [{len(citations)}]")
            note = self._speakers.get(self._key(sentence)) if explain_speakers else None
            if note is None and explain_speakers:
                note = self._role_note(sentence, main)
            if note is not None and note[0] not in noted:
                mention, who, where = note
                noted.add(mention)
                citations.append(self.corpus.cite(len(citations) + 1, where.source, where.start, where.end))
                parts.append(f"(“{mention}” here is {who} [{len(citations)}].)")
        return " ".join(parts), citations
