"""What the engine measures about a question and each candidate sentence.

Coverage of the question's topic words (by stem, by WordNet relation, by word-embedding
similarity, each word weighed by its IDF), similarity of meaning, whether the sentence holds
the kind of answer asked for. The decision that uses these is fitted: see decision.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.corpus import Corpus
from assistant.embedding import query_token_words, query_tokens, query_vector
from assistant.extractive.facts import CorpusStats, DocumentFacts, FactsCache, PerSentence, ungrouped
from assistant.extractive.interaction import Key, WordPieces, key, late, met_another_way
from assistant.extractive.lexicon import broader_stems, knows, located_in, related_stems, verb_bases
from assistant.extractive.names import name_stems, names
from assistant.extractive.questions import (
    AnswerType,
    answer_type,
)
from assistant.extractive.rarity import joined, phrasal_split, respelled
from assistant.extractive.short_forms import initials, written_out
from assistant.extractive.speakers import (
    SpeakerNotes,
    embedding_texts,
)
from assistant.extractive.terms import CONTEXT_WEIGHT, Term, asked_stems, question_terms
from assistant.extractive.typed import holds_asked_kind
from assistant.extractive.words import content_words, stem, words
from assistant.splitting import Sentence
from assistant.types import Passage
from assistant.vectors import MemoryVectors, SentenceVectors, cosine

# How the features are measured (the decision itself is fitted: see decision.py).
BROADER_MATCH = 0.7  # a word one step more general in WordNet ("hike" meets "increase")
RELATED_MATCH = 0.9  # a WordNet synonym, derived form, demonym or capital matches almost as well as the word
NEAREST_SENTENCES = 6  # sentences of the passages' documents nearest the question join the candidates
SYNONYM_LOW, SYNONYM_HIGH = 0.6, 0.85  # word similarity mapped onto 0..1 between these
FOREIGN_SIMILARITY = 0.5  # a word whose nearest word in the documents is farther than this is foreign
WORD_LISTS_KEPT = 256  # sentences whose word vectors are kept at hand, as float32 (about 5 MB at most)


def _same_verb(form: str, verb: str) -> bool:
    """`form` is a form of `verb`: "handed" of hand, "laid" of lay."""
    return stem(form) == stem(verb) or verb in verb_bases().get(form, ())


# a sentence that opens with "there" or "then" says where or when by the sentence before
_REFERS_TO = {
    AnswerType.PLACE: re.compile(r"^(?:While there\b|There,)"),
    AnswerType.TIME: re.compile(r"^(?:Then|Since then)\b"),
}


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
    exact: float = 0.0  # the same, counting only stems and WordNet relations
    literal: set[str] = field(default_factory=set)  # question stems met by stem, WordNet or who-is-who
    late: float = 0.0  # late interaction: how well each of the question's word pieces is met, on average
    late_least: float = 0.0  # how well the question's word piece least met is met


def _soft(similarity: float) -> float:
    return min(1.0, max(0.0, (similarity - SYNONYM_LOW) / (SYNONYM_HIGH - SYNONYM_LOW)))


def _embedding_texts(corpus: Corpus) -> list[str]:
    """Every sentence as it is embedded, in the order of corpus.all_sentences()."""
    return [t for source in sorted(corpus.sentences) for t in embedding_texts(corpus, source)]


class Measures(SpeakerNotes):
    """Corpus statistics (IDF, stems, vectors) and the measures of one candidate sentence."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.stats = corpus.stats or CorpusStats.of(corpus)
        facts = self._facts = FactsCache(corpus)
        self._stems = PerSentence(facts, DocumentFacts.stems)
        self._speakers = PerSentence(facts, DocumentFacts.speaker)
        self._aliases = PerSentence(facts, DocumentFacts.aliases)
        self._regions = PerSentence(facts, DocumentFacts.regions)
        self._idf, self._unknown_idf = self.stats.idf()
        # lower-cased, figures ungrouped ("35,000" and "35000" are one number)
        self._tokens = self.stats.tokens
        self._word_lists: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
        self._initials: dict[str, str] | None = None
        self._pieces = WordPieces()  # sentences' word pieces in context (interaction.py)
        self._asked_words: dict[str, np.ndarray] = {}  # the question's words' vectors, for one question
        self._met_facts: dict[
            tuple[str, int], tuple[set[str], set[str], set[str]]
        ] = {}  # likewise (_facts_of)
        self.vectors: SentenceVectors = corpus.vectors or MemoryVectors(
            corpus, _embedding_texts, list(self.stats.words)
        )

    # -- vectors: stored with the index (vectors.py), or embedded here for a corpus without one
    def _words(self, items: list[str]) -> np.ndarray:
        return self.vectors.words(items)

    def _word(self, word: str) -> np.ndarray:
        """One word's vector: the question's words are read once a question (see _score)."""
        found = self._asked_words.get(word)
        return found if found is not None else self._words([word])[0]

    def _nearest_word(self, word: str) -> float:
        """Similarity of the documents' word nearest in meaning to `word`."""
        return self.vectors.nearest_word(self._words([word])[0])

    def _sentence_words(self, sentence: Sentence) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of the sentence's common words, and their lengths; words of a proper name
        ("Golden Gate") match only as written."""
        key = self._key(sentence)
        if key not in self._word_lists:
            if len(self._word_lists) >= WORD_LISTS_KEPT:
                self._word_lists.clear()
            in_names = {w.lower() for n in names(sentence.text) if " " in n for w in n.split()}
            rows = self._words([w for w in content_words(sentence.text) if w not in in_names]).astype(
                np.float32
            )
            self._word_lists[key] = (rows, np.linalg.norm(rows, axis=-1))
        return self._word_lists[key]

    def _uses(self, low: str) -> bool:
        """The documents have this lower-case word as a word of its own (or inside "five-minute")."""
        return low in self._tokens

    def _mentions(self, item: str) -> bool:
        """The documents have every word of this name or figure ("35,000" as "35000" too, "2" as "two")."""
        found = re.findall(r"\w+", ungrouped(item.lower()))
        return bool(found) and all(w in self._tokens or (w.isdigit() and w in self._idf) for w in found)

    def respell(self, text: str) -> str:
        """The text with its short forms written out as the documents write them ("NP": National
        Park, "Q3": third quarter), each misspelt word replaced by the documents' word it most
        resembles, two words the documents write as one joined ("fire fighters": firefighters),
        and a verb and its particle written as one parted as they write them ("handover": handed over)."""
        text = written_out(text, self._tokens, self._spelled_out)
        fixed = respelled(words(text), self.stats.words, self._tokens, knows)
        if fixed:
            text = re.sub(r"[A-Za-z]+", lambda m: fixed.get(m.group(0).lower(), m.group(0)), text)
        for (a, b), one in joined(words(text), self._tokens).items():
            text = re.sub(rf"\b{a}\s+{b}\b", one, text, flags=re.IGNORECASE)
        texts = (d.text for d in self.corpus.documents.values())
        for one, two in phrasal_split(words(text), self._tokens, texts, _same_verb).items():
            text = re.sub(rf"\b{one}\b", two, text, flags=re.IGNORECASE)
        return text

    def _spelled_out(self, acronym: str) -> str | None:
        """The documents' name whose initials the acronym is (short_forms.initials, read once)."""
        if self._initials is None:
            self._initials = initials(d.text for d in self.corpus.documents.values())
        return self._initials.get(acronym)

    def _key(self, sentence: Sentence) -> Key:
        return key(sentence)

    # -- scoring -----------------------------------------------------------------
    def _terms(self, main: str, context: str) -> list[Term]:
        return question_terms(main, context, self._idf, self._unknown_idf)

    def _match(self, term: Term, sentence: Sentence, named: bool = False) -> float:
        return self._meet(term, sentence, named)[0]

    def _meet(self, term: Term, sentence: Sentence, named: bool = False) -> tuple[float, bool]:
        """How well the sentence meets the term, and whether literally: by stem, a WordNet relation
        or who-is-who (literally), else by a word near in meaning. A name of the question
        (`named`) is met only as written: "Holtalvel" is not "Holtalmihol", however alike their
        word pieces."""
        stems, aliases, regions = self._facts_of(sentence)
        if term.stem in stems:
            return 1.0, True
        relations = related_stems(term.word)
        if term.stem in aliases or not (relations.isdisjoint(stems) and relations.isdisjoint(aliases)):
            return RELATED_MATCH, True
        # the sentence's town lies in the country asked about ("the Dutch club": "the Rotterdam
        # club"); not when another town is asked about (Seattle is not Tacoma, Washington)
        if regions and not located_in(term.word) and not ({term.stem} | relations).isdisjoint(regions):
            return RELATED_MATCH, True
        if named:
            return 0.0, False
        floor = BROADER_MATCH if not broader_stems(term.word).isdisjoint(stems) else 0.0
        vectors, lengths = self._sentence_words(sentence)
        if not len(vectors):
            return floor, False
        similarity = cosine(self._word(term.word), vectors, lengths)
        return max(floor, _soft(float(np.max(similarity)))), False

    def _facts_of(self, sentence: Sentence) -> tuple[set[str], set[str], set[str]]:
        """The sentence's stems, who-is-who words and its towns' regions, kept for the question
        (`_meet` reads them for every term)."""
        key = self._key(sentence)
        found = self._met_facts.get(key)
        if found is None:
            found = self._met_facts[key] = (self._stems[key], self._aliases[key], self._regions[key])
        return found

    def _nearest(self, query: np.ndarray, sources: Iterable[str], k: int) -> list[tuple[Sentence, float]]:
        """The k sentences of these documents most similar to `query`, most similar first."""
        pool = [s for source in dict.fromkeys(sources) for s in self.corpus.sentences[source]]
        if not pool:
            return []
        similarity = cosine(query, self.vectors.sentences([self._key(s) for s in pool]))
        return [(pool[i], float(similarity[i])) for i in np.argsort(-similarity, kind="stable")[:k]]

    def _candidates(self, passages: Sequence[Passage], nearest: Sequence[Sentence]) -> list[Sentence]:
        """Sentences of the retrieved passages, and those of their documents nearest the question in meaning."""
        seen: dict[tuple[str, int], Sentence] = {}
        for passage in passages:
            for s in self.corpus.sentences_in(passage):
                seen.setdefault(self._key(s), s)
        for s in nearest:
            seen.setdefault(self._key(s), s)
        return list(seen.values())

    def _prefetch(self, sentences: list[Sentence], asked: list[str]) -> None:
        """The vectors the measures will read for these sentences and the question's words
        `asked` (those the documents do not use are embedded, in one batch), fetched in two reads."""
        around = [*sentences, *(b for s in sentences if (b := self._before(s)) is not None)]
        self.vectors.sentences([self._key(s) for s in around])
        self.vectors.words([w for s in around for w in content_words(s.text)] + asked)

    def _vector_of(self, sentence: Sentence) -> np.ndarray:
        return np.asarray(self.vectors.sentences([self._key(sentence)])[0])

    def _score(self, main: str, context: str, sentences: list[Sentence]) -> list[Candidate]:
        """Measure each candidate: how much of the question it covers, how close in meaning."""
        weights = self._terms(main, context)
        total = sum(t.weight for t in weights) or 1.0
        asked = asked_stems(main, context, weights)
        kind = answer_type(main)
        query = query_vector(main + (" " + context if context else ""))
        # a follow-up's earlier question counts CONTEXT_WEIGHT, as in the terms' weights
        asked_pieces = query_tokens(main)
        pieces = np.vstack([asked_pieces, query_tokens(context)]) if context else asked_pieces
        piece_stems = [
            stem(w) for w in (*query_token_words(main), *(query_token_words(context) if context else ()))
        ]
        piece_weights = np.r_[
            np.ones(len(asked_pieces)), np.full(len(pieces) - len(asked_pieces), CONTEXT_WEIGHT)
        ]
        self._prefetch(sentences, [t.word for t in weights] + [w.lower() for w in words(main)])
        read = self._pieces.of([*sentences, *(b for s in sentences if (b := self._before(s)) is not None)])
        asked_words = list(dict.fromkeys(t.word for t in weights))
        self._asked_words = dict(zip(asked_words, self._words(asked_words), strict=True))
        self._met_facts = {}
        scored: list[Candidate] = []
        named = name_stems(f"{main} {context}")
        for s in sentences:
            before = self._before(s)
            met = {t.stem: self._meet(t, s, t.stem in named) for t in weights}
            met_before = {t.stem: self._meet(t, before, t.stem in named) for t in weights} if before else {}
            own = {k: v[0] for k, v in met.items()}
            borrowed = {t.stem: met_before[t.stem][0] if before else 0.0 for t in weights}
            # Lean on the sentence before only when it adds what this question (not its history) asks.
            gain = sum(
                t.weight * max(0.0, borrowed[t.stem] - own[t.stem]) for t in weights if t.stem in asked
            )
            leans = before is not None and gain / total > 0.05
            if kind is AnswerType.PERSON and before is not None and self._continues_quote(s, before):
                leans = True
            # "While there, she met …": where (or when, "Since then") is the sentence before's
            refers = before is not None and (p := _REFERS_TO.get(kind)) is not None and bool(p.match(s.text))
            leans = leans or refers
            match = {k: max(v, borrowed[k]) for k, v in own.items()} if leans else own
            coverage = sum(t.weight * match[t.stem] for t in weights) / total
            main_terms = [t for t in weights if t.stem in asked] or weights
            main_total = sum(t.weight for t in main_terms) or 1.0
            asked_coverage = sum(t.weight * match[t.stem] for t in main_terms) / main_total
            exact = sum(t.weight for t in main_terms if match[t.stem] >= RELATED_MATCH) / main_total
            dense = float(cosine(query, self._vector_of(s)[None, :])[0])
            late_scores = late(pieces, read[self._key(s)])
            if leans and before is not None:
                dense = max(dense, float(cosine(query, self._vector_of(before)[None, :])[0]))
                late_scores = np.maximum(late_scores, late(pieces, read[self._key(before)]))
            typed = self._typed(s, before, kind, main, context)
            if refers and not typed and before is not None:
                typed = self._typed(before, None, kind, main, context)
            matched = {k for k, v in match.items() if v >= 0.5}
            candidate = Candidate(s, before, coverage, dense, typed, 0.0, matched, leans, asked_coverage)
            candidate.exact = exact
            candidate.literal = {
                t.stem for t in weights if met[t.stem][1] or (leans and before and met_before[t.stem][1])
            }
            late_scores = met_another_way(
                late_scores, piece_stems, candidate.literal, s, before if leans else None, RELATED_MATCH
            )
            candidate.late = float(np.average(late_scores, weights=piece_weights))
            candidate.late_least = float(np.min(late_scores[: len(asked_pieces)]))
            scored.append(candidate)
        return scored

    def _typed(
        self, sentence: Sentence, before: Sentence | None, kind: AnswerType, main: str, context: str = ""
    ) -> bool:
        return holds_asked_kind(sentence, before, kind, main, context, self._match, self._continues_quote)
