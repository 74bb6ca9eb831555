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
    numbers_unmet,
    rival,
    tense_clash,
)
from assistant.extractive.decision import Model
from assistant.extractive.entities import entities, name_stems, names, value_places
from assistant.extractive.facts import stems_of
from assistant.extractive.lexicon import plain_question, preface_and_question, related
from assistant.extractive.measures import (
    FOREIGN_SIMILARITY,
    NEAREST_SENTENCES,
    SYNONYM_HIGH,
    Candidate,
    Measures,
)
from assistant.extractive.questions import (
    TYPED,
    AnswerType,
    answer_type,
    asks_count,
    counted_noun,
    topic_words,
    yes_no,
)
from assistant.extractive.rarity import specificity
from assistant.extractive.speakers import asks_speech, speaker
from assistant.extractive.terms import Term, asked_stems
from assistant.extractive.words import ROLE_NOUNS, content_words, is_acronym, stem, stopwords, words
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


# A word the documents lack is named to the reader only when it says this much (rarity.py):
# "it never mentions “envoy”" helps, "it never mentions “hand”" does not.
NAMED_SPECIFICITY = 0.6
# A follow-up with this many topic words of its own asks about them, not about the sentence
# the previous answer quoted: "and how many of them close in winter?" after "three bridges".
FOLLOW_UP_OWN_WORDS = 2
# The sentence the previous answer quoted is sought among this many sentences nearest it in meaning.
PREVIOUS_NEAREST = 8

_COUNT = frozenset({AnswerType.NUMBER, AnswerType.MONEY, AnswerType.AGE})
_TIME = frozenset({AnswerType.TIME, AnswerType.DURATION})
_ENTITY = frozenset({AnswerType.PERSON, AnswerType.NAME, AnswerType.ORGANIZATION, AnswerType.PLACE})


def _figure(text: str) -> bool:
    """A number, a year, a dose: anything written with a digit."""
    return any(c.isdigit() for c in text)


