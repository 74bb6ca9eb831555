"""Faults tried for real: rebuilds by another process, kill -9 mid-index, unusable folders, bad input.

Every test that touches seeds compares their hashes before and after: the assistant never
writes, moves or deletes a seed file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS, make_settings

from assistant import Assistant, IndexStoreError, QuestionError
from assistant.documents import load_documents
from assistant.guard import check_history
from assistant.index import IndexStore

ANNOUNCEMENT = next(SEEDS.glob("*.txt"))


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def seeds(seeds_copy: Path) -> Iterator[Path]:
    """A copy of seeds/ whose files must be byte for byte the same when the test ends."""
    before = _hashes(seeds_copy)
    yield seeds_copy
    after = _hashes(seeds_copy)
    assert {k: v for k, v in after.items() if k in before} == before


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], env=env, capture_output=True, text=True, timeout=300
    )


def _env(seeds: Path, index: Path) -> dict[str, str]:
    return {**os.environ, "ASSISTANT_SEEDS_DIR": str(seeds), "ASSISTANT_INDEX_DIR": str(index)}


# -- a rebuild by another process --------------------------------------------------------


def test_a_running_assistant_keeps_answering_across_a_rebuild_by_another_process(
    tmp_path: Path, seeds: Path
) -> None:
    index = tmp_path / "index"
    bot = Assistant(make_settings(seeds, index))
    first = bot.retriever.generation.name
    assert "eight" in bot.ask("How many children were reunited?").text
    for _ in range(2):
        done = _cli("index", "--rebuild", env=_env(seeds, index))
        assert done.returncode == 0, done.stderr
        answer = bot.ask("How many children were reunited?")
        assert "eight" in answer.text
        assert answer.citations
    assert bot.retriever.generation.name != first  # it reopened the new index


# -- kill -9 in the middle of indexing -----------------------------------------------------


def test_an_index_killed_mid_build_resumes_from_the_files_it_had_recorded(
    tmp_path: Path, seeds: Path
) -> None:
    text = ANNOUNCEMENT.read_text(encoding="utf-8")
    for i in range(6):
        (seeds / f"copy-{i}.txt").write_text(text.replace("eight", f"{i + 10}"), encoding="utf-8")
    index = tmp_path / "index"
    env = _env(seeds, index)
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "-v", "index"],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    recorded = 0
    for line in proc.stderr:  # the point chosen: after the third file is recorded
        if "assistant.index: indexed " in line:
            recorded += 1
            if recorded == 3:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    store = IndexStore(make_settings(seeds, index))
    assert store.published() is None  # readers never saw the half-built index
    again = _cli("-v", "index", env=env)
    assert again.returncode == 0, again.stderr
    assert "interrupted" in again.stdout
    assert "older format" not in again.stdout + again.stderr
    embedded = again.stderr.count("assistant.index: indexed ")
    assert embedded <= 7 - 3
    files = store.manifest()["files"]
    assert sorted(files) == sorted(p.name for p in seeds.glob("*.txt"))
    sources = {n.metadata["source"] for n in store.nodes()}
    assert sources == set(files)


def test_rows_a_killed_build_wrote_before_its_first_record_are_not_kept(tmp_path: Path) -> None:
    """Killed inside its first batch: rows written, no file recorded; then the file was edited.
    The next build resumes that generation and keeps none of the old text's rows."""
    from assistant.progress import Progress
    from assistant.vectors import row_vectors, sentences_name

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    settings = make_settings(seeds, tmp_path / "index")
    store = IndexStore(settings)
    doc = load_documents(seeds).documents[0]
    half_built = store.new_generation()
    store._add(half_built, [doc], Progress(0))  # written, never recorded
    (seeds / doc.source).write_text("A new first paragraph.\n\n" + doc.text, encoding="utf-8")
    store.sync()
    published = store.published()
    assert published is not None
    assert published.name == half_built.name
    edited = load_documents(seeds).documents[0]
    nodes = list(store.iter_nodes(published))
    assert nodes
    assert all(n.get_content() == edited.text[n.metadata["start"] : n.metadata["end"]] for n in nodes)
    rows: Any = store.companion(sentences_name(published.name)).get(include=["metadatas"])
    held = sorted(key for meta in rows["metadatas"] for key, _ in row_vectors(meta))
    assert held == [(doc.source, i) for i in range(len(Assistant(settings).corpus.sentences[doc.source]))]


