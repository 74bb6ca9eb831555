"""The `openai` backend: a chat model through the openai package, or any OpenAI-compatible server.

How an answer is made:
1. Sources: the sentences of the retrieved passages, in rank order and deduplicated,
   are numbered [1]..[m] and shown grouped by passage. A marker [n] in the reply
   therefore points at exactly one sentence, an exact span of a seed file.
2. Sentinels: the prompt asks for `NOT_IN_SOURCES: ...`, `OUT_OF_SCOPE: ...` or
   `REFUSED: ...` when there is no answer to give. The first characters of the reply
   are held back until it is clear whether it starts with one; if it does, nothing of
   it is shown and the Answer abstains with a reason.
3. Markers: text from a '[' is held back until the marker closes. A marker that points
   outside 1..m is dropped (with the space before it) from the deltas and the final
   text alike; "[1, 2]" is written as "[1][2]". The final text is the deltas joined.
4. Errors: the openai client does not retry (max_retries=0); this module retries 429,
   408, 5xx, timeouts and connection failures with exponential backoff (honouring
   Retry-After, capped), then raises one of the errors of assistant.errors, raised
   outside the `except` block so that no openai exception (whose request holds the
   Authorization header) is chained to it. The key never appears in a message.

History is used only to condense a follow-up into a standalone question; the answer
prompt holds the sources and that question alone, so the reply rests on the sources.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import Literal, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessageParam

from assistant.citations import unsupported_facts
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.errors import (
    BackendAuthError,
    BackendError,
    BackendRateLimited,
    BackendReplyError,
    ConfigError,
    MalformedReplyError,
)
from assistant.markers import GROUP, MAX_MARKER, markers, strip_markers
from assistant.messages import ABSTENTION_TEXT, NOT_IN_DOCUMENT_TEXT, doesnt_say
from assistant.normalise import one_line
from assistant.response import Parts, Response
from assistant.splitting import Sentence
from assistant.types import AbstainReason, Answer, Citation, Message, Passage, Query

log = logging.getLogger(__name__)

T = TypeVar("T")

OPENAI_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"  # local servers (Ollama, vLLM, llama.cpp) ignore the key

# Retries: delay = BACKOFF_BASE_S * 2**attempt (capped), or the server's Retry-After (capped).
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
RETRY_AFTER_CAP_S = 20.0
RETRY_STATUSES = frozenset({408, 429})

MAX_SOURCES = MAX_MARKER
HISTORY_TURNS = 6  # turns of the conversation shown to the condense prompt
HISTORY_TURN_CHARS = 600
SERVER_MESSAGE_CHARS = 200
ABSTAIN_TEXT_CHARS = 300

NOT_IN_SOURCES = "NOT_IN_SOURCES"
OUT_OF_SCOPE = "OUT_OF_SCOPE"
REFUSED = "REFUSED"
_SENTINELS: dict[str, AbstainReason] = {
    NOT_IN_SOURCES: "not_in_document",
    OUT_OF_SCOPE: "out_of_scope",
    REFUSED: "refused_instruction",
}
_LEAD = " \t\r\n*_`\"'>#"  # markdown and quotes a model may put before a sentinel

# What must be held back at the end of the text so far: trailing space, an open '[', or a
# group that has just closed (what follows it decides about the space before it).
_HOLD = re.compile(r"(?:\s?\[[\d,; ]{0,20}\]?|\s+)$")


# -- prompts -------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def prompt(name: str) -> str:
    """A prompt template from assistant/prompts/<name>.txt."""
    return resources.files("assistant").joinpath("prompts", f"{name}.txt").read_text(encoding="utf-8")


def render(name: str, **values: str) -> str:
    """The template with each {field} replaced in one pass (values may hold braces)."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), prompt(name)).strip()


# -- sources ---------------------------------------------------------------------------------
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
            doc = corpus.documents.get(passage.source)
            about = f"{doc.title}, {doc.date.isoformat()}" if doc and doc.date else (doc.title if doc else "")
            header = (
                f"Passage {len(blocks) + 1} (from “{about}”):" if about else f"Passage {len(blocks) + 1}:"
            )
            blocks.append("\n".join([header, *lines]))
    return numbered, "\n\n".join(blocks) if blocks else "(no sources were found for this question)"


