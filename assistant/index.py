"""The Chroma index: built from seeds/ into a new generation, published when complete.

The same layout embedded (ASSISTANT_INDEX_DIR) and on a Chroma server (generations.py); where
the index lives and how it is opened is chroma_place.py.

A build never changes the published generation: it fills a new one (copying the chunks
of unchanged files, embedding the others), saves its lexical index, then moves the
pointer in one metadata write and drops the older generations. Readers look at the
pointer before each search and reopen when it moved, so they never see a half-built
or vanished index.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant import sentence_index
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.documents import Document, LoadResult, load_documents
from assistant.embedding import word_piece_counter
from assistant.errors import IndexStoreError
from assistant.generations import Generation, manifest_base
from assistant.kept_counts import STATS_FILE, KeptCounts
from assistant.progress import Progress
from assistant.splitting import Chunk, Sentence, chunk_sentences, split_sentences, token_budget
from assistant.vectors import embed_texts, sentences_name, words_name

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode, TextNode


log = logging.getLogger(__name__)

__all__ = ["STATS_FILE", "Generation", "IndexStore", "SyncReport", "chunk_document"]


@dataclass
class SyncReport:
    """What one refresh did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    rebuilt: str | None = None
    resumed: str | None = None
    chunks: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt or self.resumed)


def chunk_document(doc: Document, settings: Settings, sentences: list[Sentence] | None = None) -> list[Chunk]:
    fits = token_budget(settings.chunk_tokens, word_piece_counter())
    return chunk_sentences(doc, split_sentences(doc) if sentences is None else sentences, fits)


def _node(doc: Document, chunk: Chunk) -> TextNode:
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    return TextNode(
        id_=chunk.id,
        text=chunk.text,
        metadata={
            "source": chunk.source,
            "start": chunk.start,
            "end": chunk.end,
            "title": doc.title,
            "date": doc.date.isoformat() if doc.date else "",
        },
        excluded_embed_metadata_keys=["source", "start", "end", "title", "date"],
        excluded_llm_metadata_keys=["source", "start", "end", "title", "date"],
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc.source)},
    )


BATCH_FILES = 64  # files embedded and written together at most: the store's cost per write is shared
BATCH_CHARS = 256_000  # and at most this much text (a batch may end with one file that passes it)


@dataclass
class _Batch:
    """The files of a build waiting to be written, and what is done: batches grow from one
    file to BATCH_FILES, so that the first files of a long build are recorded soon."""

    docs: dict[str, Document]
    wanted: dict[str, str]
    done: dict[str, str]
    resumed: bool
    adds: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    limit: int = 1

    def full(self) -> bool:
        text = sum(len(self.docs[s].text) for s in self.adds)
        return len(self.adds) + len(self.copies) >= self.limit or text >= BATCH_CHARS

    def next(self) -> None:
        self.adds, self.copies = [], []
        self.limit = min(2 * self.limit, BATCH_FILES)


