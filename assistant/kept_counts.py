"""The corpus counts of an index generation (extractive/facts.py's CorpusStats), kept with it.

Counted by the build over every sentence of the documents, and read back at a start so that a
start does not read every document: beside the lexical index of an embedded generation, or in
a companion collection `<collection>.c<stamp>` on a Chroma server (1 MB of JSON a record).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.corpus import Corpus
from assistant.documents import Document
from assistant.errors import IndexStoreError
from assistant.generations import Generation, Generations
from assistant.vectors import stats_name

if TYPE_CHECKING:
    from assistant.extractive.facts import CorpusStats

log = logging.getLogger(__name__)

STATS_FILE = "stats.json"  # the corpus counts, beside the lexical index of an embedded generation
STATS_PART = 1_000_000  # characters of the counts in one record of a Chroma server's collection


class KeptCounts(Generations):
    """Reads a generation's saved corpus counts, or counts and saves them."""

    _stats_kept: tuple[str, str, CorpusStats] | None = None  # the last counts read: generation, documents

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
