"""`assistant eval`: score a golden file through the Python API and show the numbers.

    assistant eval [--golden FILE] [--backend NAME] [--json] [--report DIR] [--compare-baseline]
    python -m assistant.evaluate [same options] [--accept] [--summary FILE]

The golden file is checked whole before any question runs (a schema error exits 2). The run
is compared with the accepted summary (tests/golden_baseline.json); --accept writes this run
as the new accepted summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.config import GOLDEN_FILE, Settings, load_settings
from assistant.errors import AssistantError
from assistant.evaluate.baseline import Comparison
from assistant.evaluate.runner import EvalResult, ItemResult
from assistant.evaluate.schema import GoldenItem, load_golden, load_seed_texts
from assistant.evaluate.summary import DEFAULT_SUMMARY, SummaryDiff

DEFAULT_GOLDEN = GOLDEN_FILE  # in the working directory


def add_arguments(p: argparse.ArgumentParser, extra: bool = True) -> None:
    p.add_argument("--golden", default=None, help="golden JSONL file (default: tests/golden_qa.jsonl)")
    p.add_argument("--backend", default=None, help="extractive or openai (default: ASSISTANT_BACKEND)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--report", default=None, metavar="DIR", help="write report.md and plots here")
    p.add_argument("--compare-baseline", action="store_true", help="also score a plain LlamaIndex pipeline")
    if extra:
        p.add_argument("--accept", action="store_true", help="write this run as the accepted summary")
        p.add_argument(
            "--summary",
            default=None,
            metavar="FILE",
            help="accepted summary (default: tests/golden_baseline.json)",
        )


def _settings(backend: str | None) -> Settings:
    return load_settings(backend=backend) if backend else load_settings()


def _run(
    settings: Settings, items: list[GoldenItem], seeds: dict[str, str], quiet: bool
) -> tuple[Any, EvalResult]:
    from assistant.api import Assistant
    from assistant.evaluate.runner import run_golden

    err = Console(stderr=True, quiet=quiet)
    with err.status("opening the index and loading the model..."):
        bot = Assistant(settings)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=err,
        transient=True,
    )
    with progress:
        task = progress.add_task(f"eval ({bot.backend_name})", total=len(items), last="")

        def advance(item: ItemResult) -> None:
            progress.update(task, advance=1, last=f"{item.id} {'FAIL' if item.failure else 'ok'}")

        result = run_golden(
            bot, items, seeds, settings.top_k, backend=bot.backend_name, model=bot.model_name, on_item=advance
        )
    return bot, result


def _compare(
    bot: Any,
    result: EvalResult,
    items: list[GoldenItem],
    settings: Settings,
    seeds: dict[str, str],
    quiet: bool,
) -> Comparison:
    from assistant.evaluate.baseline import compare_with_plain

    with Console(stderr=True, quiet=quiet).status("scoring the plain LlamaIndex pipeline..."):
        return compare_with_plain(bot, result, items, settings.seeds_dir, seeds)


def output_json(
    result: EvalResult, golden: Path, comparison: Comparison | None, diff: SummaryDiff | None
) -> dict[str, Any]:
    """The --json object: n, metrics, by_type, items, and what the run was compared with."""
    return {
        "n": result.n,
        "metrics": result.metrics.model_dump(mode="json"),
        "by_type": {t: m.model_dump(mode="json") for t, m in result.by_type.items()},
        "items": [i.model_dump(mode="json") for i in result.items],
        "golden": str(golden),
        "backend": result.backend,
        "model": result.model,
        "k": result.k,
        "baseline": comparison.model_dump(mode="json") if comparison else None,
        "accepted": (diff.model_dump(mode="json") | {"worse_names": diff.worse_names}) if diff else None,
    }


def run_eval(args: argparse.Namespace) -> int:
    """The `eval` subcommand; AssistantErrors (a bad golden file among them) reach the caller (exit 2)."""
    from assistant.evaluate.report import print_console, write_report
    from assistant.evaluate.summary import compare, load_summary, save_summary, summarize

    settings = _settings(args.backend)
    golden = Path(args.golden) if args.golden else DEFAULT_GOLDEN
    seeds = load_seed_texts(settings.seeds_dir)
    items = load_golden(golden, seeds)  # before anything runs: a bad file stops here
    quiet = bool(args.json)
    bot, result = _run(settings, items, seeds, quiet=False)
    comparison = _compare(bot, result, items, settings, seeds, quiet) if args.compare_baseline else None
    summary_path = Path(getattr(args, "summary", None) or DEFAULT_SUMMARY)
    current = summarize(result, golden)
    diff = compare(current, load_summary(summary_path), summary_path)
    if args.report:
        write_report(Path(args.report), result, str(golden), comparison, diff)
    if args.json:
        print(json.dumps(output_json(result, golden, comparison, diff), indent=2, ensure_ascii=False))
    else:
        console = Console()
        if not console.is_terminal:  # piped or captured: wide enough for the by-type table
            console = Console(width=130)
        print_console(console, result, comparison, diff)
        if args.report:
            print(f"report: {Path(args.report) / 'report.md'}")
    if getattr(args, "accept", False):
        save_summary(current, summary_path)
        print(f"accepted: wrote {summary_path}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m assistant.evaluate`: the eval command with --accept and --summary."""
    p = argparse.ArgumentParser(
        prog="python -m assistant.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log what the assistant does")
    add_arguments(p)
    args = p.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return run_eval(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
