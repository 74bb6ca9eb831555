"""The browser chat: a thin Gradio front end over `assistant.Assistant`.

    python app.py [--host HOST] [--port PORT]

Serves the chat at http://127.0.0.1:7860 by default, and an API endpoint `/ask`
(gradio_client: `client.predict(question, history, api_name="/ask")`) that returns
the Answer as JSON. The callbacks here only format and delegate: retrieval,
answering, citation checks, quote contexts and the Markdown transcript all live in
the `assistant` package; the page's style and script are the files in web/.
"""

from __future__ import annotations

import argparse
import html
import inspect
import logging
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import quote

# Telemetry off and the model hub offline before gradio is imported (it reads them at import).
from assistant import offline

offline.apply()

from assistant import (  # noqa: E402
    Answer,
    Assistant,
    AssistantError,
    BackendError,
    Citation,
    ConfigError,
    IndexStoreError,
    QuestionError,
    Settings,
    load_settings,
)
from assistant.markers import MARKER  # noqa: E402
from assistant.transcript import transcript  # noqa: E402

# isort: split
import gradio as gr  # noqa: E402
from gradio.events import api as gradio_api  # noqa: E402

log = logging.getLogger("app")

WEB = Path(__file__).resolve().parent / "web"
EXAMPLES = (
    "How many children were reunited?",
    "When did the first lady send her letter to Putin?",
    "What did Yale's Humanitarian Research Lab estimate?",
    "Who has been working directly with President Putin's team?",
)
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
API_LEAVES_OUT = frozenset({"passages"})  # the /ask JSON is the Answer without what retrieval returned


# ---------------------------------------------------------------- formatting: text to safe HTML


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


def answer_html(answer: Answer, turn: int) -> str:
    """The answer text with each [n] a link to its source in the panel; an abstention set apart."""
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


def citation_html(bot: Assistant, citation: Citation, turn: int) -> str:
    """One source: the quote highlighted inside its paragraph, with title and date."""
    context = bot.context(citation)
    return (
        f'<details class="src" id="src-{turn}-{citation.n}">'
        f'<summary><span class="n">{citation.n}</span>'
        f'<span class="title">{html.escape(citation.title or citation.source)}</span>'
        f'<span class="date">{html.escape(nice_date(citation.date))}</span>'
        f'<span class="preview">{html.escape(citation.quote)}</span></summary>'
        f'<p class="para">{text_html(context.before)}<mark>{text_html(context.quote)}</mark>'
        f"{text_html(context.after)}</p>"
        f'<div class="where">{html.escape(citation.source)} · characters {citation.start}–{citation.end}'
        "</div></details>"
    )


def sources_section(bot: Assistant, answer: Answer, question: str, turn: int) -> str:
    items = "".join(citation_html(bot, c, turn) for c in answer.citations)
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
        docs = ", ".join(
            f"“{html.escape(d.title)}” ({html.escape(nice_date(d.date.isoformat() if d.date else None))})"
            for d in bot.documents
        )
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


# ---------------------------------------------------------------- the chat's state and callbacks


