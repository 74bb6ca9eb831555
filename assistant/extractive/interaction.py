"""Late interaction: each word piece of the question against the sentence's piece nearest it, in context.

The question's pieces come from `embedding.query_tokens`, the sentences' from
`embedding.token_vectors`, read in one batch a question for the sentences not kept from
earlier questions (`WordPieces`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from assistant.embedding import token_vectors
from assistant.extractive.words import stem, words
from assistant.splitting import Sentence

PIECES_KEPT = 2048  # sentences whose word pieces in context are kept at hand (about 60 MB at most)

Key = tuple[str, int]  # (source, index of the sentence in its file)


def key(sentence: Sentence) -> Key:
    return sentence.source, sentence.index


def late(question: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    """How near each word piece of the question comes to the sentence's piece (`pieces`, from
    `WordPieces.of`) nearest it in context. Neither is ever empty: a text with no content piece
    keeps all its pieces (embedding._content_pieces)."""
    return np.asarray(np.max(question @ pieces.T, axis=1))


def met_another_way(
    scores: np.ndarray,
    piece_stems: list[str],
    literal: set[str],
    sentence: Sentence,
    before: Sentence | None,
    fallback: float,
) -> np.ndarray:
    """A word the sentence gives another way, by WordNet or who-is-who ("Lucas" for "Moreira",
    "French" for France), met as well as the question's words it has as written (the median
    of their pieces; with none, `fallback`, the score such a word gets in `asked`), however
    far its pieces stand in context from the sentence's own name for it. A hyphenated word
    counts as written whole only: its parts, met by stem, are lifted too."""
    written = {stem(w) for w in words(sentence.text + (" " + before.text if before else ""))}
    as_written = [v for v, k in zip(scores, piece_stems, strict=True) if k in literal and k in written]
    floor = float(np.median(as_written)) if as_written else fallback
    other_way = [k in literal and k not in written for k in piece_stems]
    return np.where(other_way, np.maximum(scores, floor), scores)


class WordPieces:
    """The sentences' word pieces in context, kept for the next PIECES_KEPT sentences."""

    def __init__(self) -> None:
        self._kept: dict[Key, np.ndarray] = {}

    def clear(self) -> None:
        self._kept.clear()

    def of(self, sentences: Iterable[Sentence]) -> dict[Key, np.ndarray]:
        """The sentences' pieces, those not kept from earlier questions read in one batch. The
        question keeps its own dict: a cache cleared meanwhile (by this question, or by another
        answering thread) takes nothing from it."""
        wanted = {key(s): s for s in sentences}
        found = {k: rows for k in wanted if (rows := self._kept.get(k)) is not None}
        todo = [s for k, s in wanted.items() if k not in found]
        for s, rows in zip(todo, token_vectors([s.text for s in todo]), strict=True):
            found[key(s)] = rows
        if todo:
            if len(self._kept) + len(todo) > PIECES_KEPT:
                self._kept.clear()
            self._kept.update({key(s): found[key(s)] for s in todo})
        return found
