"""The chat's HTML: answers, sources, notices and the header, every user or document text escaped.

The browser chat (app.py) shows what these return; nothing here talks to Gradio.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from urllib.parse import quote

from assistant.api import Assistant
from assistant.config import Settings
from assistant.documents import Document
from assistant.errors import AssistantError, BackendError, IndexStoreError, QuestionError
from assistant.markers import MARKER
from assistant.types import Answer, Citation

REASONS = {
    "not_in_document": "Not in the announcement",
    "out_of_scope": "Outside the announcement",
    "refused_instruction": "Declined: only questions about the announcement",
}
BACKEND_NOTES = {
    "extractive": "answers are quoted verbatim, not written by a model",
    "openai": "a model writes the answers from the retrieved sentences; check each [n] against its source",
}
SOURCES_PLACEHOLDER = (
    '<div class="sources-empty"><p>Each answer cites the sentences it comes from. '
    'Click a <span class="cite">[1]</span> marker to read the quoted sentence, highlighted in its '
    "paragraph, with the document's title and date.</p></div>"
)


def text_html(text: str) -> str:
    """User or document text, shown as text: escaped, line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def readable(exc: BaseException) -> tuple[str, str]:
    """A headline and a sentence for an error, both meant for a reader."""
    message = str(exc).strip() or type(exc).__name__
    if message.split(" ", 1)[0].isalpha():
        message = message[0].upper() + message[1:]
    if not message.endswith((".", "!", "?")):
        message += "."
    if isinstance(exc, QuestionError):
        return "Please check your question", message
    if isinstance(exc, BackendError):
        return "The answer service failed", message + " Other questions may work; try again in a moment."
    if isinstance(exc, IndexStoreError):
        return "The document index is unreachable", message + " Try again once it is back."
    if isinstance(exc, AssistantError):
        return "The assistant is not ready", message
    return "Something went wrong", "The error was logged on the server; please try again."


def error_html(exc: BaseException) -> str:
    headline, message = readable(exc)
    return (
        f'<div class="notice"><div class="notice-title">{html.escape(headline)}</div>'
        f"<div>{text_html(message)}</div></div>"
    )


def status_html(message: str) -> str:
    """A notice under the question box (replaced, never stacked)."""
    return f'<div class="status-msg" role="alert">{html.escape(message)}</div>' if message else ""


def answer_html(answer: Answer, turn: int, limited_to: Sequence[str] = ()) -> str:
    """The answer text with each [n] a link to its source in the panel; an abstention set apart.

    `limited_to`: the documents (as shown in the picker) the question was limited to, if any.
    """
    cited = {c.n for c in answer.citations}
    parts: list[str] = []
    last = 0
    for match in MARKER.finditer(answer.text):
        parts.append(text_html(answer.text[last : match.start()]))
        n = int(match.group(1))
        if n in cited:
            parts.append(f'<a class="cite" href="#src-{turn}-{n}" title="Show source {n}">[{n}]</a>')
        else:
            parts.append(html.escape(match.group(0)))
        last = match.end()
    parts.append(text_html(answer.text[last:]))
    body = f'<div class="answer">{"".join(parts)}</div>'
    if answer.unsupported:
        body += (
            '<div class="note">Not found in the cited quotes: '
            f"{html.escape(', '.join(answer.unsupported))}</div>"
        )
    if answer.incomplete:
        body += '<div class="note">Cut off: the reply stopped before it ended, so this is not the whole answer.</div>'
    if limited_to:
        body += f'<div class="note limit">Searched only: {html.escape("; ".join(limited_to))}</div>'
    if not answer.abstained:
        return body
    chip = f'<div class="chip">{html.escape(REASONS.get(answer.reason or "", answer.reason or ""))}</div>'
    return (
        '<div class="abstention" role="note">'
        '<div class="abstention-title">No answer from the announcement</div>'
        f"{body}{chip if answer.reason else ''}</div>"
    )


def streaming_html(text: str) -> str:
    if not text:
        return '<div class="pending">Reading the announcement…</div>'
    return f'<div class="answer">{text_html(text)}<span class="caret"></span></div>'


def nice_date(value: str | None) -> str:
    if not value:
        return "undated"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day:%B} {day.day}, {day.year}"


def document_date(document: Document) -> str:
    return nice_date(document.date.isoformat() if document.date else None)


