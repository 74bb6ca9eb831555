"""Reading WordNet: Debian's `wordnet-base` package (/usr/share/wordnet), with nltk's reader.

nltk only reads corpora from its own data folders and needs a `lexnames` file that Debian does
not ship, so the files are copied once into a private cache folder. What the engine asks of
WordNet (lexicon.py) is kept there too, word by word, in a table (wordnet_table.py): with it, a
start does not read WordNet at all. Without WordNet the engine still works, with word
embeddings as its only source of synonyms (a warning says so once).
"""

from __future__ import annotations

import logging
import shutil
import threading
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.extractive.wordnet_table import RelationTable

log = logging.getLogger(__name__)

WORDNET_DIRS = (Path("/usr/share/wordnet"),)
_FILES = (
    "data.adj",
    "data.adv",
    "data.noun",
    "data.verb",
    "index.adj",
    "index.adv",
    "index.noun",
    "index.verb",
)
_EXC = ("adj.exc", "adv.exc", "noun.exc", "verb.exc")
# The 45 lexicographer files of WordNet 3.0, in their fixed order (nltk needs this list).
_LEXNAMES = [
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
]
_POS_NUMBER = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
_lock = threading.Lock()
_reading = threading.Lock()  # nltk's reader seeks in shared file handles: one lookup at a time
_reader: Any = None
_tried = False


def _cache_dir() -> Path:
    from assistant.extractive.tables import cache_dir

    return cache_dir() / "wordnet"


def wordnet_dir() -> Path | None:
    """Where WordNet is installed, or None."""
    return next((d for d in WORDNET_DIRS if (d / "data.noun").exists()), None)


def exceptions(source: Path | None, pos: str) -> list[tuple[str, list[str]]]:
    """WordNet's list of the forms of one part of speech ("noun", "verb") that its rules cannot
    undo, each with its bases ("children": child; "took": take); empty without it."""
    path = None if source is None else source / f"{pos}.exc"
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        rows = [line.split() for line in lines]
    return [(row[0], row[1:]) for row in rows if len(row) >= 2]


def table_path() -> Path:
    from assistant.extractive.wordnet_table import FILE_NAME

    return _cache_dir() / FILE_NAME


@lru_cache(maxsize=1)
def _table() -> RelationTable | None:
    """The table of WordNet's relations (wordnet_table.py) if it was made from this WordNet and code."""
    from assistant.extractive.wordnet_table import RelationTable, fingerprint

    source = wordnet_dir()
    return RelationTable.open(table_path(), fingerprint(source)) if source is not None else None


def _prepared(source: Path) -> Path:
    """A private copy of WordNet that nltk's reader accepts (with its lexnames list)."""
    target = _cache_dir()
    if not (target / "lexnames").exists():
        target.mkdir(parents=True, exist_ok=True)
        for name in _FILES + _EXC:
            if (source / name).exists():
                shutil.copyfile(source / name, target / name)
        lines = "".join(f"{i:02d}\t{n}\t{_POS_NUMBER[n.split('.')[0]]}\n" for i, n in enumerate(_LEXNAMES))
        (target / "lexnames").write_text(lines, encoding="utf-8")
    return target


def load() -> Any:
    """nltk's WordNet reader, made on first use (None without WordNet, or if it cannot be read)."""
    global _reader, _tried
    with _lock:
        if _tried:
            return _reader
        _tried = True
        source = wordnet_dir()
        if source is None:
            log.warning(
                "WordNet is not installed (apt-get install wordnet-base): synonyms come from "
                "word embeddings only"
            )
            return None
        try:
            import nltk.data
            from nltk.corpus.reader.wordnet import WordNetCorpusReader

            class _Reader(WordNetCorpusReader):  # type: ignore[misc]
                def map_wn(self, version: str = "wordnet") -> dict[str, str]:
                    return {}  # no multilingual data: nothing to map

            root = _prepared(source)
            if str(root) not in nltk.data.path:
                nltk.data.path.append(str(root))
            with warnings.catch_warnings():  # "multilingual functions are not available": not used
                warnings.simplefilter("ignore")
                _reader = _Reader(str(root), None)
        except Exception as exc:  # a broken install must not stop answering
            log.warning("WordNet could not be read (%s): synonyms come from word embeddings only", exc)
            _reader = None
        return _reader


def preload() -> None:
    """Start reading WordNet in the background, so the first question does not wait for it
    (nothing to read when the table of its relations is there)."""
    if _table() is None:
        threading.Thread(target=load, name="wordnet", daemon=True).start()


def look_up(word: str, column: int, read: Callable[[Any, str], frozenset[str]]) -> frozenset[str]:
    """One relation of a word: the built table's column, else read from WordNet itself (empty
    without WordNet, or for a word with anything but letters)."""
    if not word.isalpha():
        return frozenset()
    table = _table()
    if table is not None:
        return table.lookup(word)[column]
    wn = load()
    if wn is None:
        return frozenset()
    with _reading:
        return read(wn, word)
