"""The model server as this backend sees it: a URL safe to show, what it said, how long to wait.

The key is kept for redaction only: it never appears in a message, a log line or a repr.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from assistant.normalise import one_line

OPENAI_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"  # local servers (Ollama, vLLM, llama.cpp) ignore the key
SERVER_MESSAGE_CHARS = 200


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


@dataclass(frozen=True)
class Server:
    """Who the backend talks to, as error messages name it; `said` reads its error bodies."""

    url: str  # display_url of the base URL
    model: str | None
    max_retries: int
    timeout_s: float
    key: str = field(default=PLACEHOLDER_KEY, repr=False)

    @property
    def attempts(self) -> int:
        return self.max_retries + 1

    def redact(self, text: str) -> str:
        if self.key != PLACEHOLDER_KEY and len(self.key) >= 4:
            text = text.replace(self.key, "***")
        return text

    def said(self, body: object) -> str:
        """What the server said in an error body ({"error": {"message": ...}}), without the key, short."""
        message: object = body
        if isinstance(body, dict):
            error = body.get("error", body)
            message = error.get("message", error) if isinstance(error, dict) else error
        text = one_line(str(message)) if message not in (None, "", {}) else ""
        text = self.redact(text)
        return text[:SERVER_MESSAGE_CHARS] + ("…" if len(text) > SERVER_MESSAGE_CHARS else "")
