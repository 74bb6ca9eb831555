"""A question's short forms read as the documents write them out.

People shorten what a news text writes in full: "Rocky Mountain NP" for its National Park,
"Q3 revenue" for the third quarter's, "third-quarter" for "third quarter". A short form the
documents never use is read as the words they do use for it, when they have them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterable

from assistant.extractive.words import ORDINALS

# an acronym of the question: two to six capitals ("NP", "NCMM"), with no other letter
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# names of several capitalised words in the documents, little words between them ("National
# Commission for Museums and Monuments")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:(?:of|for|and|the|on|de)\s+)?[A-Z][\w’'-]*)+")
_QUARTER = re.compile(r"\bQ([1-4])\b", re.I)
_HYPHENATED = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")


def initials(texts: Iterable[str]) -> dict[str, str]:
    """Each acronym the documents' capitalised names can be read by, with the name it stands for:
    the initials of every run of two to six of a name's capitalised words ("NP": "National Park",
    from "Rocky Mountain National Park"), the name the documents use most for them."""
    found: dict[str, Counter[str]] = {}
    for text in texts:
        for match in _CAPITALISED_RUN.finditer(text):
            capitals = [w for w in match.group(0).split() if w[:1].isupper()]
            for i in range(len(capitals)):
                for j in range(i + 2, min(i + 6, len(capitals)) + 1):
                    letters = "".join(w[0] for w in capitals[i:j])
                    found.setdefault(letters, Counter())[" ".join(capitals[i:j])] += 1
    return {letters: min(names, key=lambda n: (-names[n], n)) for letters, names in found.items()}


def spelled_out(acronym: str, texts: Iterable[str]) -> str | None:
    """The capitalised words of the documents whose initials the acronym is, the ones they use
    most; None if none (`initials`)."""
    return initials(texts).get(acronym)


def _quarter(match: re.Match[str], known: Container[str]) -> str:
    said = match.group(0)
    return said if said.lower() in known else f"{ORDINALS[int(match.group(1)) - 1]} quarter"


def _parted(match: re.Match[str], known: Container[str]) -> str:
    said = match.group(0)
    parts = said.split("-")
    return " ".join(parts) if said.lower() not in known and all(p.lower() in known for p in parts) else said


def written_out(text: str, known: Container[str], spelled: Callable[[str], str | None]) -> str:
    """The question with the short forms the documents lack (`known`: their lower-case words)
    written as they write them: an acronym as the name it abbreviates (`spelled`: the documents'
    `initials`), "Q3" as "third quarter", a hyphenated word as its words ("third-quarter": third
    quarter) when the documents use them."""
    for acronym in sorted(set(_ACRONYM.findall(text))):
        if acronym.lower() not in known and (phrase := spelled(acronym)) is not None:
            text = re.sub(rf"\b{acronym}\b", phrase, text)
    text = _QUARTER.sub(lambda m: _quarter(m, known), text)
    return _HYPHENATED.sub(lambda m: _parted(m, known), text)
