"""The golden Q&A file: JSON Lines in the DESIGN.md schema, checked whole before anything runs.

One object a line:

    {"id": "q01", "question": "...", "history": [...], "answerable": true,
     "reference": "...", "must_include": [["eight", "8"]], "evidence": ["..."], "type": "number"}

`history` and `reference` are optional; every other field is required. A question bank's
items carry three more, optional: `document` (the file name of the one document the item is
about), `group` (ties together the wordings of one fact) and `wording` (a style tag). Values must have
the exact JSON type (no "true" for true, no 1 for "1"). Unknown fields are refused, so a
misspelt optional field ("histroy") cannot silently drop what it holds. Blank lines are
skipped. Every evidence string must be an exact substring of a seed file (of the item's own
document when it names one, which must then be a seed file). Every problem in
the file is collected, each with its line number, and raised together as a GoldenSchemaError
(an AssistantError: the CLI prints it and exits 2).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.documents import seed_files
from assistant.errors import GoldenFileError, GoldenSchemaError, SchemaProblem


class Turn(BaseModel):
    """An earlier turn of the conversation, in the messages format."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    role: Literal["user", "assistant"]
    content: str


class GoldenItem(BaseModel):
    """One golden question, with what a right answer must contain and where the source says it."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    history: list[Turn] = Field(default_factory=list)
    answerable: bool
    reference: str | None = None
    must_include: list[list[str]]
    evidence: list[str]
    type: str = Field(min_length=1)
    document: str | None = Field(None, min_length=1)
    group: str | None = Field(None, min_length=1)
    wording: str | None = Field(None, min_length=1)

    def history_messages(self) -> list[dict[str, str]]:
        """The history as the Python API takes it."""
        return [{"role": t.role, "content": t.content} for t in self.history]


def load_seed_texts(seeds_dir: Path) -> dict[str, str]:
    """Each seed file's text, read the way the citation invariant reads it (UTF-8 text mode)."""
    texts: dict[str, str] = {}
    for path in seed_files(seeds_dir):
        try:
            texts[path.name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # the loader skips it too; evidence cannot point into it
    return texts


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pydantic_reasons(exc: ValidationError) -> list[str]:
    reasons: list[str] = []
    for err in exc.errors():
        where = _loc(err["loc"])
        if err["type"] == "missing":
            reasons.append(f"missing field '{where}'")
        elif err["type"] == "extra_forbidden":
            reasons.append(f"unknown field '{where}'")
        else:
            reasons.append(f"field '{where}': {err['msg']} (got {_short(err['input'])})")
    return reasons


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _norm(text: str) -> str:
    text = text.translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().lower()


def _semantic_reasons(item: GoldenItem, seeds: Mapping[str, str], document: str | None) -> list[str]:
    reasons: list[str] = []
    if document is not None and item.document != document:
        got = "none" if item.document is None else repr(item.document)
        reasons.append(f"field 'document' must be {document!r}, the file's document (got {got})")
    if item.answerable and not item.must_include:
        reasons.append("an answerable item needs at least one must_include group")
    if item.answerable and not item.evidence:
        reasons.append("an answerable item needs at least one evidence string")
    for g, group in enumerate(item.must_include):
        if not group:
            reasons.append(f"must_include group {g + 1} is empty")
        elif any(not alt.strip() for alt in group):
            reasons.append(f"must_include group {g + 1} has an empty alternative")
    if item.document is not None:
        if item.document not in seeds:
            return [*reasons, f"document {item.document!r} is not a seed file"]
        seeds = {item.document: seeds[item.document]}
    where = "its document" if item.document is not None else "any seed file"
    normalised = [_norm(t) for t in seeds.values()]
    for e, evidence in enumerate(item.evidence):
        if not evidence.strip():
            reasons.append(f"evidence {e + 1} is empty")
        elif not any(evidence in text for text in seeds.values()):
            hint = (
                " (it matches only after normalising case, quotes or spaces: evidence must be exact)"
                if any(_norm(evidence) in t for t in normalised)
                else ""
            )
            reasons.append(
                f"evidence {e + 1} is not an exact substring of {where}: {_short(evidence, 80)}{hint}"
            )
    return reasons


def parse_golden(
    text: str, seeds: Mapping[str, str], document: str | None = None
) -> tuple[list[GoldenItem], list[SchemaProblem]]:
    """The items of a golden file's text and every problem found, each with its line number.

    With `document`, every item must name that document (a question bank's file).
    """
    items: list[GoldenItem] = []
    problems: list[SchemaProblem] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(SchemaProblem(number, f"not JSON: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(raw, dict):
            problems.append(SchemaProblem(number, f"expected a JSON object, got {type(raw).__name__}"))
            continue
        item_id = raw.get("id")
        if isinstance(item_id, str) and item_id:
            if item_id in first_line:
                problems.append(
                    SchemaProblem(
                        number, f"duplicate id {item_id!r} (first used on line {first_line[item_id]})"
                    )
                )
            else:
                first_line[item_id] = number
        try:
            item = GoldenItem.model_validate(raw)
        except ValidationError as exc:
            problems.extend(SchemaProblem(number, reason) for reason in _pydantic_reasons(exc))
            continue
        reasons = _semantic_reasons(item, seeds, document)
        problems.extend(SchemaProblem(number, reason) for reason in reasons)
        if not reasons:
            items.append(item)
    if not items and not problems:
        problems.append(SchemaProblem(0, "the file holds no items"))
    return items, problems


def load_golden(path: Path, seeds: Mapping[str, str] | Path) -> list[GoldenItem]:
    """Every item of a golden file, or a GoldenSchemaError listing each line at fault.

    `seeds` is the seeds folder, or the seed texts by file name (see load_seed_texts).
    """
    if not path.is_file():
        raise GoldenFileError(f"golden file {path} does not exist: pass --golden FILE (JSON Lines)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GoldenFileError(
            f"golden file {path} is not UTF-8 (byte {exc.start}): re-save it as UTF-8"
        ) from None
    texts = load_seed_texts(seeds) if isinstance(seeds, Path) else seeds
    items, problems = parse_golden(text, texts)
    if problems:
        raise GoldenSchemaError(path, problems)
    return items
