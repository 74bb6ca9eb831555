"""Sentence and word vectors the answer step reads: stored with the index, or computed in memory.

The index keeps, beside each generation's chunks, one Chroma collection of sentence rows
(each with the vectors of a run of one file's sentences, a quotation embedded with who said
it, kept as data; a file's first row with the spans of its sentences) and one of word vectors (every content word of the
documents), both written at index time. `StoredVectors` reads them: a start
embeds nothing but the question, and the process holds only a bounded cache of the
vectors it has used. `MemoryVectors` embeds everything at first use, for a corpus that
has no index (tools, tests that compare the two).
"""

from __future__ import annotations

import base64
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np

from assistant.embedding import embed_model
from assistant.errors import IndexStoreError

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

    from assistant.corpus import Corpus
    from assistant.documents import Document
    from assistant.index import Generation

SentenceKey = tuple[str, int]  # (source, index of the sentence in its file)
DIMENSIONS = 384
CACHE_SIZE = 1024  # vectors kept in the process, for sentences and for words each
VECTORS_KEY = "vectors"  # a row's sentence vectors, in order: their float32 bytes in base64 (see pack)
SPANS_KEY = "sentences"  # in a file's first row: [[index, paragraph, start, end], ...] of the file
BLOCK = 64  # sentences a row holds: a file's sentences lie in as many rows as it takes
DEPTH = 4  # a nearest-neighbour search looks this many times deeper, then ranks exactly


def sentence_id(key: SentenceKey) -> str:
    return f"{key[0]}#{key[1]}"


def row_id(key: SentenceKey) -> str:
    """The row that holds this sentence's vector: its file's row of BLOCK sentences."""
    return sentence_id((key[0], key[1] - key[1] % BLOCK))


def pack(vectors: np.ndarray) -> str:
    """Sentence vectors as their row keeps them. Rows hold their vectors as data, not as Chroma
    embeddings: no search runs over every sentence (the nearest sentences are sought in the
    passages' documents), and a collection of 384-dimension embeddings costs its whole
    similarity graph in memory at its first read (25 MB a process at 1,000 documents). A row
    holds a run of one file's sentences, so that the sentences of the few files a question
    reads come in a few rows (each row read costs about as much as its data)."""
    return base64.b64encode(np.asarray(vectors, dtype="<f4").tobytes()).decode("ascii")


def unpack(text: str) -> np.ndarray:
    """The vectors a row keeps, one row each."""
    return np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float32).reshape(-1, DIMENSIONS)


def row_vectors(meta: Any) -> list[tuple[SentenceKey, np.ndarray]]:
    """The sentences a row holds the vectors of (by key), and their vectors."""
    source, first = str(meta["source"]), int(meta["index"])
    return [((source, first + i), vector) for i, vector in enumerate(unpack(str(meta[VECTORS_KEY])))]


