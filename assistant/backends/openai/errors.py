"""How failures of the openai client and of httpx become the errors of assistant.errors: a table.

Each row maps what went wrong (an HTTP status, or an exception type) to the error class
raised, the message a person reads, and whether the request is tried again. Messages are
templates over the Server ({url}, {model!r}, {attempts}, {timeout:g}) and {detail}, {said}
or {what}; none holds the key (bodies of 401/403 replies are left out: servers echo keys).

Exception rows are looked up most specific first, as httpx maps httpcore's exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import openai

from assistant.backends.openai.replies import Malformed
from assistant.backends.openai.server import Server, retry_after
from assistant.errors import (
    BackendAuthError,
    BackendError,
    BackendRateLimited,
    BackendReplyError,
    MalformedReplyError,
)

_CHECK_API = (
    "check that OPENAI_BASE_URL points at an OpenAI-compatible API (its /v1 root) and that the server "
    "is healthy"
)
_MID_REPLY_BROKE = (
    "the connection to the model server at {url} broke mid-reply: try again, and check that the server "
    "is running"
)


@dataclass(frozen=True)
class Row:
    """One row of the table: the error to raise, its message template, and whether to retry."""

    error: type[BackendError]
    message: str
    retry: bool = False


@dataclass
class Failure:
    """A mapped failure: the error to raise, whether to retry, and the wait the server asked for."""

    error: BackendError
    retry: bool
    wait: float | None = None


_SERVER_FAILED = Row(
    BackendReplyError,
    "the model server at {url} failed with HTTP {status}{detail} after {attempts} attempts: "
    "try again later, or check the server's logs",
    retry=True,
)
_REJECTED = Row(
    BackendReplyError,
    "the server at {url} rejected the request with HTTP {status}{detail}: "
    "check ASSISTANT_MODEL and OPENAI_BASE_URL",
)

# An HTTP status the server answered with (any other 5xx: _SERVER_FAILED; any other: _REJECTED).
STATUS: dict[int, Row] = {
    401: Row(BackendAuthError, "the server at {url} refused the key (HTTP 401): check OPENAI_API_KEY"),
    403: Row(
        BackendAuthError,
        "the server at {url} refused the key (HTTP 403): check OPENAI_API_KEY and that it may use "
        "the model {model!r}",
    ),
    404: Row(
        BackendReplyError,
        "the server at {url} answered HTTP 404 for model {model!r}{detail}: check ASSISTANT_MODEL (a model "
        "the server has, e.g. pulled into Ollama) and OPENAI_BASE_URL (the API root, usually ending in /v1)",
    ),
    408: _SERVER_FAILED,
    429: Row(
        BackendRateLimited,
        "the server at {url} kept answering HTTP 429 (rate limited or out of quota) after {attempts} "
        "attempts{detail}: wait a minute and try again, check the account's quota, or raise "
        "ASSISTANT_MAX_RETRIES",
        retry=True,
    ),
}

# A request that got no usable answer (APIStatusError goes to STATUS first).
REQUEST: dict[type[Exception], Row] = {
    openai.APITimeoutError: Row(
        BackendReplyError,
        "the model server at {url} did not answer within {timeout:g} s (after {attempts} attempts): "
        "try again, check that the server is not overloaded, or raise ASSISTANT_TIMEOUT",
        retry=True,
    ),
    openai.APIConnectionError: Row(
        BackendReplyError,
        "could not reach the model server at {url} (after {attempts} attempts): "
        "check OPENAI_BASE_URL and that the server is running",
        retry=True,
    ),
    openai.APIError: Row(
        MalformedReplyError, "the model server at {url} sent a reply it could not use ({said}): " + _CHECK_API
    ),
    ValueError: Row(
        MalformedReplyError, "the model server at {url} sent a reply that is not valid JSON: " + _CHECK_API
    ),
}

# A streamed reply that broke off after it had begun.
MID_STREAM: dict[type[Exception], Row] = {
    httpx.TimeoutException: Row(
        BackendReplyError,
        "the model server at {url} stopped sending mid-reply for more than {timeout:g} s: try again, "
        "or raise ASSISTANT_TIMEOUT",
    ),
    openai.APIError: Row(
        BackendReplyError,
        "the model server at {url} reported an error mid-reply ({said}): try again, or check the server's logs",
    ),
    httpx.HTTPError: Row(BackendReplyError, _MID_REPLY_BROKE),
    Malformed: Row(MalformedReplyError, "the model server at {url} sent {what}: " + _CHECK_API),
    ValueError: Row(
        MalformedReplyError,
        "the model server at {url} sent a stream chunk that is not valid JSON: " + _CHECK_API,
    ),
}

# One JSON body where a stream was asked for (a server that ignored stream=true).
JSON_BODY: dict[type[Exception], Row] = {
    httpx.HTTPError: Row(BackendReplyError, _MID_REPLY_BROKE),
    Malformed: Row(
        MalformedReplyError,
        "the model server at {url} sent a reply that is neither an event stream nor a chat completion: "
        + _CHECK_API,
    ),
    ValueError: Row(
        MalformedReplyError,
        "the model server at {url} sent a reply that is neither an event stream nor a chat completion: "
        + _CHECK_API,
    ),
}
REPORTED = Row(
    BackendReplyError,
    "the model server at {url} reported an error ({said}): try again, or check the server's logs",
)
EMPTY = Row(
    BackendReplyError,
    "the model {model!r} at {url} returned an empty answer: try again, or use a larger model (ASSISTANT_MODEL)",
)


def error_for(row: Row, server: Server, **values: object) -> BackendError:
    """The row's error, its message filled in from the server and the values given."""
    fields: dict[str, object] = {
        "url": server.url,
        "model": server.model,
        "attempts": server.attempts,
        "timeout": server.timeout_s,
    }
    fields.update(values)
    message = row.message.format(**fields)
    if fields["attempts"] == 1:
        message = message.replace("after 1 attempts", "after 1 attempt")
    return row.error(message)


def lookup(table: dict[type[Exception], Row], exc: Exception) -> Row:
    """The row of the most specific exception type that exc is an instance of (callers catch
    `tuple(table)`, so there is one)."""
    for kind in type(exc).__mro__:
        if kind in table:
            return table[kind]
    raise KeyError(f"no row for {type(exc).__name__}")


def _said(server: Server, exc: Exception) -> str:
    """What the server said about an openai error (its body, else the client's message), redacted."""
    if not isinstance(exc, openai.APIError):
        return ""
    return server.said(exc.body) or server.redact(exc.message)


def _detail(server: Server, exc: openai.APIError) -> str:
    said = server.said(exc.body)
    return f" ({said})" if said else ""


def request_failure(exc: Exception, server: Server, attempts: int | None = None) -> Failure:
    """What a failed request (one of tuple(REQUEST)) means: the error to raise, whether to try again.

    `attempts` is how many were made, this one included (the message names it).
    """
    made = server.attempts if attempts is None else attempts
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        row = STATUS.get(status) or (_SERVER_FAILED if status >= 500 else _REJECTED)
        wait = retry_after(exc.response.headers) if row.retry else None
        error = error_for(row, server, status=status, detail=_detail(server, exc), attempts=made)
        return Failure(error, row.retry, wait)
    row = lookup(REQUEST, exc)
    return Failure(error_for(row, server, said=_said(server, exc), attempts=made), row.retry)


def stream_error(table: dict[type[Exception], Row], exc: Exception, server: Server) -> BackendError:
    """The error for a reply that broke while it was read (exc is one of tuple(table))."""
    row = lookup(table, exc)
    return error_for(row, server, said=_said(server, exc), what=str(exc))
