"""Who holds a role a sentence names its speaker or subject by ("The first lady said …")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive.names import not_a_person, placed
from assistant.extractive.speakers import People, SpeakerNote, full_names
from assistant.extractive.words import words
from assistant.splitting import Sentence

_OPENING = re.compile(r"[Tt]he(?:\s+[a-z]+){1,3}")  # "The first lady", "The harbor master said"
_CAPITALISED = re.compile(r"\b[A-Z][\w.’'-]*")


def role_holder(sentences: Sequence[Sentence], sentence: Sentence, people: People) -> SpeakerNote | None:
    """For a sentence that opens with a role one person of the document holds ("The first lady
    said …", "The first lady, who …, made …"): the role as written, who holds it as a sentence of
    the document names them with it ("First Lady Melania Trump"), and that sentence, the nearest."""
    opening = _OPENING.match(sentence.text)
    if opening is None:
        return None
    spoken = opening.group(0).split()
    mentions = [" ".join(spoken[:i]) for i in range(len(spoken), 1, -1)]
    mention = next((m for m in mentions if m.lower() in people.roles), None)  # the longest role
    if mention is None:
        return None
    role = mention.lower()
    holders = people.roles[role]
    if len(holders) > 1:  # held by two: the one who holds it with no word before it
        holders = people.plain.get(role, set())
    if len(holders) != 1:
        return None
    surname, titles = next(iter(holders)), role.removeprefix("the ")
    named = [
        (abs(sentence.index - other.index), other.index > sentence.index, full, other)
        for other in sentences
        for full, last, _ in full_names(other.text)
        if last == surname and titles in full.lower()
    ]
    if not named:
        return None
    *_, full, where = min(named, key=lambda n: n[:2])
    return mention, full, where


def asked_holder(question: str, sentence: Sentence, note: SpeakerNote) -> bool:
    """The question asks who holds the role the sentence gives (`note`, role_holder's): it names
    the role ("which first lady …") and not its holder, and the sentence names nobody else."""
    role = set(words(note[0].lower()))
    asked = {w.lower() for w in words(question)}
    if not (role - {"the"}) <= asked or ({w.lower() for w in words(note[1])} - role) & asked:
        return False
    where = {w.rstrip(".") for w in placed(sentence.text)} | role  # "in New York": a place
    # anyone else the sentence names ("… said that the U.S. verified …") may be the one asked
    named = [m.group(0) for m in _CAPITALISED.finditer(sentence.text) if m.start() > 0]
    return not any(w.lower().rstrip(".") not in where and not not_a_person(w) for w in named)
