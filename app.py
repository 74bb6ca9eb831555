"""The browser chat: a thin Gradio front end over `assistant.Assistant`.

    python app.py [--host HOST] [--port PORT]

Serves the chat at http://127.0.0.1:7860 by default, and an API endpoint `/ask`
(gradio_client: `client.predict(question, history, sources, api_name="/ask")`, `sources`
an optional list of seed file names) that returns the Answer as JSON. The callbacks here
only delegate: retrieval, answering, citation checks, quote contexts and the Markdown
transcript live in the `assistant` package, the HTML the chat shows in
`assistant.chat_html`; the page's style and script are the files in web/.
"""

from __future__ import annotations

import argparse
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

# Telemetry off and the model hub offline before gradio is imported (it reads them at import).
from assistant import offline

offline.apply()

from assistant import (  # noqa: E402
    Answer,
    Assistant,
    AssistantError,
    ConfigError,
    Settings,
    load_settings,
)
from assistant.chat_html import (  # noqa: E402
    answer_html,
    document_choices,
    error_html,
    header_html,
    readable,
    sources_html,
    sources_section,
    status_html,
    streaming_html,
    text_html,
    too_long,
)
from assistant.documents import Document, load_documents  # noqa: E402
from assistant.transcript import transcript  # noqa: E402

# isort: split
import gradio as gr  # noqa: E402
from gradio.events import api as gradio_api  # noqa: E402

log = logging.getLogger("app")

WEB = Path(__file__).resolve().parent / "web"
EXAMPLES = (  # everyday wording, none of them an evaluation question
    "How many kids are back with their families now?",
    "What did the Yale lab find?",
    "What did Melania and Putin agree on?",
    "Who has Russia also agreed to reunite?",
)
API_LEAVES_OUT = frozenset({"passages"})  # the /ask JSON is the Answer without what retrieval returned


# ---------------------------------------------------------------- the chat's state and callbacks


@dataclass
class Conversation:
    """One browser session: the history sent to the API, what the chat shows, the sources panel."""

    history: list[dict[str, str]] = field(default_factory=list)
    shown: list[dict[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    turns: list[tuple[str, Answer]] = field(default_factory=list)
    limits: list[tuple[str, ...]] = field(default_factory=list)  # per turn, the files it was limited to
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

    def documents(self) -> list[Document]:
        """The documents a question can be limited to: the assistant's, or (before it is up) the folder's."""
        bot = self.bots.ready
        if bot is not None:
            return bot.documents
        try:
            return load_documents(self.settings.seeds_dir, max_bytes=self.settings.max_seed_bytes).documents
        except (AssistantError, OSError):
            return []  # the assistant says what is wrong at the first question

    def respond(
        self, message: str, conv: Conversation, sources: Sequence[str] | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer (outputs: textbox, chat, sources panel, state, status line, download).

        `sources`: the file names chosen in the document picker (none: all documents). An
        empty or over-long question only sets the status line and keeps the text; any
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
            limit = tuple(sources or ())
            response = bot.respond(question, conv.history, limit)
            for delta in response:
                text += delta
                shown[-1] = said("assistant", streaming_html(text))
                yield gr.skip(), list(shown), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            conv = self.answered(bot, conv, shown, question, response.answer(), limit)
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
        bot: Assistant,
        conv: Conversation,
        shown: list[dict[str, str]],
        question: str,
        answer: Answer,
        limit: tuple[str, ...] = (),
    ) -> Conversation:
        """The conversation after an answer: shown with its [n] links, its sources on top of the panel."""
        turn = len(conv.turns) + 1
        labels = {source: label for label, source in document_choices(bot.documents)}
        searched = [labels.get(source, source) for source in limit]
        shown = [*shown[:-1], said("assistant", answer_html(answer, turn, searched))]
        sources = list(conv.sources)
        if answer.citations:
            sources.insert(0, sources_section(bot, answer, question, turn))
        history = [*conv.history, said("user", question), said("assistant", answer.text)]
        kept = answer.model_copy(update={"passages": []})
        unanswered = question if answer.abstained and not answer.citations else None
        return replace(
            conv,
            history=history,
            shown=shown,
            sources=sources,
            turns=[*conv.turns, (question, kept)],
            limits=[*conv.limits, limit],
            unanswered=unanswered,
        )

    def export(self, conv: Conversation) -> Path:
        """The conversation as Markdown, every quote with its file and offsets; one file per session."""
        path = self.exports / conv.id / "conversation.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(transcript(conv.turns, date.today(), conv.limits), encoding="utf-8")
        return path

    def ask(
        self, question: str, history: list[dict[str, Any]] | None = None, sources: list[str] | None = None
    ) -> dict[str, Any]:
        """Answer one question (with optional earlier turns, messages format) as the Answer's JSON.

        `sources`: file names of seed documents to limit the question to (default: all of them).
        Same answer and citations as `Assistant.ask`; `passages` is left out.
        """
        try:
            answer = self.bots.get().ask(question, history or [], sources or None)
        except AssistantError as exc:
            raise gr.Error(": ".join(readable(exc)), print_exception=False) from None
        except Exception as exc:
            log.exception("unexpected failure while answering through the API")
            raise gr.Error(": ".join(readable(exc)), print_exception=False) from None
        return answer.model_dump(mode="json", exclude=set(API_LEAVES_OUT))

    def endpoint(self) -> Callable[..., dict[str, Any]]:
        """`ask` as the /ask endpoint, its return type spelled out field by field."""

        def ask(
            question: str, history: list[dict[str, Any]] | None = None, sources: list[str] | None = None
        ) -> dict[str, Any]:
            return self.ask(question, history, sources)

        ask.__doc__ = ChatApp.ask.__doc__
        signature = inspect.signature(ask, eval_str=True)
        ask.__signature__ = signature.replace(return_annotation=answer_type())  # type: ignore[attr-defined]
        return ask

    def opened(self, request: gr.Request) -> tuple[str, Any, Any]:
        """On page load: the header (the backend, once the assistant is up), a ?q= question filled in.

        The document picker lists the documents the assistant answers from now (a document
        added since the start, once the assistant has followed the index).
        """
        asked = request.query_params.get("q", "") if request is not None else ""
        header = header_html(self.settings, self.bots.ready)
        picker = self.picker_update() if self.bots.ready is not None else gr.skip()
        return header, (asked.strip() if asked.strip() else gr.skip()), picker

    def picker_update(self) -> Any:
        """The picker's choices, "Title (date)" for each file; shown only when there are two or more."""
        choices = document_choices(self.documents())
        return gr.update(choices=choices, visible=len(choices) >= 2)

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
                choices = document_choices(chat.documents())
                picker = gr.Dropdown(
                    choices=choices,
                    value=[],
                    multiselect=True,
                    label="Limit to documents",
                    info="Leave empty to ask about all documents.",
                    elem_id="documents",
                    visible=len(choices) >= 2,  # one document: nothing to choose
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
        asked = [box, state, picker]
        box.submit(chat.respond, asked, outputs, **answering)
        chatbot.example_select(chat.example, None, box, queue=False, **private).then(
            chat.respond, asked, outputs, **answering
        )
        new.click(chat.new_conversation, None, outputs, queue=False, **private)
        chatbot.clear(chat.new_conversation, None, outputs, queue=False, **private)
        demo.load(chat.opened, None, [header, box, picker], queue=False, **private)
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
