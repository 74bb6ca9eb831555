"""Loading the seed files into Documents, keeping their text byte for byte."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.errors import SeedsError

log = logging.getLogger(__name__)

# A seed may open with a header such as "date 2025-10-10"; it is metadata, not text.
_HEADER = re.compile(r"\A\s*(?P<header>date\s+(?P<date>\d{4}-\d{2}-\d{2}))\s+", re.IGNORECASE)
_DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]*")


@dataclass(frozen=True)
class Document:
    """One seed file. `text` is the file's exact content; the body starts at `body_start`."""

    source: str
    title: str
    date: date | None
    text: str
    body_start: int
    sha256: str
    header: tuple[int, int] | None = None  # span of the "date YYYY-MM-DD" header, if any

    @property
    def id(self) -> str:
        return self.source


@dataclass(frozen=True)
class LoadResult:
    documents: list[Document]
    skipped: dict[str, str] = field(default_factory=dict)


def title_from_name(stem: str) -> str:
    words = _DATED_NAME.sub("", stem).replace("_", " ").replace("-", " ").split()
    if not words:
        return stem
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def parse_document(source: str, text: str) -> Document:
    header = _HEADER.match(text)
    doc_date: date | None = None
    body_start = len(text) - len(text.lstrip())
    span: tuple[int, int] | None = None
    if header:
        try:
            doc_date = date.fromisoformat(header.group("date"))
            body_start = header.end()
            span = (header.start("header"), header.end("header"))
        except ValueError:
            log.warning("%s: header date %r is not a valid date; kept as text", source, header.group("date"))
    return Document(
        source=source,
        title=title_from_name(Path(source).stem),
        date=doc_date,
        text=text,
        body_start=body_start,
        header=span,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


MAX_SEED_BYTES = 2_000_000  # the default of ASSISTANT_MAX_SEED_BYTES

# Characters a seed may not hold: NUL and other C0/C1 controls except tab, newline and CR.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _candidates(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        raise SeedsError(
            f"seeds folder {seeds_dir} does not exist: create it and put the announcement "
            "(a UTF-8 .txt file) in it, or set ASSISTANT_SEEDS_DIR"
        )
    return sorted(seeds_dir.glob("*.txt"))


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a seed file (a folder, a broken or looping link), or None."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{path.name} is a symbolic link that loops back on itself: replace it with the file"
        if path.is_symlink():
            return f"{path.name} is a symbolic link to {os.readlink(path)}, which does not exist: fix or remove the link"
        return f"{path.name} cannot be read ({exc.strerror or exc}): check its permissions"
    if path.is_dir():
        return f"{path.name} is a folder, not a text file: rename it (seed files are *.txt files)"
    if not path.is_file():
        return f"{path.name} is not a regular file: replace it with a UTF-8 text file"
    return None


def seed_files(seeds_dir: Path) -> list[Path]:
    """The *.txt seed files that are regular files (see `load_documents` for the others)."""
    files = [p for p in _candidates(seeds_dir) if _not_a_file(p) is None]
    if not files:
        raise SeedsError(
            f"seeds folder {seeds_dir} holds no .txt file: add the announcement as a UTF-8 "
            "text file, or point ASSISTANT_SEEDS_DIR at the folder that has it"
        )
    return files


def _read(path: Path, max_bytes: int) -> tuple[str | None, str | None]:
    """The seed's text, or why it is skipped: too large, unreadable, not UTF-8, empty, or control bytes."""
    size = path.stat().st_size
    if size > max_bytes:
        return None, (
            f"{path.name} is {size:,} bytes, over the {max_bytes:,}-byte limit for one seed file "
            "(ASSISTANT_MAX_SEED_BYTES): split it into smaller files or raise the limit"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"{path.name} cannot be read ({exc.strerror or exc}): check its permissions"
    try:
        # the same text as path.read_text(encoding="utf-8"): universal newlines
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        return None, f"{path.name} is not UTF-8 (byte {exc.start}): re-save it as UTF-8"
    if not text.strip():
        return None, f"{path.name} is empty: add text to it or remove it"
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        return None, (
            f"{path.name} holds a control character (U+{ord(control.group()):04X}, line {line}), so it is "
            "not plain text: remove it, or re-save the file as UTF-8 text"
        )
    return text, None


def load_documents(seeds_dir: Path, max_bytes: int = MAX_SEED_BYTES) -> LoadResult:
    """Load every *.txt seed; a file that cannot be used is named in `skipped`, the rest load.

    Nothing is logged here: the caller reports `skipped` once, where people see it.
    """
    documents: list[Document] = []
    skipped: dict[str, str] = {}
    candidates = _candidates(seeds_dir)
    for path in candidates:
        problem = _not_a_file(path)
        text = None
        if problem is None:
            text, problem = _read(path, max_bytes)
        if problem is not None or text is None:
            skipped[path.name] = problem or f"{path.name} cannot be read"
            continue
        documents.append(parse_document(path.name, text))
    if not documents:
        if not candidates:
            raise SeedsError(
                f"seeds folder {seeds_dir} holds no .txt file: add the announcement as a UTF-8 "
                "text file, or point ASSISTANT_SEEDS_DIR at the folder that has it"
            )
        raise SeedsError(
            f"no usable seed file in {seeds_dir}, so nothing was indexed: " + "; ".join(skipped.values())
        )
    return LoadResult(documents, skipped)
