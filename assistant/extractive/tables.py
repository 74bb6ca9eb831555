"""Word tables made once and read one word at a time: SQLite files in the user's cache.

What the engine asks of a large lexical resource (WordNet's relations, wordfreq's frequencies)
depends on the word alone; loading the resource costs seconds and tens of MB at every start,
a lookup in a table a few microseconds. Each table records a fingerprint of what it was made
from; one made from anything else is not used, and the resource answers itself.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Where the tables (and the private copy of WordNet) are kept."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "announcement-assistant"


class KeptTable:
    """A table opened read-only; safe to share between threads."""

    how = ""  # the command that makes the table again, for the log

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, expected: str) -> Self | None:
        """The table at `path` if it was made from what `expected` fingerprints, else None."""
        if not path.is_file():
            return None
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            row = connection.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except sqlite3.Error as exc:
            log.info("table %s unreadable (%s): the resource is read instead", path, exc)
            return None
        if row is None or row[0] != expected:
            connection.close()
            log.info("table %s is out of date: the resource is read instead (rebuild: %s)", path, cls.how)
            return None
        return cls(connection)

    def _one(self, sql: str, *args: object) -> tuple[Any, ...] | None:
        with self._lock:
            row = self._connection.execute(sql, args).fetchone()
        return tuple(row) if row is not None else None

    def _all(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        with self._lock:
            return [tuple(r) for r in self._connection.execute(sql, args).fetchall()]


def write_table(
    path: Path, schema: str, insert: str, rows: Iterable[tuple[Any, ...]], fingerprint: str
) -> int:
    """Write a table (`schema`: its CREATE TABLE, `insert`: its INSERT) and its fingerprint
    into a new file that replaces `path` when complete; the rows written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.building")
    temporary.unlink(missing_ok=True)
    connection = sqlite3.connect(temporary)
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    connection.execute(schema)
    written = 0
    for row in rows:
        connection.execute(insert, row)
        written += 1
    connection.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
    connection.commit()
    connection.close()
    temporary.replace(path)
    return written
