"""The browser chat: a thin Gradio front end over `assistant.Assistant`.

    python app.py [--host HOST] [--port PORT]

Serves the chat at http://127.0.0.1:7860 by default, and an API endpoint `/ask`
(gradio_client: `client.predict(question, history, api_name="/ask")`) that returns
the Answer as JSON. The callbacks here only format and delegate: retrieval,
answering and citation checks all live in the `assistant` package.
"""

from __future__ import annotations

import argparse
import html
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

# The package goes first: importing it turns telemetry off and the model hub offline.
from assistant import (
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

# isort: split
import gradio as gr
from gradio.events import api as gradio_api
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger("app")

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
SOURCES_PLACEHOLDER = (
    '<div class="sources-empty"><p>Each answer cites the sentences it comes from. '
    'Click a <span class="cite">[1]</span> marker to read the quoted sentence, highlighted in its '
    "paragraph, with the document's title and date.</p></div>"
)
_MARKER = re.compile(r"\[(\d+)\]")


class ServerSettings(BaseSettings):
    """Where the chat listens and how many questions it answers at once (environment or .env)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    host: str = Field("127.0.0.1", validation_alias="ASSISTANT_HOST", description="Interface to bind.")
    port: int = Field(7860, ge=1, le=65535, validation_alias="ASSISTANT_PORT", description="TCP port.")
    concurrency: int = Field(
        4, ge=1, le=64, validation_alias="ASSISTANT_CONCURRENCY", description="Questions answered at once."
    )


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


def user_html(question: str, limit: int = 600) -> str:
    shown = question if len(question) <= limit else question[:limit] + f"… ({len(question)} characters)"
    return text_html(shown)


def answer_html(answer: Answer, turn: int) -> str:
    """The answer text with each [n] a link to its source in the panel."""
    cited = {c.n for c in answer.citations}
    parts: list[str] = []
    last = 0
    for match in _MARKER.finditer(answer.text):
        parts.append(text_html(answer.text[last : match.start()]))
        n = int(match.group(1))
        if n in cited:
            parts.append(f'<a class="cite" href="#src-{turn}-{n}" title="Show source {n}">[{n}]</a>')
        else:
            parts.append(html.escape(match.group(0)))
        last = match.end()
    parts.append(text_html(answer.text[last:]))
    body = f'<div class="answer">{"".join(parts)}</div>'
    if answer.abstained and answer.reason:
        body += f'<div class="chip">{html.escape(REASONS.get(answer.reason, answer.reason))}</div>'
    if answer.unsupported:
        body += (
            '<div class="note">Not found in the cited quotes: '
            f"{html.escape(', '.join(answer.unsupported))}</div>"
        )
    return body


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
    doc = bot.corpus.documents.get(citation.source)
    start, end = citation.start, citation.end
    if doc is not None:
        sentence = bot.corpus.sentence_at(citation.source, citation.start)
        if sentence is not None:
            p_start, p_end = bot.corpus.paragraph(sentence)
            start, end = min(start, p_start), max(end, p_end)
        before, after = doc.text[start : citation.start], doc.text[citation.end : end]
    else:
        before = after = ""
    return (
        f'<details class="src" id="src-{turn}-{citation.n}">'
        f'<summary><span class="n">{citation.n}</span>'
        f'<span class="title">{html.escape(citation.title or citation.source)}</span>'
        f'<span class="date">{html.escape(nice_date(citation.date))}</span>'
        f'<span class="preview">{html.escape(citation.quote)}</span></summary>'
        f'<p class="para">{text_html(before)}<mark>{text_html(citation.quote)}</mark>{text_html(after)}</p>'
        f'<div class="where">{html.escape(citation.source)} · characters {citation.start}–{citation.end}'
        "</div></details>"
    )


def sources_section(bot: Assistant, answer: Answer, question: str, turn: int) -> str:
    items = "".join(citation_html(bot, c, turn) for c in answer.citations)
    return (
        f'<section class="turn" id="turn-{turn}"><div class="turn-q">{html.escape(question)}</div>'
        f"{items}</section>"
    )


def sources_html(sections: Sequence[str]) -> str:
    body = "".join(sections) if sections else SOURCES_PLACEHOLDER
    return f'<div class="panel-title">Sources</div>{body}'


def backend_html(settings: Settings) -> str:
    if settings.backend == "openai":
        server = settings.openai_base_url or "api.openai.com"
        what = (
            f"<b>openai</b> · model <code>{html.escape(settings.model)}</code> at "
            f"<code>{html.escape(server)}</code> — answers are written by a model from the retrieved "
            "sentences; check each [n] against its source"
        )
    else:
        what = (
            "<b>extractive</b> (offline) — answers are sentences quoted verbatim from the announcement, "
            "not written by a model"
        )
    return f'<div class="backend">Backend: {what}</div>'


def header_html(settings: Settings, bot: Assistant | None) -> str:
    docs = ""
    if bot is not None:
        docs = ", ".join(
            f"“{html.escape(d.title)}” ({html.escape(nice_date(d.date.isoformat() if d.date else None))})"
            for d in bot.corpus.documents.values()
        )
        docs = f" about {docs}"
    return (
        '<div class="hero"><h1>Announcement assistant</h1>'
        f"<p>Ask questions{docs}. Every answer cites the sentences it comes from; when the "
        "announcement doesn't say, it tells you so.</p>"
        f"{backend_html(settings)}</div>"
    )


# ---------------------------------------------------------------- the chat's state and callbacks


@dataclass
class Conversation:
    """One browser session: the history sent to the API, what the chat shows, the sources panel."""

    history: list[dict[str, str]] = field(default_factory=list)
    shown: list[dict[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    turns: int = 0


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


class ChatApp:
    """The callbacks: each formats for the page and delegates to the Assistant."""

    def __init__(self, settings: Settings, bots: Lazy) -> None:
        self.settings = settings
        self.bots = bots

    def respond(self, message: str, conv: Conversation) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat (textbox, chat, sources panel, state).

        Any failure becomes a readable assistant message; the app goes on serving.
        """
        question = (message or "").strip()
        shown = [*conv.shown, said("user", user_html(question))] if question else list(conv.shown)
        shown.append(said("assistant", streaming_html("")))
        yield "", list(shown), gr.skip(), gr.skip()
        text = ""
        try:
            bot = self.bots.get()
            response = bot.respond(question, conv.history)
            for delta in response:
                text += delta
                shown[-1] = said("assistant", streaming_html(text))
                yield "", list(shown), gr.skip(), gr.skip()
            conv = self.answered(bot, conv, shown, question, response.answer())
            yield "", conv.shown, sources_html(conv.sources), conv
            return
        except Exception as exc:  # every failure becomes a message in the chat
            if isinstance(exc, AssistantError):
                log.warning("question not answered: %s", exc)
            else:
                log.exception("unexpected failure while answering")
            shown[-1] = said("assistant", error_html(exc))
        conv = replace(conv, shown=shown)
        yield "", list(shown), gr.skip(), conv

    @staticmethod
    def answered(
        bot: Assistant, conv: Conversation, shown: list[dict[str, str]], question: str, answer: Answer
    ) -> Conversation:
        """The conversation after an answer: shown with its [n] links, its sources on top of the panel."""
        turn = conv.turns + 1
        shown = [*shown[:-1], said("assistant", answer_html(answer, turn))]
        sources = list(conv.sources)
        if answer.citations:
            sources.insert(0, sources_section(bot, answer, question, turn))
        history = [*conv.history, said("user", question), said("assistant", answer.text)]
        return Conversation(history, shown, sources, turn)

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
        return answer.model_dump(mode="json", exclude={"passages"})

    @staticmethod
    def new_conversation() -> tuple[str, list[dict[str, str]], str, Conversation]:
        return "", [], sources_html([]), Conversation()

    @staticmethod
    def example(evt: gr.SelectData) -> str:
        value = evt.value
        return str(value.get("text", "")) if isinstance(value, dict) else str(value)


# ---------------------------------------------------------------- layout

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
.hero { padding: 6px 2px 2px; }
.hero h1 { font-size: 1.6rem; font-weight: 700; margin: 0 0 4px; letter-spacing: -0.015em; }
.hero p { margin: 0 0 10px; color: var(--body-text-color-subdued); max-width: 80ch; font-size: 0.95rem; }
.backend { display: inline-block; font-size: 0.82rem; padding: 4px 12px; border-radius: 999px;
  background: var(--color-accent-soft); border: 1px solid var(--border-color-accent-subdued); }
.backend code { font-size: 0.78rem; }
#chat .answer { line-height: 1.6; }
#chat a.cite { text-decoration: none; font-weight: 700; font-size: 0.78em; vertical-align: super;
  line-height: 0; padding: 0 2px; border-radius: 4px; color: var(--color-accent); cursor: pointer; }
