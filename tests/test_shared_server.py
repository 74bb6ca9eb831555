"""Shared server mode: two app processes on one real `chroma run` server.

They answer the same, and a document that one of them indexes is answered by the other at
its next question, without a restart (the seeds folder is shared, as a newsroom's would be).
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS

START_TIMEOUT_S = 300.0

# One app process: builds or opens the index, then answers JSON lines from stdin.
WORKER = r"""
import json, sys
from assistant import Assistant
bot = Assistant()
print(json.dumps({"added": bot.sync_report.added}), flush=True)
for line in sys.stdin:
    asked = json.loads(line)
    if "refresh" in asked:
        report = bot.refresh()
        print(json.dumps({"added": report.added}), flush=True)
        continue
    answer = bot.ask(asked["question"])
    print(json.dumps({
        "text": answer.text,
        "abstained": answer.abstained,
        "citations": [[c.source, c.start, c.end] for c in answer.citations],
    }), flush=True)
"""

NEW_DOCUMENT = (
    "Port of Calder opens a ferry terminal\n\n"
    "The Port of Calder will open its new ferry terminal on March 3, 2026, the harbor authority "
    "said on Tuesday. The terminal cost $41 million and will serve about 2,400 passengers a day. "
    "Harbor director Ines Marlow said the old pier will close once the terminal opens.\n"
)
NEW_SOURCE = "2026-01-20-calder-ferry-terminal.txt"
QUESTIONS = [
    "How many children were reunited?",
    "who did the first lady write to",
    "What is the capital of France?",
]


class App:
    """An app process speaking JSON lines; stopped when the test ends."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def read(self, timeout: float = START_TIMEOUT_S) -> dict[str, Any]:
        assert self.process.stdout is not None
        # selectors (epoll), not select.select: this test process may hold descriptors past 1024
        with selectors.DefaultSelector() as waiting:
            waiting.register(self.process.stdout, selectors.EVENT_READ)
            ready = waiting.select(timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            pytest.fail(f"the app process gave no reply within {timeout:g} s (exit {self.process.poll()})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def send(self, **what: str | bool) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(what) + "\n")
        self.process.stdin.flush()
        return self.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def test_two_apps_on_one_chroma_server_answer_the_same_and_follow_a_new_document(
    tmp_path: Path, chroma_server: int
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    env = {
        **os.environ,
        "CHROMA_HOST": "127.0.0.1",
        "CHROMA_PORT": str(chroma_server),
        "ASSISTANT_COLLECTION": f"shared{int(time.time() * 1000) % 10**8}",
        "ASSISTANT_SEEDS_DIR": str(seeds),
        "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
    }
    first = App(env)
    second: App | None = None
    try:
        assert first.read()["added"]  # the first app built the index on the server
        second = App(env)
        assert second.read()["added"] == []  # the second found it built: it embedded no document
        for question in QUESTIONS:
            one, two = first.send(question=question), second.send(question=question)
            assert one == two, question
        assert not first.send(question=QUESTIONS[0])["abstained"]

        asked = "How much did the new ferry terminal cost?"
        assert second.send(question=asked)["abstained"]
        (seeds / NEW_SOURCE).write_text(NEW_DOCUMENT, encoding="utf-8")
        assert first.send(refresh=True)["added"] == [NEW_SOURCE]
        for app in (second, first):  # the other app follows at its next question
            answer = app.send(question=asked)
            assert not answer["abstained"], answer
            assert "$41 million" in answer["text"]
            assert {source for source, _, _ in answer["citations"]} == {NEW_SOURCE}
    finally:
        first.stop()
        if second is not None:
            second.stop()
