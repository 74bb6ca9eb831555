"""What the question names or asks that the documents never mention, nor anything near it:
the clues behind "it never mentions …" and the features unknown_share and unknown_names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive.clues import name_words
from assistant.extractive.lexicon import is_water_or_way, related
from assistant.extractive.measures import FOREIGN_SIMILARITY, SYNONYM_HIGH, Measures
from assistant.extractive.names import names
from assistant.extractive.questions import question_phrase_words
from assistant.extractive.rarity import specificity
from assistant.extractive.terms import Term, asked_stems
from assistant.extractive.words import MONTHS, ROLE_NOUNS, WEEKDAYS, is_acronym, stem, stopwords, words

# A word the documents lack is named to the reader only when it says this much (rarity.py):
# "it never mentions “envoy”" helps, "it never mentions “hand”" does not.
NAMED_SPECIFICITY = 0.6


def _figure(text: str) -> bool:
    """A number, a year, a dose: anything written with a digit."""
    return any(c.isdigit() for c in text)


def _calendar(name: str) -> bool:
    """A weekday or a month ("Saturday", "May"): one day or month, not another."""
    return name.lower() in WEEKDAYS or name.lower() in MONTHS


def _coded(word: str) -> bool:
    """A name made of letters and a figure ("Meridian-2", "F-35", "A380"): it names one thing,
    and "Meridian-1" is another."""
    return " " not in word and any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


# A name with a figure, written as one word or two: "Meridian-2", "Route 14"
_CODED_NAME = re.compile(r"\b[A-Z][A-Za-z]*(?:-|\s)\d+\b")


class Lacking(Measures):
    """The question's words and names that the documents lack."""

    def _known(self, word: str, countries: set[str]) -> bool:
        """The documents use the word, or one WordNet relates to it (France for "French"; a
        demonym's country named by its adjective: "Dane" where the documents say "Danish")."""
        low = word.lower()
        if self._uses(low):
            return True
        return any(stem(r) in self._idf or stem(r) in countries for r in related(word))

    def _mentions_whole(self, word: str) -> bool:
        """The documents write this coded name as one word, with or without its hyphen."""
        low = word.lower()
        forms = {low, low.replace("-", ""), re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", "-", low)}
        return not forms.isdisjoint(self._tokens)

    def _families(self, main: str) -> list[frozenset[str]]:
        """The question's names of two or more words that the documents give too ("Cole County",
        "Meridian-2"), each as the stems of its words: a sentence that gives some of them beside
        another name speaks of another of the family (clues.names_another)."""
        found = []
        for item in [*names(main), *_CODED_NAME.findall(main)]:
            parts = frozenset(stem(w) for w in name_words(item) if w.lower() not in stopwords())
            if len(parts) > 1 and self._mentions(item) and (not _coded(item) or self._mentions_whole(item)):
                found.append(parts)
        return found

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
            if self._mentions(item) and (not _coded(item) or self._mentions_whole(item)):
                continue
            tokens = [w for w in words(item) if w.lower() not in stopwords()]
            # a street or a river is known by its own name: "Main Street" is not known from "Harper Street"
            own = tokens[:-1] if len(tokens) > 1 and is_water_or_way(tokens[-1]) else tokens
            if not tokens or any(self._known(t, countries) for t in own):
                continue  # "John Smith" when the documents know a Smith
            # a figure or a day is given or not: "2027" is not near "2029", nor "Saturday" near
            # "Friday", however alike their vectors
            if _figure(item) or _calendar(item) or self._nearest_word(tokens[0].lower()) < SYNONYM_HIGH:
                unknown.append(item)
        return unknown

    def _foreign(self, main: str, countries: set[str]) -> tuple[float, list[str]]:
        """The share of the question's weight in words the documents never use, nor anything close,
        and those of them specific enough to name ("envoy", not "hand" or "top")."""
        terms = self._terms(main, "")
        total = sum(t.weight for t in terms) or 1.0
        heads = question_phrase_words(main)  # "what fraction of": asks the kind of answer, not the topic
        foreign = [
            t
            for t in terms
            if t.word not in heads
            and t.stem not in self._idf
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
