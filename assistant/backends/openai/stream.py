"""The stream reader: text deltas of a Chat Completions stream, or of one JSON body sent instead.

A failure mid-stream (a stall past the timeout, an error event, a broken connection, a
chunk that is not JSON or has no choices) ends the reply with the error the table maps it
to; the deltas before it have been shown. The error is raised outside `except`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import openai
from openai.types.chat import ChatCompletionChunk

from assistant.backends.openai.errors import JSON_BODY, MID_STREAM, REPORTED, error_for, stream_error
from assistant.backends.openai.replies import delta_text, json_message_text
from assistant.backends.openai.server import Server
from assistant.errors import BackendError

log = logging.getLogger(__name__)

Stream = openai.Stream[ChatCompletionChunk]


def _next(iterator: Iterator[ChatCompletionChunk]) -> tuple[str, str | None] | None:
    try:
        return delta_text(next(iterator))
    except StopIteration:
        return None


def deltas(stream: Stream, server: Server) -> Iterator[str]:
    """The text deltas of a stream; a failure mid-stream becomes the error MID_STREAM maps it to."""
    if "json" in stream.response.headers.get("content-type", "").lower():
        yield from json_body(stream, server)
        return
    error: BackendError | None = None
    finish: str | None = None
    iterator = iter(stream)
    try:
        while True:
            try:
                read = _next(iterator)
            except tuple(MID_STREAM) as exc:
                error = stream_error(MID_STREAM, exc, server)
                break
            if read is None:
                break
            text, reason = read
            finish = reason or finish
            if text:
                yield text
    finally:
        stream.close()
    if error is not None:
        raise error
    if finish == "length":
        log.warning("openai backend: the reply of %r was cut off at the server's token limit", server.model)


def json_body(stream: Stream, server: Server) -> Iterator[str]:
    """A server that ignored stream=true and sent one JSON body: its whole text, or an error."""
    error: BackendError | None = None
    text = ""
    try:
        data = json.loads(stream.response.read())
        if isinstance(data, dict) and data.get("error"):
            error = error_for(REPORTED, server, said=server.said(data))
        else:
            text = json_message_text(data)
    except tuple(JSON_BODY) as exc:
        error = stream_error(JSON_BODY, exc, server)
    finally:
        stream.close()
    if error is not None:
        raise error
    if text:
        yield text