class IndexStore(KeptCounts):
    """Opens the index (embedded in index_dir, or on a Chroma server) and keeps it in sync."""

    def sync(
        self,
        rebuild: bool = False,
        loaded: LoadResult | None = None,
    ) -> SyncReport:
        """Bring the index in line with seeds/: only files whose content changed are embedded.

        Nothing changes for readers until the new generation is complete and published.
        """
        s = self.settings
        loaded = loaded or load_documents(s.seeds_dir, max_bytes=s.max_seed_bytes)
        report = SyncReport(skipped=dict(loaded.skipped))
        base = manifest_base(s)
        with self.guard("open the index"):
            published = self.published()
            legacy = published is None and any(
                c.name == s.collection for c in self.client().list_collections()
            )
        old = published.manifest if published else {}
        stale = {k: old.get(k) for k in base if old.get(k) != base[k]} if published else {}
        reuse = {} if (rebuild or stale or published is None) else published.files
        wanted = {d.source: d.sha256 for d in loaded.documents}
        wanted |= {src: h for src, h in reuse.items() if src in loaded.skipped}
        if published and not rebuild and not stale and published.files == wanted and published.complete:
            report.unchanged = sorted(wanted)
            report.chunks = self.count()
            self._ensure_lexical(published)
            self._ensure_stats(published, loaded.documents)
            return report
        if self.read_only:
            raise IndexStoreError(
                f"the index in {s.index_dir} is out of date with the seeds in {s.seeds_dir}, and its folder "
                "is read-only, so nothing was changed: make the folder writable and run `assistant index`, "
                "or point ASSISTANT_INDEX_DIR at a folder you can write to"
            )
        if rebuild:
            report.rebuilt = "was asked to rebuild"
        elif stale or legacy:
            report.rebuilt = f"is from an older format ({stale or 'no manifest'})"
        if report.rebuilt:
            log.warning("index in %s %s; rebuilding it", self.where, report.rebuilt)
        resumed = self._resume(base, wanted)
        building = resumed or self.new_generation()
        done = building.files
        if done:
            report.resumed = (
                f"an interrupted build was resumed: {len(done)} of {len(wanted)} file(s) were already indexed"
            )
            log.warning("index in %s: %s", self.where, report.resumed)
        docs = {d.source: d for d in loaded.documents}
        previous = published.files if published else {}
        todo = [src for src in sorted(wanted) if done.get(src) != wanted[src]]
        meter = Progress.of(
            sum(len(docs[src].text) for src in todo if src in docs and reuse.get(src) != wanted[src])
        )
        batch = _Batch(docs, wanted, done, resumed=resumed is not None)
        for source in sorted(wanted):
            sha = wanted[source]
            if done.get(source) == sha:
                (report.unchanged if reuse.get(source) == sha else report.added).append(source)
                continue
            if source in done:  # recorded by the interrupted build with other content: written again
                del done[source]
            if reuse.get(source) == sha and published is not None:
                batch.copies.append(source)
                report.unchanged.append(source)
            else:
                batch.adds.append(source)
                (report.updated if source in previous else report.added).append(source)
            if batch.full():
                building = self._write(building, published, batch, meter)
        building = self._write(building, published, batch, meter)
        meter.close()
        report.removed = sorted(set(previous) - set(wanted))
        with self.guard("write the index's word vectors"):
            sentence_index.write_words(
                self.companion(words_name(building.name)),
                sentence_index.document_words(
                    loaded.documents, None if s.uses_chroma_server else s.index_dir
                ),
                self.companion(words_name(published.name)) if published else None,
            )
        self._ensure_lexical(building)
        self._ensure_stats(building, loaded.documents)
        building = self.record(building, done, state="complete")
        self.publish(building)
        report.chunks = self.count()
        return report

    def _resume(self, base: dict[str, Any], wanted: dict[str, str]) -> Generation | None:
        """The newest unpublished build with the same format, or None; other unpublished ones go."""
        with self.guard("look for an interrupted build"):
            unpublished = [g for g in self._generations() if not g.complete]
            usable = [g for g in unpublished if all(g.manifest.get(k) == v for k, v in base.items())]
            keep = usable[-1] if usable else None
            for g in unpublished:
                if g is not keep:
                    self._drop(g.name)
        return keep

    def _write(
        self, building: Generation, published: Generation | None, batch: _Batch, meter: Progress
    ) -> Generation:
        """Write one batch of files into the generation being built, then record them as done."""
        written = [*batch.copies, *batch.adds]
        if not written:
            return building
        if batch.resumed:  # rows an interrupted build wrote before it could record their file
            where: Any = {"source": {"$in": written}}
            with self.guard("update the index"):
                building.collection.delete(where=where)
                self.companion(sentences_name(building.name)).delete(where=where)
        if batch.copies and published is not None:
            self._copy(published, building, batch.copies)
        if batch.adds:
            self._add(building, [batch.docs[s] for s in batch.adds], meter)
        for source in written:
            batch.done[source] = batch.wanted[source]
        building = self.record(building, batch.done)
        for source in written:
            log.info("indexed %s", source)
        batch.next()
        return building

    def _copy(self, source_gen: Generation, target: Generation, sources: list[str]) -> None:
        """Carry these files' chunks, vectors and all, from the published generation into a new one."""
        where = {"source": {"$in": sources}}
        for page in self._pages(source_gen, ["documents", "metadatas", "embeddings"], where):
            with self.guard("copy unchanged chunks"):
                target.collection.add(
                    ids=page["ids"],
                    embeddings=page["embeddings"],
                    metadatas=page["metadatas"],
                    documents=page["documents"],
                )
        with self.guard("copy unchanged sentences"):
            sentence_index.copy_documents(
                self.companion(sentences_name(source_gen.name)),
                self.companion(sentences_name(target.name)),
                sources,
            )

    def _add(self, generation: Generation, docs: list[Document], meter: Progress) -> None:
        """Embed the files' sentences once, in one pass sorted by length: each chunk's vector is
        the mean of its sentences' (sentence_index.chunk_vectors); only a piece of a sentence too
        long for one chunk is embedded on its own."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        corpus = Corpus.of(docs)  # split once: for the chunks and for the sentence vectors
        with self.guard("write the sentence vectors"):
            by_sentence = sentence_index.add_documents(
                self.companion(sentences_name(generation.name)), docs, corpus
            )
        chunks: list[tuple[Document, Chunk]] = []
        means: list[np.ndarray | None] = []
        for doc in docs:
            sentences = corpus.sentences[doc.source]
            own = chunk_document(doc, self.settings, sentences)
            chunks += [(doc, chunk) for chunk in own]
            means += sentence_index.chunk_vectors(
                own, {s.index: s for s in sentences}, by_sentence[doc.source]
            )
        alone = [i for i, v in enumerate(means) if v is None]
        embedded = embed_texts([chunks[i][1].text for i in alone])
        own_vectors = dict(zip(alone, embedded, strict=True))
        nodes: list[BaseNode] = []
        for i, ((doc, chunk), mean) in enumerate(zip(chunks, means, strict=True)):
            node = _node(doc, chunk)
            node.embedding = [float(x) for x in (own_vectors[i] if mean is None else mean)]
            nodes.append(node)
        with self.guard("write to the index"):
            ChromaVectorStore(chroma_collection=generation.collection).add(nodes)
        meter.advance(sum(len(doc.text) for doc in docs), files=len(docs))

    def _ensure_lexical(self, generation: Generation) -> None:
        """Save the generation's lexical index next to an embedded index (a server keeps none)."""
        from assistant import lexical

        if self.settings.uses_chroma_server:
            return
        folder = self.lexical_dir(generation.name)
        if folder.is_dir():
            return
        nodes = list(self.iter_nodes(generation))
        if nodes:
            lexical.save(lexical.build(nodes, 10), folder)
