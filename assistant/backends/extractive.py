"""The default backend: answers with the source's own sentences, verbatim, or abstains.

How it decides, for a question and the retrieved passages:
1. Scope: a question that shares no term with the documents and is far from every
   sentence in meaning is out of scope.
2. Names: a name or number in the question that the documents never mention, nor
   anything close to it, means the documents do not say.
3. Coverage: each topic word of the question is matched in a candidate sentence,
   by its stem or by a close word embedding; a sentence that leans on the one
   before it ("While there, she ...", a quotation continued) is read with it.
   The best sentence must cover most of the question's weight (IDF).
4. Answer type: "how many" needs a number, "when" a time, "who" a person, "where"
   a place, one that the question does not already contain.
5. Ranking: coverage, embedding similarity and the answer type give each sentence
   a score; the best one (and a second that adds to it) is quoted with [n].
6. Speakers: a sentence whose speaker is a bare surname or a pronoun gets a note,
   with its own citation, saying who that is in the document.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from assistant.corpus import Corpus
from assistant.embedding import embed_model
from assistant.language import (
    LIGHT_WORDS,
    META_WORDS,
    PRONOUNS,
    ROLE_NOUNS,
    TYPED,
    AnswerType,
    answer_type,
    content_words,
    counted_noun,
    entities,
    full_names,
    is_acronym,
    names,
    question_phrase_words,
    speaker,
    stem,
    time_unit_asked,
    time_values,
    words,
)
from assistant.messages import OUT_OF_SCOPE_TEXT
from assistant.response import Parts, Response
from assistant.splitting import Sentence
from assistant.types import AbstainReason, Answer, Citation, Message, Passage, Query

_PERSONAL = frozenset({"she", "he", "they"})
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
}
_LEANS_BACK = re.compile(
    r"^(?:While there|There|Then|Since then|It|This|That|These|Those|She|He|They|Her|His|Their)\b"
)

# Weights and thresholds of the decision, on 0..1 scales (see the module docstring).
W_COVERAGE, W_DENSE, W_TYPE, W_POSITION = 0.5, 0.5, 0.1, 0.03
CONTEXT_WEIGHT = 0.5  # a follow-up's earlier question counts half
LIGHT_WEIGHT = 0.25  # light verbs ("get", "take") count a quarter
HEAD_WEIGHT = 0.3  # the kind of answer asked for ("which city"), or "the article", counts 30 %
SECOND_SENTENCE_GAIN = 0.3  # a second sentence must add this share of the question's weight
PAIR_PENALTY = 0.02  # two sentences must earn their length
NEAREST_SENTENCES = 6  # sentences nearest the question in meaning join the candidates
NAMES_ONLY_COVERAGE = 0.3
FOREIGN_SIMILARITY = 0.5  # a word whose nearest word in the documents is farther than this is foreign
FOREIGN_SHARE = 0.4  # foreign words carrying this share of the question mean the documents don't say
FOREIGN_COVERAGE = 0.75  # ... unless the best sentence still covers this much of it  # of the question's common words, a sentence must match this share
NAME_WINDOW = 4  # a name answering "X's name" stands within this many words of X
SYNONYM_LOW, SYNONYM_HIGH = 0.6, 0.85  # word similarity mapped onto 0..1 between these
OUT_OF_SCOPE_SIMILARITY = 0.30
MIN_COVERAGE = 0.5
MIN_COVERAGE_TYPED = 0.35  # when the sentence also holds the kind of answer asked for (a number, a date)
SECOND_SENTENCE_RATIO = 0.95
MAX_SENTENCES = 2


@dataclass(frozen=True)
class Term:
    word: str
    stem: str
    weight: float


@dataclass
class Candidate:
    sentence: Sentence
    before: Sentence | None
    coverage: float
    dense: float
    typed: bool
    score: float
    matched: set[str] = field(default_factory=set)
    leans: bool = False  # the answer needs `before` too
    asked: float = 0.0  # coverage of what this question asks, without its history


@lru_cache(maxsize=256)
def _query_vector(text: str) -> np.ndarray:
    """The question's embedding, once per text (several steps of one answer need it)."""
    return np.asarray(embed_model().get_query_embedding(text))


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(b @ a / (np.linalg.norm(b, axis=-1) * np.linalg.norm(a) + 1e-9))


def _soft(similarity: float) -> float:
    return min(1.0, max(0.0, (similarity - SYNONYM_LOW) / (SYNONYM_HIGH - SYNONYM_LOW)))


