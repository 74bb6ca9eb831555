"""Rivals: words of one kind that are not the same thing ("August" and "September", "Yale" and
"Harvard") or opposites ("rural" and "urban"). A sentence that gives a rival of what the
question asks about tells of something else than was asked: a near miss, not an answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from assistant.extractive.lexicon import kinds, related, related_stems
from assistant.extractive.words import content_words, stem, stopwords, word_parts


def _rivals(word: str, other: str, nouns: bool = False) -> bool:
    """The other word is of the word's kind or its opposite, and neither the word itself nor a
    synonym. `nouns`: things of one kind only, not two ways of doing one thing (as "halt" and
    "suspend" are), and the other word by its related forms too ("monthly": month)."""
    low = word.lower()
    if stem(other) == stem(low) or stem(other) in related_stems(low) or stem(low) in related_stems(other):
        return False  # the same word, or a synonym
    theirs = kinds(low)
    classes = {k for k in theirs if k[0] != "!" and (not nouns or ".n." in k)}
    forms = {other, *related(other)} if nouns else {other}
    return any(f"!{o}" in theirs or not classes.isdisjoint(kinds(o)) for o in forms)


def rival(absent: Sequence[str], text: str) -> float:
    """1 when the sentence names a rival of a word the documents lack: another of its kind
    ("August" for the question's "September", "Yale" for "Harvard") or its opposite ("rural"
    for "urban"), not a synonym."""
    said = {w.lower() for w in content_words(text) if w.isalpha()}
    return float(any(_rivals(word, other) for word in absent for other in said))


def rival_modifier(question: str, text: str) -> float:
    """1 when the sentence gives a thing the question asks about another word of its kind before
    it, and the question's own word is nowhere in it: "a monthly pass" (through "month") for "a
    day pass", "rural clinics" for "urban clinics", "the past three months" for "the six months".
    A modifier stands after a little word ("a", "for", "its"), not after a noun, where it would
    be a verb with its object ("the boss halt production")."""
    asked, said = word_parts(question), word_parts(text)
    said_stems = {stem(w) for w in said}
    for leading, modifier, head in zip(["the", *asked], asked, asked[1:], strict=False):
        low = modifier.lower()
        if not (low.isalpha() and head.isalpha()) or low in stopwords() or head.lower() in stopwords():
            continue
        if leading.lower() not in stopwords() or stem(low) in said_stems:
            continue
        for before, word in pairwise(said):
            other = before.lower()
            if (
                stem(word) == stem(head)
                and other.isalpha()
                and other not in stopwords()
                and _rivals(low, other, nouns=True)
            ):
                return 1.0
    return 0.0
