"""The plain LlamaIndex pipeline a newcomer would write, scored for retrieval beside the engine.

    docs = SimpleDirectoryReader(seeds_dir).load_data()
    index = VectorStoreIndex.from_documents(
        docs, embed_model=embed_model(), transformations=[SentenceSplitter(chunk_size=128)]
    )
    nodes = index.as_retriever(similarity_top_k=k).retrieve(question)

That is: LlamaIndex's SentenceSplitter (at 128 tokens with 10 % overlap: at its default of
1024 tokens the whole announcement is a single node, and every question would "hit" by
returning the entire document), the same embedding model as the engine, the default
in-memory vector store, dense retrieval only, and no handling of the chat history (the raw
question is embedded). Each node is mapped back to its character span of the seed file through
node.start_char_idx/end_char_idx, checked against the file; when they do not match, the node
text is located in the file instead.

Both pipelines retrieve the same k passages (the engine's ASSISTANT_TOP_K), so hit@k and MRR
are compared at equal k. Only retrieval is compared, on the same items and in the same run:
hit@k, MRR, retrieval latency, and how many characters of context the k passages hold (a retriever that returns the
whole document hits every time: context size is what tells it apart).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from assistant.embedding import embed_model
from assistant.errors import AssistantError
from assistant.evaluate.evidence import first_hit_rank, locate_evidence
from assistant.evaluate.metrics import percentile
from assistant.evaluate.runner import EvalResult
from assistant.evaluate.schema import GoldenItem
from assistant.types import Passage

if TYPE_CHECKING:
    from llama_index.core.schema import NodeWithScore

# SentenceSplitter's default chunk (1024 tokens) holds the whole announcement in one node, so every
# question would "hit" by returning the entire document: hit@k would say nothing. The plain pipeline uses
# the same splitter at 128 tokens, passages about the size of ours (DESIGN.md's own trial).
PLAIN_CHUNK_SIZE = 128


class RetrievalMetrics(BaseModel):
    """Retrieval scores of one pipeline over the answerable items (latency over all items)."""

    name: str
    k: int
    hit_at_k: float | None
    mrr: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    context_chars: float | None  # mean characters held by the k passages, answerable items
    passages: float | None  # mean number of passages returned, answerable items
    note: str = ""


class Comparison(BaseModel):
    """The engine and the plain pipeline, side by side, on the same items."""

    engine: RetrievalMetrics
    plain: RetrievalMetrics


def _span_in(text: str, node_text: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    if start is not None and end is not None and text[start:end] == node_text:
        return start, end
    at = text.find(node_text, max(0, (start or 0) - len(node_text))) if node_text else -1
    if at < 0:
        at = text.find(node_text) if node_text else -1
    return (at, at + len(node_text)) if at >= 0 else None


class PlainLlamaIndex:
    """The newcomer's pipeline over the seeds folder (built in memory on creation)."""

    name = "plain LlamaIndex"

    def __init__(
        self,
        seeds_dir: Path,
        seeds: Mapping[str, str],
        top_k: int,
        chunk_size: int | None = PLAIN_CHUNK_SIZE,
    ) -> None:
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

        self.top_k = top_k
        self.seeds = seeds
        reader_log = logging.getLogger("llama_index.core.readers.file.base")
        level = reader_log.level
        reader_log.setLevel(logging.ERROR)  # it warns that the optional readers-file package is absent
        try:
            docs = SimpleDirectoryReader(input_dir=str(seeds_dir), required_exts=[".txt"]).load_data()
        finally:
            reader_log.setLevel(level)
        kwargs: dict[str, Any] = {}
        if chunk_size is not None:  # None: the splitter's own default (one node for this document)
            from llama_index.core.node_parser import SentenceSplitter

            kwargs["transformations"] = [
                SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_size // 10)
            ]
        index = VectorStoreIndex.from_documents(docs, embed_model=embed_model(), **kwargs)
        self.nodes = len(index.docstore.docs)
        self._retriever = index.as_retriever(similarity_top_k=top_k)

    def _passage(self, hit: NodeWithScore) -> Passage | None:
        node = hit.node
        source = str(node.metadata.get("file_name", ""))
        text = self.seeds.get(source)
        if text is None:
            return None
        content = node.get_content()
        span = _span_in(
            text, content, getattr(node, "start_char_idx", None), getattr(node, "end_char_idx", None)
        )
        if span is None:
            return None
        return Passage(
            id=node.node_id, source=source, start=span[0], end=span[1], text=content, score=hit.score or 0.0
        )

    def retrieve(self, item: GoldenItem) -> list[Passage]:
        """The top-k nodes for the raw question, as spans of the seed files."""
        found = (self._passage(hit) for hit in self._retriever.retrieve(item.question))
        return [p for p in found if p is not None][: self.top_k]


def score_retrieval(
    name: str,
    retrieve: Callable[[GoldenItem], list[Passage]],
    items: Sequence[GoldenItem],
    seeds: Mapping[str, str],
    k: int,
    clock: Callable[[], float] = time.perf_counter,
    note: str = "",
) -> RetrievalMetrics:
    """hit@k, MRR, context size (answerable items) and latency (every item) of a retriever."""
    ranks: list[int | None] = []
    chars: list[int] = []
    counts: list[int] = []
    latencies: list[float] = []
    for item in items:
        started = clock()
        passages = retrieve(item)[:k]
        latencies.append((clock() - started) * 1000)
        if not item.answerable:
            continue
        ranks.append(first_hit_rank(passages, locate_evidence(item.evidence, seeds), k))
        chars.append(sum(p.end - p.start for p in passages))
        counts.append(len(passages))
    n = len(ranks)
    return RetrievalMetrics(
        name=name,
        k=k,
        hit_at_k=sum(r is not None for r in ranks) / n if n else None,
        mrr=sum(1 / r for r in ranks if r is not None) / n if n else None,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        context_chars=sum(chars) / n if n else None,
        passages=sum(counts) / n if n else None,
        note=note,
    )


class EngineRetrieval(Protocol):
    def retrieve(self, question: str, history: Sequence[Any] | None = None) -> tuple[str, list[Passage]]: ...


def compare_with_plain(
    bot: EngineRetrieval,
    result: EvalResult,
    items: Sequence[GoldenItem],
    seeds_dir: Path,
    seeds: Mapping[str, str],
    plain: PlainLlamaIndex | None = None,
) -> Comparison:
    """Score the engine's retrieval (Assistant.retrieve, history included) and the plain pipeline's.

    hit@k and MRR of the engine are recomputed from Assistant.retrieve here, timed on their own,
    so both latencies are of retrieval alone; they agree with the run's (same retrieval).
    """
    plain = plain or PlainLlamaIndex(seeds_dir, seeds, result.k)
    if plain.top_k != result.k:
        raise ValueError(f"the plain pipeline retrieves {plain.top_k} passages, the engine {result.k}")

    def engine_retrieve(item: GoldenItem) -> list[Passage]:
        try:
            return bot.retrieve(item.question, history=item.history_messages())[1]
        except AssistantError:  # a question the guard refuses retrieves nothing
            return []

    engine = score_retrieval(
        "engine (hybrid)", engine_retrieve, items, seeds, result.k, note="condensed question, dense + BM25"
    )
    newcomer = score_retrieval(
        plain.name,
        plain.retrieve,
        items,
        seeds,
        result.k,
        note=f"SentenceSplitter at {PLAIN_CHUNK_SIZE} tokens: {plain.nodes} node(s); dense only; raw question",
    )
    return Comparison(engine=engine, plain=newcomer)
