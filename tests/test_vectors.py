"""Sentence and word vectors are embedded once, at index time, and read back from the index."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ROOT, SEEDS, make_settings

from assistant import Assistant
from assistant.corpus import Corpus
from assistant.embedding import embed_model
from assistant.extractive import ExtractiveBackend
from assistant.extractive.interaction import key, late
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
    """Every text the embedding model reads from now on (whichever way it is asked: all of them
    go through the model's `preprocess`)."""
    seen: list[str] = []
    cls = type(embed_model()._model)
    original: Callable[..., Any] = cls.preprocess

    def wrapper(self: Any, texts: Any, *args: Any, **kw: Any) -> Any:
        seen.extend([texts] if isinstance(texts, str) else list(texts))
        return original(self, texts, *args, **kw)

    monkeypatch.setattr(cls, "preprocess", wrapper)
    return seen


def test_a_start_on_an_unchanged_index_embeds_nothing_but_the_question(
    bot: Assistant, shared_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start embeds nothing. A question embeds itself, and reads the word pieces of its
    candidate sentences (late interaction) once each: asked again, it reads nothing."""
    assert bot.store.count() > 0  # built by the session's assistant
    seen = _recording(monkeypatch)
    again = Assistant(make_settings(SEEDS, shared_index))
    assert seen == []
    question = "How many children were reunited with their families?"
    answer = again.ask(question)
    assert "eight" in answer.text.lower()
    asked = question.lower()
    assert any(text.lower() in asked for text in seen), "the question itself is embedded"
    backend = again.backend
    assert isinstance(backend, ExtractiveBackend)
    sentences = {s.text for found in backend.corpus.sentences.values() for s in found}
    read = [text for text in seen if text.lower() not in asked]
    assert read, "the candidate sentences' word pieces are read"
    assert set(read) <= sentences, [t for t in read if t not in sentences]
    assert len(read) == len(set(read)), "a sentence's word pieces are read once"
    seen.clear()
    assert again.ask(question).text == answer.text
    assert seen == []


def test_a_question_is_embedded_once_for_the_search_and_the_answer(
    bot: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _recording(monkeypatch)
    question = "Which families got their eight children back, and through whose talks?"
    bot.ask(question)
    assert seen.count(question) == 1, seen


def test_a_questions_vector_is_the_model_wrappers_query_embedding_to_the_bit() -> None:
    """The chunks were embedded through llama-index's wrapper; the question's shorter way must
    give the very numbers its query embedding gives, or rankings would drift from the index."""
    import numpy as np

    from assistant.embedding import query_vector

    for text in [*_questions()[:12], "x", "Ms. Trump's letter?? " * 40]:  # the last one is truncated
        ours = query_vector(text)
        assert ours.dtype == np.float64
        assert np.array_equal(ours, np.asarray(embed_model().get_query_embedding(text))), text


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
    number (no graph of 384-dimension vectors loaded at the first read); each row holds the
    vectors of a run of one file's sentences, and each, read back, is the sentence's embedding
    as the index made it (float32)."""
    import numpy as np

    from assistant.extractive.speakers import embedding_texts
    from assistant.vectors import embed_texts, row_vectors, sentences_name

    rows: Any = bot.store.companion(sentences_name(bot.retriever.generation.name)).get(
        include=["embeddings", "metadatas"]
    )
    assert rows["ids"]
    assert all(len(e) == 1 for e in rows["embeddings"])
    keys = [key for m in rows["metadatas"] for key, _ in row_vectors(m)]
    assert sorted(keys) == sorted((s.source, s.index) for s in bot.corpus.all_sentences())
    texts = {source: embedding_texts(bot.corpus, source) for source, _ in keys}
    expected = embed_texts([texts[source][index] for source, index in keys]).astype(np.float32)
    held = np.array([vector for m in rows["metadatas"] for _, vector in row_vectors(m)])
    assert np.abs(held - expected).max() < 1e-5
    assert isinstance(bot.corpus.vectors, StoredVectors)
    read = StoredVectors(lambda: bot.retriever.generation, bot.store.companion).sentences(keys[::-1])
    assert np.abs(read - expected[::-1]).max() < 1e-5


def test_a_file_longer_than_a_row_lies_in_several_rows_read_back_in_order(
    bot: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With rows of four sentences, a file's sentences are spread over rows; each vector read
    back is that sentence's, and the file's sentences are still read from its first row."""
    import numpy as np

    import assistant.sentence_index as sentence_index
    import assistant.vectors as vectors

    monkeypatch.setattr(vectors, "BLOCK", 4)
    monkeypatch.setattr(sentence_index, "BLOCK", 4)
    small = Assistant(make_settings(SEEDS, tmp_path / "index"))
    rows: Any = small.store.companion(vectors.sentences_name(small.retriever.generation.name)).get(
        include=["metadatas"]
    )
    counts = [len(s) for s in small.corpus.sentences.values()]
    assert len(rows["ids"]) == sum(-(-n // 4) for n in counts) > len(counts)
    keys = [(s.source, s.index) for s in small.corpus.all_sentences()]
    assert isinstance(small.corpus.vectors, StoredVectors)
    read = StoredVectors(lambda: small.retriever.generation, small.store.companion)
    assert isinstance(bot.corpus.vectors, StoredVectors)
    usual = StoredVectors(lambda: bot.retriever.generation, bot.store.companion)
    order = keys[::3] + keys[1::3] + keys[2::3]
    assert np.abs(read.sentences(order) - usual.sentences(order)).max() < 1e-6
    spans = read.sentence_rows(small.documents)
    assert {source: len(found) for source, found in spans.items()} == {
        source: len(found) for source, found in small.corpus.sentences.items()
    }


def test_word_pieces_in_context_are_the_same_in_a_batch_as_alone_and_carry_only_content() -> None:
    """Late interaction reads each sentence's word pieces in context. Batched with longer
    sentences (padded), a sentence's rows are those it gets alone; stop words, punctuation and
    the model's special tokens have no row."""
    from assistant.embedding import query_tokens, token_vectors

    texts = ["The talks were held in secret.", "Trump said that for the past three months, both sides met."]
    together = token_vectors(texts)
    for text, rows in zip(texts, together, strict=True):
        (alone,) = token_vectors([text])
        assert rows.shape == alone.shape
        assert np.allclose(rows, alone, atol=1e-4)
        assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert len(together[0]) == 3  # talks, held, secret: not "the", "were", "in" nor "."
    assert query_tokens("Were the talks secret?").shape == (2, 384)


def test_each_word_piece_of_a_question_knows_its_whole_word() -> None:
    """Late interaction reads word pieces; which question word each belongs to comes with them
    (a word the tokenizer splits is whole again), one per row, stop words and punctuation left out."""
    from assistant.embedding import query_token_words, query_tokens

    question = "Where did Fluminense's academy sign him?"
    found = query_token_words(question)
    assert len(found) == len(query_tokens(question))
    assert found.count("fluminense") > 1  # split into pieces, each knowing the whole word
    assert {"academy", "sign"} <= set(found)
    assert not {"where", "did", "him", "'", "?"} & set(found)


def test_late_interaction_meets_a_paraphrase_better_than_a_sentence_on_the_same_topic(bot: Assistant) -> None:
    """ "How have the Americans and the Russians been talking?" is answered by the back-channel
    sentence, which shares no content word with it, not by another sentence about Putin."""
    from assistant.embedding import query_tokens

    backend = bot.backend
    assert isinstance(backend, ExtractiveBackend)
    sentences = backend.corpus.sentences[next(iter(backend.corpus.sentences))]
    channel = next(s for s in sentences if "back-channel" in s.text)
    other = next(s for s in sentences if "hand-delivered" in s.text)
    read = backend._pieces.of([channel, other])
    question = query_tokens("How have the Americans and the Russians been talking?")
    near, far = (late(question, read[key(s)]).mean() for s in (channel, other))
    assert near > far + 0.05


def test_late_interaction_tells_which_word_piece_of_the_question_the_sentence_does_not_meet(
    bot: Assistant,
) -> None:
    """Piece by piece: "September" is met far less well than "August" by a sentence about the
    August letter, the rest of the two questions alike (`late_least` reads the least met piece)."""
    from assistant.embedding import query_tokens

    backend = bot.backend
    assert isinstance(backend, ExtractiveBackend)
    sentences = backend.corpus.sentences[next(iter(backend.corpus.sentences))]
    august = next(s for s in sentences if "received my letter last August" in s.text)
    pieces = backend._pieces.of([august])[key(august)]
    wrong = late(query_tokens("What did Putin write back after the September letter?"), pieces)
    right = late(query_tokens("What did Putin write back after the August letter?"), pieces)
    assert wrong.shape == right.shape == (5,)  # putin, write, back, the month, letter
    differs = int(np.argmax(np.abs(right - wrong)))
    assert differs == 3
    assert wrong[3] < right[3] - 0.2
    assert np.allclose(np.delete(wrong, 3), np.delete(right, 3), atol=0.05)
    question = "What did Putin write back after the September letter?"
    query = backend.condense(question, [])
    found = backend.analyse(query, bot.retriever.retrieve(query.search_text))
    row = next(r for r in found.rows if r.candidate.sentence.start == august.start)
    assert not row.candidate.leans  # leaning, it would take the better of two sentences piece by piece
    assert row.features["late_least"] == pytest.approx(float(wrong.min()), abs=1e-6)
    assert row.features["late"] == pytest.approx(float(wrong.mean()), abs=1e-6)  # each word as written


def test_a_name_the_sentence_gives_another_way_is_met_piece_by_piece(bot: Assistant) -> None:
    """ "Melania" is met by "… Trump concluded." through who-is-who, as "Trump" is as written: late
    interaction counts a word the sentence gives another way as met as well as the words it has as
    written, however far apart the two names' word pieces stand in context (without that, the
    least met piece of the question by first name scored 0.12, of the one by surname 0.73)."""
    backend = bot.backend
    assert isinstance(backend, ExtractiveBackend)

    def row(question: str) -> Any:
        query = backend.condense(question, [])
        found = backend.analyse(query, bot.retriever.retrieve(query.search_text))
        return next(r for r in found.rows if "Trump concluded" in r.candidate.sentence.text)

    by_first_name, by_surname = row("How did Melania conclude?"), row("How did Trump conclude?")
    assert "melania" in by_first_name.candidate.literal
    assert by_first_name.features["late_least"] == pytest.approx(by_surname.features["late_least"], abs=0.05)


def test_a_full_cache_of_word_pieces_changes_no_feature(
    bot: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache of sentences' word pieces is cleared when full, even in the middle of reading a
    question's candidates (or by another answering thread): every candidate is still measured."""
    from assistant.extractive import interaction

    backend = bot.backend
    assert isinstance(backend, ExtractiveBackend)
    question = "How have the Americans and the Russians been talking about the children?"

    def features() -> list[float]:
        query = backend.condense(question, [])
        found = backend.analyse(query, bot.retriever.retrieve(query.search_text))
        rows = sorted(found.rows, key=lambda r: (r.candidate.sentence.source, r.candidate.sentence.index))
        return [r.features[name] for r in rows for name in ("late", "late_least")]

    roomy = features()
    assert 0.0 not in roomy  # every candidate measured
    monkeypatch.setattr(interaction, "PIECES_KEPT", 3)
    backend._pieces.clear()
    backend._pieces.of(backend.corpus.sentences[next(iter(backend.corpus.sentences))][:2])
    assert features() == pytest.approx(roomy, abs=1e-5)  # batched otherwise: float noise only
