"""A scripted OpenAI-compatible chat server on loopback, for the openai backend's tests.

It speaks POST /v1/chat/completions like OpenAI does: a JSON chat.completion, or with
"stream": true a text/event-stream of chat.completion.chunk events ending in
`data: [DONE]`, sent with chunked transfer encoding. Each request takes the next
scripted Behaviour from a queue (or `default` once the queue is empty) and is
recorded, so a test can check what the prompt held.

    with FakeOpenAI() as server:
        server.script(error(429, headers={"Retry-After": "0"}), reply("Eight children [3]."))
        ... Settings(openai_base_url=server.url, ...) ...
        server.requests[0].model
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def model(self) -> str:
        return str(self.body.get("model"))

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def system(self) -> str:
        return "\n".join(str(m["content"]) for m in self.messages if m.get("role") == "system")

    @property
    def user(self) -> str:
        """The last user message."""
        return next((str(m["content"]) for m in reversed(self.messages) if m.get("role") == "user"), "")

    def sources(self) -> dict[int, str]:
        """The numbered source sentences in the prompt: {n: text}."""
        return {
            int(m.group(1)): m.group(2) for m in re.finditer(r"^\[(\d+)\] (.*)$", self.user, re.MULTILINE)
        }

    def source_number(self, needle: str) -> int:
        """The number of the first source sentence that contains `needle`."""
        for n, text in sorted(self.sources().items()):
            if needle in text:
                return n
        raise AssertionError(f"no numbered source contains {needle!r}; sources: {self.sources()}")


Text = str | Callable[[Request], str]


@dataclass
class Behaviour:
    """What the server does with one request."""

    status: int = 200
    text: Text | None = None  # a reply, as JSON or as SSE chunks
    chunks: Callable[[str], list[str]] | None = None  # how a streamed reply is cut
    finish_reason: str = "stop"
    body: bytes | None = None  # a raw body instead (malformed replies, errors)
    content_type: str = "application/json"
    sse: list[str] | None = None  # raw SSE data lines instead of chunks built from text
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    stall_after: int | None = None  # stream this many chunks, then stall for `stall`
    stall: float = 0.0
    # how a stream ends: "done" (finish chunk, then [DONE]), "no_done" (finish chunk, no [DONE]),
    # "cut" (the connection closes after the content: no finish chunk, no [DONE])
    end: str = "done"


def pieces(size: int) -> Callable[[str], list[str]]:
    """Cut a reply into pieces of `size` characters (so markers get cut too)."""
    return lambda text: [text[i : i + size] for i in range(0, len(text), size)] or [""]


def reply(
    text: Text,
    chunks: Callable[[str], list[str]] | list[str] | None = None,
    finish_reason: str = "stop",
    **extra: Any,
) -> Behaviour:
    """A successful reply. `chunks` is a fixed list of pieces or a function that cuts the text."""
    if isinstance(chunks, list):
        fixed = chunks
        return Behaviour(text="".join(fixed), chunks=lambda _: fixed, finish_reason=finish_reason, **extra)
    return Behaviour(text=text, chunks=chunks or pieces(4), finish_reason=finish_reason, **extra)


def error(status: int, message: str = "error", headers: dict[str, str] | None = None) -> Behaviour:
    """An OpenAI-style error: {"error": {"message", "type", "param", "code"}}."""
    body = {"error": {"message": message, "type": "test_error", "param": None, "code": str(status)}}
    return Behaviour(status=status, body=json.dumps(body).encode(), headers=headers or {})


def raw(body: bytes, content_type: str = "application/json", status: int = 200) -> Behaviour:
    """Any body at all, e.g. malformed JSON."""
    return Behaviour(status=status, body=body, content_type=content_type)


def raw_sse(*data: str) -> Behaviour:
    """An event stream of these `data:` payloads, as given (no [DONE] is added)."""
    return Behaviour(sse=list(data), content_type="text/event-stream")


def delayed(seconds: float, then: Behaviour) -> Behaviour:
    then.delay = seconds
    return then


def completion(model: str, text: str, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-test123",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": "fp_test",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def chunk(model: str, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test123",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": "fp_test",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10  # an idle keep-alive connection ends after this

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw_body or b"{}")
        except ValueError:
            body = {"_raw": raw_body.decode("utf-8", "replace")}
        request = Request("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        self.server.fake.requests.append(request)
        behaviour = self.server.fake.next_behaviour()
        try:
            self._respond(request, behaviour)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _head(self, status: int, content_type: str, headers: dict[str, str], length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("x-request-id", "req_test")
        for name, value in headers.items():
            self.send_header(name, value)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _respond(self, request: Request, b: Behaviour) -> None:
        fake = self.server.fake
        if b.delay and fake.stopping.wait(b.delay):
            return
        if request.path.rstrip("/") != "/v1/chat/completions":
            b = error(404, f"no route for {request.path}")
        if b.body is not None:
            self._head(b.status, b.content_type, b.headers, len(b.body))
            self.wfile.write(b.body)
            return
        model = request.model
        if b.sse is not None:
            self._head(b.status, b.content_type, b.headers, None)
            for data in b.sse:
                self._send_chunk(f"data: {data}\n\n".encode())
            self._send_chunk(b"")
            return
        text = b.text(request) if callable(b.text) else (b.text or "")
        if not request.stream:
            payload = json.dumps(completion(model, text, b.finish_reason)).encode()
            self._head(b.status, "application/json", b.headers, len(payload))
            self.wfile.write(payload)
            return
        self._head(b.status, "text/event-stream; charset=utf-8", b.headers, None)
        events = [chunk(model, {"role": "assistant", "content": ""})]
        events += [chunk(model, {"content": piece}) for piece in (b.chunks or pieces(4))(text)]
        if b.end != "cut":
            events.append(chunk(model, {}, b.finish_reason))
        for i, event in enumerate(events):
            if b.stall_after is not None and i == b.stall_after and fake.stopping.wait(b.stall):
                return
            self._send_chunk(f"data: {json.dumps(event)}\n\n".encode())
        if b.end == "done":
            self._send_chunk(b"data: [DONE]\n\n")
        self._send_chunk(b"")
        if b.end == "cut":
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client that hung up
        pass


class FakeOpenAI:
    """The server, its script and what it received. Use as a context manager."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.default: Behaviour = error(500, "the test server has no scripted reply left")
        self.stopping = threading.Event()
        self._queue: queue.Queue[Behaviour] = queue.Queue()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="fake-openai", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        for b in behaviours:
            self._queue.put(b)

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            try:
                return self._queue.get_nowait()
            except queue.Empty:
                return self.default

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
