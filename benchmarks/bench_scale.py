"""The assistant on a growing archive, beside a plain LlamaIndex pipeline (printed figures, not a test).

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1 100 1000] [--huge] [--questions 100]

For each size N it writes N synthetic announcement-like documents (15-25 sentences, each
with facts found in no other document), then measures, each in its own process so that
peak memory is that measurement's, interleaved in one run so the figures compare as ratios:

- build: the index from nothing (ours: chunks, BM25, sentence and word vectors; plain:
  VectorStoreIndex over Chroma, SentenceSplitter, the same embedding model);
- start: from process start to the first answer on the built index;
- warm ask p50/p95 over the questions (plain: retrieve only, it has no answer step);
- peak RSS of the asking process (and of the building one);
- cited: the share of questions whose first citation (plain: top passage) comes from the
  document the question is about.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the heavy imports: "start" counts them

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "dor",
    "vel",
    "sa",
    "bri",
    "nor",
    "wes",
    "tal",
    "cor",
    "fen",
    "gar",
    "hol",
]
FIRSTS = [
    "Anna",
    "Boris",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Irene",
    "Jonas",
    "Kira",
    "Luis",
    "Maya",
    "Nils",
    "Olga",
    "Pavel",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
FILLER = [
    "Residents welcomed the plan at a meeting in the town hall.",
    "Officials said the details would be published on the council's website.",
    "The council has faced criticism over delays in earlier projects.",
    "Local businesses said they expected more visitors once the work was done.",
    "A spokesperson declined to comment on the budget of the next year.",
    "The regional newspaper first reported the plan last month.",
    "Critics argued that the money could have been spent on schools instead.",
    "The announcement followed weeks of talks between the council and the state.",
    "Several community groups have asked to be consulted before the work begins.",
    "The mayor thanked the volunteers who had collected signatures for the project.",
    "Traffic on the main road is expected to be diverted during the work.",
    "The state government has promised to review the plan by the end of the year.",
]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def write_corpus(folder: Path, n: int, seed: int = 7) -> list[dict[str, str]]:
    """N documents in `folder`; one question a document about a fact only it holds."""
    rng = random.Random(seed)
    questions: list[dict[str, str]] = []
    towns: set[str] = set()
    for i in range(n):
        town = _name(rng, 3)
        while town in towns:
            town = _name(rng, 3) + _name(rng, 1).lower()
        towns.add(town)
        mayor = f"{rng.choice(FIRSTS)} {_name(rng, 2)}"
        bridges, cost, weeks = rng.randint(2, 40), rng.randint(2, 90), rng.randint(3, 30)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        facts = [
            f"Mayor {mayor} of {town} announced on {rng.choice(WEEKDAYS)} that the town will repair "
            f"{bridges} bridges along the river.",
            f"The repairs in {town} will cost ${cost} million, paid from the state transport fund.",
            f"Work on the first bridge in {town} starts in {rng.choice(MONTHS)} and should take {weeks} weeks.",
            f"“We will keep every bridge in {town} open to cyclists,” {mayor.split()[1]} said.",
        ]
        body = facts + rng.sample(FILLER, rng.randint(11, len(FILLER)))
        rng.shuffle(body[1:])
        text = f"date 2025-{month:02d}-{day:02d} " + " ".join(body[:6]) + "\n" + " ".join(body[6:]) + "\n"
        source = f"2025-{month:02d}-{day:02d}-{town.lower()}-{i:05d}.txt"
        (folder / source).write_text(text, encoding="utf-8")
        kind = rng.randrange(3)
        question = (
            f"How many bridges will {town} repair?",
            f"How much will the repairs in {town} cost?",
            f"How long should the work on the first bridge in {town} take?",
        )[kind]
        questions.append({"question": question, "source": source})
    return questions


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- workers: one measurement a process ----------------------------------------------------
def _settings(seeds: Path, index: Path) -> Any:
    from assistant import Settings

    return Settings(_env_file=None, seeds_dir=seeds, index_dir=index)  # type: ignore[call-arg]


def build_ours(seeds: Path, index: Path) -> dict[str, float]:
    from assistant.index import IndexStore

    began = time.perf_counter()
    IndexStore(_settings(seeds, index)).sync()
    return {"build_s": time.perf_counter() - began}


def _plain_parts(index: Path) -> tuple[Any, Any]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import StorageContext
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chromadb.PersistentClient(path=str(index), settings=ChromaSettings(anonymized_telemetry=False))
    store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("plain"))
    return store, StorageContext.from_defaults(vector_store=store)


def build_plain(seeds: Path, index: Path) -> dict[str, float]:
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

    from assistant import offline
    from assistant.embedding import embed_model

    offline.apply()
    began = time.perf_counter()
    docs = SimpleDirectoryReader(str(seeds)).load_data()
    _, storage = _plain_parts(index)
    VectorStoreIndex.from_documents(docs, storage_context=storage, embed_model=embed_model())
    return {"build_s": time.perf_counter() - began}


def _timed(questions: list[dict[str, str]], first_source: Callable[[str], str | None]) -> dict[str, Any]:
    """Start to the first answer, the later asks' times, and the share citing the targeted document."""
    times, hits, start = [], 0, 0.0
    for i, q in enumerate(questions):
        began = time.perf_counter()
        source = first_source(q["question"])
        if i == 0:
            start = time.perf_counter() - STARTED
        else:
            times.append(time.perf_counter() - began)
        hits += source == q["source"]
    return {"start_s": start, "times": times, "cited": hits / len(questions)}


