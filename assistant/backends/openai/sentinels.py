"""Sentinels: the reply lines that mean "no answer", and the sentence a reader gets instead.

The prompt asks for `NOT_IN_SOURCES: ...`, `OUT_OF_SCOPE: ...` or `REFUSED: ...` when there
is no answer to give. The first characters of a reply are held back until it is clear
whether it starts with one (sentinel_of answers None while it cannot tell); if it does,
nothing of the reply is shown and the Answer abstains with the sentinel's reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from assistant.markers import strip_markers
from assistant.messages import ABSTENTION_TEXT, NOT_IN_DOCUMENT_TEXT, doesnt_say
from assistant.normalise import one_line
from assistant.types import AbstainReason

NOT_IN_SOURCES = "NOT_IN_SOURCES"
OUT_OF_SCOPE = "OUT_OF_SCOPE"
REFUSED = "REFUSED"
SENTINELS: dict[str, AbstainReason] = {
    NOT_IN_SOURCES: "not_in_document",
    OUT_OF_SCOPE: "out_of_scope",
    REFUSED: "refused_instruction",
}
LEAD = " \t\r\n*_`\"'>#"  # markdown and quotes a model may put before a sentinel
ABSTAIN_TEXT_CHARS = 300


def _canonical(text: str) -> str:
    return re.sub(r"[\s_\-]+", "_", text.lstrip(LEAD)[:40].upper())


def sentinel_of(head: str, final: bool = False) -> str | None:
    """The sentinel the reply starts with, "" when it starts with none, None while it can't tell yet."""
    canonical = _canonical(head)
    for name in SENTINELS:
        if canonical.startswith(name):
            return name
    if not final and (not canonical or any(name.startswith(canonical) for name in SENTINELS)):
        return None
    return ""


def abstention_text(sentinel: str, reply: str) -> str:
    """A readable sentence for an abstention; the sentinel itself is never part of it."""
    if sentinel != NOT_IN_SOURCES:
        return ABSTENTION_TEXT[SENTINELS[sentinel]]
    rest = reply.lstrip(LEAD)
    rest = re.sub(r"^NOT[\s_\-]*IN[\s_\-]*SOURCES", "", rest, count=1, flags=re.IGNORECASE)
    rest = rest.lstrip("*_`:;.- \t")
    first_line = rest.strip().split("\n", 1)[0] if rest.strip() else ""
    why = one_line(strip_markers(first_line).replace("**", "").replace("`", "")).strip(" \"'")
    if not why:
        return NOT_IN_DOCUMENT_TEXT
    if len(why) > ABSTAIN_TEXT_CHARS:
        why = why[:ABSTAIN_TEXT_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    if not re.match(r"(the|this) (announcement|document|source|text)s?\b", why, re.IGNORECASE):
        why = doesnt_say(why)
    return why if why[-1] in ".!?…" else why + "."


class SentinelGate:
    """Holds the start of a reply back until it is clear whether it opens with a sentinel.

    `release(deltas)` yields the reply once it is known to be an answer (the held-back
    start first, leading space trimmed) and nothing if it is a sentinel line; afterwards
    `sentinel` names the sentinel ("" for an answer) and `head` holds the sentinel reply.
    """

    def __init__(self) -> None:
        self.head = ""
        self.sentinel = ""

    def release(self, deltas: Iterable[str]) -> Iterator[str]:
        state: Literal["undecided", "answer", "abstain"] = "undecided"
        for delta in deltas:
            if state == "undecided":
                self.head += delta
                found = sentinel_of(self.head)
                if found is None:
                    continue
                if found:
                    state, self.sentinel = "abstain", found
                    continue
                state, delta = "answer", self.head.lstrip()
            if state == "abstain":
                self.head += delta
                continue
            yield delta
        if state == "undecided":
            found = sentinel_of(self.head, final=True) if self.head.strip() else ""
            if found:
                self.sentinel = found
            else:
                yield self.head.lstrip()
