"""The Chroma index: built from seeds/ into a new collection, published when complete.

The same layout embedded (ASSISTANT_INDEX_DIR) and on a Chroma server:

- ``<collection>.current``: an empty collection whose metadata names the published generation;
- ``<collection>.g<stamp>``: one generation: the chunks, and in its metadata a manifest of
  the seed files it holds, written after each file (an interrupted build resumes from it);
- ``<collection>.s<stamp>`` and ``.w<stamp>``: its sentence and word vectors, what the answer
  step reads (sentence_index.py writes them, vectors.py reads them).

A build never changes the published generation: it fills a new one (copying the chunks
of unchanged files, embedding the others), saves its lexical index, then moves the
pointer in one metadata write and drops the older generations. Readers look at the
pointer before each search and reopen when it moved, so they never see a half-built
or vanished index.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import offline, sentence_index
from assistant.config import Settings
from assistant.documents import Document, LoadResult, load_documents
from assistant.embedding import MODEL_NAME, embed_model, word_piece_counter
from assistant.errors import IndexStoreError
from assistant.progress import Progress
from assistant.splitting import Chunk, chunk_sentences, split_sentences, token_budget
from assistant.vectors import sentences_name, words_name

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Include
    from llama_index.core.schema import BaseNode, TextNode

log = logging.getLogger(__name__)

FORMAT = 9  # bump when chunks, ids or metadata change shape: older indexes are rebuilt
PAGE = 1000  # rows per Chroma read: one get() of more than 32,766 rows fails on the embedded store
_MANIFEST_KEY = "assistant_manifest"
_CURRENT_KEY = "assistant_current"
_CHROMA_SEGMENT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SQLITE_MAGIC = b"SQLite format 3\x00"


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


@dataclass(frozen=True)
class Generation:
    """One complete or partial build of the index: a Chroma collection and its manifest."""

    name: str
    collection: Collection
    manifest: dict[str, Any]

    @property
    def files(self) -> dict[str, str]:
        files = self.manifest.get("files", {})
        return dict(files) if isinstance(files, dict) else {}

    @property
    def complete(self) -> bool:
        return self.manifest.get("state") == "complete"


def _manifest_base(settings: Settings) -> dict[str, Any]:
    return {"format": FORMAT, "embedding": MODEL_NAME, "chunk_tokens": settings.chunk_tokens}


def _manifest_of(collection: Collection) -> dict[str, Any]:
    raw = (collection.metadata or {}).get(_MANIFEST_KEY)
    if not isinstance(raw, str):
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


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


def _writable(folder: Path) -> bool:
    """Whether the folder and its sqlite file can be written (what Chroma needs to open it)."""
    sqlite = folder / "chroma.sqlite3"
    return os.access(folder, os.W_OK) and (not sqlite.exists() or os.access(sqlite, os.W_OK))


def sqlite_problem(index_dir: Path) -> str | None:
    """Why Chroma's sqlite file in `index_dir` is corrupt, or None when it is not (or is absent).

    Only a file that is not a database, or fails sqlite's own check, counts: a file that
    cannot be read or written (permissions, a read-only disk) is not corrupt.
    """
    path = index_dir / "chroma.sqlite3"
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    except OSError:
        return None
    if head and head != _SQLITE_MAGIC:
        return "chroma.sqlite3 is not a database"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.OperationalError:
        return None  # cannot open or lock it: not evidence of corruption
    except sqlite3.DatabaseError as exc:
        return f"chroma.sqlite3 is damaged ({exc})"
    if result and result[0] != "ok":
        return f"chroma.sqlite3 is damaged ({result[0]})"
    return None


class IndexStore:
    """Opens the index (embedded in index_dir, or on a Chroma server) and keeps it in sync."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.read_only = False  # the index folder cannot be written: it is read, never changed
        self._client: ClientAPI | None = None

    # -- errors --------------------------------------------------------------------
    @property
    def where(self) -> str:
        s = self.settings
        return (
            "the Chroma server {}:{}".format(*s.chroma_address) if s.uses_chroma_server else str(s.index_dir)
        )

    def hint(self) -> str:
        if self.settings.uses_chroma_server:
            host, port = self.settings.chroma_address
            return (
                f"check that the Chroma server at {host}:{port} is running (CHROMA_HOST/CHROMA_PORT), "
                "then run `assistant index`"
            )
        return (
            f"run `assistant index` to build it again, or point ASSISTANT_INDEX_DIR at another folder "
            f"(now {self.settings.index_dir})"
        )

    @contextmanager
    def guard(self, doing: str) -> Iterator[None]:
        """Any Chroma or file-system error while `doing` becomes an IndexStoreError that says what helps."""
        try:
            yield
        except IndexStoreError:
            raise
        except Exception as exc:
            raise IndexStoreError(
                f"could not {doing} in {self.where} ({type(exc).__name__}: {exc}): {self.hint()}"
            ) from None

    # -- opening -----------------------------------------------------------------
    def _check_folder(self) -> None:
        folder = self.settings.index_dir
        if folder.exists() and not folder.is_dir():
            raise IndexStoreError(
                f"the index folder {folder} is a file, not a folder: move that file away, or point "
                "ASSISTANT_INDEX_DIR at a folder (it is created if missing)"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexStoreError(
                f"cannot create the index folder {folder} ({exc.strerror or exc}): point "
                "ASSISTANT_INDEX_DIR at a folder you can write to"
            ) from None

    def client(self) -> ClientAPI:
        if self._client is not None:
            return self._client
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
            self._client = client
            return client
        self._check_folder()
        try:
            client = chromadb.PersistentClient(path=str(s.index_dir), settings=chroma_settings)
            client.heartbeat()
            client.list_collections(limit=1)
        except Exception as exc:
            problem = sqlite_problem(s.index_dir)
            if problem is None and not _writable(s.index_dir):
                client = self._read_only_copy()
            elif problem is None:
                raise IndexStoreError(
                    f"cannot open the index in {s.index_dir} ({type(exc).__name__}: {exc}); nothing was "
                    "changed: check that the folder and its chroma.sqlite3 can be read and written, or "
                    "point ASSISTANT_INDEX_DIR at another folder"
                ) from None
            else:
                self._wipe_local(problem)
                client = chromadb.PersistentClient(path=str(s.index_dir), settings=chroma_settings)
        self._client = client
        return client

    def _read_only_copy(self) -> ClientAPI:
        """A read-only index folder is read through a temporary copy (Chroma writes as it opens)."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        folder = self.settings.index_dir
        copy = Path(tempfile.mkdtemp(prefix="assistant-index-")) / "index"
        log.warning("the index folder %s is read-only; reading a temporary copy of it in %s", folder, copy)
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("lexical"), copy_function=shutil.copyfile)
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o700 if path.is_dir() else 0o600)
        self.read_only = True
        weakref.finalize(self, shutil.rmtree, copy.parent, True)
        return chromadb.PersistentClient(path=str(copy), settings=ChromaSettings(anonymized_telemetry=False))

    def _wipe_local(self, why: str) -> None:
        log.warning(
            "index at %s is unreadable (%s); rebuilding it from the seeds", self.settings.index_dir, why
        )
        from chromadb.api.client import SharedSystemClient  # type: ignore[attr-defined]

        SharedSystemClient.clear_system_cache()
        self._client = None
        for child in self.settings.index_dir.iterdir():
            if child.is_dir() and (_CHROMA_SEGMENT.match(child.name) or child.name == "lexical"):
                shutil.rmtree(child)
            elif child.name.startswith("chroma.sqlite3"):
                child.unlink()
            # anything else in the folder is not ours and is left alone

    # -- generations -------------------------------------------------------------
    @property
    def _pointer_name(self) -> str:
        return f"{self.settings.collection}.current"

    def published_name(self) -> str | None:
        """The name of the published generation (one small read), or None before the first build."""
        with self.guard("read which index is current"):
            from chromadb.errors import NotFoundError

            try:
                pointer = self.client().get_collection(self._pointer_name)
            except (NotFoundError, ValueError):  # ValueError: how older Chroma says "no such collection"
                return None
            name = (pointer.metadata or {}).get(_CURRENT_KEY)
            return name if isinstance(name, str) else None

    def published(self) -> Generation | None:
        """The published generation, or None before the first build."""
        name = self.published_name()
        if name is None:
            return None
        with self.guard("open the index"):
            collection = self.client().get_collection(name, embedding_function=None)
            return Generation(name, collection, _manifest_of(collection))

    def _generations(self) -> list[Generation]:
        prefix = f"{self.settings.collection}.g"
        found = [c for c in self.client().list_collections() if c.name.startswith(prefix)]
        return sorted((Generation(c.name, c, _manifest_of(c)) for c in found), key=lambda g: g.name)

    def new_generation(self, metadata: dict[str, Any] | None = None) -> Generation:
        """An empty, unpublished generation (`metadata` adds Chroma collection settings)."""
        name = f"{self.settings.collection}.g{time.time_ns():x}"
        manifest = {**_manifest_base(self.settings), "files": {}, "state": "building"}
        meta = {**(metadata or {}), _MANIFEST_KEY: json.dumps(manifest, sort_keys=True)}
        with self.guard("create a collection for the index"):
            collection = self.client().create_collection(name, metadata=meta, embedding_function=None)
        return Generation(name, collection, manifest)

    def record(self, generation: Generation, files: dict[str, str], state: str = "building") -> Generation:
        """Write the generation's manifest: the files it holds now, and whether it is complete."""
        manifest = {**_manifest_base(self.settings), "files": dict(sorted(files.items())), "state": state}
        with self.guard("record the index's progress"):
            generation.collection.modify(metadata={_MANIFEST_KEY: json.dumps(manifest, sort_keys=True)})
        return Generation(generation.name, generation.collection, manifest)

    def publish(self, generation: Generation) -> None:
        """Make `generation` the one readers use (one metadata write), then drop the older ones."""
        with self.guard("publish the new index"):
            client = self.client()
            pointer = client.get_or_create_collection(self._pointer_name, embedding_function=None)
            pointer.modify(metadata={_CURRENT_KEY: generation.name})
            for old in self._generations():
                if old.name < generation.name:
                    self._drop(old.name)
            legacy = [c for c in client.list_collections() if c.name == self.settings.collection]
            if legacy:
                client.delete_collection(self.settings.collection)

    def _drop(self, name: str) -> None:
        client = self.client()
        client.delete_collection(name)
        present = {c.name for c in client.list_collections()}
        for companion in (sentences_name(name), words_name(name)):
            if companion in present:
                client.delete_collection(companion)
        if not self.settings.uses_chroma_server:
            shutil.rmtree(self.lexical_dir(name), ignore_errors=True)

    def companion(self, name: str) -> Collection:
        """A collection beside a generation's chunks (its sentence or word vectors), made if missing."""
        with self.guard("open the index's sentence vectors"):
            return self.client().get_or_create_collection(name, embedding_function=None)

    def lexical_dir(self, name: str) -> Path:
        return self.settings.index_dir / "lexical" / name

    # -- reading -------------------------------------------------------------------
    def iter_nodes(self, generation: Generation, where: dict[str, Any] | None = None) -> Iterator[TextNode]:
        """Every chunk of a generation, PAGE rows per read.

        Serving reads every chunk only to build the lexical index when no saved one can be
        used (a Chroma server has no folder of ours to keep it in, or it was lost); one
        get() of more than 32,766 rows fails on the embedded store, hence the pages.
        """
        for page in self._pages(generation, ["documents", "metadatas"], where):
            yield from _to_nodes(page)

    def _pages(
        self, generation: Generation, include: Include, where: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            with self.guard("read the index"):
                page = generation.collection.get(
                    where=where,
                    include=include,
                    limit=PAGE,
                    offset=offset,
                )
            if not page["ids"]:
                return
            yield dict(page)
            offset += len(page["ids"])

    def nodes(self) -> list[TextNode]:
        """Every stored chunk of the published index, in document order (for tools and tests)."""
        generation = self.published()
        if generation is None:
            return []
        found = list(self.iter_nodes(generation))
        return sorted(found, key=lambda n: (n.metadata["source"], int(n.metadata["start"])))

    def manifest(self) -> dict[str, Any]:
        generation = self.published()
        return generation.manifest if generation else {}

    def count(self) -> int:
        generation = self.published()
        if generation is None:
            return 0
        with self.guard("count the index's chunks"):
            return int(generation.collection.count())

    # -- building ------------------------------------------------------------------
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
        base = _manifest_base(s)
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
        from llama_index.vector_stores.chroma import ChromaVectorStore

        chunks = chunk_document(doc, self.settings)
        store = ChromaVectorStore(chroma_collection=generation.collection)
        model = embed_model()
        for i in range(0, len(chunks), 64):
            batch = chunks[i : i + 64]
            nodes: list[BaseNode] = [_node(doc, chunk) for chunk in batch]
            vectors = model.get_text_embedding_batch([c.text for c in batch])
            for node, vector in zip(nodes, vectors, strict=True):
                node.embedding = vector
            with self.guard("write to the index"):
                store.add(nodes)
            meter.advance(sum(len(c.text) for c in batch))
        with self.guard("write the sentence vectors"):
            sentence_index.add_document(self.companion(sentences_name(generation.name)), doc)

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


def _to_nodes(page: dict[str, Any]) -> Iterator[TextNode]:
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    for text, metadata in zip(page["documents"], page["metadatas"], strict=True):
        node = metadata_dict_to_node(dict(metadata), text=text)
        if isinstance(node, TextNode):
            yield node