def document_label(document: Document) -> str:
    """How the document picker names a document: its title and date."""
    return f"{document.title} ({document_date(document)})"


def document_choices(documents: Sequence[Document]) -> list[tuple[str, str]]:
    """(label, file name) for each document; two documents of the same title and date also show the file."""
    labels = [document_label(d) for d in documents]
    return [
        (f"{label} · {d.source}" if labels.count(label) > 1 else label, d.source)
        for label, d in zip(labels, documents, strict=True)
    ]


def quote_html(citation: Citation, short: Citation | None) -> str:
    """The quote, with the short answer inside it in bold when the answer opens with one from it."""
    if short is None or short.n != citation.n or not citation.encloses(short):
        return text_html(citation.quote)
    a, b = short.start - citation.start, short.end - citation.start
    q = citation.quote
    return f'{text_html(q[:a])}<strong class="short">{text_html(q[a:b])}</strong>{text_html(q[b:])}'


def citation_html(bot: Assistant, citation: Citation, turn: int, short: Citation | None = None) -> str:
    """One source: the quote highlighted inside its paragraph (the short answer in bold), with title and date."""
    context = bot.context(citation)
    return (
        f'<details class="src" id="src-{turn}-{citation.n}">'
        f'<summary><span class="n">{citation.n}</span>'
        f'<span class="title">{html.escape(citation.title or citation.source)}</span>'
        f'<span class="date">{html.escape(nice_date(citation.date))}</span>'
        f'<span class="preview">{html.escape(citation.quote)}</span></summary>'
        f'<p class="para">{text_html(context.before)}<mark>{quote_html(citation, short)}</mark>'
        f"{text_html(context.after)}</p>"
        f'<div class="where">{html.escape(citation.source)} · characters {citation.start}–{citation.end}'
        "</div></details>"
    )


def sources_section(bot: Assistant, answer: Answer, question: str, turn: int) -> str:
    items = "".join(citation_html(bot, c, turn, answer.short) for c in answer.citations)
    link = html.escape("?q=" + quote(question, safe=""))
    return (
        f'<section class="turn" id="turn-{turn}"><div class="turn-q"><span class="q">{html.escape(question)}'
        f'</span><a class="share" href="{link}" title="A link that opens the chat with this question">'
        f"Link</a></div>{items}</section>"
    )


def sources_html(sections: Sequence[str], unanswered: str | None = None, turns: int = 0) -> str:
    """The panel: newest sources first; after an abstention, a note on top and the older ones dimmed.

    `turns` (answers so far) tells the page's script that the panel changed, to show it from the top.
    """
    body = "".join(sections) if sections else ("" if unanswered else SOURCES_PLACEHOLDER)
    note = ""
    if unanswered is not None:
        note = (
            '<div class="no-sources" role="note">No sources for “'
            f"{html.escape(unanswered)}”: the announcement doesn't say."
            f"{' Sources of earlier answers are below.' if sections else ''}</div>"
        )
        body = f'<div class="earlier">{body}</div>' if sections else ""
    return (
        '<div class="panel-title">Sources</div>'
        f'<div class="sources-scroll" data-version="{turns}">{note}{body}</div>'
    )


def header_html(settings: Settings, bot: Assistant | None) -> str:
    """Title, what it answers about, and the backend (its server URL redacted by the backend)."""
    docs = ""
    if bot is not None:
        docs = ", ".join(f"“{html.escape(d.title)}” ({html.escape(document_date(d))})" for d in bot.documents)
        docs = f" about {docs}"
    backend = bot.backend.describe() if bot is not None else settings.backend
    note = BACKEND_NOTES.get(settings.backend, "")
    return (
        f'<div class="hero" data-max-question="{settings.max_question_chars}"><h1>Announcement assistant</h1>'
        f"<p>Ask questions{docs}. Every answer cites the sentences it comes from; when the "
        "announcement doesn't say, it tells you so.</p>"
        f'<div class="backend">Backend: <b>{html.escape(backend)}</b>'
        f"{' — ' + html.escape(note) if note else ''}</div></div>"
    )


def too_long(length: int, limit: int) -> str:
    return (
        f"This question is {length:,} characters long, and the assistant reads at most {limit:,}. "
        "Shorten it and press Ask again: your text is still in the box."
    )
