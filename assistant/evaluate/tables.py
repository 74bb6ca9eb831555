"""The eval's tables: each built once, as a Grid, and rendered twice.

to_rich renders a Grid for the terminal, to_markdown for report.md, so the two always show
the same rows. fmt is how a metric's value is shown in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich import box
from rich.table import Table

from assistant.evaluate.bank import BankResult
from assistant.evaluate.metrics import METRIC_NAMES, Metrics, TypeMetrics
from assistant.evaluate.plain import Comparison, RetrievalMetrics
from assistant.evaluate.runner import EvalResult

LABELS = {
    "correctness": "correctness",
    "citation_precision": "citation precision",
    "citation_recall": "citation recall",
    "abstention": "abstention",
    "over_abstention": "over-abstention",
    "consistency": "consistency",
    "citation_exact": "citation offsets exact",
    "hit_at_k": "hit@k",
    "mrr": "MRR",
    "latency_p50_ms": "latency p50",
    "latency_p95_ms": "latency p95",
}
SHORT = {
    "correctness": "correct",
    "citation_precision": "c.prec",
    "citation_recall": "c.rec",
    "abstention": "abstain",
    "over_abstention": "overab",
    "consistency": "consist",
    "citation_exact": "exact",
    "hit_at_k": "hit@k",
    "mrr": "MRR",
    "latency_p50_ms": "p50 ms",
    "latency_p95_ms": "p95 ms",
}


def fmt(metric: str, value: float | None, unit: bool = True) -> str:
    """A metric's value as shown: rates with 3 decimals, latencies in whole ms, None as n/a."""
    if value is None:
        return "n/a"
    if metric.startswith("latency"):
        return f"{value:.0f} ms" if unit else f"{value:.0f}"
    if metric == "context_chars":
        return f"{value:.0f}"
    return f"{value:.3f}"


def _label(metric: str, k: int) -> str:
    return f"hit@{k}" if metric == "hit_at_k" else LABELS.get(metric, metric)


@dataclass(frozen=True)
class Grid:
    """A table as data: rendered on the terminal by to_rich and in report.md by to_markdown."""

    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""
    wide: bool = False  # many columns: compact borders on the terminal


def metrics_grid(metrics: Metrics, k: int, title: str) -> Grid:
    return Grid(
        title, ["metric", "value"], [[_label(m, k), fmt(m, getattr(metrics, m))] for m in METRIC_NAMES]
    )


def breakdown_grid(title: str, label: str, groups: Mapping[str, TypeMetrics]) -> Grid:
    rows = [
        [name, str(m.n), *(fmt(metric, getattr(m, metric), unit=False) for metric in METRIC_NAMES)]
        for name, m in groups.items()
    ]
    return Grid(title, [label, "n", *(SHORT[m] for m in METRIC_NAMES)], rows, wide=True)


COMPARED = ("hit_at_k", "mrr", "latency_p50_ms", "latency_p95_ms", "context_chars", "passages")
COMPARED_LABELS = {
    "hit_at_k": "hit@k",
    "mrr": "MRR",
    "latency_p50_ms": "retrieval p50",
    "latency_p95_ms": "retrieval p95",
    "context_chars": "context chars / question",
    "passages": "passages / question",
}


def _compared_value(m: RetrievalMetrics, metric: str) -> str:
    value = getattr(m, metric)
    if metric == "passages":
        return "n/a" if value is None else f"{value:.1f}"
    return fmt(metric, value)


def comparison_grid(comparison: Comparison) -> Grid:
    e, p = comparison.engine, comparison.plain
    return Grid(
        f"Retrieval: engine vs plain LlamaIndex, same items, k={e.k}",
        ["metric", f"{e.name}, k={e.k}", f"{p.name}, k={p.k}"],
        [[COMPARED_LABELS[m], _compared_value(e, m), _compared_value(p, m)] for m in COMPARED],
        note=f"{e.name}: {e.note}. {p.name}: {p.note}. Latencies are of retrieval alone.",
    )


def result_grids(result: EvalResult | BankResult) -> list[Grid]:
    """The tables of a run: metrics and by type; for a bank also by split, wording and document."""
    title = f"Metrics: {result.backend} on {result.n} items, k={result.k}"
    grids = [metrics_grid(result.metrics, result.k, title)]
    if isinstance(result, BankResult):
        grids.append(breakdown_grid("Fit vs held-out documents", "documents", result.by_split))
    grids.append(breakdown_grid("By type", "type", result.by_type))
    if isinstance(result, BankResult):
        grids.append(breakdown_grid("By wording", "wording", result.by_wording))
        grids.append(breakdown_grid("By document", "document", result.by_document))
    return grids


def to_rich(grid: Grid) -> Table:
    table = Table(
        title=grid.title,
        title_justify="left",
        box=box.SIMPLE_HEAD if grid.wide else box.HEAVY_HEAD,
        min_width=len(grid.title),  # the title is never wrapped to a narrow table
    )
    for i, name in enumerate(grid.header):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=grid.wide)
    for row in grid.rows:
        table.add_row(*row)
    return table


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def to_markdown(grid: Grid) -> list[str]:
    lines = [f"## {grid.title}", "", _md_row(grid.header), _md_row(["---"] * len(grid.header))]
    lines += [_md_row(r) for r in grid.rows]
    return [*lines, "", *([grid.note, ""] if grid.note else [])]
