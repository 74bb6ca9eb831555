"""The lexical (BM25) ranking: built once per index generation, saved next to an embedded index."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
