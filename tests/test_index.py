"""The Chroma index: built on first use, refreshed by content hash, rebuilt when unreadable or old."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS, free_port, make_settings

from assistant import Assistant, IndexStoreError
from assistant.extractive.speakers import embedding_fingerprint
from assistant.index import IndexStore


def test_a_second_sync_on_unchanged_seeds_does_nothing(tmp_path: Path, seeds_copy: Path) -> None:
    store = IndexStore(make_settings(seeds_copy, tmp_path / "index"))
    first = store.sync()
    assert first.added
    assert first.chunks > 5
    again = IndexStore(make_settings(seeds_copy, tmp_path / "index")).sync()
    assert not again.changed
    assert again.unchanged == first.added
    assert again.chunks == first.chunks


def test_only_the_changed_added_or_removed_file_is_reindexed(tmp_path: Path, seeds_copy: Path) -> None:
    settings = make_settings(seeds_copy, tmp_path / "index")
    IndexStore(settings).sync()
    extra = seeds_copy / "extra.txt"
    extra.write_text("The museum opens on Monday. Tickets cost ten dollars.", encoding="utf-8")
    added = IndexStore(settings).sync()
    assert added.added == ["extra.txt"]
    assert not added.updated
    assert len(added.unchanged) == 1
    extra.write_text("The museum opens on Tuesday. Tickets cost ten dollars.", encoding="utf-8")
    updated = IndexStore(settings).sync()
    assert updated.updated == ["extra.txt"]
    assert len(updated.unchanged) == 1
    sources = {n.metadata["source"] for n in IndexStore(settings).nodes()}
    assert "extra.txt" in sources
    assert any("Tuesday" in n.text for n in IndexStore(settings).nodes())
    assert not any("Monday" in n.text for n in IndexStore(settings).nodes())
    extra.unlink()
    removed = IndexStore(settings).sync()
    assert removed.removed == ["extra.txt"]
    assert {n.metadata["source"] for n in IndexStore(settings).nodes()} == {next(SEEDS.glob("*.txt")).name}


def test_a_seed_that_is_not_utf8_is_skipped_and_keeps_its_old_chunks(
    tmp_path: Path, seeds_copy: Path
) -> None:
    settings = make_settings(seeds_copy, tmp_path / "index")
    (seeds_copy / "notes.txt").write_text("Notes about the museum.", encoding="utf-8")
    IndexStore(settings).sync()
    (seeds_copy / "notes.txt").write_bytes(b"\xff\xfe broken")
    report = IndexStore(settings).sync()
    assert "notes.txt" in report.skipped
    assert "notes.txt" not in report.removed
    assert any(n.metadata["source"] == "notes.txt" for n in IndexStore(settings).nodes())


def test_a_corrupt_index_folder_is_rebuilt_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    (index / "notes.md").write_text("not Chroma's", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="assistant.index"):
        report = IndexStore(make_settings(SEEDS, index)).sync()
    assert report.chunks > 5
    assert any("rebuilding" in r.getMessage() for r in caplog.records)
    assert (index / "notes.md").read_text(encoding="utf-8") == "not Chroma's"  # only Chroma's files go


def test_an_index_of_an_older_format_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(SEEDS, tmp_path / "index")
    store = IndexStore(settings)
    store.sync()
    old = {**store.manifest(), "format": 1}
    published = store.published()
    assert published is not None
    published.collection.modify(metadata={"assistant_manifest": json.dumps(old)})
    with caplog.at_level(logging.WARNING, logger="assistant.index"):
        report = IndexStore(settings).sync()
    assert report.rebuilt
    assert "older format" in report.rebuilt
    assert any("older format" in r.getMessage() for r in caplog.records)
    assert IndexStore(settings).manifest()["format"] != 1


def test_an_index_embedded_with_another_reading_of_the_speakers_is_rebuilt(tmp_path: Path) -> None:
    """A quote is embedded with who says it ("Jane Smith: “…”"): when the code that reads the
    speakers changes, the vectors of the old index are stale, and it is rebuilt."""
    settings = make_settings(SEEDS, tmp_path / "index")
    store = IndexStore(settings)
    store.sync()
    assert store.manifest()["speakers"] == embedding_fingerprint()
    published = store.published()
    assert published is not None
    old = {**store.manifest(), "speakers": "an older reading"}
    published.collection.modify(metadata={"assistant_manifest": json.dumps(old)})
    report = IndexStore(settings).sync()
    assert report.rebuilt
    assert "speakers" in report.rebuilt
    assert IndexStore(settings).manifest()["speakers"] == embedding_fingerprint()


def test_the_first_assistant_builds_a_missing_index(tmp_path: Path) -> None:
    index = tmp_path / "fresh"
    bot = Assistant(make_settings(SEEDS, index))
    assert bot.sync_report.added
    assert any(index.iterdir())
    assert "eight" in bot.ask("How many children were reunited?").text


# -- a real Chroma server on loopback ---------------------------------------------------


@pytest.mark.server
def test_the_same_code_answers_from_a_chroma_server(tmp_path: Path, chroma_server: int) -> None:
    settings = make_settings(SEEDS, tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=chroma_server)
    bot = Assistant(settings)
    assert not (tmp_path / "unused").exists()  # nothing was stored locally
    answer = bot.ask("How many children were reunited?")
    assert "eight" in answer.text
    assert answer.citations
    text = (SEEDS / answer.citations[0].source).read_text(encoding="utf-8")
    assert text[answer.citations[0].start : answer.citations[0].end] == answer.citations[0].quote
    assert not IndexStore(settings).sync().changed  # the manifest lives on the server too


def test_an_unreachable_chroma_server_is_a_clear_error(tmp_path: Path) -> None:
    settings = make_settings(SEEDS, tmp_path / "i", chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(IndexStoreError, match=r"cannot reach the Chroma server.*chroma run"):
        Assistant(settings)


def test_a_chunk_is_not_embedded_again_its_vector_is_the_mean_of_its_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build embeds each sentence once; a chunk of whole sentences goes to the model no more."""
    from assistant import embedding
    from assistant.documents import load_documents
    from assistant.index import chunk_document
    from assistant.vectors import row_vectors, sentences_name

    model = embedding.embed_model()
    sent: list[str] = []
    real = type(model).get_text_embedding_batch

    def counting(self: object, texts: list[str], **kwargs: object) -> object:
        sent.extend(texts)
        return real(self, texts, **kwargs)

    monkeypatch.setattr(type(model), "get_text_embedding_batch", counting)
    store = IndexStore(make_settings(SEEDS, tmp_path / "index"))
    store.sync()
    generation = store.published()
    assert generation is not None
    chunks = generation.collection.get(include=["embeddings", "metadatas", "documents"])
    assert chunks["documents"]
    assert not set(chunks["documents"]) & set(sent)  # no chunk's text went to the model
    rows = store.companion(sentences_name(generation.name)).get(include=["metadatas"])
    assert rows["metadatas"] is not None
    sentence = {key[1]: vector for m in rows["metadatas"] for key, vector in row_vectors(m)}
    assert chunks["metadatas"] is not None
    assert chunks["embeddings"] is not None
    stored = {
        (int(str(m["start"])), int(str(m["end"]))): np.asarray(e)
        for m, e in zip(chunks["metadatas"], chunks["embeddings"], strict=True)
    }
    compared = 0
    for chunk in chunk_document(load_documents(SEEDS).documents[0], store.settings):
        mean = np.mean([sentence[i] for i in chunk.sentences], axis=0)
        if (chunk.start, chunk.end) in stored and len(chunk.sentences) > 1:
            vector = stored[(chunk.start, chunk.end)]
            assert float(vector @ mean / np.linalg.norm(mean) / np.linalg.norm(vector)) == pytest.approx(
                1.0, abs=1e-4
            )
            compared += 1
    assert compared >= 3


