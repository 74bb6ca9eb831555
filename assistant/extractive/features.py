"""The features of each candidate sentence, and the fitted model's probability that it answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.embedding import query_vector
from assistant.extractive.clues import (
    compactness,
    contrasted,
    count_bound,
    heaviest_unmet,
    literal_share,
    names_another,
    numbers_unmet,
)
from assistant.extractive.counting import counted_noun
from assistant.extractive.decision import Model
from assistant.extractive.facts import countries_named, stems_of
from assistant.extractive.lacking import NAMED_SPECIFICITY, Lacking
from assistant.extractive.lexicon import plain_question, preface_and_question, related
from assistant.extractive.measures import NEAREST_SENTENCES, Candidate
from assistant.extractive.names import name_stems
from assistant.extractive.preference import body_first, cause_first, edge_of_speech_first, quote_first
from assistant.extractive.questions import (
    TYPED,
    AnswerType,
    answer_type,
    asks_quote,
    dimension_asked,
    topic_words,
    yes_no,
)
from assistant.extractive.rarity import specificity
from assistant.extractive.rivals import rival, rival_modifier
from assistant.extractive.speakers import asks_only_what_said, asks_speech, speaker
from assistant.extractive.telling import speech_edge_asked
from assistant.extractive.tense import tense_clash
from assistant.extractive.typed import typed_near, unit_asked
from assistant.extractive.words import content_words, stem
from assistant.splitting import Sentence
from assistant.types import Passage, Query


@dataclass
class Scored:
    """A candidate with its features and the model's probability that it answers."""

    candidate: Candidate
    features: dict[str, float]
    rank: float
    p: float


@dataclass
class Analysis:
    """What the engine found out about a question, before deciding."""

    main: str
    context: str
    kind: AnswerType
    unknown: list[str]
    foreign: list[str]
    scope: float
    shares_term: bool
    rows: list[Scored]


_ENDS_SENTENCE = re.compile(r"[.!?…:;\"”’')\]]\s*$")  # a line that ends so is a sentence, not a title
# a third-person pronoun refers to someone or something named in the sentences just before
_REFERS_BACK = re.compile(r"\b(?:he|she|him|her|his|hers|it|its|they|them|their)\b", re.I)
PRONOUN_REACH = 2  # sentences before, in the same paragraph, a pronoun may refer to

# A follow-up with this many topic words of its own asks about them, not about the sentence
# the previous answer quoted: "and how many of them close in winter?" after "three bridges".
FOLLOW_UP_OWN_WORDS = 2
# The sentence the previous answer quoted is sought among this many sentences nearest it in meaning.
PREVIOUS_NEAREST = 8

_COUNT = frozenset({AnswerType.NUMBER, AnswerType.MONEY, AnswerType.AGE})
_TIME = frozenset({AnswerType.TIME, AnswerType.DURATION})
_ENTITY = frozenset({AnswerType.PERSON, AnswerType.NAME, AnswerType.ORGANIZATION, AnswerType.PLACE})


