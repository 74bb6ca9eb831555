"""The default backend: answers with the source's own sentences, verbatim, or abstains.

How it decides, for a question and the retrieved passages:
1. Scope: a question that shares no term with the documents and is far from every
   sentence in meaning is out of scope.
2. Coverage: a topic word of the question that the documents never use, and that
   has no close neighbour in their vocabulary, means the documents do not say.
3. Answer type: "how many" needs a number, "when" a time, "who" a person, "where"
   a place, one that the question does not already contain.
4. Ranking: each candidate sentence is scored on weighted term overlap (IDF) and on
   embedding similarity; the best one or two are quoted with their [n] citations.
5. Speakers: a sentence whose speaker is a bare surname or a pronoun gets a note,
   with its own citation, saying who that is in the document.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from assistant.backends.base import Turn
from assistant.corpus import Corpus
from assistant.embedding import embed_model
from assistant.language import (
    PRONOUNS,
    AnswerType,
    answer_type,
    content_words,
    entities,
    full_names,
    speaker,
    stem,
    terms,
    words,
)
from assistant.splitting import Sentence
from assistant.types import Answer, Citation, Message, Passage

FOLLOW_UP = " — following up on: "
_TYPE_WORDS = {
    AnswerType.NUMBER: "a number",
    AnswerType.TIME: "a date or time",
    AnswerType.PERSON: "a name",
    AnswerType.PLACE: "a place",
}

# Weights and thresholds of the decision, on 0..1 scales (see the module docstring).
W_LEXICAL, W_DENSE, W_TYPE = 0.45, 0.55, 0.15
OUT_OF_SCOPE_SIMILARITY = 0.30
NEIGHBOUR_SIMILARITY = 0.55
MIN_SCORE = 0.30
SECOND_SENTENCE_RATIO = 0.9
MAX_SENTENCES = 2


@dataclass(frozen=True)
class Candidate:
    sentence: Sentence
    lexical: float
    dense: float
    typed: bool
    score: float


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(b @ a / (np.linalg.norm(b, axis=-1) * np.linalg.norm(a) + 1e-9))


class ExtractiveBackend:
    """Quotes the sentences that answer; abstains with a reason when none does."""

    name = "extractive"
    model: str | None = None

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.sentences = corpus.all_sentences()
        self._terms = {(s.source, s.index): set(terms(s.text)) for s in self.sentences}
        counts = Counter(t for ts in self._terms.values() for t in ts)
        n = len(self.sentences)
        self._idf = {t: math.log(1 + n / c) for t, c in counts.items()}
        self._max_idf = math.log(1 + n)

    # -- vectors, computed once --------------------------------------------------------
    @cached_property
    def _sentence_vectors(self) -> np.ndarray:
        return np.array(embed_model().get_text_embedding_batch([s.text for s in self.sentences]))

    @cached_property
    def _vocabulary(self) -> tuple[list[str], np.ndarray]:
        vocab = sorted({w for s in self.sentences for w in content_words(s.text) if w.isalpha()})
        return vocab, np.array(embed_model().get_text_embedding_batch(vocab))

    def _vector(self, sentence: Sentence) -> np.ndarray:
        return np.asarray(self._sentence_vectors[self.sentences.index(sentence)])

    # -- follow-ups ----------------------------------------------------------------------
    @staticmethod
    def _dependent(question: str) -> bool:
        lowered = {w.lower() for w in words(question)}
        return bool(lowered & PRONOUNS) or len(content_words(question)) < 2 or bool(
            re.match(r"^(and|what about|how about|also)\b", question.strip(), re.I)
        )

    def condense(self, question: str, history: Sequence[Message]) -> str:
        """Carry the earlier question(s) along when this one leans on them."""
        if not history or not self._dependent(question):
            return question
        context: list[str] = []
        for turn in reversed(history):
            if turn.role != "user":
                continue
            context.insert(0, turn.content.strip())
            if not self._dependent(turn.content) or len(context) == 2:
                break
        return question + FOLLOW_UP + " ".join(context) if context else question

    # -- scoring -------------------------------------------------------------------------
    def _weights(self, main: str, context: str) -> dict[str, float]:
        weights: dict[str, float] = {}
        for t in terms(context):
            weights[t] = 0.5 * self._idf.get(t, self._max_idf)
        for t in terms(main):
            weights[t] = self._idf.get(t, self._max_idf)
        return weights

    def _candidates(self, passages: Sequence[Passage]) -> list[Sentence]:
        seen: dict[tuple[str, int], Sentence] = {}
        for passage in passages:
            for s in self.corpus.sentences_in(passage):
                seen.setdefault((s.source, s.index), s)
        return list(seen.values())

    def _score(self, main: str, context: str, sentences: list[Sentence]) -> list[Candidate]:
        weights = self._weights(main, context)
        total = sum(weights.values()) or 1.0
        kind = answer_type(main)
        query = embed_model().get_query_embedding(main + (" " + context if context else ""))
        given = entities(main, kind)
        scored: list[Candidate] = []
        for s in sentences:
            have = self._terms[(s.source, s.index)]
            lexical = sum(w for t, w in weights.items() if t in have) / total
            dense = float(_cosine(np.asarray(query), self._vector(s)[None, :])[0])
            typed = self._typed(s, kind, given)
            score = W_LEXICAL * lexical + W_DENSE * dense + (W_TYPE if typed else 0.0)
            if kind in _TYPE_WORDS and not typed:
                score -= 2 * W_TYPE
            scored.append(Candidate(s, lexical, dense, typed, score))
        return sorted(scored, key=lambda c: c.score, reverse=True)

    def _typed(self, sentence: Sentence, kind: AnswerType, given: set[str]) -> bool:
        if kind not in _TYPE_WORDS:
            return True
        found = entities(sentence.text, kind) - given
        if kind is AnswerType.PERSON and speaker(sentence.text) is not None:
            return True
        return bool(found)

    # -- abstaining ----------------------------------------------------------------------
    def _unknown_words(self, main: str) -> list[str]:
        """Topic words of the question that the documents neither use nor come close to."""
        known = set(self._idf)
        missing = [w for w in content_words(main) if stem(w) not in known and w.isalpha()]
        if not missing:
            return []
        vocab, vectors = self._vocabulary
        out: list[str] = []
        for word, vector in zip(missing, embed_model().get_text_embedding_batch(missing), strict=True):
            if float(np.max(_cosine(np.asarray(vector), vectors))) < NEIGHBOUR_SIMILARITY:
                out.append(word)
        return out

    def _out_of_scope(self, main: str) -> bool:
        if any(t in self._idf for t in terms(main)):
            return False
        query = np.asarray(embed_model().get_query_embedding(main))
        return float(np.max(_cosine(query, self._sentence_vectors))) < OUT_OF_SCOPE_SIMILARITY

    def _abstain(self, text: str, reason: str) -> Iterator[Turn]:
        yield text
        yield Answer(text=text, abstained=True, reason=reason)  # type: ignore[arg-type]

    # -- answering -----------------------------------------------------------------------
    def stream(self, question: str, passages: Sequence[Passage], history: Sequence[Message]) -> Iterator[Turn]:
        main, _, context = question.partition(FOLLOW_UP)
        topic = ", ".join(f"“{w}”" for w in content_words(main)) or "that"
        if self._out_of_scope(main):
            yield from self._abstain(
                "That is outside what the announcement covers, so I can't answer it from the source.",
                "out_of_scope",
            )
            return
        unknown = self._unknown_words(main)
        if unknown:
            listed = " or ".join(f"“{w}”" for w in unknown)
            yield from self._abstain(f"The announcement doesn't say: it never mentions {listed}.", "not_in_document")
            return
        ranked = self._score(main, context, self._candidates(passages))
        kind = answer_type(main)
        if not ranked or not ranked[0].typed:
            what = _TYPE_WORDS.get(kind, "an answer")
            yield from self._abstain(
                f"The announcement doesn't say: it gives no {what.removeprefix('a ').removeprefix('an ')} "
                f"for {topic}.",
                "not_in_document",
            )
            return
        if ranked[0].score < MIN_SCORE:
            yield from self._abstain(f"The announcement doesn't say anything that answers {topic}.", "not_in_document")
            return
        chosen = self._choose(ranked)
        text, citations = self._compose(chosen)
        for piece in re.findall(r"\S+\s*", text):
            yield piece
        yield Answer(text=text, citations=citations)

    def _choose(self, ranked: list[Candidate]) -> list[Sentence]:
        best = ranked[0]
        chosen = [best.sentence]
        for other in ranked[1:]:
            if len(chosen) >= MAX_SENTENCES or other.score < SECOND_SENTENCE_RATIO * best.score:
                break
            if other.typed and other.lexical > 0:
                chosen.append(other.sentence)
        return sorted(chosen, key=lambda s: (s.source, s.start))

    def _compose(self, chosen: list[Sentence]) -> tuple[str, list[Citation]]:
        parts: list[str] = []
        citations: list[Citation] = []
        for sentence in chosen:
            citations.append(self.corpus.cite(len(citations) + 1, sentence.source, sentence.start, sentence.end))
            parts.append(f"{sentence.text} [{len(citations)}]")
            note = self._speaker_note(sentence)
            if note is not None:
                mention, who, where = note
                citations.append(self.corpus.cite(len(citations) + 1, where.source, where.start, where.end))
                parts.append(f"(“{mention}” here is {who} [{len(citations)}].)")
        return " ".join(parts), citations

    # -- who is speaking -----------------------------------------------------------------
    def _speaker_note(self, sentence: Sentence) -> tuple[str, str, Sentence] | None:
        """For a speaker given only as a surname or a pronoun: who it is, and where that is said."""
        found = speaker(sentence.text)
        if found is None:
            return None
        mention = found.mention
        if mention.lower() in {"she", "he", "they"}:
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
            if found is None or found.mention.lower() in {"she", "he", "they"}:
                continue
            mention = found.mention
            if " " not in mention and mention[:1].isupper():
                full = self._full_name(other, mention)
                if full:
                    return full
            return mention, other
        return None
