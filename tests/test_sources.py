"""A question limited to some documents: retrieval, the engine's nearest sentences and citations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, make_settings

from assistant import Assistant, QuestionError

OTHER = "2025-11-02-ferry-service-restored.txt"
FERRY = (
    "date 2025-11-02 The harbor authority said on Saturday that eleven children stranded by the storm "
    "were reunited with their families after the ferry service was restored.\n"
    "The ferry will run twice a day until the end of the month.\n"
)


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    seeds = tmp_path_factory.mktemp("two-seeds")
    for path in SEEDS.iterdir():
        shutil.copyfile(path, seeds / path.name)
    (seeds / OTHER).write_text(FERRY, encoding="utf-8")
    return Assistant(make_settings(seeds, tmp_path_factory.mktemp("two-index")))


def _announcement(bot: Assistant) -> str:
    return next(d.source for d in bot.documents if d.source != OTHER)


QUESTION = "How many children were reunited with their families?"


@pytest.mark.parametrize("which", ["announcement", "ferry"])
def test_a_question_limited_to_one_document_cites_only_it(two_documents: Assistant, which: str) -> None:
    source = OTHER if which == "ferry" else _announcement(two_documents)
    answer = two_documents.ask(QUESTION, sources=[source])
    assert not answer.abstained, answer.text
    assert answer.citations
    assert {c.source for c in answer.citations} == {source}
    assert {p.source for p in answer.passages} == {source}
    assert ("eleven" if which == "ferry" else "eight") in answer.text.lower()


def test_without_sources_both_documents_are_searched(two_documents: Assistant) -> None:
    _, passages = two_documents.retrieve(QUESTION)
    assert {p.source for p in passages} == {OTHER, _announcement(two_documents)}


def test_an_unknown_source_is_a_question_error_naming_the_documents(two_documents: Assistant) -> None:
    with pytest.raises(QuestionError, match=r"no document named 'nope.txt'.*2025-11-02-ferry"):
        two_documents.ask(QUESTION, sources=["nope.txt"])


def test_cli_source_limits_the_question_and_names_an_unknown_one(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(tmp_path / "index"), "ASSISTANT_SEEDS_DIR": str(SEEDS)}
    run = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", QUESTION, "--source", "nope.txt", "--source", "x.txt"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 2
    assert "no document named 'nope.txt', 'x.txt'" in run.stderr
    assert SEEDS.iterdir().__next__().name in run.stderr


def test_documents_that_give_different_values_are_both_cited_by_name(two_documents: Assistant) -> None:
    answer = two_documents.ask(QUESTION)
    assert not answer.abstained, answer.text
    assert answer.text.startswith("The documents differ.")
    assert {c.source for c in answer.citations} == {OTHER, _announcement(two_documents)}
    assert "eight" in answer.text.lower()
    assert "eleven" in answer.text.lower()
    for citation in answer.citations:
        assert f"“{citation.title}” ({citation.date})" in answer.text


def test_a_value_that_one_document_gives_is_not_a_disagreement(two_documents: Assistant) -> None:
    answer = two_documents.ask("How many times a day will the ferry run?")
    assert not answer.abstained, answer.text
    assert "differ" not in answer.text
    assert {c.source for c in answer.citations} == {OTHER}
