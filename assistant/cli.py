"""The `assistant` command: index, ask, eval.

Exit codes: 0 an answer (or an abstention), 2 an error, 3 an incomplete answer (the model's
reply was cut off; what was written is printed, marked as incomplete).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from assistant import offline
from assistant.config import load_settings
from assistant.errors import AssistantError
from assistant.types import Answer

EXIT_INCOMPLETE = 3
INCOMPLETE_NOTE = "(incomplete: the model's reply was cut off before it ended; this is not the whole answer)"


def _index(args: argparse.Namespace) -> int:
    from assistant.index import IndexStore

    settings = load_settings()
    store = IndexStore(settings)
    report = store.sync(rebuild=args.rebuild)
    if report.resumed:
        print(f"resumed: {report.resumed}")
    if report.rebuilt:
        print(f"rebuilt: the index {report.rebuilt}")
    for label, files in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        for name in files:
            print(f"{label}: {name}")
    for why in report.skipped.values():
        print(f"skipped: {why}", file=sys.stderr)
    if not report.changed:
        print(f"up to date: {len(report.unchanged)} file(s) unchanged")
    print(f"{report.chunks} chunks in {store.where}")
    return 0


def render(answer: Answer) -> str:
    """The answer as a person reads it: text, then numbered sources."""
    lines = [answer.text]
    if answer.incomplete:
        lines.append(INCOMPLETE_NOTE)
    if answer.abstained:
        lines.append(f"(abstained: {answer.reason})")
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.source} {c.start}-{c.end}: “{c.quote}”")
    if answer.unsupported:
        lines.append(f"Not found in the cited quotes: {', '.join(answer.unsupported)}")
    return "\n".join(lines)


def _ask(args: argparse.Namespace) -> int:
    from assistant.api import Assistant

    bot = Assistant(load_settings())
    if args.json:
        answer = bot.ask(args.question, sources=args.source)
        print(answer.model_dump_json(indent=2, exclude={"passages"}))
        return EXIT_INCOMPLETE if answer.incomplete else 0
    response = bot.respond(args.question, sources=args.source)
    for delta in response:
        print(delta, end="", flush=True)
    print()
    final = response.answer()
    print(render(final).removeprefix(final.text).lstrip("\n"))
    return EXIT_INCOMPLETE if final.incomplete else 0


def _eval(args: argparse.Namespace) -> int:
    from assistant.evaluate.cli import run_eval

    return run_eval(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assistant", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log what the assistant does")
    sub = p.add_subparsers(dest="command", required=True)
    idx = sub.add_parser("index", help="build or refresh the index from seeds/")
    idx.add_argument("--rebuild", action="store_true", help="drop the index and build it again")
    idx.set_defaults(func=_index)
    ask = sub.add_parser("ask", help="answer one question with numbered sources")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    ask.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="limit the question to this seed file (repeat for several; default: all)",
    )
    ask.set_defaults(func=_ask)
    ev = sub.add_parser("eval", help="score a golden Q&A file or a question bank")
    from assistant.evaluate.cli import add_arguments

    add_arguments(ev)
    ev.set_defaults(func=_eval)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    offline.apply()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
