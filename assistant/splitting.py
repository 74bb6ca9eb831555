"""Sentences with exact character offsets, and chunks of whole sentences sized in tokens."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from assistant import offline
from assistant.documents import Document
from assistant.types import Span

# Abbreviations after which a period does not end a sentence (lower case, no final dot).
_ABBREVIATIONS = {
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "d.c",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "gov",
    "sen",
    "rep",
    "gen",
    "lt",
    "col",
    "sgt",
    "capt",
    "prof",
    "inc",
    "corp",
    "co",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "no",
    "vs",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "approx",
    "dept",
    "est",
}
_OPEN_QUOTES = "“"
_CLOSE_QUOTES = "”"
EMBED_MAX_WORD_PIECES = 256  # all-MiniLM-L6-v2 truncates past this


class Sentence(Span):
    """One sentence (or the date header) of a seed file, numbered in the file and by paragraph."""

    index: int
    paragraph: int
    text: str


class Chunk(Span):
    """A window of whole sentences (or a piece of one too long), embedded as one node."""

    id: str
    text: str
    sentences: tuple[int, ...]


@lru_cache(maxsize=1)
def _punkt() -> object:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def _paragraphs(text: str, start: int) -> Iterator[tuple[int, int]]:
    for match in re.finditer(r"[^\n]+", text[start:]):
        s, e = match.start() + start, match.end() + start
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            yield s, e


def _open_quote(text: str) -> bool:
    """A quotation opened and not closed: curly quotes unbalanced, or an odd number of straight ones."""
    curly = sum(text.count(q) for q in _OPEN_QUOTES) > sum(text.count(q) for q in _CLOSE_QUOTES)
    return curly or text.count('"') % 2 == 1


def _continues(text: str) -> bool:
    """No sentence opens so: with a dash or a small letter. What does went on after a full stop that
    ended an abbreviation, not the sentence ("SALEM, Ore. — The county …", "the U.S. team")."""
    return text[:1] in ("—", "–") or text[:1].islower()


# "a.m." or "p.m." and a capitalised word: a new sentence ("kicks off at 2:30 p.m. Head coach …"),
# unless the word names the time's zone ("4:17 a.m. Pacific time", "9 p.m. EST") or its day
# ("at 9 a.m. Monday", "7 p.m. March 3")
_DAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|August|September|October|November|December"
_TIME_ENDS = re.compile(rf"\b[ap]\.m\.(?P<gap>\s+)(?![A-Z]{{2,}}\b|\w+\s+time\b|(?:{_DAY})\b)(?=[A-Z])")


def _after_times(paragraph: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans cut again after a time of day that ends a sentence; punkt reads "p.m." as an
    abbreviation only, which never ends one."""
    cut: list[tuple[int, int]] = []
    for start, end in spans:
        for match in _TIME_ENDS.finditer(paragraph, start, end):
            cut.append((start, match.start("gap")))
            start = match.end()
        cut.append((start, end))
    return cut


def _spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans in one paragraph; a quotation left open joins the next sentence, and so does
    a sentence that cannot open one."""
    spans = _after_times(paragraph, list(_punkt().span_tokenize(paragraph)))  # type: ignore[attr-defined]
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and (
            _open_quote(paragraph[merged[-1][0] : merged[-1][1]]) or _continues(paragraph[span[0] :])
        ):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _sentence(doc: Document, index: int, paragraph: int, start: int, end: int) -> Sentence:
    return Sentence(
        source=doc.source, start=start, end=end, index=index, paragraph=paragraph, text=doc.text[start:end]
    )


def split_sentences(doc: Document) -> list[Sentence]:
    """The header (if any) and every sentence of the body; text[start:end] of the file is the sentence."""
    sentences: list[Sentence] = []
    if doc.header is not None:
        start, end = doc.header
        sentences.append(_sentence(doc, 0, 0, start, end))
    first = len(sentences)
    for p_index, (p_start, p_end) in enumerate(_paragraphs(doc.text, doc.body_start), start=first):
        for s, e in _spans(doc.text[p_start:p_end]):
            start, end = p_start + s, p_start + e
            sentences.append(_sentence(doc, len(sentences), p_index, start, end))
    return sentences


@lru_cache(maxsize=1)
def tiktoken_counter() -> Callable[[str], int]:
    """Counts cl100k_base tokens; the encoding comes from llama-index-core's cache, not a download."""
    offline.apply()
    import tiktoken

    encoding = tiktoken.get_encoding("cl100k_base")
    return lambda text: len(encoding.encode(text))


def _chunk(doc: Document, start: int, end: int, sentence_ids: tuple[int, ...]) -> Chunk:
    return Chunk(
        source=doc.source,
        start=start,
        end=end,
        id=f"{doc.source}:{start}-{end}",
        text=doc.text[start:end],
        sentences=sentence_ids,
    )


def _split_long(doc: Document, sentence: Sentence, fits: Callable[[str], bool]) -> list[Chunk]:
    """A sentence too long for one chunk: cut at word boundaries into pieces that fit."""
    words = [
        (m.start() + sentence.start, m.end() + sentence.start) for m in re.finditer(r"\S+", sentence.text)
    ]
    pieces: list[Chunk] = []
    i = 0
    while i < len(words):
        j = i + 1
        while j < len(words) and fits(doc.text[words[i][0] : words[j][1]]):
            j += 1
        pieces.append(_chunk(doc, words[i][0], words[j - 1][1], (sentence.index,)))
        i = j
    return pieces


def chunk_sentences(doc: Document, sentences: list[Sentence], fits: Callable[[str], bool]) -> list[Chunk]:
    """Greedy windows of whole sentences that `fits` accepts, overlapping by one sentence.

    A sentence that does not fit alone is cut at word boundaries, so no chunk is ever
    longer than the embedding model reads.
    """
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        if not fits(sentences[i].text):
            chunks.extend(_split_long(doc, sentences[i], fits))
            i += 1
            continue
        j = i + 1
        while j < len(sentences) and fits(doc.text[sentences[i].start : sentences[j].end]):
            j += 1
        window = sentences[i:j]
        chunks.append(_chunk(doc, window[0].start, window[-1].end, tuple(s.index for s in window)))
        if j >= len(sentences):
            break
        # overlap by one sentence, when that sentence and the next fit together
        overlap = j - 1 > i and fits(doc.text[sentences[j - 1].start : sentences[j].end])
        i = j - 1 if overlap else j
    return chunks


def token_budget(
    max_tokens: int, count_word_pieces: Callable[[str], int] | None = None
) -> Callable[[str], bool]:
    """A `fits` test: at most max_tokens tiktoken tokens and within the embedding model's window."""
    count = tiktoken_counter()

    def fits(text: str) -> bool:
        if count(text) > max_tokens:
            return False
        return count_word_pieces is None or count_word_pieces(text) <= EMBED_MAX_WORD_PIECES

    return fits
