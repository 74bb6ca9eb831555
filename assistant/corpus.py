"""The loaded seeds, split into sentences, with lookups by span: what answers are quoted from."""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.documents import Document, load_documents
from assistant.kept_sentences import rebuilt, sentences_of
from assistant.splitting import Sentence, split_sentences
from assistant.types import Citation, Span

if TYPE_CHECKING:
    from assistant.extractive.facts import CorpusStats
    from assistant.vectors import SentenceVectors


@dataclass(frozen=True)
class Excerpt:
    """A quote in its paragraph: the text before it, the quote, the text after it.

    `start` and `end` are the span of the whole excerpt in seeds/<source>, so that
    `before + quote + after == text[start:end]`.
    """

    source: str
    start: int
    end: int
    before: str
    quote: str
    after: str


DOCUMENTS_SPLIT_KEPT = 128  # documents whose sentences are kept at hand (splitting one again: under 1 ms)

# The (index, paragraph, start, end) rows of documents' sentences as an index stored them, for
# the documents it holds as they are (vectors.StoredVectors.sentence_rows).
StoredRows = Callable[[Sequence[Document]], dict[str, list[list[int]]]]


class SentenceMap(Mapping[str, list[Sentence]]):
    """Each document's sentences, read when first asked for: from the index's rows when it has
    them (no splitting, no sentence splitter loaded), else split here. The last
    DOCUMENTS_SPLIT_KEPT are kept, so that memory does not grow with the corpus."""

    def __init__(self, documents: Mapping[str, Document], stored: StoredRows | None = None) -> None:
        self._documents = documents
        self._stored = stored
        self._kept: OrderedDict[str, list[Sentence]] = OrderedDict()

    def __getitem__(self, source: str) -> list[Sentence]:
        found = self._kept.get(source)
        if found is not None:
            self._kept.move_to_end(source)
            return found
        self.read([source])
        return self._kept[source]

    def read(self, sources: Iterable[str]) -> None:
        """Have these documents' sentences at hand: those not kept yet are read in one go."""
        missing = [self._documents[s] for s in dict.fromkeys(sources) if s not in self._kept]
        if not missing:
            return
        rows = self._stored(missing) if self._stored is not None else {}
        for doc in missing:
            listed = rows.get(doc.source)
            found = rebuilt(doc, listed) if listed else None
            self._kept[doc.source] = found if found is not None else split_sentences(doc)
        while len(self._kept) > max(DOCUMENTS_SPLIT_KEPT, len(missing)):
            self._kept.popitem(last=False)

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)


@dataclass
class Corpus:
    documents: dict[str, Document]
    sentences: Mapping[str, list[Sentence]]
    vectors: SentenceVectors | None = None  # stored with the index; None: the engine embeds them itself
    stats: CorpusStats | None = None  # counted at index time; None: the engine counts them itself

    @classmethod
    def load(cls, seeds_dir: Path) -> Corpus:
        return cls.of(load_documents(seeds_dir).documents)

    @classmethod
    def of(
        cls, documents: list[Document], kept: Path | None = None, stored: StoredRows | None = None
    ) -> Corpus:
        """The documents, each split into sentences when first read (or its sentences read from
        the index, with `stored`); with `kept`, all of them split now, the spans of unchanged
        files read from that folder (kept_sentences.py)."""
        docs = {d.source: d for d in documents}
        if kept is not None:
            return cls(docs, sentences_of(list(docs.values()), kept))
        return cls(docs, SentenceMap(docs, stored))

    def read(self, sources: Iterable[str]) -> None:
        """Have these documents' sentences at hand, read together (one index read, not one each)."""
        if isinstance(self.sentences, SentenceMap):
            self.sentences.read(s for s in sources if s in self.documents)

    def all_sentences(self) -> list[Sentence]:
        return [s for source in sorted(self.sentences) for s in self.sentences[source]]

    def sentence(self, key: tuple[str, int]) -> Sentence | None:
        """The sentence at (source, index in its file), or None if there is none."""
        found = self.sentences.get(key[0], [])
        return found[key[1]] if 0 <= key[1] < len(found) else None

    def sentences_in(self, passage: Span) -> list[Sentence]:
        """Sentences that overlap the passage's span."""
        return [s for s in self.sentences.get(passage.source, []) if s.overlaps(passage)]

    def sentence_at(self, source: str, offset: int) -> Sentence | None:
        sentences = self.sentences.get(source, [])
        i = bisect_right([s.start for s in sentences], offset) - 1
        return sentences[i] if i >= 0 and sentences[i].contains(offset) else None

    def paragraph(self, sentence: Sentence) -> tuple[int, int]:
        same = [s for s in self.sentences[sentence.source] if s.paragraph == sentence.paragraph]
        return same[0].start, same[-1].end

    def excerpt(self, citation: Citation) -> Excerpt:
        """The citation's quote with the rest of its paragraph (the quote alone if the source is unknown)."""
        doc = self.documents.get(citation.source)
        if doc is None:
            return Excerpt(citation.source, citation.start, citation.end, "", citation.quote, "")
        start, end = citation.start, citation.end
        sentence = self.sentence_at(citation.source, citation.start)
        if sentence is not None:
            p_start, p_end = self.paragraph(sentence)
            start, end = min(start, p_start), max(end, p_end)
        return Excerpt(
            citation.source,
            start,
            end,
            doc.text[start : citation.start],
            doc.text[citation.start : citation.end],
            doc.text[citation.end : end],
        )

    def cite(self, n: int, source: str, start: int, end: int) -> Citation:
        doc = self.documents[source]
        return Citation(
            n=n,
            source=source,
            quote=doc.text[start:end],
            start=start,
            end=end,
            title=doc.title,
            date=doc.date.isoformat() if doc.date else None,
        )
