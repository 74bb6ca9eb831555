"""The saved BM25 ranking is read back without its corpus, and ranks as the one built in memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant, lexical

QUESTIONS = [
    "How many children were reunited?",
    "Who did the first lady write a letter to?",
    "Truth Social summit hand-delivered",
    "a question about nothing the document says",
]


def _ranked(retriever: object, question: str) -> list[tuple[str, float]]:
    from llama_index.core.schema import QueryBundle

    hits = retriever.retrieve(QueryBundle(query_str=question))  # type: ignore[attr-defined]
    return [(h.node.node_id, round(float(h.score), 6)) for h in hits]


def test_a_saved_ranking_reads_no_corpus_and_ranks_as_the_built_one(bot: Assistant, tmp_path: Path) -> None:
    nodes = list(bot.store.iter_nodes(bot.retriever.generation))
    built = lexical.build(nodes, 10)
    assert lexical.save(built, tmp_path / "bm25")
    by_id = {n.node_id: n for n in nodes}
    asked: list[list[str]] = []

    def fetch(ids: list[str]) -> dict[str, object]:
        asked.append(ids)
        return {i: by_id[i] for i in ids}

    loaded = lexical.load(tmp_path / "bm25", 10, fetch)  # type: ignore[arg-type]
    assert loaded is not None
    assert loaded.corpus is None  # no copy of the documents' text in the process
    for question in QUESTIONS:
        assert _ranked(loaded, question) == _ranked(built, question), question
    assert all(len(ids) <= 10 for ids in asked)  # only the chunks ranked highest are read
    source = nodes[0].metadata["source"]
    limited, full = lexical.of_sources(loaded, [source]), lexical.of_sources(built, [source])
    for question in QUESTIONS:
        assert _ranked(limited, question) == _ranked(full, question), question


def test_a_saved_ranking_without_its_list_of_chunks_is_not_read(
    bot: Assistant, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    nodes = list(bot.store.iter_nodes(bot.retriever.generation))
    folder = tmp_path / "bm25"
    assert lexical.save(lexical.build(nodes, 10), folder)
    (folder / lexical.IDS_FILE).unlink()
    assert lexical.load(folder, 10, lambda ids: {}) is None
    assert "unreadable" in caplog.text
    (folder / lexical.IDS_FILE).write_text(json.dumps({"ids": [], "sources": []}), encoding="utf-8")
    assert lexical.load(folder, 10, lambda ids: {}) is None