class Analyser(Lacking):
    """Turns the measures into the decision model's features, for every candidate."""

    decision: Model

    def _names_matched(self, main: str, candidate: Candidate) -> float:
        """Share of the question's names that the sentence (or the one it leans on) mentions; a
        sentence that speaks of someone as "he", "she" or "it" mentions the names of the
        sentences before it in its paragraph ("… making him the most expensive signing" after
        "Feyenoord have signed Lucas Moreira"), and the countries their demonyms stand for ("She
        added …" after "Danish Foreign Minister Anne-Sofie Lund said …" speaks for Denmark)."""
        proper = name_stems(main)
        if not proper:
            return 1.0
        met = proper & candidate.matched
        if met != proper and _REFERS_BACK.search(candidate.sentence.text):
            met |= proper & self._names_before(candidate.sentence)
        return len(met) / len(proper)

    def _headline(self, sentence: Sentence) -> bool:
        """The document's first line, alone in its paragraph, with no full stop: a title."""
        sentences = self.corpus.sentences[sentence.source]
        first = 1 if self.corpus.documents[sentence.source].header is not None else 0
        return (
            sentence.index == first
            and len(sentences) > first + 1
            and sentences[first + 1].paragraph != sentence.paragraph
            and not _ENDS_SENTENCE.search(sentence.text)
        )

    def _names_before(self, sentence: Sentence) -> set[str]:
        """The stems of the names of the sentences before this one in its paragraph (PRONOUN_REACH at
        most)."""
        earlier = self.corpus.sentences[sentence.source][
            max(0, sentence.index - PRONOUN_REACH) : sentence.index
        ]
        same = [s.text for s in earlier if s.paragraph == sentence.paragraph]
        # and the countries their demonyms stand for: "she" after "Danish Foreign Minister …" speaks for Denmark
        return {n for text in same for n in name_stems(text) | countries_named(text)}

    @staticmethod
    def _text_of(c: Candidate) -> str:
        """The sentence, with the one before when it leans on it."""
        return f"{c.before.text} {c.sentence.text}" if c.leans and c.before is not None else c.sentence.text

    def _previous_answer(self, query: Query, sources: Sequence[str]) -> Sentence | None:
        """The sentence the last assistant turn quoted most of, if any: sought among the sentences
        nearest that turn in meaning, in the documents the question's passages come from (a
        follow-up is searched with the question before it)."""
        last = next((t.content for t in reversed(query.history) if t.role == "assistant"), "")
        said = stems_of(last)
        if not said:
            return None
        around = [s for s, _ in self._nearest(query_vector(last), sources, PREVIOUS_NEAREST)]
        if not around:
            return None
        best = max(
            around,
            key=lambda s: len(said & self._stems[self._key(s)]) / (1 + len(self._stems[self._key(s)])),
        )
        return best if len(said & self._stems[self._key(best)]) >= 3 else None

    @staticmethod
    def _after_answer(c: Candidate, previous: Sentence | None) -> float:
        if previous is None or previous.source != c.sentence.source:
            return 0.0
        gap = abs(c.sentence.index - previous.index)
        return 1.0 if gap == 0 else (0.5 if gap == 1 else 0.0)

    def _spoken_by_asked(self, c: Candidate, asked_speech: bool, asked: set[str]) -> float:
        """1 when the question asks what someone said and the sentence is that one speaking."""
        if not asked_speech:
            return 0.0
        who = self._spoken_by(c.sentence)
        return float(bool(who) and bool(stems_of(who) & asked))

    def _spoken_by(self, sentence: Sentence) -> str:
        """Who speaks in the sentence (or in the quotation it continues), with the full name a bare
        surname or pronoun stands for (the speaker notes measured at start): "" when nobody does."""
        found = speaker(sentence.text)
        if found is None:
            previous = self._before(sentence)
            if previous is None or not self._continues_quote(sentence, previous):
                return ""
            return self._spoken_by(previous)
        note = self._speakers.get(self._key(sentence))
        return f"{found.mention} {note[1]}" if note else found.mention

    def _speech_edges(self, sources: Sequence[str], edge: str) -> list[Sentence]:
        """Each speaker's last (or first) words in each document: what a question about how they
        ended (began) their remarks asks for, whether or not it shares words with them."""
        found: dict[tuple[str, str], Sentence] = {}
        for source in sources:
            sentences = self.corpus.sentences[source]
            for sentence in reversed(sentences) if edge == "last" else sentences:
                if who := self._spoken_by(sentence):
                    found.setdefault((source, who), sentence)
        return list(found.values())

    def _scope(self, main: str, sources: Sequence[str]) -> float:
        """Similarity of the sentence of these documents nearest the question in meaning."""
        nearest = self._nearest(query_vector(main), sources, 1)
        return nearest[0][1] if nearest else 0.0

    def analyse(self, query: Query, passages: Sequence[Passage]) -> Analysis:
        """Every candidate sentence with its features and the model's probability, best first."""
        # words before the question proper ("I ride the bus daily. What will I pay?") count as context
        preface, main = preface_and_question(plain_question(self.respell(query.text)))
        context = " ".join(p for p in (preface, query.context, query.answer) if p)
        # the sentences of the passages' documents nearest in meaning: candidates too, and the
        # nearest one's similarity is the scope
        sources = list(dict.fromkeys(p.source for p in passages))
        self.corpus.read(sources)
        near = self._nearest(query_vector(query.search_text), sources, NEAREST_SENTENCES)
        edge = speech_edge_asked(main)
        edges = self._speech_edges(sources, edge) if edge else []
        scored = self._score(main, context, self._candidates(passages, [*(s for s, _ in near), *edges]))
        countries = self._countries_in(sources)
        unknown = self._unknown_names(main, countries)
        foreign_share, foreign = self._foreign(main, countries)
        scope = (near[0][1] if near else 0.0) if main == query.search_text else self._scope(main, sources)
        kind = answer_type(main)
        best_dense = max((c.dense for c in scored), default=0.0)
        best_asked = max((c.asked for c in scored), default=0.0)
        previous = self._previous_answer(query, sources)
        # the previous answer's sentence is a clue for a follow-up that asks little of its own
        # ("why?", "when does it open?"), not for one that names what it asks about
        leans_on_answer = bool(query.context) and len(topic_words(main)) < FOLLOW_UP_OWN_WORDS
        own = self._main_terms(main, context)
        absent = heaviest_unmet(own, {t.stem for t in own if self._in_documents(t, countries)})
        # a wh-question's telling word the documents lack, and the modifiers of what it asks about
        # (in a yes/no question, a rival is the "no")
        polar = yes_no(main)
        lacking = (
            []
            if polar
            else [
                t.word
                for t in own
                if not self._in_documents(t, countries) and specificity(t.word) >= NAMED_SPECIFICITY
            ]
        )
        asked_speech = asks_speech(main)
        unit = unit_asked(main, kind)
        # "how deep": a figure with a unit of length ("14.5 metres") is the unit asked
        dimension = kind is AnswerType.NUMBER and dimension_asked(main) is not None
        families = self._families(main)
        asked_stems = stems_of(f"{main} {context}")
        counted = counted_noun(main) if kind is AnswerType.NUMBER else None
        kin = related(counted) if counted else frozenset()
        rows: list[Scored] = []
        only_speech = asks_only_what_said(main)  # "what did Ortiz say": her own words answer it
        for c in scored:
            spoken = self._spoken_by_asked(c, asked_speech, asked_stems)
            features = {
                "asked": c.asked,
                "asked_exact": c.exact,
                "coverage": c.coverage,
                "dense": c.dense,
                "late": c.late,
                "late_least": c.late_least,
                "dense_gap": c.dense - best_dense,
                "asked_gap": c.asked - best_asked,
                "typed_found": float(kind in TYPED and c.typed) or (spoken if only_speech else 0.0),
                "missing_count": float(kind in _COUNT and not c.typed),
                "missing_time": float(kind in _TIME and not c.typed),
                "missing_unit": float((unit is not None or dimension) and not c.typed),
                "missing_age": float(kind is AnswerType.AGE and not c.typed),
                "missing_entity": float(kind in _ENTITY and not c.typed),
                "missing_reason": float(kind is AnswerType.REASON and not c.typed),
                "names_matched": self._names_matched(main, c),
                "unknown_share": foreign_share,
                "unknown_names": float(bool(unknown)),
                "scope": scope,
                "leans": float(c.leans),
                "follow_up": float(bool(query.context)),
                "position": 1 - c.sentence.index / max(1, len(self.corpus.sentences[c.sentence.source])),
                "typed_near": typed_near(c.sentence.text, c.matched, c.typed, kind, main),
                "after_answer": self._after_answer(c, previous) if leans_on_answer else 0.0,
                # a question that stands alone (no context) repeats nothing, though it leans on nothing
                "repeats_answer": float(
                    bool(query.context) and not leans_on_answer and self._after_answer(c, previous) == 1.0
                ),
                "question_terms": min(1.0, len(content_words(main)) / 10),
                "asked_literal": literal_share(own, c.literal),
                "unmet_top": heaviest_unmet(own, c.literal),
                "absent_top": absent,
                "numbers_unmet": numbers_unmet(main, self._text_of(c)),
                "count_bound": count_bound(counted, self._text_of(c), kin),
                "compact": compactness(self._text_of(c), c.literal),
                "tense_clash": tense_clash(main, c.sentence.text),
                "spoken_by_asked": spoken,
                "contrasted": contrasted(main, self._text_of(c), unknown),
                "rival": max(
                    rival(lacking, self._text_of(c)),
                    0.0 if polar else rival_modifier(main, self._text_of(c)),
                ),
                "names_another": names_another(families, c.sentence.text),
            }
            rows.append(Scored(c, features, self.decision.rank(features), 0.0))
        rows.sort(key=lambda r: r.rank, reverse=True)
        for i, r in enumerate(rows):
            other = rows[1].rank if i == 0 and len(rows) > 1 else rows[0].rank
            r.features["rank"] = r.rank
            r.features["rank_margin"] = r.rank - other if len(rows) > 1 else 1.0
            r.p = self.decision.probability(r.features)
        threshold = self.decision.answer_threshold
        body_first(rows, threshold, self._headline)
        if kind is AnswerType.REASON:
            cause_first(rows, threshold, self._text_of)
        if asks_quote(main):
            quote_first(rows, threshold, self._text_of)
        if edge is not None:
            edge_of_speech_first(rows, threshold, edge, lambda s: bool(self._spoken_by(s)))
        # a follow-up read with the earlier question is about what that one asked too
        shares = any(stem(w) in self._idf for w in [*content_words(main), *content_words(context)])
        return Analysis(main, context, kind, unknown, foreign, scope, shares, rows)
