"""A start on a built index reads the documents a question needs, not every document.

The corpus counts (IDF, the words the documents use) are saved with the index by the build
and read back at start; a document is split, and its speakers and who-is-who worked out,
when a question's candidates first come from it. Memory and start time then do not grow
with the archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import make_settings

from assistant import Assistant, corpus
from assistant.corpus import Corpus
from assistant.documents import Document, load_documents
from assistant.extractive.facts import CorpusStats, fingerprint
from assistant.index import STATS_FILE, IndexStore
from assistant.splitting import Sentence, split_sentences
from assistant.vectors import StoredVectors

TOWNS = [
    *("Arden", "Belmoor", "Corvale", "Dunmere", "Eastwick", "Fallow", "Glenrock", "Harwood", "Ivybridge"),
    *("Jasper", "Kelston", "Larkhill", "Marlow", "Northam", "Oakridge", "Penrith", "Quarry", "Redcliff"),
    *("Stanway", "Thornbury", "Upton", "Vinehall", "Westcott", "Yarrow"),
]  # more documents than one question's candidates can come from


def _town(i: int, town: str) -> str:
    return (
        f"{town} council approves new library\n\n"
        f"March {i % 28 + 1}, 2025\n\n"
        f"The {town} town council voted on Tuesday to build a new public library on Mill Street. "
        f"The building will cost {i + 2} million dollars and hold {40 + i} thousand books. "
        f"Mayor Jane {town}son said the {town} library would open in the spring of {2027 + i % 2}. "
        f"“Every child in {town} deserves a quiet place to read,” she said. "
        f"Work on the {town} site starts in {['May', 'June', 'July'][i % 3]}, and {i + 11} workers will be hired.\n"
    )


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("towns-seeds")
    for i, town in enumerate(TOWNS):
        (folder / f"2025-03-{i % 28 + 1:02d}-{town.lower()}-library.txt").write_text(
            _town(i, town), encoding="utf-8"
        )
    return folder


@pytest.fixture(scope="module")
def index(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("towns-index")
    IndexStore(make_settings(seeds, folder)).sync()
    return folder


def test_a_start_reads_only_the_documents_a_question_reads(
    seeds: Path, index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start reads no document's sentences; a question reads those of the few documents its
    passages come from, from the index (split by the build), and splits none."""
    split: list[str] = []
    read: list[str] = []

    def counted(doc: Document) -> list[Sentence]:
        split.append(doc.source)
        return split_sentences(doc)

    real = StoredVectors.sentence_rows

    def reading(self: StoredVectors, documents: Sequence[Document]) -> dict[str, list[list[int]]]:
        read.extend(d.source for d in documents)
        return real(self, documents)

    monkeypatch.setattr(corpus, "split_sentences", counted)
    monkeypatch.setattr(StoredVectors, "sentence_rows", reading)
    bot = Assistant(make_settings(seeds, index))
    assert split == read == [], "a start on a built index reads no document's sentences"
    answer = bot.ask("How many workers will the Glenrock site hire?")
    assert not answer.abstained, answer.text
    assert answer.citations[0].source.endswith("glenrock-library.txt")
    assert "17" in answer.text
    assert split == []
    assert 0 < len(set(read)) < len(TOWNS), f"read {sorted(set(read))}"


def test_the_counts_saved_with_the_index_are_those_counted_over_every_document(
    seeds: Path, index: Path
) -> None:
    store = IndexStore(make_settings(seeds, index))
    documents = load_documents(seeds).documents
    saved = store.corpus_stats(documents)
    assert saved is not None
    published = store.published()
    assert published is not None
    assert (store.lexical_dir(published.name) / STATS_FILE).is_file()
    counted = CorpusStats.of(Corpus.of(documents))
    assert saved == counted
    assert saved.sentences == sum(len(Corpus.of(documents).sentences[d.source]) for d in documents)
    assert {"glenrock", "17", "mill", "street"} <= saved.tokens


def test_counts_of_other_documents_are_not_read(seeds: Path, tmp_path: Path) -> None:
    documents = load_documents(seeds).documents
    path = tmp_path / STATS_FILE
    counted = CorpusStats.of(Corpus.of(documents))
    counted.save(path, fingerprint((d.source, d.sha256) for d in documents))
    assert CorpusStats.load(path, fingerprint((d.source, d.sha256) for d in documents)) == counted
    assert CorpusStats.load(path, fingerprint((d.source, d.sha256) for d in documents[1:])) is None
    path.write_text("{not json", encoding="utf-8")
    assert CorpusStats.load(path, fingerprint((d.source, d.sha256) for d in documents)) is None


def test_a_document_added_later_is_counted(seeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for file in sorted(seeds.iterdir())[:3]:
        (folder / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    settings = make_settings(folder, tmp_path / "index")
    bot = Assistant(settings)
    assert bot.ask("When does the Harwood library open?").abstained
    (folder / "2025-03-08-harwood-library.txt").write_text(_town(7, "Harwood"), encoding="utf-8")
    bot.refresh()
    assert bot.corpus.stats is not None
    assert "harwood" in bot.corpus.stats.tokens
    answer = bot.ask("When does the Harwood library open?")
    assert not answer.abstained, answer.text
    assert "2028" in answer.text


def test_on_a_chroma_server_the_counts_are_kept_with_the_index(
    seeds: Path, tmp_path: Path, chroma_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Processes on one Chroma server have no folder in common: the counts live in a collection."""
    settings = make_settings(
        seeds, tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=chroma_server, collection="towns"
    )
    IndexStore(settings).sync()
    documents = load_documents(seeds).documents
    counted = CorpusStats.of(Corpus.of(documents))

    def no_counting(corpus: Corpus) -> CorpusStats:
        raise AssertionError("counted again at start")

    monkeypatch.setattr(CorpusStats, "of", classmethod(lambda cls, corpus: no_counting(corpus)))
    assert IndexStore(settings).corpus_stats(documents) == counted
    bot = Assistant(settings)
    answer = bot.ask("How many workers will the Glenrock site hire?")
    assert not answer.abstained, answer.text
    assert not (tmp_path / "unused").exists()
