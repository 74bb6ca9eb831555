"""Retries: 429, 408, 5xx, timeouts and connection failures, with exponential backoff, within one deadline.

The openai client itself does not retry (max_retries=0). A failure the error table marks
for retry is tried again after BACKOFF_BASE_S * 2**attempt seconds (capped, with a little
jitter), or after the server's Retry-After (capped); the last failure is raised outside
the `except` block, so that no openai exception (whose request holds the Authorization
header) is chained to it.

ASSISTANT_TIMEOUT is a deadline for the whole request, retries and waits included: each
attempt gets the time that is left, and no retry is made that could not start with at
least MIN_ATTEMPT_S left. A reply that has started streaming may pause up to that same
time between chunks.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

import openai

from assistant.backends.openai.errors import REQUEST, Failure, request_failure
from assistant.backends.openai.server import Server

log = logging.getLogger(__name__)

T = TypeVar("T")

# Retries: delay = BACKOFF_BASE_S * 2**attempt (capped), or the server's Retry-After (capped).
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
RETRY_AFTER_CAP_S = 20.0
MIN_ATTEMPT_S = 0.1  # an attempt with less time than this left is not made


def backoff(attempt: int, wait: float | None) -> float:
    """Seconds to wait before retry number attempt + 1."""
    if wait is not None:
        return min(wait, RETRY_AFTER_CAP_S)
    delay = min(BACKOFF_BASE_S * 2.0**attempt, BACKOFF_CAP_S)
    return delay * (1 + 0.1 * random.random())


def _rejects_temperature(exc: openai.BadRequestError, server: Server) -> bool:
    return "temperature" in server.said(exc.body).lower()


class Requester:
    """Sends requests to one server, retrying as the error table says; remembers a refused temperature."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.temperature: float | None = 0.0

    def __call__(self, call: Callable[[float | None, float], T]) -> T:
        """call(temperature, timeout), retried on 429, 408, 5xx, timeouts and connection failures
        until the server's deadline (timeout_s from now); mapped errors."""
        deadline = time.monotonic() + self.server.timeout_s
        attempt = 0
        while True:
            failure: Failure
            left = max(deadline - time.monotonic(), MIN_ATTEMPT_S)
            try:
                return call(self.temperature, left)
            except openai.BadRequestError as exc:
                if self.temperature is not None and _rejects_temperature(exc, self.server):
                    log.info(
                        "the model %r does not accept temperature=0; asking again without it",
                        self.server.model,
                    )
                    self.temperature = None
                    continue
                failure = request_failure(exc, self.server, attempt + 1)
            except tuple(REQUEST) as exc:
                failure = request_failure(exc, self.server, attempt + 1)
            delay = backoff(attempt, failure.wait) if failure.retry else 0.0
            out_of_time = time.monotonic() + delay + MIN_ATTEMPT_S > deadline
            if not failure.retry or attempt >= self.server.max_retries or out_of_time:
                raise failure.error  # outside `except`: no openai exception is chained
            attempt += 1
            log.warning(
                "openai backend: %s; retry %d of %d in %.2f s",
                type(failure.error).__name__,
                attempt,
                self.server.max_retries,
                delay,
            )
            time.sleep(delay)
