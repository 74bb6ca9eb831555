"""General English word frequencies (wordfreq's Zipf scale), kept in a table read word by word.

wordfreq loads its whole English list (about 35 MB in this process) at the first lookup, and
the engine asks it about single words. So the Zipf value of every alphabetic word of that list
is worked out once, by wordfreq itself, and kept in a SQLite file (tables.py):

    .venv/bin/python -m assistant.extractive.frequency_table [--force]   # scripts/install.sh runs it

A word of ASCII letters is looked up in the table, lower-cased (wordfreq reads it as that one
token; a word the table lacks is one wordfreq has never seen: Zipf 0). Anything else (digits,
apostrophes, accents) asks wordfreq, whose tokenizer those need. A table made from another
wordfreq version or other code is not used.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from collections.abc import Iterator
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from assistant.extractive.tables import KeptTable, cache_dir, write_table

FILE_NAME = "frequencies.sqlite"
_HOW = "python -m assistant.extractive.frequency_table"


def table_key(word: str) -> str | None:
    """The table's key for a word it can answer (ASCII letters only), else None."""
    return word.lower() if word.isascii() and word.isalpha() else None


def _rows() -> Iterator[tuple[str, float]]:
    """Every alphabetic word of wordfreq's English list with its Zipf value, as wordfreq gives it."""
    from wordfreq import top_n_list, zipf_frequency

    for word in top_n_list("en", 10**7, wordlist="large"):
        if word.isalpha():
            yield word, float(zipf_frequency(word, "en"))


def fingerprint() -> str:
    """Of what the table is made from: the code that keys and fills it, and wordfreq's version."""
    code = "".join(inspect.getsource(f) for f in (table_key, _rows))
    return hashlib.sha256((code + version("wordfreq")).encode()).hexdigest()[:32]


def table_path() -> Path:
    return cache_dir() / FILE_NAME


class FrequencyTable(KeptTable):
    how = _HOW

    def zipf(self, key: str) -> float:
        """The Zipf value of a table key (table_key); 0 for a word wordfreq has never seen."""
        row = self._one("SELECT zipf FROM words WHERE word = ?", key)
        return float(row[0]) if row is not None else 0.0

    def at_least(self, zipf: float) -> frozenset[str]:
        """The alphabetic words of the list this common or commoner."""
        return frozenset(r[0] for r in self._all("SELECT word FROM words WHERE zipf >= ?", zipf))


@lru_cache(maxsize=1)
def opened() -> FrequencyTable | None:
    """The table, if it was made from this wordfreq and code."""
    return FrequencyTable.open(table_path(), fingerprint())


def build(path: Path) -> int:
    """Write the table; the words written."""
    return write_table(
        path,
        "CREATE TABLE words (word TEXT PRIMARY KEY, zipf REAL)",
        "INSERT INTO words VALUES (?, ?)",
        _rows(),
        fingerprint(),
    )


def main(argv: list[str] | None = None) -> int:
    """Write the table, unless one made from this wordfreq and code is there (`--force`: anyway)."""
    path = table_path()
    if "--force" not in (argv or sys.argv[1:]) and FrequencyTable.open(path, fingerprint()) is not None:
        print(f"word frequency table up to date: {path}")
        return 0
    print(f"wrote {build(path):,} words' frequencies to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
