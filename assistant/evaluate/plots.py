"""The eval's PNG plots (matplotlib, Agg): correctness and abstention by type, latency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.evaluate.metrics import Metrics, TypeMetrics

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PLOTS = ("correctness_by_type.png", "abstention_by_type.png", "latency.png")
LATENCY_LABELS = {"latency_p50_ms": "latency p50", "latency_p95_ms": "latency p95"}


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


def plot_correctness(by_type: Mapping[str, TypeMetrics], metrics: Metrics, path: Path) -> None:
    rows = [(t, m.correctness) for t, m in by_type.items() if m.correctness is not None]
    _bars(
        path,
        "Correctness by type (answerable items)",
        [t for t, _ in rows],
        [v for _, v in rows if v is not None],
        "correct / answerable",
        metrics.correctness,
    )


def plot_abstention(by_type: Mapping[str, TypeMetrics], path: Path) -> None:
    fig = _figure()
    ax = fig.add_subplot()
    labels: list[str] = []
    values: list[float] = []
    colors: list[str] = []
    for t, m in by_type.items():
        if m.abstention is not None:
            labels.append(t)
            values.append(m.abstention)
            colors.append("#55A868")
    for t, m in by_type.items():
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


def plot_latency(values: Sequence[float], metrics: Metrics, path: Path) -> None:
    fig = _figure()
    ax = fig.add_subplot()
    if values:
        ax.hist(values, bins=min(30, max(5, len(values) // 3)), color="#4C72B0")
    for metric, color in (("latency_p50_ms", "#DD8452"), ("latency_p95_ms", "#C44E52")):
        value = getattr(metrics, metric)
        if value is not None:
            ax.axvline(value, color=color, linestyle="--", label=f"{LATENCY_LABELS[metric]} {value:.0f} ms")
    if values:
        ax.legend()
    ax.set_xlabel("ask() latency (ms)")
    ax.set_ylabel("items")
    ax.set_title(f"Latency of ask(), {len(values)} items")
    fig.savefig(path)
