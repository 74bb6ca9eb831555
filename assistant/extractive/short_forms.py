"""A question's short forms read as the documents write them out.

People shorten what a news text writes in full: "Rocky Mountain NP" for its National Park,
"Q3 revenue" for the third quarter's, "third-quarter" for "third quarter". A short form the
documents never use is read as the words they do use for it, when they have them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable

# an acronym of the question: two to six capitals ("NP", "NCMM"), with no other letter
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# names of several capitalised words in the documents, little words between them ("National
# Commission for Museums and Monuments")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:(?:of|for|and|the|on|de)\s+)?[A-Z][\w’'-]*)+")
_QUARTER = re.compile(r"\bQ([1-4])\b", re.I)
_ORDINALS = ("first", "second", "third", "fourth")
_HYPHENATED = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")


def spelled_out(acronym: str, texts: Iterable[str]) -> str | None:
    """The capitalised words of the documents whose initials the acronym is ("NP": "National
    Park", from "Rocky Mountain National Park"), the one they use most; None if none."""
    found: Counter[str] = Counter()
    for text in texts:
        for match in _CAPITALISED_RUN.finditer(text):
            capitals = [w for w in match.group(0).split() if w[:1].isupper()]
            for i in range(len(capitals)):
                for j in range(i + 2, len(capitals) + 1):
                    if "".join(w[0] for w in capitals[i:j]) == acronym:
                        found[" ".join(capitals[i:j])] += 1
    if not found:
        return None
    return min(found, key=lambda phrase: (-found[phrase], phrase))


def written_out(text: str, known: Container[str], texts: list[str]) -> str:
    """The question with the short forms the documents lack (`known`: their lower-case words)
    written as they write them: an acronym as the name it abbreviates, "Q3" as "third quarter", a
    hyphenated word as its words ("third-quarter": third quarter) when the documents use them."""
    for acronym in sorted(set(_ACRONYM.findall(text))):
        if acronym.lower() not in known and (phrase := spelled_out(acronym, texts)) is not None:
            text = re.sub(rf"\b{acronym}\b", phrase, text)
    text = _QUARTER.sub(
        lambda m: m.group(0) if m.group(0).lower() in known else f"{_ORDINALS[int(m.group(1)) - 1]} quarter",
        text,
    )
    return _HYPHENATED.sub(
        lambda m: (
            m.group(0)
            if m.group(0).lower() in known or not all(p.lower() in known for p in m.group(0).split("-"))
            else m.group(0).replace("-", " ")
        ),
        text,
    )