@dataclass
class Conversation:
    """One browser session: the history sent to the API, what the chat shows, the sources panel."""

    history: list[dict[str, str]] = field(default_factory=list)
    shown: list[dict[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    turns: list[tuple[str, Answer]] = field(default_factory=list)
    unanswered: str | None = None  # the last question, when it was answered with an abstention
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


class Lazy:
    """The Assistant, built once; if building fails (a Chroma server down), the next question retries."""

    def __init__(self, factory: Callable[[], Assistant]) -> None:
        self._factory = factory
        self._bot: Assistant | None = None
        self._lock = threading.Lock()

    def get(self) -> Assistant:
        if self._bot is None:
            with self._lock:
                if self._bot is None:
                    self._bot = self._factory()
        return self._bot

    @property
    def ready(self) -> Assistant | None:
        return self._bot


def said(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def answer_type() -> type:
    """The /ask return type, field by field from Answer, for Gradio's "Use via API" page."""
    fields = {name: f.annotation for name, f in Answer.model_fields.items() if name not in API_LEAVES_OUT}
    described: type = TypedDict("Answer", fields)  # type: ignore[misc]
    return described


class ChatApp:
    """The callbacks: each formats for the page and delegates to the Assistant."""

    def __init__(self, settings: Settings, bots: Lazy, exports: Path) -> None:
        self.settings = settings
        self.bots = bots
        self.exports = exports

    def respond(self, message: str, conv: Conversation) -> Iterator[tuple[Any, ...]]:
        """Stream one answer (outputs: textbox, chat, sources panel, state, status line, download).

        An empty or over-long question only sets the status line and keeps the text; any
        failure becomes a readable assistant message, and the app goes on serving.
        """
        question = (message or "").strip()
        if not question or len(question) > self.settings.max_question_chars:
            problem = "Type a question about the announcement first."
            if question:
                problem = too_long(len(question), self.settings.max_question_chars)
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), status_html(problem), gr.skip()
            return
        shown = [*conv.shown, said("user", text_html(question)), said("assistant", streaming_html(""))]
        yield gr.update(value="", submit_btn="Answering…"), list(shown), gr.skip(), gr.skip(), "", gr.skip()
        idle = gr.update(submit_btn="Ask")
        text = ""
        try:
            bot = self.bots.get()
            response = bot.respond(question, conv.history)
            for delta in response:
                text += delta
                shown[-1] = said("assistant", streaming_html(text))
                yield gr.skip(), list(shown), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            conv = self.answered(bot, conv, shown, question, response.answer())
            yield (
                idle,
                conv.shown,
                sources_html(conv.sources, conv.unanswered, len(conv.turns)),
                conv,
                gr.skip(),
                gr.update(value=str(self.export(conv)), interactive=True),
            )
            return
        except Exception as exc:  # every failure becomes a message in the chat
            if isinstance(exc, AssistantError):
                log.warning("question not answered: %s", exc)
            else:
                log.exception("unexpected failure while answering")
            shown[-1] = said("assistant", error_html(exc))
        conv = replace(conv, shown=shown)
        yield idle, list(shown), gr.skip(), conv, gr.skip(), gr.skip()

    @staticmethod
    def answered(
        bot: Assistant, conv: Conversation, shown: list[dict[str, str]], question: str, answer: Answer
    ) -> Conversation:
        """The conversation after an answer: shown with its [n] links, its sources on top of the panel."""
        turn = len(conv.turns) + 1
        shown = [*shown[:-1], said("assistant", answer_html(answer, turn))]
        sources = list(conv.sources)
        if answer.citations:
            sources.insert(0, sources_section(bot, answer, question, turn))
        history = [*conv.history, said("user", question), said("assistant", answer.text)]
        kept = answer.model_copy(update={"passages": []})
        unanswered = question if answer.abstained and not answer.citations else None
        return Conversation(history, shown, sources, [*conv.turns, (question, kept)], unanswered, conv.id)

    def export(self, conv: Conversation) -> Path:
        """The conversation as Markdown, every quote with its file and offsets; one file per session."""
        path = self.exports / conv.id / "conversation.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(transcript(conv.turns, date.today()), encoding="utf-8")
        return path

    def ask(self, question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Answer one question (with optional earlier turns, messages format) as the Answer's JSON.

        Same answer and citations as `Assistant.ask`; `passages` is left out.
        """
        try:
            answer = self.bots.get().ask(question, history or [])
        except AssistantError as exc:
            raise gr.Error(": ".join(readable(exc)), print_exception=False) from None
        except Exception as exc:
            log.exception("unexpected failure while answering through the API")
            raise gr.Error(": ".join(readable(exc)), print_exception=False) from None
        return answer.model_dump(mode="json", exclude=set(API_LEAVES_OUT))

    def endpoint(self) -> Callable[..., dict[str, Any]]:
        """`ask` as the /ask endpoint, its return type spelled out field by field."""

        def ask(question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
            return self.ask(question, history)

        ask.__doc__ = ChatApp.ask.__doc__
        signature = inspect.signature(ask, eval_str=True)
        ask.__signature__ = signature.replace(return_annotation=answer_type())  # type: ignore[attr-defined]
        return ask

    def opened(self, request: gr.Request) -> tuple[str, Any]:
        """On page load: the header (the backend, once the assistant is up) and a ?q= question filled in."""
        asked = request.query_params.get("q", "") if request is not None else ""
        header = header_html(self.settings, self.bots.ready)
        return header, (asked.strip() if asked.strip() else gr.skip())

    @staticmethod
    def new_conversation() -> tuple[Any, ...]:
        return "", [], sources_html([]), Conversation(), "", gr.update(value=None, interactive=False)

    @staticmethod
    def example(evt: gr.SelectData) -> str:
        value = evt.value
        return str(value.get("text", "")) if isinstance(value, dict) else str(value)


# ---------------------------------------------------------------- layout

THEME = gr.themes.Soft(
    primary_hue="indigo",
    neutral_hue="slate",
    font=(gr.themes.LocalFont("IBM Plex Sans", weights=(400, 600, 700)), "ui-sans-serif", "sans-serif"),
)


def page_head() -> str:
    """The page's script (web/chat.js), for the <head>."""
    return f"<script>\n{(WEB / 'chat.js').read_text(encoding='utf-8')}\n</script>"


def build(settings: Settings, bots: Lazy, exports: Path) -> gr.Blocks:
    chat = ChatApp(settings, bots, exports)
    demo = gr.Blocks(title="Announcement assistant", analytics_enabled=False, delete_cache=(3600, 3600))
    with demo:
        state = gr.State(Conversation())
        header = gr.HTML(header_html(settings, bots.ready), elem_id="header", js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    show_label=False,
                    height=560,
                    render_markdown=False,
                    sanitize_html=True,
                    allow_tags=False,
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=[],  # a copy button would copy the HTML markup, not the text
                    group_consecutive_messages=False,
                    placeholder="<b>Ask about the announcement</b><br>or start with one of these:",
                    examples=[{"text": q} for q in EXAMPLES],
                )
                box = gr.Textbox(
                    elem_id="question",
                    show_label=False,
                    placeholder="Ask a question about the announcement…",
                    autofocus=False,  # web/chat.js focuses it on wide screens; a phone opens at the title
                    submit_btn="Ask",
                )
                gr.HTML(
                    '<div class="count" aria-live="polite"></div>', elem_id="question-count", padding=False
                )
                status = gr.HTML("", elem_id="status", padding=False)
                with gr.Row():
                    new = gr.Button("New conversation", elem_id="new-chat", variant="secondary", scale=0)
                    download = gr.DownloadButton(
                        "Download conversation (Markdown)",
                        value=None,
                        interactive=False,
                        elem_id="download",
                        variant="secondary",
                        scale=0,
                    )
            with gr.Column(scale=2, min_width=320):
                panel = gr.HTML(sources_html([]), elem_id="sources", js_on_load=None)

        outputs = [box, chatbot, panel, state, status, download]
        private: dict[str, Any] = {"api_visibility": "private"}
        answering: dict[str, Any] = {"concurrency_id": "answer", **private}
        box.submit(chat.respond, [box, state], outputs, **answering)
        chatbot.example_select(chat.example, None, box, queue=False, **private).then(
            chat.respond, [box, state], outputs, **answering
        )
        new.click(chat.new_conversation, None, outputs, queue=False, **private)
        chatbot.clear(chat.new_conversation, None, outputs, queue=False, **private)
        demo.load(chat.opened, None, [header, box], queue=False, **private)
        gradio_api(chat.endpoint(), api_name="ask", concurrency_id="answer")
    demo.queue(default_concurrency_limit=settings.chat_concurrency)  # at most this many answers at once
    return demo


def parse_args(argv: Sequence[str] | None, settings: Settings) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="The announcement assistant's browser chat and /ask API.",
        epilog="Where it listens: --host/--port, else ASSISTANT_HOST/ASSISTANT_PORT, else "
        "GRADIO_SERVER_NAME/GRADIO_SERVER_PORT, else 127.0.0.1:7860.",
    )
    p.add_argument("--host", default=settings.chat_host, help=f"interface to bind (now {settings.chat_host})")
    p.add_argument(
        "--port", type=int, default=settings.chat_port, help=f"TCP port (now {settings.chat_port})"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log what the assistant does")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args = parse_args(argv, settings)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    bots = Lazy(lambda: Assistant(settings))
    try:
        bots.get()
    except AssistantError as exc:
        print(f"error: {exc}\nThe chat starts anyway and shows this until it is fixed.", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="assistant-chat-") as exports:
        demo = build(settings, bots, Path(exports))
        try:
            _, url, _ = demo.launch(
                server_name=args.host,
                server_port=args.port,
                theme=THEME,
                css_paths=[WEB / "chat.css"],
                head=page_head(),
                footer_links=["api"],
                show_error=False,
                ssr_mode=False,
                mcp_server=False,
                enable_monitoring=False,
                run_history=False,
                share=False,
                quiet=True,
                prevent_thread_lock=True,
            )
        except OSError as exc:
            print(
                f"error: cannot listen on {args.host}:{args.port} ({exc}): "
                "choose another port with --port or ASSISTANT_PORT",
                file=sys.stderr,
            )
            return 2
        backend = bots.ready.backend.describe() if bots.ready is not None else settings.backend
        print(f"Chat on {url} (backend {backend}); API: /ask (gradio_client)", flush=True)
        demo.block_thread()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
