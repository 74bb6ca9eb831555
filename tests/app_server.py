"""The chat app as a real server on loopback: `python app.py --port N` in a subprocess.

Test modules load this file as a plugin, `pytest_plugins = ["app_server"]`, so that the
session fixtures are defined once: one app serves the API, browser and load tests.
(Importing the fixture functions instead would start one server per module.)
PYTEST_DONT_REWRITE: test modules also import its helpers, before pytest loads it as a plugin.

The apps a run needs start as soon as collection ends, so that they boot while other
fixtures (the in-process Assistant) set up; all stop when the session ends. Each app
gets a temporary index and runs in a temporary working directory, so neither the
repo's index/ nor a developer's .env is ever used.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN, ROOT, SEEDS, SETTINGS_ENV, free_port

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Settings a developer's shell may hold; the app under test gets none of them.
_DROP = (
    *SETTINGS_ENV,
    "ASSISTANT_HOST",
    "ASSISTANT_PORT",
    "ASSISTANT_CONCURRENCY",
    "GRADIO_SERVER_NAME",
    "GRADIO_SERVER_PORT",
    "GRADIO_ROOT_PATH",
)
START_TIMEOUT_S = 240.0


@dataclass
class AppServer:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""


def start_app(workdir: Path, env: Mapping[str, str] | None = None, gradio_env: bool = False) -> AppServer:
    """Start app.py on a free loopback port; returns at once (see `wait_ready`).

    The port and interface go on the command line, or with `gradio_env` in Gradio's own
    GRADIO_SERVER_PORT and GRADIO_SERVER_NAME, which the app must honour.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    child_env = {k: v for k, v in os.environ.items() if k not in _DROP}
    child_env.update(
        ASSISTANT_INDEX_DIR=str(workdir / "index"),
        ASSISTANT_SEEDS_DIR=str(SEEDS),
        NO_PROXY="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    child_env.update(env or {})
    port = free_port()
    command = [sys.executable, str(ROOT / "app.py")]
    if gradio_env:
        child_env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port))
    else:
        command += ["--host", "127.0.0.1", "--port", str(port)]
    log = workdir / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=child_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return AppServer(f"http://127.0.0.1:{port}/", port, process, log)


def wait_ready(server: AppServer, timeout: float = START_TIMEOUT_S) -> None:
    """Wait until the app's page answers; fail with its log if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"app.py exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    stop_app(server)
    pytest.fail(f"app.py did not answer on {server.url} within {timeout:.0f}s:\n{server.log_tail()}")


def stop_app(server: AppServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def golden(*ids: str) -> list[dict[str, Any]]:
    """Golden items by id, in the order asked."""
    items = {}
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            items[item["id"]] = item
    return [items[i] for i in ids]


def matches(text: str, must_include: Sequence[Sequence[str]]) -> bool:
    """Every group has at least one alternative in the text (case-insensitive)."""
    lowered = text.lower()
    return all(any(alt.lower() in lowered for alt in group) for group in must_include)


def _app_env(name: str) -> dict[str, str]:
    if name == "chroma_down":  # a Chroma server that is not there
        return {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(free_port())}
    if name == "openai_down":  # an OpenAI-compatible server that is not there
        return {
            "ASSISTANT_BACKEND": "openai",
            "OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
            "OPENAI_API_KEY": "sk-test-not-a-real-key",
            "ASSISTANT_MODEL": "test-model",
            "ASSISTANT_MAX_RETRIES": "0",
            "ASSISTANT_TIMEOUT": "5",
        }
    return {}


_NEEDS = {"app_server": ("app",), "failing_apps": ("chroma_down", "openai_down")}
_apps: dict[str, AppServer] = {}
_workdir: list[Path] = []


def _app(name: str) -> AppServer:
    """The named app, started once per session."""
    if name not in _apps:
        if not _workdir:
            _workdir.append(Path(tempfile.mkdtemp(prefix="assistant-app-tests-")))
        # The main app is told where to listen the way hosting platforms do, in Gradio's variables.
        _apps[name] = start_app(_workdir[0] / name, _app_env(name), gradio_env=name == "app")
    return _apps[name]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Boot the apps the selected tests need now, so that they start while other fixtures set up."""
    used = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    for fixture, apps in _NEEDS.items():
        if fixture in used:
            for name in apps:
                _app(name)


def pytest_sessionfinish(session: pytest.Session) -> None:
    for server in _apps.values():
        stop_app(server)
    for workdir in _workdir:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def app_server() -> AppServer:
    """One extractive app over the real seeds, its index in a temporary folder.

    Started without --host/--port: GRADIO_SERVER_NAME and GRADIO_SERVER_PORT say where it listens.
    """
    server = _app("app")
    wait_ready(server)
    return server


@pytest.fixture(scope="session")
def failing_apps() -> dict[str, AppServer]:
    """Apps whose backends are down: a Chroma server that is not there, an OpenAI server that is not."""
    servers = {name: _app(name) for name in _NEEDS["failing_apps"]}
    for server in servers.values():
        wait_ready(server)
    return servers