def ask_ours(seeds: Path, index: Path, questions: list[dict[str, str]]) -> dict[str, Any]:
    from assistant import Assistant

    bot = Assistant(_settings(seeds, index))

    def first_source(question: str) -> str | None:
        answer = bot.ask(question)
        return answer.citations[0].source if answer.citations else None

    return _timed(questions, first_source)


def ask_plain(seeds: Path, index: Path, questions: list[dict[str, str]]) -> dict[str, Any]:
    from llama_index.core import VectorStoreIndex

    from assistant import offline
    from assistant.embedding import embed_model

    offline.apply()
    store, _ = _plain_parts(index)
    retriever = VectorStoreIndex.from_vector_store(store, embed_model=embed_model()).as_retriever(
        similarity_top_k=4
    )

    def first_source(question: str) -> str | None:
        found = retriever.retrieve(question)
        return Path(str(found[0].node.metadata.get("file_path", ""))).name if found else None

    return _timed(questions, first_source)


def worker(args: argparse.Namespace) -> None:
    seeds, index = Path(args.seeds), Path(args.index)
    questions = json.loads(Path(args.questions_file).read_text()) if args.questions_file else []
    match args.worker:
        case "build-ours":
            result: dict[str, Any] = build_ours(seeds, index)
        case "build-plain":
            result = build_plain(seeds, index)
        case "ask-ours":
            result = ask_ours(seeds, index, questions)
        case _:
            result = ask_plain(seeds, index, questions)
    result["peak_mb"] = _peak_mb()
    print("RESULT " + json.dumps(result))


def _run(kind: str, seeds: Path, index: Path, questions: Path | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", kind, "--seeds", str(seeds), "--index", str(index)]
    if questions is not None:
        cmd += ["--questions-file", str(questions)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(line.removeprefix("RESULT ")))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--huge", action="store_true", help="add N = 10,000 (about an hour)")
    parser.add_argument(
        "--questions", type=int, default=100, help="questions a size (one a document at most)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--seeds", help=argparse.SUPPRESS)
    parser.add_argument("--index", help=argparse.SUPPRESS)
    parser.add_argument("--questions-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    sizes = [*args.sizes, *([10_000] if args.huge else [])]
    header = (
        f"{'N':>6} {'pipeline':<8} {'build s':>8} {'docs/s':>7} {'start s':>8} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'ask MB':>7} {'build MB':>8} {'cited':>6}"
    )
    print(header, flush=True)
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            root = Path(tmp)
            seeds = root / "seeds"
            seeds.mkdir()
            questions = write_corpus(seeds, n)
            picked = random.Random(n).sample(questions, min(args.questions, len(questions)))
            qfile = root / "questions.json"
            qfile.write_text(json.dumps(picked * (1 if len(picked) > 1 else 5)))
            rows = {}
            for engine in ("ours", "plain"):  # interleaved: build both, then ask both
                rows[engine] = _run(f"build-{engine}", seeds, root / f"index-{engine}")
            for engine in ("ours", "plain"):
                asked = _run(f"ask-{engine}", seeds, root / f"index-{engine}", qfile)
                rows[engine] |= {**asked, "build_peak_mb": rows[engine]["peak_mb"]}
            for engine, r in rows.items():
                times = [t * 1000 for t in r["times"]]
                print(
                    f"{n:>6} {engine:<8} {r['build_s']:>8.1f} {n / r['build_s']:>7.1f} {r['start_s']:>8.1f} "
                    f"{statistics.median(times) if times else float('nan'):>7.0f} {_pct(times, 0.95):>7.0f} "
                    f"{r['peak_mb']:>7.0f} {r['build_peak_mb']:>8.0f} {r['cited']:>6.0%}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
