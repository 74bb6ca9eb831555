"""Sentence and word vectors are embedded once, at index time, and read back from the index."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEEDS, make_settings

from assistant import Assistant
from assistant.corpus import Corpus
from assistant.embedding import embed_model
from assistant.extractive import ExtractiveBackend
from assistant.vectors import MemoryVectors, StoredVectors


def _questions() -> list[str]:
    lines = (ROOT / "tests" / "golden_qa.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def test_stored_vectors_give_the_engine_the_same_features_as_embedding_in_memory(bot: Assistant) -> None:
    stored = ExtractiveBackend(bot.corpus)
    memory = ExtractiveBackend(Corpus.of(bot.documents))
    assert isinstance(stored.vectors, StoredVectors)
    assert isinstance(memory.vectors, MemoryVectors)
    for question in _questions():
        query = stored.condense(question, [])
        _, passages = bot.retrieve(question)
        ours, theirs = stored.analyse(query, passages), memory.analyse(query, passages)
        assert [r.candidate.sentence for r in ours.rows] == [r.candidate.sentence for r in theirs.rows]
        for a, b in zip(ours.rows, theirs.rows, strict=True):
            # the same vectors up to the model's batch arithmetic (which words share a batch)
            assert a.features == pytest.approx(b.features, rel=1e-5, abs=1e-5), question


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the embedding model is asked for from now on."""
    seen: list[str] = []
    cls = type(embed_model())
    for name in ("get_text_embedding_batch", "get_query_embedding", "get_text_embedding"):
        original: Callable[..., Any] = getattr(cls, name)

        def wrapper(
            self: Any, texts: Any, *args: Any, _original: Callable[..., Any] = original, **kw: Any
        ) -> Any:
            seen.extend([texts] if isinstance(texts, str) else list(texts))
            return _original(self, texts, *args, **kw)

        monkeypatch.setattr(cls, name, wrapper)
    return seen


def test_a_start_on_an_unchanged_index_embeds_nothing_but_the_question(
    bot: Assistant, shared_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bot.store.count() > 0  # built by the session's assistant
    seen = _recording(monkeypatch)
    again = Assistant(make_settings(SEEDS, shared_index))
    assert seen == []
    question = "How many children were reunited with their families?"
    answer = again.ask(question)
    assert "eight" in answer.text.lower()
    assert seen, "the question itself is embedded"
    asked = question.lower()
    assert all(text.lower() in asked for text in seen), [t for t in seen if t.lower() not in asked]


def test_a_question_is_embedded_once_for_the_search_and_the_answer(
    bot: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _recording(monkeypatch)
    question = "Which families got their eight children back, and through whose talks?"
    bot.ask(question)
    assert seen.count(question) == 1, seen


def test_the_process_keeps_a_bounded_cache_not_the_corpus(
    bot: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.vectors as vectors

    monkeypatch.setattr(vectors, "CACHE_SIZE", 8)
    small = ExtractiveBackend(bot.corpus.__class__(bot.corpus.documents, bot.corpus.sentences))
    small.vectors = StoredVectors(lambda: bot.retriever.generation, bot.store.companion)
    full = ExtractiveBackend(bot.corpus)
    question = "Who did the first lady write a letter to?"
    query = small.condense(question, [])
    _, passages = bot.retrieve(question)
    ours, theirs = small.analyse(query, passages), full.analyse(query, passages)
    assert [r.features for r in ours.rows] == [r.features for r in theirs.rows]
    assert len(small.vectors._sentences) <= 8
    assert len(small.vectors._words) <= 8


def test_texts_embedded_shortest_first_come_back_in_the_order_asked() -> None:
    from assistant.vectors import embed_texts

    texts = [
        "A rather long sentence about a museum that returned twelve bronze objects to the city it took them from.",
        "Eight.",
        "The first lady spoke on Friday.",
        "",
        "Reunited.",
    ]
    together = embed_texts(texts)
    for text, row in zip(texts, together, strict=True):
        alone = embed_texts([text])[0]
        assert row == pytest.approx(alone, abs=1e-5), text


def test_a_build_embeds_every_sentence_once_in_batches_that_grow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.index as index

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = (SEEDS / "2025-10-10-first-lady-ukrainian-children-reunited.txt").read_text(encoding="utf-8")
    for i in range(7):
        (seeds / f"copy-{i}.txt").write_text(text.replace("eight", f"{i + 10}"), encoding="utf-8")
    batches: list[list[str]] = []
    original = index.IndexStore._add

    def add(self: Any, generation: Any, docs: list[Any], meter: Any) -> None:
        batches.append([d.source for d in docs])
        original(self, generation, docs, meter)

    monkeypatch.setattr(index.IndexStore, "_add", add)
    seen = _recording(monkeypatch)
    bot = Assistant(make_settings(seeds, tmp_path / "index"))
    assert [len(b) for b in batches] == [1, 2, 4]  # the first file is recorded before the rest
    from assistant.extractive.speakers import embedding_texts

    wanted = Counter(t for source in bot.corpus.sentences for t in embedding_texts(bot.corpus, source))
    assert {t: n for t, n in Counter(seen).items() if t in wanted} == wanted  # each sentence once
    assert "16" in bot.ask("How many children were reunited?", sources=["copy-6.txt"]).text


def test_sentence_rows_keep_their_vectors_as_data_not_as_a_searched_embedding(bot: Assistant) -> None:
    """Nothing searches every sentence by similarity, so the rows' Chroma embeddings are one
    number (no graph of 384-dimension vectors loaded at the first read); each row's vector,
    read back, is the sentence's embedding as the index made it (float32)."""
    import numpy as np

    from assistant.extractive.speakers import embedding_texts
    from assistant.vectors import embed_texts, sentences_name

    rows: Any = bot.store.companion(sentences_name(bot.retriever.generation.name)).get(
        limit=5, include=["embeddings", "metadatas"]
    )
    assert len(rows["ids"]) == 5
    assert all(len(e) == 1 for e in rows["embeddings"])
    keys = [(str(m["source"]), int(m["index"])) for m in rows["metadatas"]]
    texts = {source: embedding_texts(bot.corpus, source) for source, _ in keys}
    expected = embed_texts([texts[source][index] for source, index in keys]).astype(np.float32)
    assert isinstance(bot.corpus.vectors, StoredVectors)
    read = StoredVectors(lambda: bot.retriever.generation, bot.store.companion).sentences(keys)
    assert np.abs(read - expected).max() < 1e-5