def cosine(a: np.ndarray, b: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
    """The cosine of vector `a` with each row of `b` (`lengths`: the rows' norms, when kept)."""
    norms = np.linalg.norm(b, axis=-1) if lengths is None else lengths
    return np.asarray(b @ a / (norms * np.linalg.norm(a) + 1e-9))


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Texts embedded as float64 rows, in the order given. The model reads them shortest first,
    so that each of its batches holds texts of about one length (little padding to compute)."""
    if not texts:
        return np.zeros((0, DIMENSIONS))
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    rows = np.array(embed_model().get_text_embedding_batch([texts[i] for i in order]))
    out = np.empty_like(rows)
    out[order] = rows
    return out


class SentenceVectors(Protocol):
    """What the answer step asks of sentence and word vectors."""

    def sentences(self, keys: Sequence[SentenceKey]) -> np.ndarray:
        """One row a sentence, in the order asked."""
        ...

    def words(self, items: Sequence[str]) -> np.ndarray:
        """One row a word, in the order asked; words the documents do not use are embedded."""
        ...

    def nearest_word(self, vector: np.ndarray) -> float:
        """The similarity of the documents' word nearest to `vector` (0 when there are none)."""
        ...


_K = TypeVar("_K")
_V = TypeVar("_V")


class _Bounded(OrderedDict[_K, _V]):
    """A least-recently-used cache of at most CACHE_SIZE entries."""

    def take(self, key: _K) -> _V | None:
        found = self.get(key)
        if found is not None:
            self.move_to_end(key)
        return found

    def put(self, key: _K, value: _V) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > CACHE_SIZE:
            self.popitem(last=False)


def _f32(vector: Any) -> np.ndarray:
    """A vector as the index stores it (float32): half the memory of float64 in the caches."""
    return np.asarray(vector, dtype=np.float32)


class MemoryVectors:
    """Every sentence and every word of the corpus embedded in this process at first use."""

    def __init__(self, corpus: Corpus, texts: Callable[[Corpus], list[str]], vocabulary: list[str]) -> None:
        self._keys = [(s.source, s.index) for s in corpus.all_sentences()]
        self._position = {key: i for i, key in enumerate(self._keys)}
        self._corpus = corpus
        self._text_of = texts
        self._vocabulary_words = vocabulary
        self._word_cache: dict[str, np.ndarray] = {}

    @cached_property
    def _sentence_matrix(self) -> np.ndarray:
        return embed_texts(self._text_of(self._corpus))

    @cached_property
    def _vocabulary(self) -> np.ndarray:
        for word, vector in zip(self._vocabulary_words, embed_texts(self._vocabulary_words), strict=True):
            self._word_cache[word] = vector
        return np.array([self._word_cache[w] for w in self._vocabulary_words]).reshape(-1, DIMENSIONS)

    def sentences(self, keys: Sequence[SentenceKey]) -> np.ndarray:
        return np.asarray(self._sentence_matrix[[self._position[k] for k in keys]]).reshape(-1, DIMENSIONS)

    def words(self, items: Sequence[str]) -> np.ndarray:
        missing = [w for w in dict.fromkeys(items) if w not in self._word_cache]
        if missing and "_vocabulary" not in self.__dict__:
            _ = self._vocabulary  # the documents' words first, in one sorted batch (as the index embeds them)
            missing = [w for w in missing if w not in self._word_cache]
        for word, vector in zip(missing, embed_texts(missing), strict=True):
            self._word_cache[word] = vector
        return np.array([self._word_cache[w] for w in items]) if items else np.zeros((0, DIMENSIONS))

    def nearest_word(self, vector: np.ndarray) -> float:
        if not len(self._vocabulary):
            return 0.0
        return float(np.max(cosine(vector, self._vocabulary)))


class StoredVectors:
    """The vectors the index stored, read from the generation the retriever searches now."""

    def __init__(
        self, generation: Callable[[], Generation], open_collection: Callable[[str], Collection]
    ) -> None:
        self._generation = generation
        self._open = open_collection
        self._opened: tuple[str, Collection, Collection, int] | None = None
        self._sentences: _Bounded[str, np.ndarray] = _Bounded()
        self._words: _Bounded[str, np.ndarray] = _Bounded()
        self._nearest_words: _Bounded[bytes, float] = _Bounded()  # a vector -> its nearest word's similarity

    def _collections(self) -> tuple[Collection, Collection, int]:
        """The sentence rows, the word vectors, and how many words there are."""
        name = self._generation().name
        if self._opened is None or self._opened[0] != name:
            sentences, words = self._open(sentences_name(name)), self._open(words_name(name))
            self._opened = (name, sentences, words, words.count())
            self._sentences.clear()
            self._words.clear()
            self._nearest_words.clear()
        return self._opened[1:]

    def _kept(self, metas: Iterable[Any]) -> dict[str, np.ndarray]:
        """The sentence vectors of these rows, by sentence id, kept in the cache too."""
        got: dict[str, np.ndarray] = {}
        for meta in metas:
            try:
                held = row_vectors(meta)
            except (KeyError, ValueError, TypeError):
                continue  # no vectors in this row: its sentences are reported missing
            for key, vector in held:
                got[sentence_id(key)] = vector
                self._sentences.put(sentence_id(key), vector)
        return got

    def sentences(self, keys: Sequence[SentenceKey]) -> np.ndarray:
        ids = [sentence_id(k) for k in keys]
        got = {i: v for i in dict.fromkeys(ids) if (v := self._sentences.take(i)) is not None}
        rows = list(dict.fromkeys(row_id(k) for k in keys if sentence_id(k) not in got))
        if rows:
            found = self._collections()[0].get(ids=rows, include=["metadatas"])
            got.update(self._kept(found["metadatas"] or []))
        lost = [i for i in ids if i not in got]
        if lost:
            raise IndexStoreError(
                f"the index has no vector for the sentence(s) {', '.join(lost[:3])}: run `assistant index --rebuild`"
            )
        return _stack([got[i] for i in ids])

    def sentence_rows(self, documents: Sequence[Document]) -> dict[str, list[list[int]]]:
        """The (index, paragraph, start, end) of each document's sentences as the index split them,
        read in one go (each file's first row holds them); only for documents it holds as they are.
        The rows' sentence vectors are kept for the questions that read those sentences next."""
        files = self._generation().files
        wanted = [sentence_id((d.source, 0)) for d in documents if files.get(d.source) == d.sha256]
        if not wanted:
            return {}
        found = self._collections()[0].get(ids=wanted, include=["metadatas"])
        rows: dict[str, list[list[int]]] = {}
        metas: list[Any] = list(found["metadatas"] or [])
        self._kept(metas)
        for meta in metas:
            try:
                rows[str(meta["source"])] = json.loads(str(meta[SPANS_KEY]))
            except (KeyError, ValueError):
                continue  # the file's sentences are split again
        return rows

    def words(self, items: Sequence[str]) -> np.ndarray:
        got = {w: v for w in dict.fromkeys(items) if (v := self._words.take(w)) is not None}
        missing = [w for w in dict.fromkeys(items) if w not in got]
        if missing:
            found = self._collections()[1].get(ids=missing, include=["embeddings"])
            got.update(zip(found["ids"], _rows(found), strict=True))
            unknown = [w for w in missing if w not in got]  # the question's own words
            got.update(zip(unknown, embed_texts(unknown), strict=True))
            for word in missing:
                self._words.put(word, _f32(got[word]))
        return _stack([got[w] for w in items]) if items else np.zeros((0, DIMENSIONS))

    def nearest_word(self, vector: np.ndarray) -> float:
        _, collection, count = self._collections()
        if not count:
            return 0.0
        key = _f32(vector).tobytes()
        kept = self._nearest_words.take(key)
        if kept is not None:
            return kept
        found = collection.query(
            query_embeddings=[_plain(vector)],
            n_results=min(count, DEPTH),
            include=["embeddings"],
        )
        rows = _rows(found, nested=True)
        nearest = float(np.max(cosine(vector, _stack(rows)))) if len(rows) else 0.0
        self._nearest_words.put(key, nearest)
        return nearest


def _plain(vector: np.ndarray) -> Sequence[float]:
    return [float(x) for x in vector]


def _rows(found: Any, nested: bool = False) -> list[np.ndarray]:
    embeddings = found.get("embeddings")
    if embeddings is None:
        return []
    rows = embeddings[0] if nested else embeddings
    return [np.asarray(r, dtype=np.float32) for r in rows]


def _stack(rows: Iterable[np.ndarray]) -> np.ndarray:
    """Stored float32 rows as float64, the precision the measures compute in."""
    listed = list(rows)
    return np.array(listed, dtype=np.float64) if listed else np.zeros((0, DIMENSIONS))


def sentences_name(generation: str) -> str:
    """The collection of a generation's sentence vectors: `<collection>.s<stamp>` beside `<collection>.g<stamp>`."""
    head, _, stamp = generation.rpartition(".g")
    return f"{head}.s{stamp}"


def words_name(generation: str) -> str:
    head, _, stamp = generation.rpartition(".g")
    return f"{head}.w{stamp}"


def stats_name(generation: str) -> str:
    """On a Chroma server, the collection that keeps a generation's corpus counts (extractive/facts.py)."""
    head, _, stamp = generation.rpartition(".g")
    return f"{head}.c{stamp}"
