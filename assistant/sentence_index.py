"""Writing the sentence and word vectors of an index generation (read back by vectors.py).

Each generation `<collection>.g<stamp>` of chunks has two companions: `<collection>.s<stamp>`,
one row for each run of BLOCK sentences of a file (id `source#index` of its first sentence, metadata
source, that index and the run's vectors; a file's first row also holds the (index, paragraph,
start, end) of every sentence of the file, so that the answer step reads a file's sentences
and their vectors in one small read instead of splitting it again), and `<collection>.w<stamp>`,
one row a content word of the documents (id: the word). Sentences are written a batch of files
at a time with their chunks; the words once the files are in, carried over from the published
generation where they were already embedded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.corpus import Corpus
from assistant.documents import Document
from assistant.splitting import Chunk, Sentence
from assistant.vectors import BLOCK, SPANS_KEY, VECTORS_KEY, embed_texts, pack, sentence_id

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

BATCH = 1000  # word rows per Chroma write or read
ROWS = 64  # sentence rows per Chroma write or read (each holds up to BLOCK vectors: ~130 KB)


def add_documents(
    collection: Collection, docs: Sequence[Document], corpus: Corpus | None = None
) -> dict[str, dict[int, np.ndarray]]:
    """Embed the documents' sentences (as the engine reads them) in one pass and store them a
    run of BLOCK sentences a row; the vectors by file and sentence index, for the chunks made of
    those sentences. `corpus`: the documents already split, when the caller has it."""
    from assistant.extractive.speakers import embedding_texts

    corpus = corpus or Corpus.of(list(docs))
    sentences = [s for doc in docs for s in corpus.sentences[doc.source]]
    vectors = embed_texts([t for doc in docs for t in embedding_texts(corpus, doc.source)])
    found: dict[str, dict[int, np.ndarray]] = {doc.source: {} for doc in docs}
    for sentence, vector in zip(sentences, vectors, strict=True):
        found[sentence.source][sentence.index] = vector
    rows: list[Any] = [  # Chroma's metadata type is narrower than what it takes
        _metadata(of_file[i : i + BLOCK], of_file, found[doc.source])
        for doc in docs
        if (of_file := corpus.sentences[doc.source])
        for i in range(0, len(of_file), BLOCK)
    ]
    for i in range(0, len(rows), ROWS):
        part = rows[i : i + ROWS]
        collection.add(
            ids=[sentence_id((str(m["source"]), int(m["index"]))) for m in part],
            # the vectors are the row's data (vectors.pack); Chroma asks for an embedding all the same
            embeddings=np.zeros((len(part), 1), dtype=np.float32),
            metadatas=part,
        )
    return found


def _metadata(
    run: list[Sentence], of_file: list[Sentence], vectors: dict[int, np.ndarray]
) -> dict[str, str | int]:
    """A row's file, the index of its first sentence and the run's vectors; the file's first row
    carries the spans of all its sentences."""
    meta: dict[str, str | int] = {
        "source": run[0].source,
        "index": run[0].index,
        VECTORS_KEY: pack(np.array([vectors[s.index] for s in run])),
    }
    if run[0].index == 0:
        meta[SPANS_KEY] = json.dumps([[s.index, s.paragraph, s.start, s.end] for s in of_file])
    return meta


def chunk_vectors(
    chunks: Sequence[Chunk], sentences: dict[int, Sentence], vectors: dict[int, np.ndarray]
) -> list[np.ndarray | None]:
    """Each chunk's vector: the mean of its sentences' vectors, normalised, so that no text is
    embedded twice. None for a chunk that is a piece of a sentence too long for one (it is
    embedded as it is) or whose sentences have no vector."""
    out: list[np.ndarray | None] = []
    for chunk in chunks:
        known = bool(chunk.sentences) and all(i in sentences and i in vectors for i in chunk.sentences)
        spans = (sentences[chunk.sentences[0]].start, sentences[chunk.sentences[-1]].end) if known else None
        if spans != (chunk.start, chunk.end):
            out.append(None)
            continue
        mean = np.mean([vectors[i] for i in chunk.sentences], axis=0)
        norm = float(np.linalg.norm(mean))
        out.append(mean / norm if norm else None)
    return out


def copy_documents(source_collection: Collection, target: Collection, sources: Sequence[str]) -> None:
    """Carry these files' sentence rows, vectors and all, into another generation."""
    where: Any = {"source": {"$in": list(sources)}}
    offset = 0
    while True:
        page = source_collection.get(
            where=where,
            include=["embeddings", "metadatas"],
            limit=ROWS,
            offset=offset,
        )
        if not page["ids"]:
            return
        target.add(ids=page["ids"], embeddings=page["embeddings"], metadatas=page["metadatas"])
        offset += len(page["ids"])


def _ids(collection: Collection) -> set[str]:
    found: set[str] = set()
    offset = 0
    while True:
        page = collection.get(include=[], limit=BATCH, offset=offset)
        if not page["ids"]:
            return found
        found.update(page["ids"])
        offset += len(page["ids"])


def document_words(documents: Iterable[Document], kept: Path | None = None) -> list[str]:
    """The documents' vocabulary; with `kept`, their sentence spans are read from (and kept in)
    that folder, so that the next start does not split them again (kept_sentences.py)."""
    from assistant.extractive.words import vocabulary

    sentences = Corpus.of(list(documents), kept).sentences
    return vocabulary(s.text for found in sentences.values() for s in found)


def write_words(target: Collection, words: list[str], previous: Collection | None) -> None:
    """Make `target` hold exactly `words`: kept, copied from `previous`, or embedded (in sorted order)."""
    have = _ids(target)
    extra = sorted(have - set(words))
    for i in range(0, len(extra), BATCH):
        target.delete(ids=extra[i : i + BATCH])
    missing = [w for w in words if w not in have]
    if previous is not None:
        copied: set[str] = set()
        for i in range(0, len(missing), BATCH):
            page: Any = previous.get(ids=missing[i : i + BATCH], include=["embeddings"])
            if page["ids"]:
                target.add(ids=page["ids"], embeddings=page["embeddings"])
                copied.update(page["ids"])
        missing = [w for w in missing if w not in copied]
    vectors = embed_texts(missing)
    for i in range(0, len(missing), BATCH):
        target.add(ids=missing[i : i + BATCH], embeddings=vectors[i : i + BATCH].astype("float32"))