#chat a.cite:hover { background: var(--color-accent-soft); }
#chat .pending { color: var(--body-text-color-subdued); font-style: italic; }
#chat .caret { display: inline-block; width: 0.45em; height: 1em; margin-left: 2px;
  vertical-align: text-bottom; background: currentColor; opacity: 0.45;
  animation: blink 1s steps(1) infinite; }
@keyframes blink { 50% { opacity: 0; } }
#chat .chip { display: inline-block; margin-top: 8px; font-size: 0.74rem; padding: 1px 9px;
  border-radius: 999px; border: 1px solid var(--border-color-primary);
  color: var(--body-text-color-subdued); }
#chat .note { margin-top: 6px; font-size: 0.8rem; color: var(--body-text-color-subdued); }
#chat .notice { border-left: 3px solid #d97706; padding: 2px 0 2px 10px; }
#chat .notice-title { font-weight: 600; color: #b45309; }
#chat .examples { gap: 10px; }
#chat button.example { border: 1px solid var(--border-color-primary); border-radius: 12px;
  background: var(--background-fill-primary); text-align: left; transition: border-color 0.15s; }
#chat button.example:hover { border-color: var(--color-accent); }
#new-chat { min-width: 170px; }
#sources { max-height: 700px; overflow-y: auto; padding: 4px 6px 4px 2px; }
#sources .panel-title { font-weight: 700; font-size: 1.05rem; margin: 2px 0 10px; }
.sources-empty { color: var(--body-text-color-subdued); font-size: 0.92rem; line-height: 1.55; }
.sources-empty .cite { color: var(--color-accent); font-weight: 700; }
.turn { margin-bottom: 16px; }
.turn-q { font-size: 0.82rem; font-weight: 600; color: var(--body-text-color-subdued); margin: 0 0 6px; }
.turn-q::before { content: "Q · "; color: var(--color-accent); }
details.src { border: 1px solid var(--border-color-primary); border-radius: 12px; margin-bottom: 8px;
  background: var(--background-fill-primary); transition: box-shadow 0.3s, border-color 0.3s; }
