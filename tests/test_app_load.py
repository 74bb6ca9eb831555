"""A bounded load on loopback: 20 gradio_client users at once, 3 golden questions each."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from app_server import AppServer, golden, matches
from gradio_client import Client

pytest_plugins = ["app_server"]
pytestmark = [pytest.mark.server, pytest.mark.slow]

USERS = 20
QUESTIONS_EACH = 3
# Answerable golden questions, asked round-robin so that users overlap on some and not on others.
POOL = ("q01", "q04", "q05", "q07", "q11", "q14", "q16", "q23", "q25", "q28", "q32", "q42", "q48")


@dataclass
class Result:
    user: int
    qid: str
    seconds: float
    answer: dict[str, Any] | None = None
    error: str | None = None


def run_user(url: str, user: int, items: list[dict[str, Any]], start: threading.Barrier) -> list[Result]:
    client = Client(url, verbose=False)
    start.wait(timeout=120)
    results = []
    for item in items:
        began = time.perf_counter()
        try:
            answer = client.predict(item["question"], api_name="/ask")
            results.append(Result(user, item["id"], time.perf_counter() - began, answer=answer))
        except Exception as exc:  # recorded, then asserted on: one failure must not hide the others
            results.append(Result(user, item["id"], time.perf_counter() - began, error=repr(exc)))
    return results


def test_twenty_concurrent_users_all_answered_correctly(app_server: AppServer) -> None:
    items = golden(*POOL)
    plans = [
        [items[(u * QUESTIONS_EACH + k) % len(items)] for k in range(QUESTIONS_EACH)] for u in range(USERS)
    ]
    start = threading.Barrier(USERS)
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        futures = [pool.submit(run_user, app_server.url, u, plan, start) for u, plan in enumerate(plans)]
        results = [r for f in futures for r in f.result(timeout=600)]
    wall = time.perf_counter() - began

    by_id = {item["id"]: item for item in items}
    errors = [f"user {r.user} {r.qid}: {r.error}" for r in results if r.error]
    wrong = [
        f"user {r.user} {r.qid}: {r.answer['text'][:120]!r}"
        for r in results
        if r.answer is not None and not matches(r.answer["text"], by_id[r.qid]["must_include"])
    ]
    latencies = sorted(r.seconds for r in results)
    print(
        f"\n{len(results)} answers from {USERS} users in {wall:.1f}s; latency p50 "
        f"{latencies[len(latencies) // 2]:.2f}s, max {latencies[-1]:.2f}s"
    )
    assert len(results) == USERS * QUESTIONS_EACH
    assert not errors, "\n".join(errors)
    assert not wrong, "\n".join(wrong)
    assert all(r.answer and r.answer["citations"] and not r.answer["abstained"] for r in results)