# -- the markers filter ------------------------------------------------------------------------
class MarkerFilter:
    """Streams text with every [n] outside 1..m dropped, holding back text that may be a marker.

    The pieces it returns, joined, equal the whole text filtered at once: a marker is
    only ever judged when it is complete, so no judgement depends on chunk boundaries.
    """

    def __init__(self, m: int) -> None:
        self.m = m
        self._pending = ""

    def _clean(self, text: str) -> str:
        def group(match: re.Match[str]) -> str:
            kept: list[int] = []
            for part in re.split(r"\s*[,;]\s*", match.group(2)):
                n = int(part)
                if 1 <= n <= self.m and n not in kept:
                    kept.append(n)
            if kept:
                return match.group(1) + "".join(f"[{n}]" for n in kept)
            return match.group(1) if match.group(3) else ""

        return GROUP.sub(group, text)

    def feed(self, text: str) -> str:
        self._pending += text
        hold = _HOLD.search(self._pending)
        cut = hold.start() if hold else len(self._pending)
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return self._clean(ready)

    def finish(self) -> str:
        """The rest, without trailing whitespace."""
        ready, self._pending = self._pending, ""
        return self._clean(ready).rstrip()


# -- sentinels -----------------------------------------------------------------------------------
def _canonical(text: str) -> str:
    return re.sub(r"[\s_\-]+", "_", text.lstrip(_LEAD)[:40].upper())


def sentinel_of(head: str, final: bool = False) -> str | None:
    """The sentinel the reply starts with, "" when it starts with none, None while it can't tell yet."""
    canonical = _canonical(head)
    for name in _SENTINELS:
        if canonical.startswith(name):
            return name
    if not final and (not canonical or any(name.startswith(canonical) for name in _SENTINELS)):
        return None
    return ""


def abstention_text(sentinel: str, reply: str) -> str:
    """A readable sentence for an abstention; the sentinel itself is never part of it."""
    if sentinel != NOT_IN_SOURCES:
        return ABSTENTION_TEXT[_SENTINELS[sentinel]]
    rest = reply.lstrip(_LEAD)
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


# -- talking to the server ------------------------------------------------------------------------
def display_url(url: str) -> str:
    """The URL without credentials, query or fragment: safe to show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks to wait (Retry-After-Ms, Retry-After as seconds or a date)."""
    try:
        if "retry-after-ms" in headers:
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError, OverflowError):
        return None


@dataclass
class _Failure:
    error: BackendError
    retry: bool
    wait: float | None = None


class _Malformed(Exception):
    """The server's reply does not have the shape of a chat completion."""


def _what(exc: Exception) -> str:
    return str(exc).split(":", 1)[0] if isinstance(exc, MalformedReplyError) else str(exc)


def _delta_text(chunk: object) -> tuple[str, str | None]:
    """The content delta of a stream chunk and its finish_reason; _Malformed when it has no choices."""
    choices = getattr(chunk, "choices", None)
    if not isinstance(choices, list):
        raise _Malformed("a stream chunk without choices")
    if not choices:
        return "", None  # e.g. a usage-only chunk
    choice = choices[0]
    delta = getattr(choice, "delta", None)
    content = getattr(delta, "content", None) if delta is not None else None
    if content is not None and not isinstance(content, str):
        raise _Malformed("a stream chunk whose content is not text")
    reason = getattr(choice, "finish_reason", None)
    return content or "", reason if isinstance(reason, str) else None


