"""What an eval shows: rich tables on the terminal, report.md and PNG plots (matplotlib, Agg).

The tables are in tables.py (each built once, as a Grid, rendered for the terminal and for
report.md), the plots in plots.py. A bank's sealed part shows its metrics only, never its items.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from assistant.evaluate.bank import HELD_OUT, BankResult
from assistant.evaluate.plain import Comparison
from assistant.evaluate.plots import PLOTS, plot_abstention, plot_correctness, plot_latency
from assistant.evaluate.runner import EvalResult, ItemResult
from assistant.evaluate.summary import SummaryDiff
from assistant.evaluate.tables import comparison_grid, result_grids, to_markdown, to_rich

# -- terminal --------------------------------------------------------------------------------


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


def _failure_count(result: EvalResult | BankResult) -> str:
    if isinstance(result, BankResult) and result.sealed:
        return f"sealed part: metrics only ({result.n} items, {len(result.documents)} documents)"
    return f"{len(result.failures)} of {result.n} items failed"


def print_console(
    console: Console,
    result: EvalResult | BankResult,
    comparison: Comparison | None = None,
    diff: SummaryDiff | None = None,
) -> None:
    grids = result_grids(result) + ([comparison_grid(comparison)] if comparison else [])
    for grid in grids:
        console.print(to_rich(grid))
        if grid.note:
            console.print(f"  {grid.note}", markup=False)
    failures = result.failures
    console.print(_failure_count(result), style="bold" if failures else None)
    if isinstance(result, EvalResult):  # a bank's dev failures are many: report.md and --json list them
        for item in failures:
            console.print(f"  {item.id} [{item.type}] {item.question} — {item.failure}", markup=False)
    if diff is not None:
        for line in diff_lines(diff):
            console.print(line, markup=False, style="red" if line.startswith("worse") else None)


# -- report.md -------------------------------------------------------------------------------


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in (text or "(empty)").splitlines()]


def _failed_item(item: ItemResult) -> list[str]:
    where = ", ".join(x for x in (item.type, item.document, item.wording) if x)
    lines = [f"### {item.id} ({where}): {item.question}", "", f"**Why:** {item.failure}", ""]
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


def _heading(result: EvalResult | BankResult, source: str) -> list[str]:
    model = f" (model `{result.model}`)" if result.model else ""
    if isinstance(result, BankResult):
        held = sum(split == HELD_OUT for split in result.documents.values())
        return [
            f"# Question bank evaluation: {result.part} part",
            "",
            f"Bank `{source}`, part `{result.part}`, backend `{result.backend}`{model}, {result.n} items "
            f"over {len(result.documents)} documents ({held} held out), k={result.k}.",
        ]
    return [
        "# Golden Q&A evaluation",
        "",
        f"Golden file `{source}`, backend `{result.backend}`{model}, {result.n} items, k={result.k}.",
    ]


def _failed_items(result: EvalResult | BankResult) -> list[str]:
    if isinstance(result, BankResult) and result.sealed:
        return ["## Items", "", "The sealed part is reported by its metrics only: no item is shown.", ""]
    failures = result.failures
    lines = [f"## Failed items ({len(failures)} of {result.n})", ""]
    if not failures:
        lines += ["None.", ""]
    for item in failures:
        lines += _failed_item(item)
    return lines


def markdown(
    result: EvalResult | BankResult,
    source: str,
    comparison: Comparison | None,
    diff: SummaryDiff | None,
    plots: Sequence[str],
) -> str:
    lines = [*_heading(result, source), ""]
    for grid in result_grids(result) + ([comparison_grid(comparison)] if comparison else []):
        lines += to_markdown(grid)
    if diff is not None:
        lines += [
            "## Against the accepted run",
            "",
            *(f"  - {x.strip()}" if x.startswith("  ") else f"- {x}" for x in diff_lines(diff)),
            "",
        ]
    if plots:
        lines += ["## Plots", "", *(f"![{Path(p).stem}]({p})" for p in plots), ""]
    return "\n".join(lines + _failed_items(result))


def write_report(
    directory: Path,
    result: EvalResult | BankResult,
    source: str,
    comparison: Comparison | None = None,
    diff: SummaryDiff | None = None,
) -> list[Path]:
    """report.md and the three plots in `directory` (created); the paths written.

    `source` names what was run: the golden file, or the bank folder.
    """
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / name for name in PLOTS]
    plot_correctness(result.by_type, result.metrics, paths[0])
    plot_abstention(result.by_type, paths[1])
    plot_latency([s.latency_ms for s in result.scores if s.latency_ms is not None], result.metrics, paths[2])
    report = directory / "report.md"
    report.write_text(markdown(result, source, comparison, diff, PLOTS), encoding="utf-8")
    return [report, *paths]
