"""Generations of the index: each build fills a new collection, published by one pointer write.

- ``<collection>.current``: an empty collection whose metadata names the published generation;
- ``<collection>.g<stamp>``: one generation: the chunks, and in its metadata a manifest of
  the seed files it holds, written after each file (an interrupted build resumes from it);
- ``<collection>.s<stamp>`` and ``.w<stamp>``: its sentence and word vectors (companions).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.chroma_place import ChromaPlace
from assistant.config import Settings
from assistant.embedding import MODEL_NAME
from assistant.vectors import sentences_name, stats_name, words_name

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Include
    from llama_index.core.schema import TextNode

FORMAT = 13  # bump when chunks, ids or metadata change shape: older indexes are rebuilt
PAGE = 1000  # rows per Chroma read: one get() of more than 32,766 rows fails on the embedded store
_MANIFEST_KEY = "assistant_manifest"
_CURRENT_KEY = "assistant_current"


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


def manifest_base(settings: Settings) -> dict[str, Any]:
    from assistant.extractive.speakers import embedding_fingerprint
    from assistant.kept_sentences import fingerprint

    # the sentence rows are the splitter's sentences, embedded with who speaks in them: another
    # splitter, or another reading of the speakers, means another index
    return {
        "format": FORMAT,
        "embedding": MODEL_NAME,
        "chunk_tokens": settings.chunk_tokens,
        "splitter": fingerprint(),
        "speakers": embedding_fingerprint(),
    }


def _manifest_of(collection: Collection) -> dict[str, Any]:
    raw = (collection.metadata or {}).get(_MANIFEST_KEY)
    if not isinstance(raw, str):
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


class Generations(ChromaPlace):
    """The published generation, the unpublished ones, and their companions, read and written."""

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
        manifest = {**manifest_base(self.settings), "files": {}, "state": "building"}
        meta = {**(metadata or {}), _MANIFEST_KEY: json.dumps(manifest, sort_keys=True)}
        with self.guard("create a collection for the index"):
            collection = self.client().create_collection(name, metadata=meta, embedding_function=None)
        return Generation(name, collection, manifest)

    def record(self, generation: Generation, files: dict[str, str], state: str = "building") -> Generation:
        """Write the generation's manifest: the files it holds now, and whether it is complete."""
        manifest = {**manifest_base(self.settings), "files": dict(sorted(files.items())), "state": state}
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
        for companion in (sentences_name(name), words_name(name), stats_name(name)):
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


def _to_nodes(page: dict[str, Any]) -> Iterator[TextNode]:
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    for text, metadata in zip(page["documents"], page["metadatas"], strict=True):
        node = metadata_dict_to_node(dict(metadata), text=text)
        if isinstance(node, TextNode):
            yield node
