"""A question bank: many documents, each with its own questions, in a dev and a sealed part.

    <bank>/documents/<name>.txt     announcement-like documents ("date YYYY-MM-DD" header)
    <bank>/dev/<stem>.jsonl         questions to study while working on the engine
    <bank>/sealed/<stem>.jsonl      questions that are only ever scored: metrics, never items

A question file is named for its document; a document that is not in documents/ is looked up
in the seeds folder (the announcement lives in seeds/). Every item is in the golden schema and
names its document; its evidence is a substring of that document. A document with a sealed
file and no dev file is *held out*: none of its questions is ever used for fitting; the others
are *fit* documents.

Each document is answered by its own Assistant, whose seeds folder holds that document alone;
the folder and its index live under a work folder, keyed by the document's name and hash, so
a second run opens the index instead of building it.

    for doc, bot, items in bank_assistants(Path("tests/bank"), "dev", Path(".bank")):
        ...
    result = run_bank(Path("tests/bank"), "sealed", Path(".bank"))
    result.metrics.correctness, result.by_split["held_out"].abstention, result.by_wording
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from assistant.config import Settings, load_settings
from assistant.errors import GoldenFileError, GoldenSchemaError, SchemaProblem
from assistant.evaluate.metrics import ItemScore, Metrics, TypeMetrics, breakdown, by_type, overall
from assistant.evaluate.runner import ItemResult, run_golden
from assistant.evaluate.schema import GoldenItem, parse_golden

if TYPE_CHECKING:
    from assistant.api import Assistant

Part = Literal["dev", "sealed"]
PARTS: tuple[Part, ...] = ("dev", "sealed")
FIT, HELD_OUT = "fit", "held_out"


@dataclass(frozen=True)
class BankDocument:
    """One document of the bank, and whether its questions may be used for fitting."""

    name: str
    path: Path
    text: str
    sha256: str
    fit: bool  # it has a dev file; False: a held-out document

    @property
    def split(self) -> str:
        return FIT if self.fit else HELD_OUT

    @property
    def key(self) -> str:
        """The work folder's name for it: its stem and the start of its hash."""
        return f"{self.path.stem}-{self.sha256[:12]}"


def _check_part(bank_dir: Path, part: str) -> Path:
    if part not in PARTS:
        raise GoldenFileError(f"unknown bank part {part!r}: use one of {', '.join(PARTS)}")
    folder = bank_dir / part
    if not folder.is_dir():
        raise GoldenFileError(
            f"{folder} is not a folder: pass --bank DIR, a question bank with dev/ and sealed/ in it"
        )
    return folder


def _document(bank_dir: Path, questions: Path, seeds_dir: Path) -> BankDocument:
    name = questions.stem + ".txt"
    places = (bank_dir / "documents" / name, seeds_dir / name)
    path = next((p for p in places if p.is_file()), None)
    if path is None:
        raise GoldenFileError(
            f"{questions} is about {name}, which is in neither {places[0].parent} nor {places[1].parent}"
        )
    raw = path.read_bytes()
    try:
        text = path.read_text(encoding="utf-8")  # as the citation invariant reads it
    except UnicodeDecodeError as exc:
        raise GoldenFileError(
            f"document {path} is not UTF-8 (byte {exc.start}): re-save it as UTF-8"
        ) from None
    return BankDocument(
        name=name,
        path=path,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        fit=(bank_dir / "dev" / questions.name).is_file(),
    )


def _withheld(problem: SchemaProblem) -> SchemaProblem:
    """A problem of a sealed file without the item's content (only what kind of problem, and where)."""
    reason = problem.reason.split(":", 1)[0].split(" (got", 1)[0]
    return SchemaProblem(problem.line, f"{reason} (details withheld: sealed part)")


def _questions(path: Path, doc: BankDocument, sealed: bool) -> list[GoldenItem]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GoldenFileError(f"question file {path} is not UTF-8 (byte {exc.start})") from None
    items, problems = parse_golden(text, {doc.name: doc.text}, document=doc.name)
    if problems:
        raise GoldenSchemaError(path, [_withheld(p) for p in problems] if sealed else problems)
    return items


def load_part(
    bank_dir: Path, part: str, seeds_dir: Path | None = None
) -> list[tuple[BankDocument, list[GoldenItem]]]:
    """Every document of one part with its questions, all checked before anything runs.

    `seeds_dir` is where documents not in <bank>/documents are found (default: the settings').
    A schema problem in a sealed file is reported by line and kind, never with its content.
    """
    folder = _check_part(bank_dir, part)
    seeds_dir = seeds_dir if seeds_dir is not None else load_settings().seeds_dir
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise GoldenFileError(f"{folder} holds no question files (*.jsonl)")
    loaded: list[tuple[BankDocument, list[GoldenItem]]] = []
    seen: dict[str, Path] = {}
    for path in files:
        doc = _document(bank_dir, path, seeds_dir)
        items = _questions(path, doc, sealed=part == "sealed")
        for item in items:
            if item.id in seen:
                raise GoldenSchemaError(
                    path, [SchemaProblem(0, f"id {item.id!r} is also used in {seen[item.id]}")]
                )
            seen[item.id] = path
        loaded.append((doc, items))
    return loaded


