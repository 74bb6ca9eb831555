"""The Chroma index: built from seeds/, refreshed by content hash, embedded or on a server."""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant import offline
from assistant.config import Settings
from assistant.documents import Document, LoadResult, load_documents
from assistant.embedding import MODEL_NAME, embed_model, word_piece_counter
from assistant.errors import IndexStoreError
from assistant.splitting import Chunk, chunk_sentences, split_sentences, token_budget

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from llama_index.core.schema import BaseNode, TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

log = logging.getLogger(__name__)

FORMAT = 7  # bump when chunks, ids or metadata change shape: older indexes are rebuilt
_MANIFEST_KEY = "assistant_manifest"
_CHROMA_SEGMENT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass
class SyncReport:
    """What one refresh did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    rebuilt: str | None = None
    chunks: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


def _manifest_base(settings: Settings) -> dict[str, Any]:
    return {"format": FORMAT, "embedding": MODEL_NAME, "chunk_tokens": settings.chunk_tokens}


def chunk_document(doc: Document, settings: Settings) -> list[Chunk]:
    fits = token_budget(settings.chunk_tokens, word_piece_counter())
    return chunk_sentences(doc, split_sentences(doc), fits)


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


class IndexStore:
    """Opens the collection (embedded in index_dir, or on a Chroma server) and keeps it in sync."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None

    # -- opening -----------------------------------------------------------------
    def _open_client(self) -> ClientAPI:
        offline.apply()
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        s = self.settings
        if s.uses_chroma_server:
            host, port = s.chroma_address
            try:
                client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
                client.heartbeat()
            except Exception as exc:
                raise IndexStoreError(
                    f"cannot reach the Chroma server at {host}:{port} ({exc}): start it "
                    "(chroma run --path DIR --host 127.0.0.1 --port N) or unset CHROMA_HOST and CHROMA_PORT"
                ) from None
            return client
        s.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(s.index_dir), settings=chroma_settings)

    def _open_collection(self) -> Collection:
        self._client = self._open_client()
        return self._client.get_or_create_collection(self.settings.collection, embedding_function=None)

    def _wipe_local(self, why: str) -> None:
        log.warning("index at %s %s; rebuilding it from the seeds", self.settings.index_dir, why)
        from chromadb.api.client import SharedSystemClient  # type: ignore[attr-defined]

        SharedSystemClient.clear_system_cache()
        self._client = None
        for child in self.settings.index_dir.iterdir():
            if child.is_dir() and _CHROMA_SEGMENT.match(child.name):
                shutil.rmtree(child)
            elif child.name.startswith("chroma.sqlite3"):
                child.unlink()
            # anything else in the folder is not Chroma's and is left alone

    def collection(self) -> Collection:
        if self._collection is not None:
            return self._collection
        try:
            collection = self._open_collection()
            collection.count()
        except IndexStoreError:
            raise
        except Exception as exc:
            if self.settings.uses_chroma_server:
                raise IndexStoreError(f"the Chroma server failed to open the collection: {exc}") from None
            self._wipe_local(f"is unreadable ({type(exc).__name__}: {exc})")
            collection = self._open_collection()
        self._collection = collection
        return collection

    def vector_store(self) -> ChromaVectorStore:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.collection())

    # -- the manifest ------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        raw = (self.collection().metadata or {}).get(_MANIFEST_KEY)
        if not isinstance(raw, str):
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return {}
        return value if isinstance(value, dict) else {}

    def _save_manifest(self, files: dict[str, str]) -> None:
        manifest = {**_manifest_base(self.settings), "files": files}
        self.collection().modify(metadata={_MANIFEST_KEY: json.dumps(manifest, sort_keys=True)})

    def _reset_collection(self, why: str) -> None:
        log.warning("index collection %r %s; rebuilding it", self.settings.collection, why)
        client = self._client
        assert client is not None
        client.delete_collection(self.settings.collection)
        self._collection = None

    # -- syncing -------------------------------------------------------------------
    def sync(self, rebuild: bool = False, loaded: LoadResult | None = None) -> SyncReport:
        """Bring the index in line with seeds/: only files whose content changed are re-embedded."""
        loaded = loaded or load_documents(self.settings.seeds_dir)
        report = SyncReport(skipped=loaded.skipped)
        manifest = self.manifest()
        base = _manifest_base(self.settings)
        stale = {k: manifest.get(k) for k in base if manifest.get(k) != base[k]}
        if rebuild or (manifest and stale) or (not manifest and self.collection().count()):
            why = "was asked to rebuild" if rebuild else f"is from an older format ({stale or 'no manifest'})"
            self._reset_collection(why)
            report.rebuilt = why
            manifest = {}
        known: dict[str, str] = dict(manifest.get("files", {}))
        current = {doc.source: doc for doc in loaded.documents}
        store = self.vector_store()
        for source in sorted(set(known) - set(current) - set(loaded.skipped)):
            store.delete(ref_doc_id=source)
            report.removed.append(source)
        files = {s: h for s, h in known.items() if s in loaded.skipped}
        for source, doc in sorted(current.items()):
            files[source] = doc.sha256
            if known.get(source) == doc.sha256:
                report.unchanged.append(source)
                continue
            (report.updated if source in known else report.added).append(source)
            store.delete(ref_doc_id=source)
            self._add(store, doc)
        if report.changed or files != known:
            self._save_manifest(files)
        report.chunks = self.collection().count()
        return report

    def _add(self, store: ChromaVectorStore, doc: Document) -> None:
        chunks = chunk_document(doc, self.settings)
        nodes: list[BaseNode] = [_node(doc, chunk) for chunk in chunks]
        vectors = embed_model().get_text_embedding_batch([c.text for c in chunks])
        for node, vector in zip(nodes, vectors, strict=True):
            node.embedding = vector
        store.add(nodes)
        log.info("indexed %s: %d chunks", doc.source, len(nodes))

    def nodes(self) -> list[TextNode]:
        """Every stored chunk, in document order."""
        from llama_index.core.schema import TextNode

        found = [n for n in self.vector_store().get_nodes(None) if isinstance(n, TextNode)]
        return sorted(found, key=lambda n: (n.metadata["source"], int(n.metadata["start"])))
