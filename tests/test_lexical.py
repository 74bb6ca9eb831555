"""The saved BM25 ranking is read back without its corpus, and ranks as the one built in memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

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


def test_the_fused_ranking_is_llama_indexs_and_reads_only_the_chunks_it_returns(
    bot: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dense search runs beside the lexical ranking; of the chunks only the lexical ranking
    found, only those in the fused top are read from the store: the fused passages are still
    those of llama-index's own fusion (QueryFusionRetriever, reciprocal rank)."""
    from llama_index.core.llms import MockLLM
    from llama_index.core.retrievers import QueryFusionRetriever
    from llama_index.core.retrievers.fusion_retriever import FUSION_MODES
    from llama_index.core.schema import QueryBundle

    from assistant.embedding import query_vector
    from assistant.retrieval import _fused_class

    retriever = bot.retriever
    ranking = retriever._opened.fusion.lexical  # type: ignore[attr-defined]
    assert isinstance(ranking, lexical.Ranking)  # the saved ranking of an embedded index
    read: list[str] = []
    fetch = ranking.fetch  # type: ignore[attr-defined]

    def reading(ids: list[str]) -> object:
        read.extend(ids)
        return fetch(ids)

    monkeypatch.setattr(ranking, "fetch", reading)
    questions = [*QUESTIONS, *_golden_questions()[:20]]
    only_lexical = 0
    # the retriever as it is, and one whose dense search looks only two deep (the announcement
    # has few chunks: at full depth the dense search returns them all)
    for depth in (retriever.depth, 2):
        dense = retriever._opened.dense.as_retriever(similarity_top_k=depth)
        fused = _fused_class()(dense, ranking, retriever.top_k)
        stock = QueryFusionRetriever(
            [dense, cast(Any, ranking)],
            llm=MockLLM(),
            mode=FUSION_MODES.RECIPROCAL_RANK,
            similarity_top_k=retriever.top_k,
            num_queries=1,
            use_async=False,
        )
        for question in questions:
            bundle = QueryBundle(query_str=question, embedding=query_vector(question).tolist())
            by_dense = {hit.node.node_id for hit in dense.retrieve(bundle)}
            read.clear()
            ours = [(h.node.node_id, round(float(h.score or 0), 9)) for h in fused.retrieve(bundle)]
            assert sorted(read) == sorted({i for i, _ in ours} - by_dense), question
            only_lexical += len(read)
            theirs = [(h.node.node_id, round(float(h.score or 0), 9)) for h in stock.retrieve(bundle)]
            assert ours == theirs, question
            if depth == retriever.depth:
                assert [(p.id, round(p.score, 9)) for p in retriever.retrieve(question)] == ours
    assert only_lexical, "no passage found by the lexical ranking alone: the test would show nothing"


def _golden_questions() -> list[str]:
    from conftest import ROOT

    lines = (ROOT / "tests" / "golden_qa.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]