def _stems(text: str) -> set[str]:
    out: set[str] = set()
    for word in content_words(text):
        out.add(stem(word))
        out.update(stem(p) for p in word.split("-") if p)
    return out


class ExtractiveBackend:
    """Quotes the sentences that answer; abstains with a reason when none does."""

    name = "extractive"
    model: str | None = None

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.sentences = corpus.all_sentences()
        self._position = {(s.source, s.index): i for i, s in enumerate(self.sentences)}
        self._stems = {(s.source, s.index): _stems(s.text) for s in self.sentences}
        counts = Counter(t for ts in self._stems.values() for t in ts)
        n = len(self.sentences)
        self._idf = {t: math.log(1 + n / c) for t, c in counts.items()}
        self._unknown_idf = math.log(1 + n) * 0.6
        self._speakers = {self._key(s): self._speaker_note(s) for s in self.sentences}
        for key, resolved in self._speakers.items():  # a quote also "mentions" its speaker, resolved
            if resolved is not None:
                self._stems[key] |= _stems(resolved[1])
        self._word_lists: dict[tuple[str, int], np.ndarray] = {}
        self._lowered = " ".join(d.text.lower() for d in corpus.documents.values())
        self._word_cache: dict[str, np.ndarray] = {}

    # -- vectors, computed once ----------------------------------------------------------
    @cached_property
    def _sentence_vectors(self) -> np.ndarray:
        """One vector a sentence; a quotation is embedded with who said it ("Jane Smith: “We ...”")."""
        texts = []
        for sentence in self.sentences:
            note = self._speakers[self._key(sentence)]
            texts.append(f"{note[1]}: {sentence.text}" if note else sentence.text)
        return np.array(embed_model().get_text_embedding_batch(texts))

    def _words(self, items: list[str]) -> np.ndarray:
        missing = [w for w in dict.fromkeys(items) if w not in self._word_cache]
        if missing:
            for word, vector in zip(missing, embed_model().get_text_embedding_batch(missing), strict=True):
                self._word_cache[word] = np.asarray(vector)
        return np.array([self._word_cache[w] for w in items]) if items else np.zeros((0, 384))

    @cached_property
    def _vocabulary(self) -> np.ndarray:
        return self._words(sorted({w for s in self.sentences for w in content_words(s.text)}))

    def _sentence_words(self, sentence: Sentence) -> np.ndarray:
        """Vectors of the sentence's common words; words of a proper name ("Golden Gate") match only as written."""
        key = self._key(sentence)
        if key not in self._word_lists:
            in_names = {w.lower() for n in names(sentence.text) if " " in n for w in n.split()}
            self._word_lists[key] = self._words(
                [w for w in content_words(sentence.text) if w not in in_names]
            )
        return self._word_lists[key]

    def _key(self, sentence: Sentence) -> tuple[str, int]:
        return sentence.source, sentence.index

    # -- follow-ups ----------------------------------------------------------------------
    @staticmethod
    def _dependent(question: str) -> bool:
        lowered = {w.lower() for w in words(question)}
        return (
            bool(lowered & PRONOUNS)
            or len(content_words(question)) < 2
            or bool(re.match(r"^(and|what about|how about|also)\b", question.strip(), re.I))
        )

    def describe(self) -> str:
        return "extractive (offline: quotes the announcement's own sentences)"

    def condense(self, question: str, history: Sequence[Message]) -> Query:
        """Carry the earlier question(s) along when this one leans on them."""
        if not history or not self._dependent(question):
            return Query(text=question, history=tuple(history))
        context: list[str] = []
        for turn in reversed(history):
            if turn.role != "user":
                continue
            context.insert(0, turn.content.strip())
            if not self._dependent(turn.content) or len(context) == 2:
                break
        return Query(text=question, context=" ".join(context), history=tuple(history))

    # -- scoring -------------------------------------------------------------------------
    def _terms(self, main: str, context: str) -> list[Term]:
        out: dict[str, Term] = {}
        for text, factor in ((context, CONTEXT_WEIGHT), (main, 1.0)):
            heads = question_phrase_words(text)
            for word in content_words(text):
                for part in {word, *(p for p in word.split("-") if p and p != word)}:
                    key = stem(part)
                    weight = self._idf.get(key, self._unknown_idf) * factor
                    if part in LIGHT_WORDS:
                        weight *= LIGHT_WEIGHT
                    if part in heads or part in META_WORDS:
                        weight *= HEAD_WEIGHT
                    out[key] = Term(part, key, weight)
        return [t for t in out.values() if t.weight > 0]

    def _match(self, term: Term, sentence: Sentence) -> float:
        if term.stem in self._stems[self._key(sentence)]:
            return 1.0
        vectors = self._sentence_words(sentence)
        if not len(vectors):
            return 0.0
        return _soft(float(np.max(_cosine(self._words([term.word])[0], vectors))))

    def _before(self, sentence: Sentence) -> Sentence | None:
        """The sentence this one leans on: an opening pronoun, or a quotation continued."""
        if sentence.index == 0:
            return None
        previous = self.corpus.sentences[sentence.source][sentence.index - 1]
        return (
            previous
            if self._continues_quote(sentence, previous) or _LEANS_BACK.match(sentence.text)
            else None
        )

    @staticmethod
    def _continues_quote(sentence: Sentence, previous: Sentence) -> bool:
        """A quotation with no speaker of its own, after a sentence that names one."""
        return (
            sentence.text.startswith(("“", '"'))
            and speaker(sentence.text) is None
            and speaker(previous.text) is not None
        )

    def _candidates(self, question: str, passages: Sequence[Passage]) -> list[Sentence]:
        """Sentences of the retrieved passages, and the sentences nearest the question in meaning."""
        seen: dict[tuple[str, int], Sentence] = {}
        for passage in passages:
            for s in self.corpus.sentences_in(passage):
                seen.setdefault(self._key(s), s)
        query = _query_vector(question)
        nearest = np.argsort(-_cosine(query, self._sentence_vectors))[:NEAREST_SENTENCES]
        for i in nearest:
            s = self.sentences[int(i)]
            seen.setdefault(self._key(s), s)
        return list(seen.values())

    def _vector_of(self, sentence: Sentence) -> np.ndarray:
        return np.asarray(self._sentence_vectors[self._position[self._key(sentence)]])

    def _score(self, main: str, context: str, sentences: list[Sentence]) -> list[Candidate]:
        weights = self._terms(main, context)
        total = sum(t.weight for t in weights) or 1.0
        asked = {stem(w) for w in content_words(main)}
        kind = answer_type(main)
        query = _query_vector(main + (" " + context if context else ""))
        scored: list[Candidate] = []
        for s in sentences:
            before = self._before(s)
            own = {t.stem: self._match(t, s) for t in weights}
            borrowed = {t.stem: self._match(t, before) if before else 0.0 for t in weights}
            # Lean on the sentence before only when it adds what this question (not its history) asks.
            gain = sum(
                t.weight * max(0.0, borrowed[t.stem] - own[t.stem]) for t in weights if t.stem in asked
            )
            leans = before is not None and gain / total > 0.05
            if kind is AnswerType.PERSON and before is not None and self._continues_quote(s, before):
                leans = True
            match = {k: max(v, borrowed[k]) for k, v in own.items()} if leans else own
            coverage = sum(t.weight * match[t.stem] for t in weights) / total
            main_terms = [t for t in weights if t.stem in asked]
            asked_coverage = (
                sum(t.weight * match[t.stem] for t in main_terms) / sum(t.weight for t in main_terms)
                if main_terms
                else coverage
            )
            dense = float(_cosine(query, self._vector_of(s)[None, :])[0])
            if leans and before is not None:
                dense = max(dense, float(_cosine(query, self._vector_of(before)[None, :])[0]))
            typed = self._typed(s, before, kind, main)
            position = 1 - s.index / max(1, len(self.corpus.sentences[s.source]))
            score = W_COVERAGE * coverage + W_DENSE * dense + W_POSITION * position
            score += W_TYPE if typed else (-3 * W_TYPE if kind in TYPED else 0.0)
            score -= PAIR_PENALTY if leans else 0.0
            matched = {k for k, v in match.items() if v >= 0.5}
            scored.append(Candidate(s, before, coverage, dense, typed, score, matched, leans, asked_coverage))
        return sorted(scored, key=lambda c: c.score, reverse=True)

    def _names_only(self, main: str, best: Candidate) -> bool:
        """The best sentence matches the question's names but not what it asks about them."""
        proper = {stem(w) for n in names(main) for w in words(n)}
        common = [t for t in self._terms(main, "") if t.stem not in proper]
        weight = sum(t.weight for t in common)
        if not proper or weight == 0:
            return False
        covered = sum(t.weight for t in common if t.stem in best.matched)
        return covered / weight < NAMES_ONLY_COVERAGE

    def _typed(self, sentence: Sentence, before: Sentence | None, kind: AnswerType, main: str) -> bool:
        """Does the sentence hold something of the kind asked for, that the question does not already give?"""
        if kind not in TYPED:
            return True
        given = entities(main, kind)
        if kind is AnswerType.PERSON and (
            speaker(sentence.text) is not None
            or (before is not None and self._continues_quote(sentence, before))
        ):
            return True
        if kind is AnswerType.NAME:
            return self._names_near(sentence.text, main, given)
        counted = counted_noun(main) if kind is AnswerType.NUMBER else None
        if counted is not None and self._match(Term(counted, stem(counted), 1.0), sentence) < 0.5:
            return False  # "how many people": a number of bridges does not answer it
        if kind is AnswerType.TIME and time_unit_asked(main) is not None:
            return bool(time_values(sentence.text, time_unit_asked(main) or "") - given)
        return bool(entities(sentence.text, kind) - given)

    @staticmethod
    def _names_near(text: str, main: str, given: set[str]) -> bool:
        """A name, new to the question, standing right beside a word the question asks the name of."""
        focus = {stem(w) for w in content_words(main) if not w.startswith("name")}
        tokens = [(m.start(), stem(m.group(0).strip(".,’'"))) for m in re.finditer(r"[\w’'.-]+", text)]
        anchors = [i for i, (_, t) in enumerate(tokens) if t in focus]
        for found in re.finditer(r"(?<!^)(?<![.!?“]\s)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+", text):
            if found.group(0).lower() in given:
                continue
            at = next(i for i, (start, _) in enumerate(tokens) if start >= found.start())
            if any(abs(at - a) <= NAME_WINDOW for a in anchors):
                return True
        return False

    # -- abstaining ----------------------------------------------------------------------
    def _unknown_names(self, main: str) -> list[str]:
        """Names and numbers in the question that the documents never mention, nor anything near."""
        asked = list(names(main)) + [
            w for w in words(main) if any(c.isdigit() for c in w) or is_acronym(w) or w.lower() in ROLE_NOUNS
        ]
        missing = [n for n in asked if n.lower() not in self._lowered]
        unknown: list[str] = []
        for item in missing:
            tokens = [w.lower() for w in words(item)]
            if any(re.search(rf"\b{re.escape(t)}\b", self._lowered) for t in tokens):
                continue  # "John Smith" when the documents know a Smith
            parts = tokens
            nearest = (
                np.max(_cosine(self._words(parts)[0], self._vocabulary)) if len(self._vocabulary) else 0.0
            )
            if float(nearest) < SYNONYM_HIGH:
                unknown.append(item)
        return unknown

    def _foreign_words(self, main: str) -> list[str]:
        """Topic words the documents never use, nor anything close, when they weigh much in the question."""
        terms = self._terms(main, "")
        total = sum(t.weight for t in terms) or 1.0
        foreign = [
            t
            for t in terms
            if t.stem not in self._idf
            and t.weight >= self._unknown_idf
            and len(self._vocabulary)
            and float(np.max(_cosine(self._words([t.word])[0], self._vocabulary))) < FOREIGN_SIMILARITY
        ]
        share = sum(t.weight for t in foreign) / total
        return [t.word for t in foreign] if share >= FOREIGN_SHARE else []

    def _out_of_scope(self, main: str, context: str) -> bool:
        if any(stem(w) in self._idf for w in content_words(main) or content_words(context)):
            return False
        query = _query_vector(main)
        return float(np.max(_cosine(query, self._sentence_vectors))) < OUT_OF_SCOPE_SIMILARITY

    @staticmethod
    def _abstain(text: str, reason: AbstainReason) -> Parts:
        yield text
        return Answer(text=text, abstained=True, reason=reason)

    # -- answering -----------------------------------------------------------------------
    def stream(self, query: Query, passages: Sequence[Passage]) -> Response:
        return Response(self._answer(query, passages))

    def _answer(self, query: Query, passages: Sequence[Passage]) -> Parts:
        main, context, question = query.text, query.context, query.search_text
        topic = " ".join(content_words(main)) or "that"
        if self._out_of_scope(main, context):
            return (
                yield from self._abstain(
                    OUT_OF_SCOPE_TEXT,
                    "out_of_scope",
                )
            )
        unknown = self._unknown_names(main)
        if unknown:
            listed = " or ".join(f"“{w}”" for w in unknown)
            return (
                yield from self._abstain(
                    f"The announcement doesn't say: it never mentions {listed}.", "not_in_document"
                )
            )
        ranked = self._score(main, context, self._candidates(question, passages))
        kind = answer_type(main)
        if not ranked or not ranked[0].typed:
            what = _TYPE_WORDS.get(kind, "answer")
            return (
                yield from self._abstain(
                    f"The announcement doesn't say: it gives no {what} for “{topic}”.", "not_in_document"
                )
            )
        needed = MIN_COVERAGE_TYPED if kind in TYPED and kind is not AnswerType.PERSON else MIN_COVERAGE
        if max(ranked[0].asked, ranked[0].coverage) < needed or self._names_only(main, ranked[0]):
            return (
                yield from self._abstain(
                    f"The announcement doesn't say: nothing in it answers “{topic}”.", "not_in_document"
                )
            )
        foreign = self._foreign_words(main)
        if foreign and not context and ranked[0].asked < FOREIGN_COVERAGE:
            listed = " or ".join(f"“{w}”" for w in foreign)
            return (
                yield from self._abstain(
                    f"The announcement doesn't say: it never speaks of {listed}.", "not_in_document"
                )
            )
        weights = {t.stem: t.weight for t in self._terms(main, context)}
        text, citations = self._compose(
            self._choose(ranked, weights), explain_speakers=kind in (AnswerType.PERSON, AnswerType.NAME)
        )
        yield from re.findall(r"\S+\s*", text)
        return Answer(text=text, citations=citations)

    def _choose(self, ranked: list[Candidate], weights: dict[str, float]) -> list[Sentence]:
        """The best sentence, and a second one only when it is nearly as good and adds to it."""
        best = ranked[0]
        chosen = [best]
        total = sum(weights.values()) or 1.0
        for other in ranked[1:]:
            if len(chosen) >= MAX_SENTENCES or other.score < SECOND_SENTENCE_RATIO * best.score:
                break
            gain = sum(weights.get(t, 0.0) for t in other.matched - best.matched) / total
            if other.typed and gain >= SECOND_SENTENCE_GAIN:
                chosen.append(other)
        picked: dict[tuple[str, int], Sentence] = {}
        for c in chosen:
            if c.before is not None and c.leans:
                picked[self._key(c.before)] = c.before
            picked[self._key(c.sentence)] = c.sentence
        return sorted(picked.values(), key=lambda s: (s.source, s.start))

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

    # -- who is speaking -----------------------------------------------------------------
    def _speaker_note(self, sentence: Sentence) -> tuple[str, str, Sentence] | None:
        """For a speaker given only as a surname or a pronoun: who it is, and where that is said."""
        found = speaker(sentence.text)
        if found is None:
            previous = self._before(sentence)
            if previous is None or not self._continues_quote(sentence, previous):
                return None
            return self._speaker_note(previous)
        mention = found.mention
        if mention.lower() in _PERSONAL:
            antecedent = self._previous_speaker(sentence)
            if antecedent is None:
                return None
            who, where = antecedent
            return mention, who, where
        if " " in mention or not mention[:1].isupper():
            return None
        full = self._full_name(sentence, mention)
        return (mention, full[0], full[1]) if full else None

    def _full_name(self, sentence: Sentence, surname: str) -> tuple[str, Sentence] | None:
        """The fullest mention of a person with this surname, nearest before the sentence."""
        best: tuple[int, str, Sentence] | None = None
        for other in self.corpus.sentences[sentence.source]:
            for full, last, _ in full_names(other.text):
                if last != surname or full == surname:
                    continue
                distance = sentence.index - other.index
                rank = distance if distance >= 0 else 10_000 - distance
                if best is None or rank < best[0] or (rank == best[0] and len(full) > len(best[1])):
                    best = (rank, full, other)
        return (best[1], best[2]) if best else None

    def _previous_speaker(self, sentence: Sentence) -> tuple[str, Sentence] | None:
        for other in reversed(self.corpus.sentences[sentence.source][: sentence.index]):
            found = speaker(other.text)
            if found is None or found.mention.lower() in _PERSONAL:
                continue
            mention = found.mention
            if " " not in mention and mention[:1].isupper():
                full = self._full_name(other, mention)
                if full:
                    return full
            return mention, other
        return None
