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
   sentence says so plainly; then the sentence with its [n]; a term of the question that the
   documents never mention is named; a speaker given as a bare surname or pronoun gets a
   note saying who that is, with its own citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.corpus import Corpus
from assistant.extractive import followup
from assistant.extractive.clues import says_in_order
from assistant.extractive.decision import Model, declines_outright, load_model
from assistant.extractive.entities import (
    TIME_UNITS,
    VAGUE_VALUES,
    count_spans,
    entities,
    in_words,
    makes_length,
)
from assistant.extractive.features import Analyser, Analysis, Scored
from assistant.extractive.measures import Candidate
from assistant.extractive.questions import TYPED, AnswerType, counted_noun, yes_no
from assistant.extractive.speakers import asks_speech
from assistant.extractive.wordnet import preload
from assistant.extractive.words import NUMBER_WORDS, SPEECH_VERBS, content_words, stem
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
_LEAD_KINDS = frozenset(
    {AnswerType.NUMBER, AnswerType.MONEY, AnswerType.AGE, AnswerType.DURATION, AnswerType.TIME}
)
SECOND_SENTENCE_GAIN = 0.3  # a second sentence must add this share of the question's weight
MAX_SENTENCES = 2
OUT_OF_SCOPE_SIMILARITY = 0.30  # names the reason of a decline: below it, the question is off-topic
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|nobody|nothing|without)\b|n[’']t\b", re.I)
_REPORTED = re.compile(r"\b(?:" + SPEECH_VERBS + r")\s+(?:on\s+)?$", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:—–]|\b(?:while|whereas|but)\b", re.I)


# a bare figure's currency and scale: "$75 million", "C$5.2 billion", "14 million euros", "71 percent"
_CURRENCY_BEFORE = re.compile(r"(?:\b[A-Z]{1,2})?[$€£¥]\s?$")
_CURRENCY_WORD = r"\s+(?:euros?|dollars?|pounds?|yen)\b(?!-)"
_SCALE_AFTER = re.compile(
    rf"\s?%|\s+(?:percent|per\s+cent)\b|\s+(?:thousand|million|billion|trillion)s?\b(?:{_CURRENCY_WORD})?|{_CURRENCY_WORD}",
    re.I,
)


# how near the figure comes to the true one: "more than 140", "up to 400", "nearly 20,000" ("over"
# and "under" are left out: "over 3 days" is no bound); two documents agree on a figure whatever
# word of approximation they give it, not when one says "more than 140" and the other "fewer than"
_APPROXIMATELY = r"about|around|nearly|almost|roughly|approximately|some"
_BOUNDS = rf"more than|less than|fewer than|up to|at least|at most|{_APPROXIMATELY}"
_ARTICLE_BEFORE = re.compile(r"\ba\s+$", re.I)
_BOUND_BEFORE = re.compile(rf"\b(?:{_BOUNDS})\s+$", re.I)
_APPROXIMATE_START = re.compile(rf"^(?:{_APPROXIMATELY})\s+", re.I)


def _whole_amount(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a figure widened to its currency, scale and bound: "4.6" of "4.6 million
    children", or "400" of "up to 400 members", alone would say another number."""
    span = text[start:end]
    if span[:1] in "$€£¥":  # an amount already, but for its country: "C$", "US$"
        country = re.search(r"\b[A-Z]{1,2}$", text[max(0, start - 2) : start])
        start -= len(country.group(0)) if country else 0
    elif re.fullmatch(r"\d[\d,.]*", span):
        before = _CURRENCY_BEFORE.search(text[max(0, start - 4) : start])
        after = _SCALE_AFTER.match(text, end)
        start, end = (start - len(before.group(0)) if before else start), (after.end() if after else end)
    elif any(m.group(0) == span for m in in_words(span)):  # "two million euros", "a dozen"
        after = _SCALE_AFTER.match(text, end)
        article = _ARTICLE_BEFORE.search(text[max(0, start - 3) : start]) if span.lower() == "dozen" else None
        start, end = (start - len(article.group(0)) if article else start), (after.end() if after else end)
    elif not span[:1].isdigit() and span.lower() not in NUMBER_WORDS:  # "1,500 euros", "half": bounded too
        return start, end
    bound = _BOUND_BEFORE.search(text[max(0, start - 16) : start])
    return (start - len(bound.group(0)) if bound else start), end


def _counts_time(question: str) -> bool:
    """ "How many years …", "how often …": a count of a unit of time is asked."""
    counted = counted_noun(question) or ""
    return counted.removesuffix("s") in TIME_UNITS or re.search(r"\bhow often\b", question, re.I) is not None


def _whole_value(value: str) -> str:
    """A pattern finding the value as a whole: "3" not inside "300", "5" not in "1.5"."""
    pattern = re.escape(value)
    if value[:1].isalnum():
        pattern = r"(?<!\w)(?<!\d[.,])" + pattern
    if value[-1:].isalnum():
        pattern += r"(?!\w)(?![.,]\d)"
    return pattern


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clauses(text: str) -> list[int]:
    """For each character of the text, the number of the clause it stands in (commas, semicolons,
    dashes and "while", "whereas", "but" end a clause)."""
    out: list[int] = []
    n = 0
    last = 0
    for m in _CLAUSE_BREAK.finditer(text):
        out.extend([n] * (m.end() - last))
        last = m.end()
        n += 1
    out.extend([n] * (len(text) - last))
    return out


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
            chosen, explain_speakers=found.kind in (AnswerType.PERSON, AnswerType.NAME)
        )
        missing = found.unknown or (found.foreign if best.features["unknown_share"] > 0 else [])
        if missing:
            listed = " or ".join(f"“{w}”" for w in missing)
            text = f"The announcement does not mention {listed}; it says: {text}"
        # the short answer answers the question as asked: not when part of it is missing
        lead = None if missing else self._lead(found, best.candidate)
        short = None
        if lead is not None:
            span, at = lead
            n = next((c.n for c in citations if c.start <= at < c.end), None)
            if n is not None:
                short = self.corpus.cite(n, best.candidate.sentence.source, at, at + len(span))
                text = f"{_upper_first(span)} — {text}"
        elif not missing and self._plain_yes(found, best):
            text = f"Yes — {text}"
        yield from re.findall(r"\S+\s*", text)
        return Answer(text=text, citations=citations, short=short)

    @staticmethod
    def _declined(found: Analysis, best: Scored | None) -> tuple[str, AbstainReason]:
        topic = " ".join(content_words(found.main)) or "that"
        if not found.shares_term and (best is None or best.features["scope"] < OUT_OF_SCOPE_SIMILARITY):
            return OUT_OF_SCOPE_TEXT, "out_of_scope"
        missing = found.unknown or found.foreign
        if missing:
            listed = " or ".join(f"“{w}”" for w in missing)
            return doesnt_say(f"it never mentions {listed}."), "not_in_document"
        if best is not None and found.kind in TYPED and not best.candidate.typed:
            what = _TYPE_WORDS.get(found.kind, "answer")
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
        picked: dict[tuple[str, int], Sentence] = {}
        for c in chosen:
            if c.before is not None and c.leans:
                picked[self._key(c.before)] = c.before
            picked[self._key(c.sentence)] = c.sentence
        return sorted(picked.values(), key=lambda s: (s.source, s.start))

    def _disagreeing(self, found: Analysis) -> Scored | None:
        """A sentence of another document that the model backs too and that gives another value.

        Only for questions that ask for a value (a number, date, amount, length of time): two
        documents giving two values is a disagreement the reader must see, not one to settle.
        """
        best = found.rows[0]
        value = self._value(found, best.candidate)
        if not value:
            return None
        for other in found.rows[1:]:
            if other.p < self.decision.answer_threshold:
                break
            if other.candidate.sentence.source == best.candidate.sentence.source:
                continue
            theirs = self._value(found, other.candidate)
            if theirs and theirs != value:
                return other
        return None

    def _differ(self, found: Analysis, rows: list[Scored]) -> tuple[str, list[Citation]]:
        """Each document's value first, then its sentence, named by the document's title and date."""
        parts: list[str] = ["The documents differ."]
        citations: list[Citation] = []
        for row in rows:
            value = self._lead(found, row.candidate)
            lead = _upper_first(value[0]) if value else ""
            quoted = [row.candidate.before] if row.candidate.leans and row.candidate.before else []
            sentences: list[str] = []
            for sentence in [*quoted, row.candidate.sentence]:
                citation = self.corpus.cite(len(citations) + 1, sentence.source, sentence.start, sentence.end)
                citations.append(citation)
                sentences.append(f"{sentence.text} [{citation.n}]")
            named = f"“{citations[-1].title}”" + (f" ({citations[-1].date})" if citations[-1].date else "")
            parts.append(f"{lead} — {named}: {' '.join(sentences)}")
        return " ".join(parts), citations

    @staticmethod
    def _lead(found: Analysis, best: Candidate) -> tuple[str, int] | None:
        """The short answer first: the number, date, amount or length of time asked for, and
        where it starts in its document.

        Taken verbatim from the quoted sentence: of the values it holds that the question does
        not already give, one that is not the time a thing was said ("the mayor said
        Tuesday") unless the question asks about the saying; then the one in the clause holding
        most of the words the question and sentence share; then the one nearest such a word.
        Names and places are left to the quote: which of several is meant is not safe to guess.
        """
        if found.kind not in _LEAD_KINDS:
            return None
        text = best.sentence.text
        anchors = [m.span() for m in re.finditer(r"[\w’'-]+", text) if stem(m.group(0)) in best.matched]
        clause = _clauses(text)
        about_speech = asks_speech(found.main)
        # "how big was the donation": not the 142 of "the school's 142-year history"
        lengths_apart = found.kind is AnswerType.NUMBER and not _counts_time(found.main)
        given = entities(found.main, found.kind) | VAGUE_VALUES
        if found.kind is AnswerType.NUMBER:  # by place: "Opened in 2010, it employs 2010 workers"
            places = [(start, end) for start, end, value in count_spans(text) if value not in given]
        else:  # found in the text itself, not a lower-cased copy: offsets hold
            values = entities(text, found.kind) - given
            places = [m.span() for value in values for m in re.finditer(_whole_value(value), text, re.I)]
        options: list[tuple[bool, int, int, int, int]] = []
        for start, end in places:
            if lengths_apart and makes_length(text, end):
                continue
            # not the day a thing was said ("the mayor said Tuesday"), unless that is asked;
            # then the value in the clause with most of the shared words, then the nearest
            reported = not about_speech and _REPORTED.search(text[:start]) is not None
            shared = sum(clause[a] == clause[start] for a, _ in anchors)
            distance = min((max(a - end, start - b) for a, b in anchors), default=start)
            options.append((reported, -shared, distance, start, end))
        if not options:
            return None
        *_, at, end = min(options)
        if found.kind in (AnswerType.NUMBER, AnswerType.MONEY):
            at, end = _whole_amount(text, at, end)
        return text[at:end], best.sentence.start + at

    @staticmethod
    def _value(found: Analysis, candidate: Candidate) -> str:
        """The short answer, to compare two documents': "nearly 140" and "140" agree."""
        lead = ExtractiveBackend._lead(found, candidate)
        return _APPROXIMATE_START.sub("", lead[0].lower()) if lead else ""

    @classmethod
    def _plain_yes(cls, found: Analysis, best: Scored) -> bool:
        """A yes/no question whose every word the sentence has itself, in the question's order,
        neither of them negated, no clash of tense: the sentence says yes plainly."""
        text = cls._text_of(best.candidate)
        return (
            yes_no(found.main)
            and says_in_order(found.main, text)
            and not best.features["numbers_unmet"]
            and not best.features["tense_clash"]
            and not _NEGATION.search(found.main)
            and not _NEGATION.search(text)
        )

    def _compose(self, chosen: list[Sentence], explain_speakers: bool) -> tuple[str, list[Citation]]:
        parts: list[str] = []
        citations: list[Citation] = []
        noted: set[str] = set()
        for sentence in chosen:
            citations.append(
                self.corpus.cite(len(citations) + 1, sentence.source, sentence.start, sentence.end)
            )
            parts.append(f"{sentence.text} [{len(citations)}]")
            note = self._speakers.get(self._key(sentence)) if explain_speakers else None
            if note is not None and note[0] not in noted:
                mention, who, where = note
                noted.add(mention)
                citations.append(self.corpus.cite(len(citations) + 1, where.source, where.start, where.end))
                parts.append(f"(“{mention}” here is {who} [{len(citations)}].)")
        return " ".join(parts), citations
