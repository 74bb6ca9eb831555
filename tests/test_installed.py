"""The package installed from a wheel, not run from the checkout: defaults come from the working directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def _install(target: Path, tmp_path: Path) -> None:
    """pip install (not editable) a copy of the project's sources into target."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "assistant", source / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


def test_assistant_ask_works_from_an_installed_wheel(tmp_path: Path) -> None:
    target, workdir, seeds = tmp_path / "site", tmp_path / "work", tmp_path / "my-seeds"
    _install(target, tmp_path)
    assert (target / "assistant" / "prompts" / "answer_system.txt").is_file()
    workdir.mkdir()
    shutil.copytree(SEEDS, seeds)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OPENAI_", "CHROMA_"))}
    env.update(PYTHONPATH=str(target), ASSISTANT_SEEDS_DIR=str(seeds), HF_HUB_OFFLINE="1")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, env=env, cwd=workdir, timeout=600
        )

    where = run("-c", "import assistant; print(assistant.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(target)  # not the checkout
    asked = run("-m", "assistant", "ask", "How many children were reunited?", "--json")
    assert asked.returncode == 0, asked.stderr[-3000:]
    answer = json.loads(asked.stdout)
    assert "eight" in answer["text"]
    c = answer["citations"][0]
    assert (seeds / c["source"]).read_text(encoding="utf-8")[c["start"] : c["end"]] == c["quote"]
    assert (workdir / "index").is_dir()  # the default index folder is the working directory's
