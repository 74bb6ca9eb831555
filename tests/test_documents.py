"""Loading seeds and splitting them: exact offsets, whole sentences, chunks the model can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS

from assistant.documents import load_documents, parse_document
from assistant.embedding import word_piece_counter
from assistant.errors import SeedsError
from assistant.splitting import (
    EMBED_MAX_WORD_PIECES,
    chunk_sentences,
    split_sentences,
    tiktoken_counter,
    token_budget,
)

ANNOUNCEMENT = next(SEEDS.glob("*.txt"))


def test_the_date_header_is_the_documents_date_not_part_of_its_first_sentence() -> None:
    doc = load_documents(SEEDS).documents[0]
    assert doc.date is not None
    assert doc.date.isoformat() == "2025-10-10"
    sentences = split_sentences(doc)
    assert sentences[0].text == "date 2025-10-10"  # the header stands alone, citable as the date
    assert sentences[1].text.startswith("First Lady Melania Trump made")
    assert "2025" not in sentences[1].text


def test_every_sentence_is_an_exact_span_of_the_file() -> None:
    text = ANNOUNCEMENT.read_text(encoding="utf-8")
    doc = parse_document(ANNOUNCEMENT.name, text)
    sentences = split_sentences(doc)
    assert len(sentences) > 20
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    # abbreviations do not end sentences; a quotation split by punkt is joined again
    assert any("the U.S. verified the identities" in s.text for s in sentences)
    assert any(s.text.startswith("“I hope peace") and s.text.endswith("Trump concluded.") for s in sentences)


def test_an_abbreviation_before_a_dash_or_a_small_letter_ends_no_sentence() -> None:
    """ "SALEM, Ore. — The county …": punkt ends a sentence at "Ore."; no sentence opens with a
    dash or a small letter, so what follows goes on with it."""
    doc = parse_document("dateline.txt", "SALEM, Ore. — The county voted on Monday. Work starts in May.\n")
    assert [s.text for s in split_sentences(doc)] == [
        "SALEM, Ore. — The county voted on Monday.",
        "Work starts in May.",
    ]


def test_a_time_of_day_ends_a_sentence_unless_its_zone_or_day_follows() -> None:
    """ "p.m." is an abbreviation, yet "kicks off at 2:30 p.m. Head coach …" holds two sentences;
    "4:17 a.m. Pacific time", "9 a.m. EST" and "7 p.m. Friday" go on with theirs."""
    text = (
        "The match kicks off at 2:30 p.m. Head coach Ana Ruiz said he would train first. "
        "It lifted off at 4:17 a.m. Pacific time. Doors open at 9 a.m. EST and the vote is at 7 p.m. Friday. "
        "It ends at 5 p.m. A dinner follows.\n"
    )
    assert [s.text for s in split_sentences(parse_document("times.txt", text))] == [
        "The match kicks off at 2:30 p.m.",
        "Head coach Ana Ruiz said he would train first.",
        "It lifted off at 4:17 a.m. Pacific time.",
        "Doors open at 9 a.m. EST and the vote is at 7 p.m. Friday.",
        "It ends at 5 p.m.",
        "A dinner follows.",
    ]


def test_a_seed_without_header_has_no_date_and_starts_at_its_text() -> None:
    doc = parse_document("plain.txt", "  Hello there. Second sentence here.\n")
    assert doc.date is None
    assert [s.text for s in split_sentences(doc)] == ["Hello there.", "Second sentence here."]


def test_chunks_hold_whole_sentences_within_both_token_limits() -> None:
    doc = load_documents(SEEDS).documents[0]
    sentences = split_sentences(doc)
    starts, ends = {s.start for s in sentences}, {s.end for s in sentences}
    count, pieces = tiktoken_counter(), word_piece_counter()
    chunks = chunk_sentences(doc, sentences, token_budget(64, pieces))
    assert len(chunks) > 5
    covered: set[int] = set()
    for c in chunks:
        assert c.start in starts
        assert c.end in ends
        assert doc.text[c.start : c.end] == c.text
        assert count(c.text) <= 64 or len(c.sentences) == 1
        assert pieces(c.text) <= EMBED_MAX_WORD_PIECES
        covered.update(c.sentences)
    assert covered == {s.index for s in sentences}


def test_a_sentence_longer_than_the_model_reads_is_cut_at_word_boundaries() -> None:
    long = " ".join(f"word{i}" for i in range(600)) + "."
    doc = parse_document("long.txt", long)
    pieces = word_piece_counter()
    assert pieces(long) > EMBED_MAX_WORD_PIECES
    chunks = chunk_sentences(doc, split_sentences(doc), token_budget(240, pieces))
    assert len(chunks) > 1
    for c in chunks:
        assert pieces(c.text) <= EMBED_MAX_WORD_PIECES
        assert doc.text[c.start : c.end] == c.text
        assert not c.text[0].isspace()
        assert not c.text[-1].isspace()


def test_a_file_that_is_not_utf8_is_named_and_the_others_still_load(seeds_copy: Path) -> None:
    (seeds_copy / "latin1.txt").write_bytes("Caf\xe9 au lait.".encode("latin-1"))
    loaded = load_documents(seeds_copy)
    assert [d.source for d in loaded.documents] == [ANNOUNCEMENT.name]
    assert "latin1.txt" in loaded.skipped
    assert "not UTF-8" in loaded.skipped["latin1.txt"]


def test_a_missing_or_empty_seeds_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SeedsError, match=r"does not exist.*ASSISTANT_SEEDS_DIR"):
        load_documents(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SeedsError, match=r"holds no .txt file"):
        load_documents(tmp_path / "empty")


def test_a_seed_with_windows_line_endings_keeps_the_citation_contract(seeds_copy: Path) -> None:
    original = ANNOUNCEMENT.read_text(encoding="utf-8")
    crlf = seeds_copy / ANNOUNCEMENT.name
    crlf.write_bytes(original.replace("\n", "\r\n").encode("utf-8"))
    doc = load_documents(seeds_copy).documents[0]
    text = crlf.read_text(encoding="utf-8")  # the contract reads the file this way
    for s in split_sentences(doc):
        assert text[s.start : s.end] == s.text


def test_sentences_and_chunks_are_spans_that_find_each_other() -> None:
    from assistant.corpus import Corpus
    from assistant.types import Citation, Passage, Span

    doc = load_documents(SEEDS).documents[0]
    corpus = Corpus.of([doc])
    chunk = chunk_sentences(doc, corpus.sentences[doc.source], token_budget(64))[1]
    assert all(issubclass(kind, Span) for kind in (type(chunk), Passage, Citation))
    inside = corpus.sentences_in(chunk)
    assert [s.index for s in inside] == list(chunk.sentences)
    assert all(s.overlaps(chunk) and chunk.overlaps(s) for s in inside)
    first = inside[0]
    assert corpus.sentence_at(doc.source, first.start) == first
    assert corpus.sentence_at(doc.source, first.end) != first
    other = Span(source="other.txt", start=first.start, end=first.end)
    assert not first.overlaps(other)
