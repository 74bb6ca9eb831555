"""Reading what the server sent: stream chunks, completions, decoded JSON, condensed questions.

Anything without the shape of a chat completion raises Malformed, which the error table
turns into a MalformedReplyError naming what was wrong.
"""

from __future__ import annotations

import re

from openai.types.chat import ChatCompletion

from assistant.backends.openai.sentinels import sentinel_of
from assistant.markers import strip_markers
from assistant.normalise import one_line


class Malformed(Exception):
    """The server's reply does not have the shape of a chat completion."""


def delta_text(chunk: object) -> tuple[str, str | None]:
    """The content delta of a stream chunk and its finish_reason; Malformed when it has no choices."""
    choices = getattr(chunk, "choices", None)
    if not isinstance(choices, list):
        raise Malformed("a stream chunk without choices")
    if not choices:
        return "", None  # e.g. a usage-only chunk
    choice = choices[0]
    delta = getattr(choice, "delta", None)
    content = getattr(delta, "content", None) if delta is not None else None
    if content is not None and not isinstance(content, str):
        raise Malformed("a stream chunk whose content is not text")
    reason = getattr(choice, "finish_reason", None)
    return content or "", reason if isinstance(reason, str) else None


def message_text(completion: object) -> str:
    """The reply text of a non-streamed completion; Malformed when it has none."""
    if not isinstance(completion, ChatCompletion):
        raise Malformed("a reply that is not a chat completion (JSON)")
    choices = getattr(completion, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise Malformed("a completion without choices")
    message = getattr(choices[0], "message", None)
    content = getattr(message, "content", None)
    if not isinstance(content, str):
        raise Malformed("a completion without message content")
    return content


def json_message_text(data: object) -> tuple[str, str]:
    """choices[0].message.content of a decoded chat completion and its finish_reason ("stop" when
    the body gives none: it is whole); Malformed when the content is missing."""
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise Malformed("a completion without choices")
    message = choices[0].get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise Malformed("a completion without message content")
    finish = choices[0].get("finish_reason")
    return content, finish if isinstance(finish, str) else "stop"


def standalone_question(reply: str, max_chars: int) -> str:
    """The question a condense reply gives ("" when it gives none that can be used)."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    text = re.sub(r"^(?:standalone|rewritten)?\s*question\s*:\s*", "", lines[0], flags=re.IGNORECASE)
    text = one_line(strip_markers(text)).strip("*_`\"'“” ")
    if not text or sentinel_of(text, final=True) or len(text) > max_chars:
        return ""
    return text
