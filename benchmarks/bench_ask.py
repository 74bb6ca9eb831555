"""Speed and memory of the assistant, printed as a table (not a test: this machine is shared).

    .venv/bin/python benchmarks/bench_ask.py [--golden tests/golden_qa.jsonl] [--repeat 3]

Reports, in one run so that figures compare as ratios: building the index from scratch,
opening an existing one, the first answer (which loads word vectors), and steady-state
ask() latency over the golden questions, with the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from assistant import Assistant, Settings, offline

offline.apply()

ROOT = Path(__file__).resolve().parent.parent


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--golden", default=str(ROOT / "tests" / "golden_qa.jsonl"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    items = [
        json.loads(line)
        for line in Path(args.golden).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, seeds_dir=ROOT / "seeds", index_dir=Path(tmp))  # type: ignore[call-arg]
        t0 = time.perf_counter()
        Assistant(settings)
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        bot = Assistant(settings)
        reopen = time.perf_counter() - t0
        t0 = time.perf_counter()
        bot.ask(items[0]["question"])
        first = time.perf_counter() - t0
        times: list[float] = []
        for _ in range(args.repeat):
            for item in items:
                t0 = time.perf_counter()
                bot.ask(item["question"], item.get("history", []))
                times.append(time.perf_counter() - t0)
    times.sort()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    table = Table(title=f"assistant benchmark ({len(items)} questions x {args.repeat})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("build index (model load + embed)", _ms(build))
    table.add_row("open existing index", _ms(reopen))
    table.add_row("first answer", _ms(first))
    table.add_row("ask() p50", _ms(statistics.median(times)))
    table.add_row("ask() p95", _ms(times[int(0.95 * (len(times) - 1))]))
    table.add_row("ask() max", _ms(times[-1]))
    table.add_row("reopen / build", f"{reopen / build:.2f}")
    table.add_row("peak memory (RSS)", f"{peak_mb:,.0f} MB")
    Console().print(table)


if __name__ == "__main__":
    main()
