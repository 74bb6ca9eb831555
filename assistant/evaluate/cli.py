"""`assistant eval`: score a golden file or a question bank through the Python API.

    assistant eval [--golden FILE] [--backend NAME] [--json] [--report DIR] [--compare-plain] [--accept]
    assistant eval --bank DIR [--part dev|sealed] [--workdir DIR] [--backend NAME] [--json] [--report DIR]
    python -m assistant.evaluate [same options] [--summary FILE]

The golden file (or the bank's part) is checked whole before any question runs (a schema
error exits 2). A golden run is compared with the accepted run (tests/golden_accepted.json);
--accept writes this run as the new accepted run. --compare-plain also scores the plain
LlamaIndex pipeline at the same k. A bank's sealed part is shown by its metrics only.
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
from assistant.errors import AssistantError, ConfigError
from assistant.evaluate.bank import PARTS, BankResult
from assistant.evaluate.plain import Comparison
from assistant.evaluate.runner import EvalResult, ItemResult
from assistant.evaluate.schema import GoldenItem, load_golden, load_seed_texts
from assistant.evaluate.summary import DEFAULT_SUMMARY, SummaryDiff

DEFAULT_GOLDEN = GOLDEN_FILE  # in the working directory
DEFAULT_WORKDIR = Path(".cache") / "bank"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--golden", default=None, help="golden JSONL file (default: tests/golden_qa.jsonl)")
    p.add_argument("--bank", default=None, metavar="DIR", help="a question bank (documents/, dev/, sealed/)")
    p.add_argument("--part", default="dev", choices=PARTS, help="the bank's part to run (default: dev)")
    p.add_argument(
        "--workdir",
        default=None,
        metavar="DIR",
        help="where each bank document's seeds and index are kept (default: .cache/bank/)",
    )
    p.add_argument("--backend", default=None, help="extractive or openai (default: ASSISTANT_BACKEND)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--report", default=None, metavar="DIR", help="write report.md and plots here")
    p.add_argument(
        "--compare-plain", action="store_true", help="also score a plain LlamaIndex pipeline (golden file)"
    )
    p.add_argument("--accept", action="store_true", help="write this golden run as the accepted run")
    p.add_argument(
        "--summary",
        default=None,
        metavar="FILE",
        help="the accepted run (default: tests/golden_accepted.json)",
    )


def _settings(backend: str | None) -> Settings:
    return load_settings(backend=backend) if backend else load_settings()


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=Console(stderr=True),
        transient=True,
    )


def _run(settings: Settings, items: list[GoldenItem], seeds: dict[str, str]) -> tuple[Any, EvalResult]:
    from assistant.api import Assistant
    from assistant.evaluate.runner import run_golden

    with Console(stderr=True).status("opening the index and loading the model..."):
        bot = Assistant(settings)
    progress = _progress()
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
    from assistant.evaluate.plain import compare_with_plain

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
        "plain": comparison.model_dump(mode="json") if comparison else None,
        "accepted": (diff.model_dump(mode="json") | {"worse_names": diff.worse_names}) if diff else None,
    }


def bank_json(result: BankResult) -> dict[str, Any]:
    """The --json object of a bank run: every breakdown; the items only for the dev part."""
    return result.model_dump(mode="json") | {
        "items": [i.model_dump(mode="json") for i in result.shareable_items]
    }


def _console() -> Console:
    console = Console()
    return console if console.is_terminal else Console(width=180)  # piped: wide enough for the tables


def _not_with_bank(args: argparse.Namespace) -> None:
    given = [
        flag
        for flag, on in (
            ("--golden", args.golden),
            ("--compare-plain", args.compare_plain),
            ("--accept", args.accept),
            ("--summary", args.summary),
        )
        if on
    ]
    if given:
        raise ConfigError(f"{', '.join(given)} work on a golden file, not with --bank: leave them out")


def run_bank_eval(args: argparse.Namespace) -> int:
    """`eval --bank DIR --part dev|sealed`: each document through its own Assistant."""
    from assistant.evaluate.bank import load_part, run_bank
    from assistant.evaluate.report import print_console, write_report

    _not_with_bank(args)
    settings = _settings(args.backend)
    bank = Path(args.bank)
    total = sum(len(items) for _, items in load_part(bank, args.part, settings.seeds_dir))
    sealed = args.part == "sealed"
    progress = _progress()
    with progress:
        task = progress.add_task(f"{args.part} ({settings.backend})", total=total, last="")

        def advance(item: ItemResult) -> None:  # the sealed part's items are not named, even here
            progress.update(
                task, advance=1, last="" if sealed else f"{item.id} {'FAIL' if item.failure else 'ok'}"
            )

        result = run_bank(bank, args.part, Path(args.workdir or DEFAULT_WORKDIR), settings, on_item=advance)
    if args.report:
        write_report(Path(args.report), result, str(bank))
    if args.json:
        print(json.dumps(bank_json(result), indent=2, ensure_ascii=False))
    else:
        print_console(_console(), result)
        if args.report:
            print(f"report: {Path(args.report) / 'report.md'}")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """The `eval` subcommand; AssistantErrors (a bad golden file among them) reach the caller (exit 2)."""
    if getattr(args, "bank", None):
        return run_bank_eval(args)
    from assistant.evaluate.report import print_console, write_report
    from assistant.evaluate.summary import compare, load_summary, save_summary, summarize

    settings = _settings(args.backend)
    golden = Path(args.golden) if args.golden else DEFAULT_GOLDEN
    seeds = load_seed_texts(settings.seeds_dir)
    items = load_golden(golden, seeds)  # before anything runs: a bad file stops here
    quiet = bool(args.json)
    bot, result = _run(settings, items, seeds)
    comparison = _compare(bot, result, items, settings, seeds, quiet) if args.compare_plain else None
    summary_path = Path(getattr(args, "summary", None) or DEFAULT_SUMMARY)
    current = summarize(result, golden)
    diff = compare(current, load_summary(summary_path), summary_path)
    if args.report:
        write_report(Path(args.report), result, str(golden), comparison, diff)
    if args.json:
        print(json.dumps(output_json(result, golden, comparison, diff), indent=2, ensure_ascii=False))
    else:
        print_console(_console(), result, comparison, diff)
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
