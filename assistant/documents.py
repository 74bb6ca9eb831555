"""Loading the seed files into Documents, keeping their text byte for byte."""

from __future__ import annotations

import hashlib
import logging
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


def seed_files(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        raise SeedsError(
            f"seeds folder {seeds_dir} does not exist: create it and put the announcement "
            "(a UTF-8 .txt file) in it, or set ASSISTANT_SEEDS_DIR"
        )
    files = sorted(p for p in seeds_dir.glob("*.txt") if p.is_file())
    if not files:
        raise SeedsError(
            f"seeds folder {seeds_dir} holds no .txt file: add the announcement as a UTF-8 "
            "text file, or point ASSISTANT_SEEDS_DIR at the folder that has it"
        )
    return files


def load_documents(seeds_dir: Path) -> LoadResult:
    """Load every *.txt seed; a file that is not UTF-8 is named and skipped, the rest load."""
    documents: list[Document] = []
    skipped: dict[str, str] = {}
    for path in seed_files(seeds_dir):
        try:
            # the same text as path.read_text(encoding="utf-8"): universal newlines
            text = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError as exc:
            reason = (
                f"{path.name} is not UTF-8 (byte {exc.start}): re-save it as UTF-8; "
                "the other seed files were indexed"
            )
            log.error(reason)
            skipped[path.name] = reason
            continue
        if not text.strip():
            skipped[path.name] = f"{path.name} is empty"
            log.warning("%s is empty; skipped", path.name)
            continue
        documents.append(parse_document(path.name, text))
    if not documents:
        raise SeedsError(f"no usable seed file in {seeds_dir}: " + "; ".join(skipped.values()))
    return LoadResult(documents, skipped)
