"""Another spelling WordNet has of a place's name: "Kyiv" is WordNet's "Kyyiv" (Kiev) one letter
short; its relations are that place's (lexicon.related)."""

from __future__ import annotations

from typing import Any

SHORTEST = 4  # "Kyiv": a shorter word is one letter from too many others
_PLACES = ("country", "national_capital", "state_capital", "provincial_capital", "city", "port")
_by_wordnet: dict[int, dict[str, frozenset[str]]] = {}


def _one_shorter(word: str) -> set[str]:
    """The word without one letter of a doubled one ("kyyiv": kyiv): the letter a spelling drops
    or doubles; not any letter ("olivia" is not "bolivia")."""
    return {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}


def _place_names(wn: Any) -> dict[str, frozenset[str]]:
    """Every one-word name WordNet has for a country, a city or a capital, and each one of it a
    letter short, with the names it stands for."""
    if id(wn) not in _by_wordnet:
        names: dict[str, set[str]] = {}
        kinds = [s for word in _PLACES for s in wn.synsets(word, pos="n")[:2] if s.name().startswith(_PLACES)]
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
        _by_wordnet[id(wn)] = {k: frozenset(v) for k, v in names.items()}
    return _by_wordnet[id(wn)]


def other_spelling(wn: Any, word: str) -> str | None:
    """The one place name WordNet has a letter longer or shorter than a word it does not know
    ("kyiv": kyyiv); None when there is none, or more than one."""
    word = word.lower()
    if len(word) < SHORTEST or not word.isalpha() or wn.synsets(word):
        return None
    names = _place_names(wn)
    found = set(names.get(word, ())) | {
        n for short in _one_shorter(word) for n in names.get(short, ()) if n == short
    }
    found.discard(word)
    return next(iter(found)) if len(found) == 1 else None


def synsets(wn: Any, word: str, pos: str | None = None) -> list[Any]:
    """WordNet's senses of the word, or of the place name it spells another way ("Kyiv": Kiev's)."""
    found: list[Any] = wn.synsets(word, pos=pos)
    if found:
        return found
    spelt = other_spelling(wn, word)
    return wn.synsets(spelt, pos=pos) if spelt is not None else []
