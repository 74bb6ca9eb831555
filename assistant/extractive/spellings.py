"""Another spelling WordNet has of a place's name: "Kyiv" is WordNet's "Kyyiv" (Kiev) one letter
short; its senses, and so its relations, are that place's (lexicon)."""

from __future__ import annotations

from functools import cache
from typing import Any

SHORTEST = 4  # "Kyiv": a shorter word is one letter from too many others


def _one_shorter(word: str) -> set[str]:
    """The word without one letter of a doubled one ("kyyiv": kyiv): the letter a spelling drops
    or doubles; not any letter ("olivia" is not "bolivia")."""
    return {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}


@cache
def _place_names(wn: Any) -> dict[str, frozenset[str]]:
    """Every one-word name WordNet has for a country, a city or a capital, and each one of it a
    letter short, with the names it stands for."""
    from assistant.extractive.lexicon import PLACE_KINDS  # lexicon reads its senses through here

    roots = ("country", *PLACE_KINDS)
    names: dict[str, set[str]] = {}
    kinds = [s for word in roots for s in wn.synsets(word, pos="n")[:2] if s.name().startswith(roots)]
    seen = set()
    while kinds:
        kind = kinds.pop()
        if kind.name() in seen:
            continue
        seen.add(kind.name())
        kinds.extend(kind.hyponyms())
        for lemma in (lemma for place in kind.instance_hyponyms() for lemma in place.lemmas()):
            name = lemma.name().lower()
            if "_" not in name and name.isalpha() and len(name) >= SHORTEST:
                for key in {name} | _one_shorter(name):
                    names.setdefault(key, set()).add(name)
    return {k: frozenset(v) for k, v in names.items()}


def _spelt_as(wn: Any, word: str) -> str | None:
    """The one place name WordNet has a doubled letter longer or shorter than a word it does not
    know ("kyiv": kyyiv); None when there is none, or more than one."""
    if len(word) < SHORTEST or not word.isalpha():
        return None
    names = _place_names(wn)
    found = names.get(word, frozenset()) | {
        short for short in _one_shorter(word) if short in names.get(short, ())
    }
    return next(iter(found)) if len(found) == 1 else None


def synsets(wn: Any, word: str, pos: str | None = None) -> list[Any]:
    """WordNet's senses of the word, or, for a word WordNet does not know at all, of the place
    name it spells another way ("Kyiv": Kiev's; not "eerie", an adjective, as Erie)."""
    found: list[Any] = wn.synsets(word, pos=pos)
    if found or (pos is not None and wn.synsets(word)):
        return found
    spelt = _spelt_as(wn, word.lower())
    return wn.synsets(spelt, pos=pos) if spelt is not None else []
