"""Reasoning blocks: `<think>…</think>` (and `<thinking>…</thinking>`) taken out of a reply as it streams.

Reasoning models (DeepSeek-R1, Qwen3, their distillations) served by Ollama or llama.cpp
write their reasoning into the content inside such a block. It is neither shown nor read
for citations: a marker inside it cites nothing. Text that may be the start of a tag is
held back until it is clear; a block that never closes hides the rest of the reply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_OPEN = re.compile(r"<(think|thinking|reasoning)>", re.IGNORECASE)
_TAGS = ("<think>", "<thinking>", "<reasoning>", "</think>", "</thinking>", "</reasoning>")


def _partial_tag_at_end(text: str) -> int:
    """Where a possible start of a tag begins at the end of text (len(text) when none)."""
    start = text.rfind("<")
    if start == -1:
        return len(text)
    tail = text[start:].lower()
    return start if any(tag.startswith(tail) for tag in _TAGS) else len(text)


def without_thinking(deltas: Iterable[str]) -> Iterator[str]:
    """The deltas with every reasoning block removed, however the stream is cut."""
    pending = ""
    inside: str | None = None  # the name of the open block
    for delta in deltas:
        pending += delta
        while True:
            if inside is None:
                match = _OPEN.search(pending)
                if match:
                    if match.start():
                        yield pending[: match.start()]
                    inside, pending = match.group(1).lower(), pending[match.end() :]
                    continue
                cut = _partial_tag_at_end(pending)
                if cut:
                    yield pending[:cut]
                pending = pending[cut:]
                break
            close = re.search(rf"</{inside}>", pending, re.IGNORECASE)
            if close is None:
                pending = pending[_partial_tag_at_end(pending) :]  # keep only what may start the tag
                break
            inside, pending = None, pending[close.end() :]
    if inside is None and pending:
        yield pending