# -- folders that cannot be used are errors, never wiped --------------------------------------


def test_an_index_path_that_is_a_file_is_a_clear_error_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "index"
    path.write_text("my notes", encoding="utf-8")
    with pytest.raises(IndexStoreError, match=rf"{path}.*is a file.*ASSISTANT_INDEX_DIR"):
        Assistant(make_settings(SEEDS, path))
    assert path.read_text(encoding="utf-8") == "my notes"


def _as_nobody() -> list[str]:
    """Run as an unprivileged user: root ignores file permissions."""
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A temporary folder another user can enter (pytest's own are private to this user)."""
    if os.geteuid() == 0:
        readable = subprocess.run(
            [*_as_nobody(), sys.executable, "-c", "import assistant"], capture_output=True, timeout=120
        )
        if readable.returncode != 0:
            pytest.skip("user nobody cannot read this checkout (it lies in a private folder)")
    folder = Path(tempfile.mkdtemp(prefix="assistant-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for p in [folder, *folder.rglob("*")]:
            if not p.is_symlink():
                p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(folder)


def _home(folder: Path) -> Path:
    home = folder / "home"
    home.mkdir()
    home.chmod(0o777)
    return home


def _tree(folder: Path) -> dict[str, tuple[int, str]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mode, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _read_only_index(tmp_path: Path, folders: int) -> tuple[Path, Path]:
    """A built index whose files nobody may write (folders get `folders`); seeds readable by all."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    index = tmp_path / "index"
    Assistant(make_settings(seeds, index))
    for p in [tmp_path, seeds, *seeds.iterdir()]:
        p.chmod(p.stat().st_mode | stat.S_IROTH | stat.S_IXOTH)
    for p in [index, *index.rglob("*")]:
        p.chmod(folders if p.is_dir() else 0o444)
    return seeds, index


def test_a_read_only_index_answers_when_current_and_is_never_wiped(open_tmp: Path) -> None:
    tmp_path = open_tmp
    seeds, index = _read_only_index(tmp_path, folders=0o555)
    before = _tree(index)
    env = {**_env(seeds, index), "HOME": str(_home(tmp_path))}
    ask = [*_as_nobody(), sys.executable, "-m", "assistant", "ask", "How many children were reunited?"]
    done = subprocess.run(ask, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "eight" in done.stdout
    (seeds / "extra.txt").write_text("The museum opens on Monday.", encoding="utf-8")
    (seeds / "extra.txt").chmod(0o644)
    stale = subprocess.run(ask, env=env, capture_output=True, text=True, timeout=300)
    assert stale.returncode == 2
    assert str(index) in stale.stderr
    assert "Traceback" not in stale.stderr
    assert _tree(index) == before  # nothing deleted, nothing rebuilt
    for p in [index, *index.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)


def test_a_read_only_sqlite_file_in_a_writable_folder_is_not_deleted(open_tmp: Path) -> None:
    tmp_path = open_tmp
    seeds, index = _read_only_index(tmp_path, folders=0o777)
    (seeds / "extra.txt").write_text("The museum opens on Monday.", encoding="utf-8")
    (seeds / "extra.txt").chmod(0o644)
    before = _tree(index)
    env = {**_env(seeds, index), "HOME": str(_home(tmp_path))}
    done = subprocess.run(
        [*_as_nobody(), sys.executable, "-m", "assistant", "index"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert str(index) in done.stderr
    assert "Traceback" not in done.stderr
    assert {k: v for k, v in _tree(index).items() if k in before} == before
    assert (index / "chroma.sqlite3").exists()


# -- bad characters and unbounded input ----------------------------------------------------


@pytest.mark.parametrize("question", ["x\ud800", "How many\udcff children?"])
def test_a_question_that_is_not_valid_text_is_a_question_error(bot: Assistant, question: str) -> None:
    with pytest.raises(QuestionError, match="not valid text"):
        bot.ask(question)
    with pytest.raises(QuestionError, match=r"history\[1\] is not valid text"):
        bot.ask(
            "How many?", history=[{"role": "user", "content": "hi"}, {"role": "user", "content": question}]
        )


def test_a_cli_question_with_a_byte_that_is_not_utf8_fails_at_once(
    shared_index: Path, bot: Assistant
) -> None:
    env = _env(SEEDS, shared_index)
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", b"How many\xff children?"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert b"not valid text" in done.stderr
    assert b"Chroma" not in done.stderr


def test_history_is_capped_by_turns_and_characters(bot: Assistant) -> None:
    turns = [{"role": "user", "content": f"turn {i}"} for i in range(50)]
    kept = check_history(turns, max_turns=20, max_chars=20_000)
    assert [t.content for t in kept] == [f"turn {i}" for i in range(30, 50)]
    kept = check_history([{"role": "user", "content": "a" * 95}, *turns[:1]], max_turns=20, max_chars=100)
    assert [t.content for t in kept] == ["turn 0"]
    huge = [{"role": "user", "content": "word " * 1_000_000}]
    with pytest.raises(QuestionError, match="ASSISTANT_MAX_HISTORY_CHARS"):
        bot.ask("How many children were reunited?", history=huge)
    with pytest.raises(QuestionError, match="must be a list of messages, not str"):
        bot.ask("How many children were reunited?", history="text")


def test_a_seed_over_the_size_limit_is_skipped_with_a_message_naming_it(seeds: Path) -> None:
    (seeds / "big.txt").write_text("Words of a long file. " * 1000, encoding="utf-8")
    loaded = load_documents(seeds, max_bytes=10_000)
    assert "big.txt" not in {d.source for d in loaded.documents}
    assert "big.txt" in loaded.skipped["big.txt"]
    assert "ASSISTANT_MAX_SEED_BYTES" in loaded.skipped["big.txt"]


def test_control_characters_in_a_seed_are_never_quoted_back(tmp_path: Path, seeds: Path) -> None:
    (seeds / "nul.txt").write_text(
        "The museum\x00 opens on Monday. Tickets cost\x07 ten dollars.", encoding="utf-8"
    )
    bot = Assistant(make_settings(seeds, tmp_path / "index"))
    assert "control character" in bot.sync_report.skipped["nul.txt"]
    answer = bot.ask("When does the museum open?")
    for c in answer.citations:
        assert not any(ch in c.quote for ch in "\x00\x07")
    assert "\x00" not in answer.text


# -- messages --------------------------------------------------------------------------------


def test_links_and_folders_named_like_seeds_are_reported(seeds: Path) -> None:
    (seeds / "loop.txt").symlink_to(seeds / "loop.txt")
    (seeds / "dangling.txt").symlink_to(seeds / "missing.txt")
    (seeds / "x.txt").mkdir()
    skipped = load_documents(seeds).skipped
    assert "loops" in skipped["loop.txt"]
    assert "does not exist" in skipped["dangling.txt"]
    assert "is a folder" in skipped["x.txt"]


def test_when_no_seed_is_usable_nothing_claims_the_others_were_indexed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_bytes(b"\xff\xfe bad")
    done = _cli("index", env=_env(seeds, tmp_path / "index"))
    assert done.returncode == 2
    assert "nothing was indexed" in done.stderr
    assert "other seed files were indexed" not in done.stderr


def test_a_skipped_seed_is_reported_once(tmp_path: Path, seeds: Path) -> None:
    (seeds / "latin1.txt").write_bytes("Caf\xe9.".encode("latin-1"))
    done = _cli("index", env=_env(seeds, tmp_path / "index"))
    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).count("latin1.txt is not UTF-8") == 1
    shutil.rmtree(tmp_path / "index")
