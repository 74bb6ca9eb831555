"""Sentence spans kept on disk, so that the build's steps over the whole corpus (its vocabulary,
its counts) do not split unchanged files again.

A start does not split every file (corpus.SentenceMap splits a document when a question first
reads it); the build does, once per sync. The spans depend only on a file's content and on the splitter, so they are kept by
content hash in one JSON file beside the index, with a fingerprint of the splitter (its code,
the date-header rule's, and nltk's version): a changed file, or a changed splitter, is split
again. The file is a cache: when it cannot be read or written, the documents are split as
before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from assistant import documents, splitting
from assistant.documents import Document
from assistant.splitting import Sentence, split_sentences

log = logging.getLogger(__name__)

FILE_NAME = "sentences.json"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The splitter's: the index keeps it in its manifest too, since its rows are split sentences."""
    # the splitter's code, and the date-header rule's, which decides where the body starts
    code = Path(splitting.__file__).read_bytes() + Path(documents.__file__).read_bytes()
    return hashlib.sha256(code + version("nltk").encode()).hexdigest()[:16]


def _read(path: Path) -> dict[str, list[list[int]]]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("splitter") != fingerprint():
        return {}
    spans = data.get("spans")
    return spans if isinstance(spans, dict) else {}


def _write(path: Path, spans: dict[str, list[list[int]]]) -> None:
    """Atomically (a reader never sees half a file); a folder that cannot be written is left alone."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps({"splitter": fingerprint(), "spans": spans}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        log.info("sentence spans not kept in %s (%s): they are split again at the next start", path, exc)


def rebuilt(doc: Document, rows: list[list[int]]) -> list[Sentence] | None:
    """The document's sentences from kept (index, paragraph, start, end) rows; None if they do not fit."""
    if [r[0] if len(r) == 4 else None for r in rows] != list(range(len(rows))) or any(
        not 0 <= r[2] < r[3] <= len(doc.text) for r in rows
    ):
        return None
    return [
        Sentence(source=doc.source, index=i, paragraph=p, start=s, end=e, text=doc.text[s:e])
        for i, p, s, e in rows
    ]


def sentences_of(documents: Sequence[Document], folder: Path | None) -> dict[str, list[Sentence]]:
    """Every document's sentences: kept ones read back, the others split (and kept for next time)."""
    path = folder / FILE_NAME if folder is not None else None
    kept = _read(path) if path is not None else {}
    out: dict[str, list[Sentence]] = {}
    fresh = False
    for doc in documents:
        rows = kept.get(doc.sha256)
        found = rebuilt(doc, rows) if rows is not None else None
        if found is None:
            found = split_sentences(doc)
            fresh = True
        out[doc.source] = found
    if path is not None and (fresh or len(kept) != len({d.sha256 for d in documents})):
        spans = {d.sha256: [[s.index, s.paragraph, s.start, s.end] for s in out[d.source]] for d in documents}
        _write(path, spans)
    return out