def test_chunk_vectors_leave_a_piece_of_a_long_sentence_to_the_model() -> None:
    from assistant.documents import parse_document
    from assistant.sentence_index import chunk_vectors
    from assistant.splitting import Chunk, split_sentences

    doc = parse_document(
        "a.txt", "The city will repair three bridges. Work starts in May. It should take eight weeks."
    )
    sentences = {s.index: s for s in split_sentences(doc)}
    vectors = {0: np.array([1.0, 0.0]), 1: np.array([0.0, 1.0]), 2: np.array([0.0, 1.0])}
    whole = Chunk(
        source="a.txt", start=sentences[0].start, end=sentences[1].end, id="w", text="", sentences=(0, 1)
    )
    piece = Chunk(
        source="a.txt", start=sentences[2].start, end=sentences[2].start + 10, id="p", text="", sentences=(2,)
    )
    mean, none = chunk_vectors([whole, piece], sentences, vectors)
    assert mean is not None
    assert np.allclose(mean, [2**-0.5, 2**-0.5])
    assert none is None


def test_an_ask_reads_which_generation_is_current_once(
    bot: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pointer is read before each question (a rebuild elsewhere is followed), once: the
    search does not read it again a moment later."""
    reads: list[str | None] = []
    original = type(bot.store).published_name

    def counted(self: IndexStore) -> str | None:
        name = original(self)
        reads.append(name)
        return name

    monkeypatch.setattr(type(bot.store), "published_name", counted)
    assert "eight" in bot.ask("How many children were reunited?").text.lower()
    assert reads == [bot.retriever.generation.name]
