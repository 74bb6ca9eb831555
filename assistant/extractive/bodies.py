"""Which body "the company" or "the club" means in a document: the one named in the sentence
where such a body speaks ("Orrin Motors will recall 86,000 vans, the company said"), so that a
later "The company, founded in 1998, …" answers "When was Orrin founded?"."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.extractive.names import organizations, placed
from assistant.splitting import Sentence

# a body speaking by a common noun: "the company said", "the club announced on Wednesday"
_BODY_SPEAKS = re.compile(
    r"\bthe (?:[a-z]+ )?(?P<noun>[a-z]+) (?:said|says|announced|added|confirmed|stated|reported)\b"
)


def bodies_of(sentences: Sequence[Sentence], stems_of: Callable[[str], set[str]]) -> dict[str, set[str]]:
    """For each noun a body of these sentences (one document) speaks by ("company"), the stems of
    that body's name: only where the sentence names one body, and the noun means one body."""
    found: dict[str, set[str]] = {}
    for s in sentences:
        named = organizations(s.text) - placed(s.text)  # not the "Europe" of "vans in Europe"
        for match in _BODY_SPEAKS.finditer(s.text):
            noun = match.group("noun")
            own = {n for n in named if noun not in n.split()}
            if len(own) == 1:
                found.setdefault(noun, set()).add(next(iter(own)))
    return {noun: stems_of(next(iter(bodies))) for noun, bodies in found.items() if len(bodies) == 1}


def bodies_meant(text: str, bodies: dict[str, set[str]]) -> set[str]:
    """The stems of the bodies the text means by "the <noun>" ("The company, founded in 1998")."""
    return {
        stem for noun, stems in bodies.items() if re.search(rf"\bthe {noun}\b", text, re.I) for stem in stems
    }
