"""The stream reader: text deltas of a Chat Completions stream, or of one JSON body sent instead.

A failure mid-stream (a stall past the timeout, an error event, a broken connection, a
chunk that is not JSON or has no choices) ends the reply with the error the table maps it
to; the deltas before it have been shown. The error is raised outside `except`.

A reply that ends without finish_reason "stop" (cut at the server's token limit, or a
stream that closed before its last chunk and `[DONE]`) is recorded in the Ending, so that
the Answer can say it is incomplete.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import openai
from openai.types.chat import ChatCompletionChunk

from assistant.backends.openai.errors import JSON_BODY, MID_STREAM, REPORTED, error_for, stream_error
from assistant.backends.openai.replies import delta_text, json_message_text
from assistant.backends.openai.server import Server
from assistant.errors import BackendError

log = logging.getLogger(__name__)

Stream = openai.Stream[ChatCompletionChunk]
COMPLETE = frozenset({"stop", "eos", "end_turn"})  # finish reasons of a reply the model ended itself


@dataclass
class Ending:
    """How a reply ended: its last finish_reason (None when the stream closed before sending one)."""

    finish: str | None = None

    @property
    def incomplete(self) -> bool:
        return self.finish not in COMPLETE


def _next(iterator: Iterator[ChatCompletionChunk]) -> tuple[str, str | None] | None:
    try:
        return delta_text(next(iterator))
    except StopIteration:
        return None


def deltas(stream: Stream, server: Server, ending: Ending | None = None) -> Iterator[str]:
    """The text deltas of a stream; a failure mid-stream becomes the error MID_STREAM maps it to.

    `ending.finish` is set to the reply's finish_reason once the stream has ended.
    """
    ending = ending if ending is not None else Ending()
    if "json" in stream.response.headers.get("content-type", "").lower():
        yield from json_body(stream, server, ending)
        return
    error: BackendError | None = None
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
            ending.finish = reason or ending.finish
            if text:
                yield text
    finally:
        stream.close()
    if error is not None:
        raise error
    if ending.finish == "length":
        log.warning("openai backend: the reply of %r was cut off at the server's token limit", server.model)
    elif ending.incomplete:
        log.warning(
            "openai backend: the reply of %r ended without finishing (finish_reason=%r)",
            server.model,
            ending.finish,
        )


def json_body(stream: Stream, server: Server, ending: Ending) -> Iterator[str]:
    """A server that ignored stream=true and sent one JSON body: its whole text, or an error."""
    error: BackendError | None = None
    text = ""
    try:
        data = json.loads(stream.response.read())
        if isinstance(data, dict) and data.get("error"):
            error = error_for(REPORTED, server, said=server.said(data))
        else:
            text, ending.finish = json_message_text(data)
    except tuple(JSON_BODY) as exc:
        error = stream_error(JSON_BODY, exc, server)
    finally:
        stream.close()
    if error is not None:
        raise error
    if text:
        yield text
