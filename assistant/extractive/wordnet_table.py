"""WordNet's relations for every English word, kept in a table read one word at a time.

Reading WordNet with nltk takes seconds and about 80 MB at every start. What the engine asks
of it (lexicon.related, lexicon.broader, lexicon.kinds, lexicon.located_in, lexicon.is_location and lexicon.is_person_kind) depends on the
word alone, so it is worked out once for every word that wordfreq's English list or WordNet
knows, and kept in a SQLite file beside the private copy of WordNet:

    .venv/bin/python -m assistant.extractive.wordnet_table [--force]   # scripts/install.sh runs it

A word the table does not hold has no relations. The table records what it was made from
(the code that works the relations out, WordNet's files, wordfreq's version); one made from anything else is not
used, and wordnet.py reads WordNet itself, as it does when there is no table.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

from assistant.extractive.tables import KeptTable, write_table

FILE_NAME = "relations.sqlite"
_HOW = "python -m assistant.extractive.wordnet_table"  # how the table is made again


def fingerprint(wordnet: Path) -> str:
    """Of what the table is made from: the code that reads the relations, WordNet's files, wordfreq's version."""
    from assistant.extractive import lexicon, spellings

    code = "".join(
        inspect.getsource(f)
        for f in (
            lexicon._related,
            lexicon._places_of,
            lexicon._countries_holding,
            lexicon._place_words,
            lexicon._only_a_name,
            lexicon._broader,
            lexicon._kinds,
            lexicon._located_in,
            lexicon._noun_classes,
            spellings._spelt_as,
            spellings._place_names,
            spellings._one_shorter,
            spellings.synsets,
            relations,
            words_to_cover,
        )
    )
    digest = hashlib.sha256(
        (
            code
            + repr((lexicon.COMMON_PART_ZIPF, sorted(lexicon._NOUN_CLASSES), lexicon.PLACE_SENSES))
            + repr((spellings.SHORTEST, lexicon.PLACE_KINDS))
        ).encode()
    )
    for name in sorted(p.name for p in wordnet.iterdir() if p.is_file()):
        digest.update(f"{name}:{(wordnet / name).stat().st_size}".encode())
    digest.update(version("wordfreq").encode())
    return digest.hexdigest()[:32]


class RelationTable(KeptTable):
    """The table of WordNet's relations, opened read-only."""

    how = _HOW

    def lookup(self, word: str) -> tuple[frozenset[str], ...]:
        """(related, broader, kinds, located in, place and person classes) of the word; empty for a word the
        table does not hold."""
        row = self._one(
            "SELECT related, broader, kinds, located, places FROM relations WHERE word = ?", word.lower()
        )
        if row is None:
            return (frozenset(),) * 5
        return tuple(frozenset(column.split()) for column in row)


def words_to_cover(wordnet: object) -> list[str]:
    """Every alphabetic word of wordfreq's English list and every one-word WordNet lemma."""
    import wordfreq

    listed = {w for w in wordfreq.top_n_list("en", 10**7, wordlist="large") if w.isalpha()}
    lemmas = {w.lower() for w in wordnet.all_lemma_names() if w.isalpha()}  # type: ignore[attr-defined]
    return sorted(listed | lemmas)


def relations(wn: object, word: str) -> tuple[frozenset[str], ...]:
    """A word's row, read from WordNet: what `RelationTable.lookup` gives for it."""
    from assistant.extractive import lexicon

    return (
        lexicon._related(wn, word),
        lexicon._broader(wn, word),
        lexicon._kinds(wn, word),
        lexicon._located_in(wn, word),
        lexicon._noun_classes(wn, word),
    )


def build(path: Path, words: list[str] | None = None) -> int:
    """Work out every word's relations (of `words`, or of words_to_cover) with nltk's reader and
    write the table; the rows written."""
    from assistant.extractive import wordnet

    wn, source = wordnet.load(), wordnet.wordnet_dir()
    if wn is None or source is None:
        raise SystemExit("WordNet could not be read: no table to make")
    words = words_to_cover(wn) if words is None else words
    began = time.perf_counter()

    def rows() -> Iterator[tuple[str, ...]]:
        for i, word in enumerate(words):
            found = relations(wn, word)
            if any(found):
                yield word, *(" ".join(sorted(column)) for column in found)
            if i % 50_000 == 0:
                print(f"  {i:,} of {len(words):,} words ({time.perf_counter() - began:.0f} s)", flush=True)

    return write_table(
        path,
        "CREATE TABLE relations (word TEXT PRIMARY KEY, related TEXT, broader TEXT, kinds TEXT, located TEXT, places TEXT)",
        "INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?)",
        rows(),
        fingerprint(source),
    )


def main(argv: list[str] | None = None) -> int:
    """Write the table, unless one made from this WordNet and code is there (`--force`: anyway)."""
    from assistant.extractive import wordnet

    path, source = wordnet.table_path(), wordnet.wordnet_dir()
    if source is None:
        print("WordNet is not installed (apt-get install wordnet-base): no table to make", file=sys.stderr)
        return 1
    if "--force" not in (argv or sys.argv[1:]) and RelationTable.open(path, fingerprint(source)) is not None:
        print(f"WordNet table up to date: {path}")
        return 0
    rows = build(path)
    print(f"wrote {rows:,} words' WordNet relations to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
