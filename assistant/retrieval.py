"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from assistant import offline
from assistant.embedding import embed_model
from assistant.errors import IndexStoreError
from assistant.index import IndexStore
from assistant.types import Passage

if TYPE_CHECKING:
    from llama_index.core.retrievers import QueryFusionRetriever
    from llama_index.core.schema import BaseNode, NodeWithScore


def _passage(hit: NodeWithScore) -> Passage:
    meta = hit.node.metadata
    return Passage(
        id=hit.node.node_id,
        source=str(meta["source"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=hit.node.get_content(),
        score=float(hit.score or 0.0),
    )


class HybridRetriever:
    """Top-k passages for a question; each ranking looks deeper than k before fusing."""

    def __init__(self, store: IndexStore, top_k: int) -> None:
        self.top_k = top_k
        self._fusion = self._build(store, top_k)

    @staticmethod
    def _build(store: IndexStore, top_k: int) -> QueryFusionRetriever:
        offline.apply()
        from llama_index.core import VectorStoreIndex
        from llama_index.core.llms import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever
        from llama_index.core.retrievers.fusion_retriever import FUSION_MODES
        from llama_index.retrievers.bm25 import BM25Retriever

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import

        depth = max(3 * top_k, 10)
        nodes: list[BaseNode] = list(store.nodes())
        dense = VectorStoreIndex.from_vector_store(
            store.vector_store(), embed_model=embed_model()
        ).as_retriever(similarity_top_k=depth)
        lexical = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(depth, len(nodes)))
        return QueryFusionRetriever(
            [dense, lexical],
            llm=MockLLM(),
            mode=FUSION_MODES.RECIPROCAL_RANK,
            similarity_top_k=top_k,
            num_queries=1,
            use_async=False,
        )

    def retrieve(self, query: str, top_k: int | None = None) -> list[Passage]:
        try:
            hits = self._fusion.retrieve(query)
        except Exception as exc:  # the store went away: a Chroma server stopped, a folder removed
            raise IndexStoreError(
                f"the index could not be searched ({type(exc).__name__}: {exc}): check that the Chroma "
                "server (CHROMA_HOST/CHROMA_PORT) is running, or rebuild with `assistant index --rebuild`"
            ) from None
        return [_passage(hit) for hit in hits[: top_k or self.top_k]]
