"""The prompts: templates from assistant/prompts/, the numbered sources, the condense history.

Sources are the sentences of the retrieved passages, in rank order and deduplicated,
numbered [1]..[m] and shown grouped by passage: a marker [n] in the reply therefore
points at exactly one sentence, an exact span of a seed file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from openai.types.chat import ChatCompletionMessageParam

from assistant.corpus import Corpus
from assistant.markers import MAX_MARKER, strip_markers
from assistant.normalise import one_line
from assistant.splitting import Sentence
from assistant.types import Message, Passage

MAX_SOURCES = MAX_MARKER
HISTORY_TURNS = 6  # turns of the conversation shown to the condense prompt
HISTORY_TURN_CHARS = 600
NO_SOURCES = "(no sources were found for this question)"


@lru_cache(maxsize=8)
def prompt(name: str) -> str:
    """A prompt template from assistant/prompts/<name>.txt."""
    return resources.files("assistant").joinpath("prompts", f"{name}.txt").read_text(encoding="utf-8")


def render(name: str, **values: str) -> str:
    """The template with each {field} replaced in one pass (values may hold braces)."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), prompt(name)).strip()


def _passage_header(corpus: Corpus, passage: Passage, number: int) -> str:
    doc = corpus.documents.get(passage.source)
    about = f"{doc.title}, {doc.date.isoformat()}" if doc and doc.date else (doc.title if doc else "")
    return f"Passage {number} (from “{about}”):" if about else f"Passage {number}:"


def number_sources(corpus: Corpus, passages: Sequence[Passage]) -> tuple[list[Sentence], str]:
    """The sentences of the passages, numbered from 1 in rank order, and the prompt text for them."""
    numbered: list[Sentence] = []
    seen: set[tuple[str, int]] = set()
    blocks: list[str] = []
    for passage in passages:
        lines: list[str] = []
        for sentence in corpus.sentences_in(passage):
            key = (sentence.source, sentence.index)
            if key in seen or len(numbered) >= MAX_SOURCES:
                continue
            seen.add(key)
            numbered.append(sentence)
            lines.append(f"[{len(numbered)}] {one_line(sentence.text)}")
        if lines:
            blocks.append("\n".join([_passage_header(corpus, passage, len(blocks) + 1), *lines]))
    return numbered, "\n\n".join(blocks) if blocks else NO_SOURCES


def answer_messages(sources: str, question: str) -> list[ChatCompletionMessageParam]:
    """The answer request: the rules, then the numbered sources and the standalone question."""
    return [
        {"role": "system", "content": prompt("answer_system").strip()},
        {"role": "user", "content": render("answer_user", sources=sources, question=question)},
    ]


def _turn(turn: Message) -> str:
    content = one_line(strip_markers(turn.content))
    if len(content) > HISTORY_TURN_CHARS:
        content = content[:HISTORY_TURN_CHARS].rsplit(" ", 1)[0] + " …"
    return f"{'User' if turn.role == 'user' else 'Assistant'}: {content}"


def condense_messages(question: str, history: Sequence[Message]) -> list[ChatCompletionMessageParam]:
    """The condense request: the last turns of the conversation (markers out, long turns cut)."""
    turns = [_turn(turn) for turn in list(history)[-HISTORY_TURNS:]]
    return [
        {"role": "system", "content": prompt("condense_system").strip()},
        {"role": "user", "content": render("condense_user", history="\n".join(turns), question=question)},
    ]
