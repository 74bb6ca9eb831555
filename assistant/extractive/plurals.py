"""Irregular English noun plurals, from WordNet's own list of them, so that "children" meets
"child" and "women" meets "woman" as "cars" meets "car".

A stemmer strips regular endings only: "children", "teeth", "women" keep their form, and a
question's "kids" (WordNet: kid = child) never met a sentence's "children". WordNet lists the
irregular forms it knows (noun.exc, the list its own lemmatiser, morphy, reads) and forms
"-men" plurals by rule; this module reads both, the way morphy does, into one map from plural to
singular. A form that is also a regular form of another word keeps it: "lives" (he lives) is not
made "life", "leaves" stays with "leave". Without WordNet the map is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from assistant.extractive.wordnet import exceptions


def _lemmas(source: Path, pos: str) -> set[str]:
    """The one-word lemmas of one part of speech, read from WordNet's index file."""
    path = source / f"index.{pos}"
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as lines:
        return {
            w for line in lines if not line.startswith(" ") for w in [line.split(" ", 1)[0]] if w.isalpha()
        }


def irregular_plurals(source: Path | None, snowball: Callable[[str], str]) -> dict[str, str]:
    """Plural → singular for the nouns whose plural a stemmer cannot undo, from WordNet at `source`."""
    listed = exceptions(source, "noun")
    if source is None or not listed:
        return {}
    nouns, verbs = _lemmas(source, "noun"), _lemmas(source, "verb")
    out: dict[str, str] = {}
    for form, bases in listed:
        if not form.isalpha() or any(snowball(b) == snowball(form) for b in bases):
            continue  # the stemmer already meets it ("leaves": leave)
        if any(form.endswith(end) and form[: -len(end)] in verbs for end in ("s", "es")):
            continue  # also a verb's regular form ("lives": he lives)
        out[form] = bases[0]
    for singular in nouns:  # morphy's rule: "chairwomen" → "chairwoman"
        plural = singular[:-3] + "men"
        if singular.endswith("man") and singular.isalpha() and plural not in nouns:
            out.setdefault(plural, singular)  # "omen" is a word of its own, not Oman's plural
    return out


@lru_cache(maxsize=1)
def singulars() -> dict[str, str]:
    """The map for the WordNet installed here (wordnet.wordnet_dir); read once."""
    from assistant.extractive.wordnet import wordnet_dir
    from assistant.extractive.words import snowball

    return irregular_plurals(wordnet_dir(), snowball)