class Analyser(Measures):
    """Turns the measures into the decision model's features, for every candidate."""

    decision: Model

    def _names_matched(self, main: str, candidate: Candidate) -> float:
        """Share of the question's names that the sentence (or the one it leans on) mentions."""
        proper = name_stems(main)
        if not proper:
            return 1.0
        return len(proper & candidate.matched) / len(proper)

    def _typed_near(self, c: Candidate, kind: AnswerType, main: str) -> float:
        """1 when a value of the kind asked for stands right beside the shared words, towards 0 far off."""
        if kind not in TYPED or not c.typed:
            return 0.0
        text = c.sentence.text
        anchors = [m.start() for m in re.finditer(r"[\w’'-]+", text) if stem(m.group(0)) in c.matched]
        values = [
            start for start, _ in value_places(text, kind, entities(main, kind), things=asks_count(main))
        ]
        if not anchors or not values:
            return 0.0
        distance = min(abs(a - v) for a in anchors for v in values)
        return 1.0 / (1.0 + distance / 30.0)

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

    # -- what the question names that the documents do not -------------------------------
    def _known(self, word: str, countries: set[str]) -> bool:
        """The documents use the word, or one WordNet relates to it (France for "French"; a
        demonym's country named by its adjective: "Dane" where the documents say "Danish")."""
        low = word.lower()
        if self._uses(low):
            return True
        return any(stem(r) in self._idf or stem(r) in countries for r in related(word))

    def _countries_in(self, sources: Sequence[str]) -> set[str]:
        """The countries the documents name through an adjective or a demonym (facts.countries_named)."""
        return set().union(*(self._facts(s).countries() for s in sources))

    def _unknown_names(self, main: str, countries: set[str]) -> list[str]:
        """Names and numbers in the question that the documents never mention, nor anything near."""
        asked = names(main) + [
            w for w in words(main) if _figure(w) or is_acronym(w) or w.lower() in ROLE_NOUNS
        ]
        unknown: list[str] = []
        for item in asked:
            if self._mentions(item):
                continue
            tokens = [w for w in words(item) if w.lower() not in stopwords()]
            if not tokens or any(self._known(t, countries) for t in tokens):
                continue  # "John Smith" when the documents know a Smith
            # a figure is given or not: "2027" is not near "2029", however alike their vectors
            if _figure(item) or self._nearest_word(tokens[0].lower()) < SYNONYM_HIGH:
                unknown.append(item)
        return unknown

    def _foreign(self, main: str, countries: set[str]) -> tuple[float, list[str]]:
        """The share of the question's weight in words the documents never use, nor anything close,
        and those of them specific enough to name ("envoy", not "hand" or "top")."""
        terms = self._terms(main, "")
        total = sum(t.weight for t in terms) or 1.0
        foreign = [
            t
            for t in terms
            if t.stem not in self._idf
            and not self._known(t.word, countries)
            and self._nearest_word(t.word) < FOREIGN_SIMILARITY
        ]
        named = [t.word for t in foreign if specificity(t.word) >= NAMED_SPECIFICITY]
        return sum(t.weight for t in foreign) / total, named

    def _main_terms(self, main: str, context: str) -> list[Term]:
        """The question's own terms (not its history's, but for an elliptical follow-up), as the
        coverage measures weigh them."""
        terms = self._terms(main, context)
        asked = asked_stems(main, context, terms)
        return [t for t in terms if t.stem in asked] or terms

    def _in_documents(self, term: Term, countries: set[str]) -> bool:
        """The documents use the word literally, or one WordNet relates to it (no embeddings)."""
        return term.stem in self._idf or self._known(term.word, countries)

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
        scored = self._score(main, context, self._candidates(passages, [s for s, _ in near]))
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
        # a wh-question's telling word the documents lack (in a yes/no question, a rival is the "no")
        lacking = (
            []
            if yes_no(main)
            else [
                t.word
                for t in own
                if not self._in_documents(t, countries) and specificity(t.word) >= NAMED_SPECIFICITY
            ]
        )
        asked_speech = asks_speech(main)
        asked_stems = stems_of(f"{main} {context}")
        counted = counted_noun(main) if kind is AnswerType.NUMBER else None
        kin = related(counted) if counted else frozenset()
        rows: list[Scored] = []
        for c in scored:
            features = {
                "asked": c.asked,
                "asked_exact": c.exact,
                "coverage": c.coverage,
                "dense": c.dense,
                "late": c.late,
                "late_least": c.late_least,
                "dense_gap": c.dense - best_dense,
                "asked_gap": c.asked - best_asked,
                "typed_found": float(kind in TYPED and c.typed),
                "missing_count": float(kind in _COUNT and not c.typed),
                "missing_time": float(kind in _TIME and not c.typed),
                "missing_entity": float(kind in _ENTITY and not c.typed),
                "missing_reason": float(kind is AnswerType.REASON and not c.typed),
                "names_matched": self._names_matched(main, c),
                "unknown_share": foreign_share,
                "unknown_names": float(bool(unknown)),
                "scope": scope,
                "leans": float(c.leans),
                "follow_up": float(bool(query.context)),
                "position": 1 - c.sentence.index / max(1, len(self.corpus.sentences[c.sentence.source])),
                "typed_near": self._typed_near(c, kind, main),
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
                "spoken_by_asked": self._spoken_by_asked(c, asked_speech, asked_stems),
                "contrasted": contrasted(main, self._text_of(c), unknown),
                "rival": rival(lacking, self._text_of(c)),
            }
            rows.append(Scored(c, features, self.decision.rank(features), 0.0))
        rows.sort(key=lambda r: r.rank, reverse=True)
        for i, r in enumerate(rows):
            other = rows[1].rank if i == 0 and len(rows) > 1 else rows[0].rank
            r.features["rank"] = r.rank
            r.features["rank_margin"] = r.rank - other if len(rows) > 1 else 1.0
            r.p = self.decision.probability(r.features)
        # a follow-up read with the earlier question is about what that one asked too
        shares = any(stem(w) in self._idf for w in [*content_words(main), *content_words(context)])
        return Analysis(main, context, kind, unknown, foreign, scope, shares, rows)
