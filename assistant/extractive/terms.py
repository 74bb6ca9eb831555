"""The question's terms: its content words, each weighed by how much it says about the topic."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.extractive.questions import measures_asked, question_phrase_words, topic_words
from assistant.extractive.words import LIGHT_WORDS, META_WORDS, content_words, stem

CONTEXT_WEIGHT = 0.5  # a follow-up's earlier question counts half
LIGHT_WEIGHT = 0.25  # light verbs ("get", "take") count a quarter
HEAD_WEIGHT = 0.3  # the kind of answer asked for ("which city"), or "the article", counts 30 %


@dataclass(frozen=True)
class Term:
    word: str
    stem: str
    weight: float


def question_terms(main: str, context: str, idf: Mapping[str, float], unknown_idf: float) -> list[Term]:
    """The content words of the question (and, a follow-up, of the earlier turns, at
    CONTEXT_WEIGHT), a hyphenated word's parts too, each weighed by its IDF (`unknown_idf` for a
    word the documents lack): light verbs and the words naming the kind of answer count less,
    the measure of "how old", "how long" … not at all."""
    out: dict[str, Term] = {}
    for text, factor in ((context, CONTEXT_WEIGHT), (main, 1.0)):
        heads, measures = question_phrase_words(text), measures_asked(text)
        for word in content_words(text):
            for part in dict.fromkeys([word, *(p for p in word.split("-") if p and p != word)]):
                if part in measures:
                    continue  # "how old": the kind of answer, met by no word of the sentence
                key = stem(part)
                weight = idf.get(key, unknown_idf) * factor
                if part in LIGHT_WORDS:
                    weight *= LIGHT_WEIGHT
                if part in heads or part in META_WORDS:
                    weight *= HEAD_WEIGHT
                out[key] = Term(part, key, weight)
    return [t for t in out.values() if t.weight > 0]


def asked_stems(main: str, context: str, terms: Sequence[Term]) -> set[str]:
    """The stems of what the question itself asks: its own words; for a follow-up with no topic
    word of its own ("over how long?", "and when?"), the earlier question's, which it narrows."""
    if context and not topic_words(main):
        return {t.stem for t in terms}
    return {stem(w) for w in content_words(main)}