def document_settings(doc: BankDocument, workdir: Path, settings: Settings) -> Settings:
    """Settings for an Assistant over this document alone, its seeds and index under workdir."""
    home = workdir / doc.key
    seeds = home / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    copy = seeds / doc.name
    if not copy.is_file() or copy.read_bytes() != doc.path.read_bytes():
        shutil.copyfile(doc.path, copy)
    return settings.model_copy(
        update={"seeds_dir": seeds, "index_dir": home / "index", "chroma_host": None, "chroma_port": None}
    )


def bank_assistants(
    bank_dir: Path, part: str, workdir: Path, settings: Settings | None = None
) -> Iterator[tuple[BankDocument, Assistant, list[GoldenItem]]]:
    """For each document of the part: the document, an Assistant over it alone, and its questions.

    The whole part is checked first; each Assistant is made when its turn comes and closed
    when the next is asked for (a bank of many documents keeps one index open at a time).
    """
    from assistant.api import Assistant

    settings = settings or load_settings()
    for doc, items in load_part(bank_dir, part, settings.seeds_dir):
        with Assistant(document_settings(doc, workdir, settings)) as bot:
            yield doc, bot, items


class BankResult(BaseModel):
    """A run over one part of a bank: metrics overall and by type, wording, document and split.

    `items` holds the per-item rows; for the sealed part they exist only in memory, to be
    counted: nothing shows or writes them (see `shareable_items`).
    """

    bank: str
    part: str
    backend: str
    model: str | None
    k: int
    n: int
    documents: dict[str, str] = Field(description="Each document's split: fit or held_out.")
    metrics: Metrics
    by_type: dict[str, TypeMetrics]
    by_wording: dict[str, TypeMetrics]
    by_document: dict[str, TypeMetrics]
    by_split: dict[str, TypeMetrics]
    items: list[ItemResult] = Field(default_factory=list, exclude=True)
    scores: list[ItemScore] = Field(default_factory=list, exclude=True)

    @property
    def sealed(self) -> bool:
        return self.part == "sealed"

    @property
    def shareable_items(self) -> list[ItemResult]:
        """The per-item rows that may be shown: all of the dev part, none of the sealed part."""
        return [] if self.sealed else self.items

    @property
    def failures(self) -> list[ItemResult]:
        return [i for i in self.shareable_items if i.failure]


def bank_result(
    bank: str,
    part: str,
    documents: Sequence[BankDocument],
    scores: Sequence[ItemScore],
    items: Sequence[ItemResult],
    k: int,
    backend: str = "",
    model: str | None = None,
) -> BankResult:
    """Aggregate scored items of a bank's documents into every breakdown."""
    split = {d.name: d.split for d in documents}
    return BankResult(
        bank=bank,
        part=part,
        backend=backend,
        model=model,
        k=k,
        n=len(scores),
        documents=split,
        metrics=overall(scores),
        by_type=by_type(scores),
        by_wording=breakdown(scores, lambda s: s.wording or "unspecified"),
        by_document=breakdown(scores, lambda s: s.document),
        by_split=breakdown(scores, lambda s: split.get(s.document or "")),
        items=list(items),
        scores=list(scores),
    )


def run_bank(
    bank_dir: Path,
    part: str,
    workdir: Path,
    settings: Settings | None = None,
    on_item: Callable[[ItemResult], None] | None = None,
    on_document: Callable[[BankDocument, int], None] | None = None,
) -> BankResult:
    """Ask every question of one part, each document through its own Assistant, and aggregate."""
    settings = settings or load_settings()
    documents: list[BankDocument] = []
    scores: list[ItemScore] = []
    items: list[ItemResult] = []
    backend, model = "", None
    for doc, bot, questions in bank_assistants(bank_dir, part, workdir, settings):
        if on_document is not None:
            on_document(doc, len(questions))
        run = run_golden(
            bot,
            questions,
            {doc.name: doc.text},
            settings.top_k,
            backend=bot.backend_name,
            model=bot.model_name,
            on_item=on_item,
            warm_up=not documents,  # one-time loading is paid by the first document only
        )
        documents.append(doc)
        scores += run.scores
        items += run.items
        backend, model = bot.backend_name, bot.model_name
    return bank_result(str(bank_dir), part, documents, scores, items, settings.top_k, backend, model)
