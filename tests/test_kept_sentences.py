"""Sentence spans kept beside the index: a start on unchanged seeds does not split them again."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SEEDS

import assistant.kept_sentences as kept
from assistant.corpus import Corpus
from assistant.documents import Document, load_documents
from assistant.splitting import Sentence, split_sentences
from assistant.vectors import StoredVectors


def _seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    (folder / "second.txt").write_text(
        "date 2025-05-01\nThe council met on Monday. It voted to repair 12 bridges.\n", encoding="utf-8"
    )
    return folder


def _documents(folder: Path) -> list[Document]:
    return load_documents(folder).documents


def _no_splitting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    split: list[str] = []

    def counted(doc: Document) -> list[Sentence]:
        split.append(doc.source)
        return split_sentences(doc)

    monkeypatch.setattr(kept, "split_sentences", counted)
    return split


def test_a_second_start_reads_the_spans_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents(_seeds(tmp_path))
    first = kept.sentences_of(documents, tmp_path / "index")
    assert first == {d.source: split_sentences(d) for d in documents}
    split = _no_splitting(monkeypatch)
    assert kept.sentences_of(documents, tmp_path / "index") == first
    assert split == []


def test_a_changed_file_is_split_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _seeds(tmp_path)
    kept.sentences_of(_documents(folder), tmp_path / "index")
    (folder / "second.txt").write_text("The council met on Tuesday. It voted no.\n", encoding="utf-8")
    split = _no_splitting(monkeypatch)
    found = kept.sentences_of(_documents(folder), tmp_path / "index")
    assert split == ["second.txt"]
    assert [s.text for s in found["second.txt"]] == ["The council met on Tuesday.", "It voted no."]


def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    documents = _documents(_seeds(tmp_path))
    index = tmp_path / "index"
    index.mkdir()
    (index / kept.FILE_NAME).write_text("{not json", encoding="utf-8")
    expected = {d.source: split_sentences(d) for d in documents}
    assert kept.sentences_of(documents, index) == expected
    # spans written by another splitter (another fingerprint) are not trusted
    data = json.loads((index / kept.FILE_NAME).read_text(encoding="utf-8"))
    shifted = {sha: [[i, p, s + 1, e] for i, p, s, e in rows] for sha, rows in data["spans"].items()}
    (index / kept.FILE_NAME).write_text(json.dumps({"splitter": "other", "spans": shifted}), encoding="utf-8")
    assert kept.sentences_of(documents, index) == expected


def test_a_folder_that_cannot_be_written_only_costs_the_splitting(tmp_path: Path) -> None:
    documents = _documents(_seeds(tmp_path))
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    assert kept.sentences_of(documents, blocked) == {d.source: split_sentences(d) for d in documents}


def test_building_the_index_keeps_the_spans_a_start_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import make_settings

    from assistant.index import IndexStore

    folder = _seeds(tmp_path)
    IndexStore(make_settings(folder, tmp_path / "index")).sync()
    split = _no_splitting(monkeypatch)
    documents = _documents(folder)
    assert kept.sentences_of(documents, tmp_path / "index") == {
        d.source: split_sentences(d) for d in documents
    }
    assert split == []


def test_an_answering_process_reads_each_files_sentences_from_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer step takes a file's sentences from the rows the index stored (one read for the
    files a question needs), the same as splitting gives; a file the index holds in another
    version is split here."""
    from conftest import make_settings

    import assistant.corpus as corpus_module
    from assistant import Assistant

    folder = _seeds(tmp_path)
    bot = Assistant(make_settings(folder, tmp_path / "index"))
    split: list[str] = []

    def counted(doc: Document) -> list[Sentence]:
        split.append(doc.source)
        return split_sentences(doc)

    monkeypatch.setattr(corpus_module, "split_sentences", counted)
    documents = _documents(folder)
    bot.corpus.read(d.source for d in documents)
    assert {d.source: bot.corpus.sentences[d.source] for d in documents} == {
        d.source: split_sentences(d) for d in documents
    }
    assert split == []
    assert not bot.ask("How many bridges will the council repair?").abstained
    assert split == []

    # a file edited since the index was built: the index's spans would not fit, it is split here
    second = next(d for d in documents if d.source == "second.txt")
    edited = replace(second, text=second.text + " It met again on Friday.\n", sha256="0" * 64)
    vectors = bot.corpus.vectors
    assert isinstance(vectors, StoredVectors)
    assert set(vectors.sentence_rows(documents)) == {d.source for d in documents}
    assert vectors.sentence_rows([edited]) == {}
    assert Corpus.of([edited], stored=vectors.sentence_rows).sentences["second.txt"] == split_sentences(
        edited
    )
    assert split == ["second.txt"]


def test_an_answering_process_loads_no_sentence_splitter(tmp_path: Path) -> None:
    """In a process of its own, a start and questions on a built index never import nltk (its
    sentence splitter and its stop-word reader cost some 20 MB)."""
    from conftest import last_json_line, make_settings

    from assistant.index import IndexStore

    folder = _seeds(tmp_path)
    IndexStore(make_settings(folder, tmp_path / "index")).sync()
    script = f"""
import json, sys
from conftest import make_settings
from pathlib import Path
from assistant import Assistant
bot = Assistant(make_settings(Path({str(folder)!r}), Path({str(tmp_path / "index")!r})))
answers = [bot.ask(q) for q in ("How many children were reunited?", "When did the council meet?")]
print(json.dumps({{"nltk": sorted(m for m in sys.modules if m.split(".")[0] == "nltk")[:5],
                  "answered": [not a.abstained for a in answers]}}))
"""
    found = last_json_line(script)
    assert found["nltk"] == []
    assert found["answered"] == [True, True]
