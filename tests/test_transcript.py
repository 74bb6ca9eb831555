"""A quote in its paragraph (Assistant.context) and the conversation as Markdown (transcript)."""

from __future__ import annotations

import re

from conftest import SEEDS

from assistant import Assistant
from assistant.transcript import transcript

SOURCE_LINE = re.compile(r"^\[(\d+)\] `([^`]+)`, characters (\d+)–(\d+)")


def quotes_in(markdown: str) -> list[tuple[str, int, int, str]]:
    """(file, start, end, quote) for every source in a transcript, the quote read back from its "> " lines."""
    found: list[tuple[str, int, int, str]] = []
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        match = SOURCE_LINE.match(line)
        if not match:
            continue
        quoted = []
        for following in lines[i + 1 :]:
            if not following.startswith(">"):
                break
            quoted.append(following[2:])
        found.append((match.group(2), int(match.group(3)), int(match.group(4)), "\n".join(quoted)))
    return found


def test_context_is_the_quote_inside_its_paragraph(bot: Assistant) -> None:
    citations = [
        c
        for q in (
            "How many children were reunited?",
            "Who has been working directly with President Putin's team?",
        )
        for c in bot.ask(q).citations
    ]
    widened = 0
    for citation in citations:
        context = bot.context(citation)
        text = (SEEDS / citation.source).read_text(encoding="utf-8")
        assert context.quote == citation.quote
        assert context.before + context.quote + context.after == text[context.start : context.end]
        assert context.start <= citation.start < citation.end <= context.end
        assert "\n\n" not in text[context.start : context.end], "more than one paragraph"
        widened += bool(context.before or context.after)
    assert widened, "no quote was shown with the rest of its paragraph"


def test_transcript_holds_every_quote_with_its_file_and_offsets(bot: Assistant) -> None:
    asked = [
        "How many children were reunited?",
        "Who has been working directly with President Putin's team?",
        "What is the capital of France?",
    ]
    turns = [(q, bot.ask(q)) for q in asked]
    markdown = transcript(turns)
    for i, question in enumerate(asked, start=1):
        assert f"## {i}. {question}" in markdown
    cited = [(c.source, c.start, c.end, c.quote) for _, answer in turns for c in answer.citations]
    assert len(cited) >= 2
    found = quotes_in(markdown)
    assert found == cited
    for source, start, end, quote in found:
        assert (SEEDS / source).read_text(encoding="utf-8")[start:end] == quote
    assert turns[2][1].abstained
    assert "Not answered from the announcement" in markdown
