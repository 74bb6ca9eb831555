"""The lexical (BM25) ranking: built once per index generation, saved next to an embedded index."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import BaseNode
    from llama_index.retrievers.bm25 import BM25Retriever

log = logging.getLogger(__name__)


def build(nodes: Iterable[BaseNode], top_k: int) -> BM25Retriever:
    """A BM25 retriever over the chunks' text; `top_k` is capped at the number of chunks."""
    from llama_index.retrievers.bm25 import BM25Retriever

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import
    listed = list(nodes)
    return BM25Retriever.from_defaults(nodes=listed, similarity_top_k=max(1, min(top_k, len(listed))))


def save(retriever: BM25Retriever, folder: Path) -> bool:
    """Write it to `folder` (replacing what was there); False, with a log line, when that fails."""
    partial = folder.with_name(folder.name + ".partial")
    try:
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        retriever.persist(str(partial), show_progress=False)
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    except OSError as exc:
        log.warning(
            "the lexical index could not be saved in %s (%s); it is rebuilt at each start", folder, exc
        )
        shutil.rmtree(partial, ignore_errors=True)
        return False
    return True


def load(folder: Path, top_k: int) -> BM25Retriever | None:
    """The retriever saved in `folder`, or None when there is none or it cannot be read."""
    if not folder.is_dir():
        return None
    from llama_index.retrievers.bm25 import BM25Retriever

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    try:
        retriever = BM25Retriever.from_persist_dir(str(folder), show_progress=False)
    except Exception as exc:  # a partial or foreign folder: rebuilt from the collection
        log.warning("the lexical index in %s is unreadable (%s); rebuilding it", folder, exc)
        return None
    retriever.similarity_top_k = max(1, min(top_k, len(retriever.corpus)))
    return retriever


def of_sources(retriever: BM25Retriever, sources: Sequence[str]) -> BaseRetriever:
    """The same ranking, over the chunks of `sources` only (a bm25s weight mask, then a check)."""
    import bm25s
    import numpy as np
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    wanted = set(sources)
    mask = np.array([int(entry.get("source") in wanted) for entry in retriever.corpus])

    class _OfSources(BaseRetriever):
        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            k = min(retriever.similarity_top_k, int(mask.sum()))
            if k == 0:
                return []
            tokens = bm25s.tokenize(
                query_bundle.query_str,
                stemmer=None if retriever.skip_stemming else retriever.stemmer,
                token_pattern=retriever.token_pattern,
                show_progress=False,
            )
            indexes, scores = retriever.bm25.retrieve(tokens, k=k, show_progress=False, weight_mask=mask)
            hits = []
            for idx, score in zip(indexes[0], scores[0], strict=True):
                entry = idx if isinstance(idx, dict) else retriever.corpus[int(idx)]
                if entry.get("source") in wanted and float(score) > 0:
                    hits.append(NodeWithScore(node=metadata_dict_to_node(entry), score=float(score)))
            return hits

    return _OfSources()