details.src summary { cursor: pointer; padding: 9px 12px; list-style: none; display: grid;
  grid-template-columns: auto 1fr auto; gap: 2px 10px; align-items: baseline; }
details.src summary::-webkit-details-marker { display: none; }
details.src .n { grid-row: span 2; align-self: start; min-width: 1.7em; text-align: center;
  font-weight: 700; font-size: 0.78rem; border-radius: 6px; padding: 1px 5px;
  background: var(--color-accent-soft); color: var(--color-accent); }
details.src .title { font-weight: 600; font-size: 0.9rem; }
details.src .date { font-size: 0.78rem; color: var(--body-text-color-subdued); white-space: nowrap; }
details.src .preview { grid-column: 2 / span 2; font-size: 0.86rem; color: var(--body-text-color-subdued);
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
details.src[open] .preview { display: none; }
details.src .para { margin: 2px 0 0; padding: 0 14px 6px; line-height: 1.65; font-size: 0.92rem; }
details.src mark { background: #fde68a; color: #1f2937; padding: 1px 2px; border-radius: 3px; }
details.src .where { padding: 0 14px 10px; font-size: 0.72rem; color: var(--body-text-color-subdued); }
details.src.flash { border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent-soft); }
"""

# Clicking an [n] in an answer opens its source in the panel, scrolls to it and flashes it.
HEAD = """
<script>
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest ? event.target.closest("a.cite") : null;
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  var target = document.getElementById((link.getAttribute("href") || "").replace(/^#/, ""));
  if (!target) return;
  target.open = true;
  target.scrollIntoView({ behavior: "smooth", block: "nearest" });
  target.classList.remove("flash");
  void target.offsetWidth;
  target.classList.add("flash");
  setTimeout(function () { target.classList.remove("flash"); }, 1600);
}, true);
</script>
"""

THEME = gr.themes.Soft(
    primary_hue="indigo",
    neutral_hue="slate",
    font=(gr.themes.LocalFont("IBM Plex Sans", weights=(400, 600, 700)), "ui-sans-serif", "sans-serif"),
)


def build(settings: Settings, bots: Lazy, concurrency: int = 4) -> gr.Blocks:
    chat = ChatApp(settings, bots)
    demo = gr.Blocks(title="Announcement assistant", analytics_enabled=False)
    with demo:
        state = gr.State(Conversation())
        gr.HTML(header_html(settings, bots.ready), js_on_load=None)
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
                with gr.Row():
                    box = gr.Textbox(
                        elem_id="question",
                        show_label=False,
                        placeholder="Ask a question about the announcement…",
                        scale=6,
                        autofocus=True,
                        submit_btn="Ask",
                    )
                    new = gr.Button("New conversation", elem_id="new-chat", variant="secondary", scale=0)
            with gr.Column(scale=2, min_width=320):
                panel = gr.HTML(sources_html([]), elem_id="sources", js_on_load=None)

        outputs = [box, chatbot, panel, state]
        private: dict[str, Any] = {"api_visibility": "private"}
        answering: dict[str, Any] = {"concurrency_id": "answer", **private}
        box.submit(chat.respond, [box, state], outputs, **answering)
        chatbot.example_select(chat.example, None, box, queue=False, **private).then(
            chat.respond, [box, state], outputs, **answering
        )
        new.click(chat.new_conversation, None, outputs, queue=False, **private)
        chatbot.clear(chat.new_conversation, None, outputs, queue=False, **private)
        gradio_api(chat.ask, api_name="ask", concurrency_id="answer")
    demo.queue(default_concurrency_limit=concurrency)  # one queue; at most this many answers at once
    return demo


def parse_args(argv: Sequence[str] | None, server: ServerSettings) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="The announcement assistant's browser chat and /ask API.")
    p.add_argument(
        "--host", default=server.host, help=f"interface to bind (env ASSISTANT_HOST; now {server.host})"
    )
    p.add_argument(
        "--port", type=int, default=server.port, help=f"TCP port (env ASSISTANT_PORT; now {server.port})"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log what the assistant does")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        server = ServerSettings()
    except ValueError as exc:
        print(
            f"error: invalid ASSISTANT_HOST, ASSISTANT_PORT or ASSISTANT_CONCURRENCY: {exc}", file=sys.stderr
        )
        return 2
    args = parse_args(argv, server)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bots = Lazy(lambda: Assistant(settings))
    try:
        bots.get()
    except AssistantError as exc:
        print(f"error: {exc}\nThe chat starts anyway and shows this until it is fixed.", file=sys.stderr)
    demo = build(settings, bots, server.concurrency)
    try:
        _, url, _ = demo.launch(
            server_name=args.host,
            server_port=args.port,
            theme=THEME,
            css=CSS,
            head=HEAD,
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
    model = f", model {settings.model}" if settings.backend == "openai" else ""
    print(f"Chat on {url} (backend {settings.backend}{model}); API: /ask (gradio_client)", flush=True)
    demo.block_thread()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
