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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant import sentence_index
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.documents import Document, LoadResult, load_documents
from assistant.embedding import embed_model, word_piece_counter
from assistant.errors import IndexStoreError
from assistant.generations import Generation, Generations, manifest_base
from assistant.progress import Progress
from assistant.splitting import Chunk, Sentence, chunk_sentences, split_sentences, token_budget
from assistant.vectors import sentences_name, stats_name, words_name

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode, TextNode

    from assistant.extractive.facts import CorpusStats

log = logging.getLogger(__name__)

__all__ = ["Generation", "IndexStore", "SyncReport", "chunk_document"]

STATS_FILE = "stats.json"  # the corpus counts, beside the lexical index of an embedded generation
STATS_PART = 1_000_000  # characters of the counts in one record of a Chroma server's collection


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


class IndexStore(Generations):
    """Opens the index (embedded in index_dir, or on a Chroma server) and keeps it in sync."""

    _stats_kept: tuple[str, str, CorpusStats] | None = None  # the last counts read: generation, documents

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
        building = self._resume(base, wanted) or self.new_generation()
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
        for source in sorted(wanted):
            sha = wanted[source]
            if done.get(source) == sha:
                (report.unchanged if reuse.get(source) == sha else report.added).append(source)
                continue
            if source in done:
                with self.guard("update the index"):
                    building.collection.delete(where={"source": source})
                    self.companion(sentences_name(building.name)).delete(where={"source": source})
            if reuse.get(source) == sha and published is not None:
                self._copy(published, building, source)
                report.unchanged.append(source)
            else:
                self._add(building, docs[source], meter)
                (report.updated if source in previous else report.added).append(source)
            done[source] = sha
            building = self.record(building, done)
            log.info("indexed %s", source)
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

    def _copy(self, source_gen: Generation, target: Generation, source: str) -> None:
        """Carry one file's chunks, vectors and all, from the published generation into a new one."""
        for page in self._pages(source_gen, ["documents", "metadatas", "embeddings"], {"source": source}):
            with self.guard("copy unchanged chunks"):
                target.collection.add(
                    ids=page["ids"],
                    embeddings=page["embeddings"],
                    metadatas=page["metadatas"],
                    documents=page["documents"],
                )
        with self.guard("copy unchanged sentences"):
            sentence_index.copy_document(
                self.companion(sentences_name(source_gen.name)),
                self.companion(sentences_name(target.name)),
                source,
            )

    def _add(self, generation: Generation, doc: Document, meter: Progress) -> None:
        """Embed the file's sentences once: each chunk's vector is the mean of its sentences'
        (sentence_index.chunk_vectors); only a piece of a sentence too long for one chunk is
        embedded on its own."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        corpus = Corpus.of([doc])  # split once: for the chunks and for the sentence vectors
        sentences = corpus.sentences[doc.source]
        chunks = chunk_document(doc, self.settings, sentences)
        with self.guard("write the sentence vectors"):
            by_sentence = sentence_index.add_document(
                self.companion(sentences_name(generation.name)), doc, corpus
            )
        means = sentence_index.chunk_vectors(chunks, {s.index: s for s in sentences}, by_sentence)
        alone = [i for i, v in enumerate(means) if v is None]
        embedded = embed_model().get_text_embedding_batch([chunks[i].text for i in alone]) if alone else []
        own = dict(zip(alone, embedded, strict=True))
        vectors = [own[i] if v is None else [float(x) for x in v] for i, v in enumerate(means)]
        store = ChromaVectorStore(chroma_collection=generation.collection)
        for i in range(0, len(chunks), 64):
            batch = chunks[i : i + 64]
            nodes: list[BaseNode] = [_node(doc, chunk) for chunk in batch]
            for node, vector in zip(nodes, vectors[i : i + 64], strict=True):
                node.embedding = vector
            with self.guard("write to the index"):
                store.add(nodes)
        meter.advance(len(doc.text))

    def corpus_stats(self, documents: Sequence[Document]) -> CorpusStats | None:
        """The counts over every sentence of these documents (extractive/facts.py), kept with the
        published generation: beside an embedded index, or in a collection on a Chroma server."""
        published = self.published()
        return self._ensure_stats(published, documents) if published is not None else None

    def _ensure_stats(self, generation: Generation, documents: Sequence[Document]) -> CorpusStats:
        """Read the generation's saved counts of these documents, or count and save them."""
        from assistant.extractive.facts import CorpusStats, fingerprint

        s = self.settings
        documents_hash = fingerprint((d.source, d.sha256) for d in documents)
        if self._stats_kept is not None and self._stats_kept[:2] == (generation.name, documents_hash):
            return self._stats_kept[2]  # a start's sync read them a moment ago
        found = self._read_stats(generation, documents_hash)
        if found is None:
            found = CorpusStats.of(Corpus.of(list(documents), None if s.uses_chroma_server else s.index_dir))
            try:
                self._write_stats(generation, found, documents_hash)
            except (OSError, IndexStoreError) as exc:
                log.info("corpus counts not saved (%s): they are counted again at the next start", exc)
        self._stats_kept = (generation.name, documents_hash, found)
        return found

    def _read_stats(self, generation: Generation, documents_hash: str) -> CorpusStats | None:
        from assistant.extractive.facts import CorpusStats

        if not self.settings.uses_chroma_server:
            return CorpusStats.load(self.lexical_dir(generation.name) / STATS_FILE, documents_hash)
        with self.guard("read the corpus counts"):
            got: Any = self.companion(stats_name(generation.name)).get(include=["documents"])
        parts = sorted(zip(got["ids"], got["documents"] or [], strict=False))
        return CorpusStats.from_json("".join(str(p) for _, p in parts), documents_hash) if parts else None

    def _write_stats(self, generation: Generation, stats: CorpusStats, documents_hash: str) -> None:
        if not self.settings.uses_chroma_server:
            stats.save(self.lexical_dir(generation.name) / STATS_FILE, documents_hash)
            return
        text = stats.to_json(documents_hash)
        parts = [text[i : i + STATS_PART] for i in range(0, len(text), STATS_PART)]
        with self.guard("write the corpus counts"):
            collection = self.companion(stats_name(generation.name))
            old = collection.get(include=[])["ids"]
            if old:
                collection.delete(ids=old)
            collection.add(
                ids=[f"{i:06d}" for i in range(len(parts))],
                documents=parts,
                embeddings=np.zeros((len(parts), 1), dtype=np.float32),  # text only: Chroma asks for a vector
            )

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
