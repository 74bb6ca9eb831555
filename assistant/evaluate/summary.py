"""The committed summary of the last accepted run (tests/golden_accepted.json), and the diff to it.

Each eval compares itself with the summary and names every metric that got worse, overall
and by type, and the items that newly fail. Rates (correctness, precision, ...) are
deterministic for the extractive backend, so any drop counts (beyond the rounding of the
committed file). Latency depends on the
machine: p50/p95 count as worse only when they grew by more than half and by more than
LATENCY_SLACK_MS. A summary of another backend or another golden file is not compared.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from assistant.config import GOLDEN_SUMMARY
from assistant.evaluate.metrics import LOWER_IS_BETTER, METRIC_NAMES, Metrics, TypeMetrics
from assistant.evaluate.runner import EvalResult

DEFAULT_SUMMARY = GOLDEN_SUMMARY  # in the working directory
LATENCY_SLACK_MS = 25.0
LATENCY_FACTOR = 1.5
RATE_EPSILON = 1e-4  # summaries keep 4 decimals; one item of 75 moves a rate by 0.013


class RunSummary(BaseModel):
    """What is committed for an accepted run."""

    backend: str
    model: str | None = None
    golden: str = Field(description="The golden file's name.")
    golden_sha256: str
    accepted_at: str
    n: int
    k: int
    metrics: Metrics
    by_type: dict[str, TypeMetrics]
    failing: list[str] = Field(default_factory=list, description="Ids of the items that failed.")


class Change(BaseModel):
    """One metric that moved, overall (scope None) or for one item type."""

    metric: str
    scope: str | None = None
    before: float
    after: float

    @property
    def label(self) -> str:
        return self.metric if self.scope is None else f"{self.metric} [{self.scope}]"

    def __str__(self) -> str:
        return f"{self.label}: {self.before:.3f} → {self.after:.3f}"


class SummaryDiff(BaseModel):
    """How this run compares with the accepted one."""

    file: str
    accepted_at: str | None = None
    comparable: bool
    note: str = ""
    worse: list[Change] = Field(default_factory=list)
    better: list[Change] = Field(default_factory=list)
    newly_failing: list[str] = Field(default_factory=list)
    now_passing: list[str] = Field(default_factory=list)

    @property
    def worse_names(self) -> list[str]:
        return [c.label for c in self.worse]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rounded(metrics: Metrics) -> dict[str, float | int | None]:
    """Rates to 4 decimals, latencies to 0.1 ms: a committed file without noise digits."""
    out: dict[str, float | int | None] = {}
    for name, value in metrics.model_dump().items():
        if isinstance(value, float):
            value = round(value, 1 if name.startswith("latency") else 4)
        out[name] = value
    return out


def summarize(result: EvalResult, golden: Path) -> RunSummary:
    """This run as it would be committed (both sides of a comparison are summaries, rounded alike)."""
    return RunSummary(
        backend=result.backend,
        model=result.model,
        golden=golden.name,
        golden_sha256=file_sha256(golden),
        accepted_at=datetime.now(UTC).isoformat(timespec="seconds"),
        n=result.n,
        k=result.k,
        metrics=Metrics.model_validate(_rounded(result.metrics)),
        by_type={t: TypeMetrics.model_validate(_rounded(m)) for t, m in result.by_type.items()},
        failing=[i.id for i in result.failures],
    )


def load_summary(path: Path) -> RunSummary | None:
    """The accepted summary, or None when there is none (or it cannot be read)."""
    if not path.is_file():
        return None
    try:
        return RunSummary.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError):
        return None


def save_summary(summary: RunSummary, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")


def _worse(metric: str, before: float, after: float) -> bool:
    if metric.startswith("latency"):
        return after > before * LATENCY_FACTOR and after - before > LATENCY_SLACK_MS
    if metric in LOWER_IS_BETTER:
        return after > before + RATE_EPSILON
    return after < before - RATE_EPSILON


def _better(metric: str, before: float, after: float) -> bool:
    if metric.startswith("latency"):
        return before > after * LATENCY_FACTOR and before - after > LATENCY_SLACK_MS
    return _worse(metric, after, before)


def _changes(before: Metrics, after: Metrics, scope: str | None) -> tuple[list[Change], list[Change]]:
    worse: list[Change] = []
    better: list[Change] = []
    for metric in METRIC_NAMES:
        b, a = getattr(before, metric), getattr(after, metric)
        if b is None or a is None:
            continue
        if _worse(metric, b, a):
            worse.append(Change(metric=metric, scope=scope, before=b, after=a))
        elif _better(metric, b, a):
            better.append(Change(metric=metric, scope=scope, before=b, after=a))
    return worse, better


def compare(current: RunSummary, accepted: RunSummary | None, file: Path) -> SummaryDiff:
    """The metrics that got worse (and better) since the accepted run, overall and by type."""
    if accepted is None:
        return SummaryDiff(file=str(file), comparable=False, note="no accepted run yet")
    if accepted.backend != current.backend or accepted.golden != current.golden:
        return SummaryDiff(
            file=str(file),
            accepted_at=accepted.accepted_at,
            comparable=False,
            note=f"the accepted run is of {accepted.backend} on {accepted.golden}, not "
            f"{current.backend} on {current.golden}",
        )
    note = "" if accepted.golden_sha256 == current.golden_sha256 else "the golden file changed since then"
    worse, better = _changes(accepted.metrics, current.metrics, None)
    for item_type, after in current.by_type.items():
        before = accepted.by_type.get(item_type)
        if before is not None:
            w, b = _changes(before, after, item_type)
            worse += w
            better += b
    return SummaryDiff(
        file=str(file),
        accepted_at=accepted.accepted_at,
        comparable=True,
        note=note,
        worse=worse,
        better=better,
        newly_failing=[i for i in current.failing if i not in accepted.failing],
        now_passing=[i for i in accepted.failing if i not in current.failing],
    )
