"""A conversation as Markdown: each question, its answer, and every quote with its file and offsets.

The quotes are written as they are in the seed file, so that a reader (or a script) can check
each one: `seeds/<file>[start:end] == quote`. A source line reads

    [1] `<file>`, characters <start>–<end> · <title>, <date>

and the quote follows it, each of its lines prefixed with "> ". A question that was limited
to some documents says so under its heading: *Asked about `<file>`, `<file>` only.*
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assistant.types import Answer, Citation

TITLE = "# Questions about the announcement"


def transcript(
    turns: Sequence[tuple[str, Answer]],
    when: date | None = None,
    limits: Sequence[Sequence[str]] = (),
) -> str:
    """Markdown for the (question, answer) turns of one conversation, in the order asked.

    `limits[i]`: the seed files turn i was limited to (none, or no entry: all documents).
    """
    lines = [TITLE, ""]
    if when is not None:
        lines += [
            f"Saved on {when.isoformat()}. Each quote is the seed file's text at the offsets given.",
            "",
        ]
    for i, (question, answer) in enumerate(turns, start=1):
        lines += [f"## {i}. {_one_line(question)}", ""]
        limit = limits[i - 1] if i <= len(limits) else ()
        if limit:
            lines += [f"*Asked about {', '.join(f'`{source}`' for source in limit)} only.*", ""]
        lines += [answer.text.strip() or "(no answer)", ""]
        if answer.abstained:
            lines += [f"*Not answered from the announcement ({answer.reason or 'abstained'}).*", ""]
        for citation in answer.citations:
            lines += [*_source(citation), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _source(citation: Citation) -> list[str]:
    about = ", ".join(part for part in (citation.title, citation.date) if part)
    head = f"[{citation.n}] `{citation.source}`, characters {citation.start}–{citation.end}"
    return [head + (f" · {about}" if about else ""), *(f"> {line}" for line in citation.quote.split("\n"))]


def _one_line(text: str) -> str:
    return " ".join(text.split())