def _message_text(completion: object) -> str:
    """The reply text of a non-streamed completion; _Malformed when it has none."""
    if not isinstance(completion, ChatCompletion):
        raise _Malformed("a reply that is not a chat completion (JSON)")
    choices = getattr(completion, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise _Malformed("a completion without choices")
    message = getattr(choices[0], "message", None)
    content = getattr(message, "content", None)
    if not isinstance(content, str):
        raise _Malformed("a completion without message content")
    return content


def _json_message_text(data: object) -> str:
    """choices[0].message.content of a decoded chat completion; _Malformed when it is missing."""
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise _Malformed("a completion without choices")
    message = choices[0].get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise _Malformed("a completion without message content")
    return content


class OpenAIBackend:
    """Answers with a chat model, citing the numbered source sentences it was given."""

    name = "openai"

    def __init__(self, settings: Settings, corpus: Corpus) -> None:
        key = settings.openai_api_key.get_secret_value().strip() if settings.openai_api_key else ""
        base_url = (settings.openai_base_url or "").strip()
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
        self.model: str | None = settings.model
        self.corpus = corpus
        self.base_url = base_url or OPENAI_URL
        self.url = display_url(self.base_url)
        self.max_retries = settings.max_retries
        self.timeout_s = settings.timeout_s
        self.max_question_chars = settings.max_question_chars
        # A settings field may set the backoff base (e.g. tests); otherwise the module default.
        self.backoff_base_s = float(getattr(settings, "retry_backoff_s", BACKOFF_BASE_S))
        self._key = key or PLACEHOLDER_KEY
        self._temperature: float | None = 0.0
        self.client = openai.OpenAI(
            api_key=self._key, base_url=self.base_url, timeout=settings.timeout_s, max_retries=0
        )

    def __repr__(self) -> str:  # never the key
        return f"OpenAIBackend(model={self.model!r}, base_url={self.url!r})"

    # -- errors ----------------------------------------------------------------------------------
    def _redact(self, text: str) -> str:
        if self._key != PLACEHOLDER_KEY and len(self._key) >= 4:
            text = text.replace(self._key, "***")
        return text

    def _server_message(self, exc: openai.APIError) -> str:
        """What the server said about the error, without the key, short."""
        return self._said(exc.body)

    def _said(self, body: object) -> str:
        message: object = body
        if isinstance(body, dict):
            error = body.get("error", body)
            message = error.get("message", error) if isinstance(error, dict) else error
        text = one_line(str(message)) if message not in (None, "", {}) else ""
        text = self._redact(text)
        return text[:SERVER_MESSAGE_CHARS] + ("…" if len(text) > SERVER_MESSAGE_CHARS else "")

    def _status_failure(self, exc: openai.APIStatusError) -> _Failure:
        status = exc.status_code
        said = self._server_message(exc)
        detail = f" ({said})" if said else ""
        if status in (401, 403):
            # The body is left out: servers echo (part of) the key in it.
            return _Failure(
                BackendAuthError(
                    f"the server at {self.url} refused the key (HTTP {status}): check OPENAI_API_KEY"
                    + (f" and that it may use the model {self.model!r}" if status == 403 else "")
                ),
                retry=False,
            )
        if status == 429:
            return _Failure(
                BackendRateLimited(
                    f"the server at {self.url} kept answering HTTP 429 (rate limited or out of quota) "
                    f"after {self.max_retries + 1} attempts{detail}: wait a minute and try again, "
                    "check the account's quota, or raise ASSISTANT_MAX_RETRIES"
                ),
                retry=True,
                wait=retry_after(exc.response.headers),
            )
        if status >= 500 or status in RETRY_STATUSES:
            return _Failure(
                BackendReplyError(
                    f"the model server at {self.url} failed with HTTP {status}{detail} after "
                    f"{self.max_retries + 1} attempts: try again later, or check the server's logs"
                ),
                retry=True,
                wait=retry_after(exc.response.headers),
            )
        if status == 404:
            return _Failure(
                BackendReplyError(
                    f"the server at {self.url} answered HTTP 404 for model {self.model!r}{detail}: check "
                    "ASSISTANT_MODEL (a model the server has, e.g. pulled into Ollama) and OPENAI_BASE_URL "
                    "(the API root, usually ending in /v1)"
                ),
                retry=False,
            )
        return _Failure(
            BackendReplyError(
                f"the server at {self.url} rejected the request with HTTP {status}{detail}: "
                "check ASSISTANT_MODEL and OPENAI_BASE_URL"
            ),
            retry=False,
        )

    def _timeout_error(self) -> BackendReplyError:
        return BackendReplyError(
            f"the model server at {self.url} did not answer within {self.timeout_s:g} s "
            f"(after {self.max_retries + 1} attempts): try again, check that the server is not "
            "overloaded, or raise ASSISTANT_TIMEOUT"
        )

    def _connection_error(self) -> BackendReplyError:
        return BackendReplyError(
            f"could not reach the model server at {self.url} (after {self.max_retries + 1} attempts): "
            "check OPENAI_BASE_URL and that the server is running"
        )

    def _malformed_error(self, what: str) -> BackendReplyError:
        return MalformedReplyError(
            f"the model server at {self.url} sent {what}: check that OPENAI_BASE_URL points at an "
            "OpenAI-compatible API (its /v1 root) and that the server is healthy"
        )

    def _backoff(self, attempt: int, wait: float | None) -> float:
        if wait is not None:
            return min(wait, RETRY_AFTER_CAP_S)
        delay = min(self.backoff_base_s * 2.0**attempt, BACKOFF_CAP_S)
        return delay * (1 + 0.1 * random.random())

    def _request(self, call: Callable[[], T]) -> T:
        """call(), retried on 429, 408, 5xx, timeouts and connection failures; mapped errors."""
        attempt = 0
        while True:
            failure: _Failure
            try:
                return call()
            except openai.BadRequestError as exc:
                if self._temperature is not None and "temperature" in self._server_message(exc).lower():
                    log.info(
                        "the model %r does not accept temperature=0; asking again without it", self.model
                    )
                    self._temperature = None
                    continue
                failure = self._status_failure(exc)
            except openai.APIStatusError as exc:
                failure = self._status_failure(exc)
            except openai.APITimeoutError:
                failure = _Failure(self._timeout_error(), retry=True)
            except openai.APIConnectionError:
                failure = _Failure(self._connection_error(), retry=True)
            except openai.APIError as exc:
                said = self._server_message(exc)
                what = f"a reply it could not use ({said or self._redact(exc.message)})"
                failure = _Failure(self._malformed_error(what), retry=False)
            except ValueError:  # a body that is not JSON
                failure = _Failure(self._malformed_error("a reply that is not valid JSON"), retry=False)
            if not failure.retry or attempt >= self.max_retries:
                raise failure.error  # outside `except`: no openai exception is chained
            delay = self._backoff(attempt, failure.wait)
            attempt += 1
            log.warning(
                "openai backend: %s; retry %d of %d in %.2f s",
                type(failure.error).__name__,
                attempt,
                self.max_retries,
                delay,
            )
            time.sleep(delay)

    def _create(self, messages: list[ChatCompletionMessageParam], stream: bool) -> object:
        """One Chat Completions request, retried as _request decides."""
        assert self.model is not None
        model = self.model
        return self._request(
            lambda: self.client.chat.completions.create(
                model=model,
                messages=messages,
                stream=stream,
                temperature=openai.omit if self._temperature is None else self._temperature,
            )
        )

    def _deltas(self, stream: openai.Stream[ChatCompletionChunk]) -> Iterator[str]:
        """The text deltas of a stream; a failure mid-stream becomes a BackendReplyError."""
        if "json" in stream.response.headers.get("content-type", "").lower():
            yield from self._json_reply(stream)
            return
        error: BackendError | None = None
        finish: str | None = None
        iterator = iter(stream)
        try:
            while True:
                try:
                    chunk = next(iterator)
                    text, reason = _delta_text(chunk)
                except StopIteration:
                    break
                except httpx.TimeoutException:
                    error = BackendReplyError(
                        f"the model server at {self.url} stopped sending mid-reply for more than "
                        f"{self.timeout_s:g} s: try again, or raise ASSISTANT_TIMEOUT"
                    )
                    break
                except openai.APIError as exc:
                    said = self._server_message(exc) or self._redact(exc.message)
                    error = BackendReplyError(
                        f"the model server at {self.url} reported an error mid-reply ({said}): try again, "
                        "or check the server's logs"
                    )
                    break
                except httpx.HTTPError:
                    error = BackendReplyError(
                        f"the connection to the model server at {self.url} broke mid-reply: try again, "
                        "and check that the server is running"
                    )
                    break
                except (ValueError, _Malformed) as exc:
                    what = (
                        str(exc) if isinstance(exc, _Malformed) else "a stream chunk that is not valid JSON"
                    )
                    error = self._malformed_error(what)
                    break
                finish = reason or finish
                if text:
                    yield text
        finally:
            stream.close()
        if error is not None:
            raise error
        if finish == "length":
            log.warning("openai backend: the reply of %r was cut off at the server's token limit", self.model)

    def _json_reply(self, stream: openai.Stream[ChatCompletionChunk]) -> Iterator[str]:
        """A server that ignored stream=true and sent one JSON body: its whole text, or an error."""
        error: BackendError | None = None
        text = ""
        try:
            data = json.loads(stream.response.read())
            if isinstance(data, dict) and data.get("error"):
                error = BackendReplyError(
                    f"the model server at {self.url} reported an error ({self._said(data)}): try again, "
                    "or check the server's logs"
                )
            else:
                text = _json_message_text(data)
        except httpx.HTTPError:
            error = BackendReplyError(
                f"the connection to the model server at {self.url} broke mid-reply: try again, "
                "and check that the server is running"
            )
        except (ValueError, _Malformed):
            error = self._malformed_error("a reply that is neither an event stream nor a chat completion")
        finally:
            stream.close()
        if error is not None:
            raise error
        if text:
            yield text

    # -- the protocol -----------------------------------------------------------------------------
    def describe(self) -> str:
        return f"openai ({self.model} at {self.url})"

    def condense(self, question: str, history: Sequence[Message]) -> Query:
        """Ask the model for a standalone question; the question itself without history or on a bad reply."""
        if not history:
            return Query(text=question)
        return Query(text=self._condensed(question, history), history=tuple(history))

    def _condensed(self, question: str, history: Sequence[Message]) -> str:
        turns: list[str] = []
        for turn in list(history)[-HISTORY_TURNS:]:
            content = one_line(strip_markers(turn.content))
            if len(content) > HISTORY_TURN_CHARS:
                content = content[:HISTORY_TURN_CHARS].rsplit(" ", 1)[0] + " …"
            turns.append(f"{'User' if turn.role == 'user' else 'Assistant'}: {content}")
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompt("condense_system").strip()},
            {"role": "user", "content": render("condense_user", history="\n".join(turns), question=question)},
        ]
        try:
            reply = _message_text(self._create(messages, stream=False))
        except (_Malformed, MalformedReplyError) as exc:
            log.warning("openai backend: condense got %s; using the question as asked", _what(exc))
            return question
        standalone = self._clean_condensed(reply)
        if not standalone:
            log.warning("openai backend: condense gave no usable question; using the question as asked")
            return question
        log.debug("condensed %r to %r", question, standalone)
        return standalone

    def _clean_condensed(self, reply: str) -> str:
        lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
        if not lines:
            return ""
        text = re.sub(r"^(?:standalone|rewritten)?\s*question\s*:\s*", "", lines[0], flags=re.IGNORECASE)
        text = one_line(strip_markers(text)).strip("*_`\"'“” ")
        if not text or sentinel_of(text, final=True) or len(text) > self.max_question_chars:
            return ""
        return text

    def stream(self, query: Query, passages: Sequence[Passage]) -> Response:
        """Text deltas as the model writes them (markers checked), then the cited Answer."""
        return Response(self._answer(query.text, passages))

    def _answer(self, question: str, passages: Sequence[Passage]) -> Parts:
        numbered, sources = number_sources(self.corpus, passages)
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompt("answer_system").strip()},
            {"role": "user", "content": render("answer_user", sources=sources, question=question)},
        ]
        deltas = self._deltas(cast("openai.Stream[ChatCompletionChunk]", self._create(messages, stream=True)))
        gate: Literal["undecided", "answer", "abstain"] = "undecided"
        head = ""
        sentinel = ""
        markers_filter = MarkerFilter(len(numbered))
        shown: list[str] = []
        for delta in deltas:
            if gate == "undecided":
                head += delta
                found = sentinel_of(head)
                if found is None:
                    continue
                if found:
                    gate, sentinel = "abstain", found
                    continue
                gate, delta = "answer", head.lstrip()
            if gate == "abstain":
                head += delta
                continue
            piece = markers_filter.feed(delta)
            if piece:
                shown.append(piece)
                yield piece
        if gate == "undecided":
            found = sentinel_of(head, final=True) if head.strip() else ""
            if found:
                gate, sentinel = "abstain", found
            else:
                piece = markers_filter.feed(head.lstrip())
                if piece:
                    shown.append(piece)
                    yield piece
        if gate == "abstain":
            text = abstention_text(sentinel, head)
            yield text
            return Answer(text=text, abstained=True, reason=_SENTINELS[sentinel], question=question)
        rest = markers_filter.finish()
        if rest:
            shown.append(rest)
            yield rest
        text = "".join(shown)
        if not text.strip():
            raise BackendReplyError(
                f"the model {self.model!r} at {self.url} returned an empty answer: try again, or use a "
                "larger model (ASSISTANT_MODEL)"
            )
        citations = self._citations(text, numbered)
        return Answer(
            text=text,
            citations=citations,
            unsupported=unsupported_facts(text, citations),
            question=question,
        )

    def _citations(self, text: str, numbered: Sequence[Sentence]) -> list[Citation]:
        """One Citation per marker in the text, in order of first appearance."""
        return [
            self.corpus.cite(n, numbered[n - 1].source, numbered[n - 1].start, numbered[n - 1].end)
            for n in markers(text)
            if 1 <= n <= len(numbered)
        ]
