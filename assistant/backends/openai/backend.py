"""OpenAIBackend: condense a follow-up, then stream an answer that cites numbered source sentences.

History is used only to condense a follow-up into a standalone question; the answer
prompt holds the sources and that question alone, so the reply rests on the sources.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import cast
from urllib.parse import urlsplit

import openai
from openai.types.chat import ChatCompletionMessageParam

from assistant.backends.openai.citation_gate import CitationGate
from assistant.backends.openai.errors import EMPTY, error_for
from assistant.backends.openai.marker_filter import MarkerFilter
from assistant.backends.openai.prompts import answer_messages, condense_messages, number_sources
from assistant.backends.openai.replies import Malformed, message_text, standalone_question
from assistant.backends.openai.retries import Requester
from assistant.backends.openai.sentinels import SENTINELS, SentinelGate, abstention_text
from assistant.backends.openai.server import OPENAI_URL, PLACEHOLDER_KEY, Server, display_url
from assistant.backends.openai.stream import Ending, Stream, deltas
from assistant.backends.openai.thinking import without_thinking
from assistant.citations import unsupported_facts
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.errors import ConfigError, MalformedReplyError
from assistant.markers import markers
from assistant.response import Parts, Response
from assistant.splitting import Sentence
from assistant.types import Answer, Citation, Message, Passage, Query

log = logging.getLogger(__name__)


def _check(key: str, base_url: str) -> None:
    if not key and not base_url:
        raise ConfigError(
            "the openai backend needs OPENAI_API_KEY (for OpenAI) or OPENAI_BASE_URL (for an "
            "OpenAI-compatible server such as Ollama, vLLM or llama.cpp, "
            "e.g. http://localhost:11434/v1): "
            "set one in the environment or .env, or set ASSISTANT_BACKEND=extractive"
        )
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        raise ConfigError(
            f"OPENAI_BASE_URL {display_url(base_url)!r} is not an http(s) URL: "
            "set it to the server's API root, e.g. http://localhost:11434/v1"
        )


def _what(exc: Exception) -> str:
    return str(exc).split(":", 1)[0] if isinstance(exc, MalformedReplyError) else str(exc)


class OpenAIBackend:
    """Answers with a chat model, citing the numbered source sentences it was given."""

    name = "openai"

    def __init__(self, settings: Settings, corpus: Corpus) -> None:
        key = settings.openai_api_key.get_secret_value().strip() if settings.openai_api_key else ""
        base_url = (settings.openai_base_url or "").strip()
        _check(key, base_url)
        self.model: str | None = settings.model
        self.corpus = corpus
        self.base_url = base_url or OPENAI_URL
        self.url = display_url(self.base_url)
        self.max_question_chars = settings.max_question_chars
        self.server = Server(
            url=self.url,
            model=self.model,
            max_retries=settings.max_retries,
            timeout_s=settings.timeout_s,
            key=key or PLACEHOLDER_KEY,
        )
        self._request = Requester(self.server)
        self.client = openai.OpenAI(
            api_key=self.server.key, base_url=self.base_url, timeout=settings.timeout_s, max_retries=0
        )

    def __repr__(self) -> str:  # never the key
        return f"OpenAIBackend(model={self.model!r}, base_url={self.url!r})"

    def describe(self) -> str:
        return f"openai ({self.model} at {self.url})"

    def _create(self, messages: list[ChatCompletionMessageParam], stream: bool) -> object:
        """One Chat Completions request, retried as the Requester decides."""
        assert self.model is not None
        model = self.model
        return self._request(
            lambda temperature, timeout: self.client.chat.completions.create(
                model=model,
                messages=messages,
                stream=stream,
                temperature=openai.omit if temperature is None else temperature,
                timeout=timeout,
            )
        )

    # -- condense ---------------------------------------------------------------------------------
    def condense(self, question: str, history: Sequence[Message]) -> Query:
        """Ask the model for a standalone question; the question itself without history or on a bad reply."""
        if not history:
            return Query(text=question)
        return Query(text=self._condensed(question, history), history=tuple(history))

    def _condensed(self, question: str, history: Sequence[Message]) -> str:
        try:
            reply = message_text(self._create(condense_messages(question, history), stream=False))
        except (Malformed, MalformedReplyError) as exc:
            log.warning("openai backend: condense got %s; using the question as asked", _what(exc))
            return question
        standalone = standalone_question(reply, self.max_question_chars)
        if not standalone:
            log.warning("openai backend: condense gave no usable question; using the question as asked")
            return question
        log.debug("condensed %r to %r", question, standalone)
        return standalone

    # -- answer -----------------------------------------------------------------------------------
    def stream(self, query: Query, passages: Sequence[Passage]) -> Response:
        """Text deltas as the model writes them (markers checked), then the cited Answer."""
        return Response(self._answer(query.text, passages))

    def _answer(self, question: str, passages: Sequence[Passage]) -> Parts:
        """Reasoning blocks out, a sentinel line held back, markers checked, and nothing shown
        until the answer cites a source that holds up (citation_gate)."""
        numbered, sources = number_sources(self.corpus, passages)
        reply = cast("Stream", self._create(answer_messages(sources, question), stream=True))
        ending = Ending()
        markers_filter = MarkerFilter(len(numbered))
        gate = SentinelGate()
        cited = CitationGate(lambda text: self._citations(text, numbered))
        for delta in gate.release(without_thinking(deltas(reply, self.server, ending))):
            shown = cited.feed(markers_filter.feed(delta))
            if shown:
                yield shown
        if gate.sentinel:
            text = abstention_text(gate.sentinel, gate.head)
            yield text
            return Answer(
                text=text,
                abstained=True,
                reason=SENTINELS[gate.sentinel],
                question=question,
                model_reply="used",
            )
        shown = cited.feed(markers_filter.finish())
        if shown:
            yield shown
        text = cited.text
        if not text.strip():
            raise error_for(EMPTY, self.server)
        if not cited.passed:
            log.info("openai backend: the reply cites no source that holds up; not shown: %r", text[:300])
            return Answer(
                text="",
                abstained=True,
                reason="not_in_document",
                question=question,
                model_reply="unchecked",
                incomplete=ending.incomplete,
            )
        citations = self._citations(text, numbered)
        return Answer(
            text=text,
            citations=citations,
            unsupported=unsupported_facts(text, citations),
            question=question,
            model_reply="used",
            incomplete=ending.incomplete,
        )

    def _citations(self, text: str, numbered: Sequence[Sentence]) -> list[Citation]:
        """One Citation per marker in the text, in order of first appearance."""
        return [
            self.corpus.cite(n, numbered[n - 1].source, numbered[n - 1].start, numbered[n - 1].end)
            for n in markers(text)
            if 1 <= n <= len(numbered)
        ]
