"""The lexical (BM25) ranking: built once per index generation, saved next to an embedded index.

A saved ranking is read back without its corpus: bm25s's scores memory-mapped, and only the
chunks' ids and files kept (`ids.json`); the few chunks a question ranks highest are read
from Chroma by id. So a process holds no copy of every document's text for BM25.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import BaseNode, NodeWithScore, QueryBundle
    from llama_index.retrievers.bm25 import BM25Retriever

log = logging.getLogger(__name__)

IDS_FILE = "ids.json"  # the chunks' ids and files, in the order of the ranking's rows
Fetch = Callable[[list[str]], "dict[str, BaseNode]"]  # chunks by id, read from the index


@runtime_checkable
class Ranking(Protocol):
    """A ranking that reads its chunks apart from ranking them (a saved one: StoredBM25)."""

    def ranked(self, query_bundle: QueryBundle) -> list[tuple[str, float]]:
        """The ids of the chunks ranked highest, and their scores."""
        ...

    def read(self, ids: list[str]) -> dict[str, BaseNode]:
        """The chunks of these ids (those the store has)."""
        ...


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
        (partial / IDS_FILE).write_text(json.dumps(_ids_and_sources(retriever)), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    except OSError as exc:
        log.warning(
            "the lexical index could not be saved in %s (%s); it is rebuilt at each start", folder, exc
        )
        shutil.rmtree(partial, ignore_errors=True)
        return False
    return True


def _ids_and_sources(retriever: BM25Retriever) -> dict[str, list[str]]:
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    nodes = [metadata_dict_to_node(entry) for entry in retriever.corpus]
    return {"ids": [n.node_id for n in nodes], "sources": [str(n.metadata.get("source")) for n in nodes]}


def load(folder: Path, top_k: int, fetch: Fetch) -> BM25Retriever | None:
    """The ranking saved in `folder`, without its corpus (`fetch` reads the chunks it ranks
    highest); None when there is none or it cannot be read."""
    if not folder.is_dir():
        return None
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    try:
        rows = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
        ids, sources = list(rows["ids"]), list(rows["sources"])
        settings = json.loads((folder / "retriever.json").read_text(encoding="utf-8"))
        bm25 = bm25s.BM25.load(str(folder), load_corpus=False, mmap=True)
    except Exception as exc:  # a partial, older or foreign folder: rebuilt from the collection
        log.warning("the lexical index in %s is unreadable (%s); rebuilding it", folder, exc)
        return None
    if len(ids) != len(sources) or not ids:
        log.warning("the lexical index in %s lists no chunks; rebuilding it", folder)
        return None
    settings["similarity_top_k"] = max(1, min(top_k, len(ids)))
    stored: BM25Retriever = _stored_class()(bm25, ids, sources, fetch, **settings)
    return stored


def _stored_class() -> Any:
    """StoredBM25, made when first needed (llama-index's retrievers load only then)."""
    import numpy as np
    from llama_index.core.schema import NodeWithScore
    from llama_index.retrievers.bm25 import BM25Retriever

    class StoredBM25(BM25Retriever):
        """llama-index's BM25 retriever over a saved bm25s index whose corpus stays on disk."""

        def __init__(
            self, bm25: Any, ids: list[str], sources: list[str], fetch: Fetch, **settings: Any
        ) -> None:
            super().__init__(existing_bm25=bm25, **settings)
            self.ids, self.sources, self.fetch = ids, sources, fetch
            self.mask: Any = None

        def limited(self, wanted: set[str]) -> StoredBM25:
            """The same ranking over the chunks of the files in `wanted` only."""
            out = StoredBM25(
                self.bm25, self.ids, self.sources, self.fetch, similarity_top_k=self.similarity_top_k
            )
            out.mask = np.array([int(s in wanted) for s in self.sources])
            return out

        def ranked(self, query_bundle: QueryBundle) -> list[tuple[str, float]]:
            """The ids of the chunks ranked highest, and their scores (nothing read yet)."""
            return [
                (self.ids[int(i)], score) for i, score in _ranked(self, query_bundle.query_str, self.mask)
            ]

        def read(self, ids: list[str]) -> dict[str, BaseNode]:
            return self.fetch(ids)

        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            ranked = self.ranked(query_bundle)
            found = self.read([i for i, _ in ranked])
            return [NodeWithScore(node=found[i], score=score) for i, score in ranked if i in found]

    return StoredBM25


def of_sources(retriever: BM25Retriever, sources: Sequence[str]) -> BaseRetriever:
    """The same ranking, over the chunks of `sources` only (a bm25s weight mask, then a check)."""
    if hasattr(retriever, "limited"):  # a saved ranking (StoredBM25)
        limited: BaseRetriever = retriever.limited(set(sources))
        return limited
    import numpy as np
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    wanted = set(sources)
    mask = np.array([int(entry.get("source") in wanted) for entry in retriever.corpus])

    class _OfSources(BaseRetriever):
        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            entries = [
                (idx if isinstance(idx, dict) else retriever.corpus[int(idx)], score)
                for idx, score in _ranked(retriever, query_bundle.query_str, mask)
            ]
            return [
                NodeWithScore(node=metadata_dict_to_node(entry), score=score)
                for entry, score in entries
                if entry.get("source") in wanted
            ]

    return _OfSources()


def _ranked(retriever: BM25Retriever, query: str, mask: Any = None) -> list[tuple[Any, float]]:
    """The retriever's top rows for `query` (bm25s's row numbers, or corpus entries) and their
    scores, tokenised as llama-index's retriever does; with a `mask` of rows, only those
    that score above 0."""
    import bm25s

    k = retriever.similarity_top_k  # at most the rows there are (build and load see to it)
    k = k if mask is None else min(k, int(mask.sum()))
    if k == 0:
        return []
    tokens = bm25s.tokenize(
        query,
        stemmer=None if retriever.skip_stemming else retriever.stemmer,
        token_pattern=retriever.token_pattern,
        show_progress=False,
    )
    indexes, scores = retriever.bm25.retrieve(tokens, k=k, show_progress=False, weight_mask=mask)
    ranked = [(idx, float(score)) for idx, score in zip(indexes[0], scores[0], strict=True)]
    return ranked if mask is None else [(idx, score) for idx, score in ranked if score > 0]
