"""What an eval shows: rich tables on the terminal, report.md and PNG plots (matplotlib, Agg)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table

from assistant.evaluate.baseline import Comparison, RetrievalMetrics
from assistant.evaluate.metrics import METRIC_NAMES, Metrics, TypeMetrics
from assistant.evaluate.runner import EvalResult, ItemResult
from assistant.evaluate.summary import SummaryDiff

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LABELS = {
    "correctness": "correctness",
    "citation_precision": "citation precision",
    "citation_recall": "citation recall",
    "abstention": "abstention",
    "over_abstention": "over-abstention",
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
    "hit_at_k": "hit@k",
    "mrr": "MRR",
    "latency_p50_ms": "p50 ms",
    "latency_p95_ms": "p95 ms",
}
PLOTS = ("correctness_by_type.png", "abstention_by_type.png", "latency.png")


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


# -- terminal --------------------------------------------------------------------------------


def metrics_table(result: EvalResult) -> Table:
    table = Table(title=f"{result.backend} on {result.n} items (k={result.k})", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for metric in METRIC_NAMES:
        table.add_row(_label(metric, result.k), fmt(metric, getattr(result.metrics, metric)))
    return table


def by_type_table(by_type: dict[str, TypeMetrics]) -> Table:
    table = Table(title="by type", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("type", no_wrap=True)
    table.add_column("n", justify="right")
    for metric in METRIC_NAMES:
        table.add_column(SHORT[metric], justify="right", no_wrap=True)
    for item_type, m in by_type.items():
        table.add_row(
            item_type, str(m.n), *(fmt(metric, getattr(m, metric), unit=False) for metric in METRIC_NAMES)
        )
    return table


COMPARED = ("hit_at_k", "mrr", "latency_p50_ms", "latency_p95_ms", "context_chars", "passages")


def _compared_value(m: RetrievalMetrics, metric: str) -> str:
    value = getattr(m, metric)
    if metric == "passages":
        return "n/a" if value is None else f"{value:.1f}"
    return fmt(metric, value)


def _compared_label(metric: str) -> str:
    return {
        "hit_at_k": "hit@k",
        "mrr": "MRR",
        "latency_p50_ms": "retrieval p50",
        "latency_p95_ms": "retrieval p95",
        "context_chars": "context chars / question",
        "passages": "passages / question",
    }[metric]


def comparison_table(comparison: Comparison) -> Table:
    e, p = comparison.engine, comparison.plain
    table = Table(title="retrieval: engine vs plain LlamaIndex, same items", title_justify="left")
    table.add_column("metric")
    table.add_column(f"{e.name}, k={e.k}", justify="right")
    table.add_column(f"{p.name}, k={p.k}", justify="right")
    for metric in COMPARED:
        table.add_row(_compared_label(metric), _compared_value(e, metric), _compared_value(p, metric))
    return table


def diff_lines(diff: SummaryDiff) -> list[str]:
    """The comparison with the accepted run, one change a line."""
    if not diff.comparable:
        return [f"accepted run ({diff.file}): not compared: {diff.note}"]
    head = f"compared with the accepted run of {diff.accepted_at} ({diff.file})"
    lines = [head + (f"; note: {diff.note}" if diff.note else "")]
    if diff.worse:
        lines.append(f"worse ({len(diff.worse)}): " + ", ".join(diff.worse_names))
        lines += [f"  {c}" for c in diff.worse]
    else:
        lines.append("no metric got worse")
    if diff.better:
        lines.append(f"better ({len(diff.better)}): " + ", ".join(c.label for c in diff.better))
    if diff.newly_failing:
        lines.append("newly failing: " + ", ".join(diff.newly_failing))
    if diff.now_passing:
        lines.append("now passing: " + ", ".join(diff.now_passing))
    return lines


def print_console(
    console: Console, result: EvalResult, comparison: Comparison | None, diff: SummaryDiff | None
) -> None:
    console.print(metrics_table(result))
    console.print(by_type_table(result.by_type))
    if comparison is not None:
        console.print(comparison_table(comparison))
        console.print(f"  {comparison.plain.name}: {comparison.plain.note}", markup=False)
    failures = result.failures
    console.print(f"{len(failures)} of {result.n} items failed", style="bold" if failures else None)
    for item in failures:
        console.print(f"  {item.id} [{item.type}] {item.question} — {item.failure}", markup=False)
    if diff is not None:
        for line in diff_lines(diff):
            console.print(line, markup=False, style="red" if line.startswith("worse") else None)


# -- report.md -------------------------------------------------------------------------------


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [_md_row(header), _md_row(["---"] * len(header)), *(_md_row(r) for r in rows)]


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in (text or "(empty)").splitlines()]


def _failed_item(item: ItemResult) -> list[str]:
    lines = [f"### {item.id} ({item.type}): {item.question}", "", f"**Why:** {item.failure}", ""]
    if item.history:
        lines.append("History:")
        lines += [f"- {t['role']}: {t['content']}" for t in item.history]
        lines.append("")
    lines += [
        "Answer" + (f" (abstained: {item.reason})" if item.abstained else "") + ":",
        "",
        *_quote(item.answer),
    ]
    lines.append("")
    if item.citations:
        lines.append("Citations:")
        for c in item.citations:
            mark = "on evidence" if c.on_evidence else "off evidence"
            lines.append(f"- [{c.n}] {c.source} {c.start}-{c.end} ({mark}): “{c.quote}”")
    else:
        lines.append("Citations: none")
    if item.answerable:
        groups = "; ".join(" or ".join(repr(a) for a in g) for g in item.must_include)
        lines.append("")
        lines.append(f"Expected: {groups}")
        lines.append(
            "Evidence at: " + (", ".join(f"{s.source} {s.start}-{s.end}" for s in item.evidence) or "-")
        )
        lines.append(
            "Retrieved: "
            + (", ".join(f"{s.start}-{s.end}" for s in item.retrieved) or "nothing")
            + (f" (evidence at rank {item.rank})" if item.rank else " (no passage overlaps the evidence)")
        )
    lines.append("")
    return lines


def _metric_rows(metrics: Metrics, k: int) -> list[list[str]]:
    return [[_label(m, k), fmt(m, getattr(metrics, m))] for m in METRIC_NAMES]


def markdown(
    result: EvalResult,
    golden: str,
    comparison: Comparison | None,
    diff: SummaryDiff | None,
    plots: Sequence[str],
) -> str:
    lines = [
        "# Golden Q&A evaluation",
        "",
        f"Golden file `{golden}`, backend `{result.backend}`"
        + (f" (model `{result.model}`)" if result.model else "")
        + f", {result.n} items, k={result.k}.",
        "",
        "## Metrics",
        "",
        *_md_table(["metric", "value"], _metric_rows(result.metrics, result.k)),
        "",
        "## By type",
        "",
        *_md_table(
            ["type", "n", *(SHORT[m] for m in METRIC_NAMES)],
            [
                [t, str(m.n), *(fmt(x, getattr(m, x), unit=False) for x in METRIC_NAMES)]
                for t, m in result.by_type.items()
            ],
        ),
        "",
    ]
    if comparison is not None:
        e, p = comparison.engine, comparison.plain
        lines += [
            "## Retrieval: engine vs plain LlamaIndex",
            "",
            *_md_table(
                ["metric", f"{e.name}, k={e.k}", f"{p.name}, k={p.k}"],
                [[_compared_label(m), _compared_value(e, m), _compared_value(p, m)] for m in COMPARED],
            ),
            "",
            f"{e.name}: {e.note}. {p.name}: {p.note}. Latencies are of retrieval alone.",
            "",
        ]
    if diff is not None:
        lines += [
            "## Against the accepted run",
            "",
            *(f"  - {x.strip()}" if x.startswith("  ") else f"- {x}" for x in diff_lines(diff)),
            "",
        ]
    if plots:
        lines += ["## Plots", "", *(f"![{Path(p).stem}]({p})" for p in plots), ""]
    failures = result.failures
    lines += [f"## Failed items ({len(failures)} of {result.n})", ""]
    if not failures:
        lines += ["None.", ""]
    for item in failures:
        lines += _failed_item(item)
    return "\n".join(lines)


# -- plots -----------------------------------------------------------------------------------


def _figure() -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(8, 4.5), dpi=100, layout="constrained")


def _bars(
    path: Path, title: str, labels: list[str], values: list[float], ylabel: str, overall: float | None
) -> None:
    fig = _figure()
    ax = fig.add_subplot()
    if labels:
        bars = ax.bar(labels, values, color="#4C72B0")
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], padding=2)
    else:
        ax.text(0.5, 0.5, "no items of these types", ha="center", va="center", transform=ax.transAxes)
    if overall is not None:
        ax.axhline(overall, color="#DD8452", linestyle="--", label=f"overall {overall:.2f}")
        ax.legend(loc="lower right")
    ax.set_ylim(0, 1.1)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=30)
    fig.savefig(path)


def plot_correctness(result: EvalResult, path: Path) -> None:
    rows = [(t, m.correctness) for t, m in result.by_type.items() if m.correctness is not None]
    _bars(
        path,
        "Correctness by type (answerable items)",
        [t for t, _ in rows],
        [v for _, v in rows if v is not None],
        "correct / answerable",
        result.metrics.correctness,
    )


def plot_abstention(result: EvalResult, path: Path) -> None:
    fig = _figure()
    ax = fig.add_subplot()
    labels: list[str] = []
    values: list[float] = []
    colors: list[str] = []
    for t, m in result.by_type.items():
        if m.abstention is not None:
            labels.append(t)
            values.append(m.abstention)
            colors.append("#55A868")
    for t, m in result.by_type.items():
        if m.over_abstention is not None:
            labels.append(t)
            values.append(m.over_abstention)
            colors.append("#C44E52")
    bars = ax.bar(labels, values, color=colors)
    ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], padding=2)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color="#55A868", label="abstention on unanswerable (higher is better)"),
            Patch(color="#C44E52", label="over-abstention on answerable (lower is better)"),
        ],
        loc="upper right",
        fontsize="small",
    )
    ax.set_ylim(0, 1.25)
    ax.set_ylabel("abstained / items")
    ax.set_title("Abstention by type")
    ax.tick_params(axis="x", labelrotation=30)
    fig.savefig(path)


def plot_latency(result: EvalResult, path: Path) -> None:
    fig = _figure()
    ax = fig.add_subplot()
    values = [i.latency_ms for i in result.items if i.latency_ms is not None]
    if values:
        ax.hist(values, bins=min(30, max(5, len(values) // 3)), color="#4C72B0")
    for metric, color in (("latency_p50_ms", "#DD8452"), ("latency_p95_ms", "#C44E52")):
        value = getattr(result.metrics, metric)
        if value is not None:
            ax.axvline(value, color=color, linestyle="--", label=f"{LABELS[metric]} {value:.0f} ms")
    if values:
        ax.legend()
    ax.set_xlabel("ask() latency (ms)")
    ax.set_ylabel("items")
    ax.set_title(f"Latency of ask(), {len(values)} items")
    fig.savefig(path)


def write_report(
    directory: Path,
    result: EvalResult,
    golden: str,
    comparison: Comparison | None = None,
    diff: SummaryDiff | None = None,
) -> list[Path]:
    """report.md and the three plots in `directory` (created); the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / name for name in PLOTS]
    plot_correctness(result, paths[0])
    plot_abstention(result, paths[1])
    plot_latency(result, paths[2])
    report = directory / "report.md"
    report.write_text(markdown(result, golden, comparison, diff, PLOTS), encoding="utf-8")
    return [report, *paths]
