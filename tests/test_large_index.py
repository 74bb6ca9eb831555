"""An index past 32,767 chunks opens and answers, embedded and on a Chroma server.

One Chroma read of more than 32,766 rows fails on the embedded store ("too many SQL
variables"), so nothing in serving may read the whole collection in one call. The
archive's chunks get synthetic vectors (and a cheap HNSW build) to keep this quick; the
announcement's chunks are embedded by the real model. The answers come from the openai
backend on the loopback Chat Completions server: the extractive backend reads every
sentence's vector, which is its own concern, not the index's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from conftest import SEEDS, make_settings
from openai_server import FakeOpenAI, Request, reply

from assistant import Assistant, Settings
from assistant.documents import load_documents
from assistant.index import IndexStore, _node
from assistant.progress import Progress
from assistant.splitting import Chunk

EIGHT = "eight children"
if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode

CHUNKS = 33_000  # past the 32,766 rows one embedded Chroma read can return
pytestmark = pytest.mark.slow


def cites(needle: str, template: str) -> Callable[[Request], str]:
    """A reply naming the number of the prompt's source that holds `needle`."""
    return lambda request: template.format(n=request.source_number(needle))


def _archive(seeds: Path) -> list[str]:
    lines = [f"Ledger entry {i} was filed." for i in range(CHUNKS)]
    (seeds / "archive.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def _fill(settings: Settings) -> None:
    """Publish an index of the announcement (real vectors) and the archive (synthetic ones)."""
    lines = _archive(settings.seeds_dir)
    loaded = load_documents(settings.seeds_dir)
    docs = {d.source: d for d in loaded.documents}
    store = IndexStore(settings)
    generation = store.new_generation(
        metadata={"hnsw:construction_ef": 8, "hnsw:M": 4, "hnsw:search_ef": 400}
    )
    announcement = next(d for d in loaded.documents if d.source != "archive.txt")
    store._add(generation, [announcement], Progress(0))
    from llama_index.vector_stores.chroma import ChromaVectorStore

    vectors = np.random.default_rng(7).normal(size=(len(lines), 384))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    archive, offset = docs["archive.txt"], 0
    nodes: list[BaseNode] = []
    for i, line in enumerate(lines):
        chunk = Chunk(
            id=f"archive.txt:{i}",
            source="archive.txt",
            start=offset,
            end=offset + len(line),
            text=line,
            sentences=(i,),
        )
        node = _node(archive, chunk)
        node.embedding = vectors[i].tolist()
        nodes.append(node)
        offset += len(line) + 1
    writer = ChromaVectorStore(chroma_collection=generation.collection)
    for i in range(0, len(nodes), 5000):
        writer.add(nodes[i : i + 5000])
    files = {d.source: d.sha256 for d in loaded.documents}
    store.publish(store.record(generation, files, state="complete"))
    assert store.count() > CHUNKS


def _answers(settings: Settings) -> None:
    with FakeOpenAI() as server:
        server.default = reply(cites(EIGHT, "Eight children were reunited [{n}]."))
        bot = Assistant(settings.model_copy(update={"backend": "openai", "openai_base_url": server.url}))
        _ask(bot)


def _ask(bot: Assistant) -> None:
    assert not bot.sync_report.changed  # the published index was used as it is
    assert bot.sync_report.chunks > CHUNKS
    answer = bot.ask("How many children separated during the war have been reunited with their families?")
    assert "Eight" in answer.text
    assert EIGHT in answer.citations[0].quote
    assert answer.citations
    _, passages = bot.retrieve("Which ledger entry 32990 was filed?")
    assert any(p.text == "Ledger entry 32990 was filed." for p in passages)  # found past row 32,767


def test_an_embedded_index_past_32767_chunks_starts_and_answers(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    settings = make_settings(seeds, tmp_path / "index")
    _fill(settings)
    _answers(settings)
    _answers(settings)  # a second start reads the lexical index saved by the first


@pytest.mark.server
def test_a_server_index_past_32767_chunks_starts_and_answers(tmp_path: Path, chroma_server: int) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    settings = make_settings(
        seeds,
        tmp_path / "unused",
        chroma_host="127.0.0.1",
        chroma_port=chroma_server,
        collection="large-archive",
    )
    _fill(settings)
    _answers(settings)
