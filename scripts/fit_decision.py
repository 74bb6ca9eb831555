"""Fit the extractive engine's decision (assistant/extractive/weights.json) on the dev bank.

    .venv/bin/python scripts/fit_decision.py            # fit, report, write weights.json
    .venv/bin/python scripts/fit_decision.py --dry-run  # fit and report only

For every dev question of every document in tests/bank/dev/, the engine measures each
candidate sentence (assistant/extractive/decision.py lists the features). A candidate is
a positive example when it overlaps the question's evidence. A logistic regression
(scikit-learn, standardised features, L2) learns the weights; the answer threshold is then
chosen on the dev items to maximise the mean of the answer and decline rates, and the
second-sentence threshold is set above it. Leave-one-document-out scores show how the
decision carries to a document it was not fitted on. Only the dev part is read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bankrun import bots  # noqa: E402

from assistant.extractive.decision import FEATURES, Model  # noqa: E402
from assistant.guard import check_history, is_instruction_attack  # noqa: E402

WEIGHTS = ROOT / "assistant" / "extractive" / "weights.json"


@dataclass
class Item:
    document: str
    answerable: bool
    x: np.ndarray  # one row per candidate
    y: np.ndarray  # 1 where the candidate overlaps the evidence


def spans(text: str, evidence: list[str]) -> list[tuple[int, int]]:
    out = []
    for e in evidence:
        at = text.find(e)
        if at >= 0:
            out.append((at, at + len(e)))
    return out


def collect(work: Path, fresh: bool = False) -> list[Item]:
    """Features of every candidate of every dev question, cached per document under `work`."""
    items: list[Item] = []
    cache = work / "features"
    cache.mkdir(parents=True, exist_ok=True)
    for doc, bot, rows in bots("dev", work):
        saved = cache / f"{doc}.json"
        if saved.exists() and not fresh:
            data = json.loads(saved.read_text(encoding="utf-8"))
        else:
            data = list(measure(bot, doc, rows))
            saved.write_text(json.dumps(data), encoding="utf-8")
        for d in data:
            items.append(Item(doc, d["answerable"], np.array(d["x"]), np.array(d["y"])))
        print(f"  {doc}: {len(data)} questions", flush=True)
    return items


def measure(bot: Any, doc: str, rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    text = bot.backend.corpus.documents[doc].text
    for row in rows:
        question = row["question"]
        if is_instruction_attack(question):
            continue  # the guard answers these before the engine sees them
        query = bot.backend.condense(question, check_history(row.get("history", [])))
        passages = bot.retriever.retrieve(query.search_text)
        found = bot.backend.analyse(query, passages)
        ev = spans(text, row["evidence"])
        x, y = [], []
        for r in found.rows:
            c = r.candidate
            sentences = [c.sentence] + ([c.before] if c.leans and c.before else [])
            hit = any(s.start < e and s.end > b for s in sentences for b, e in ev)
            x.append([r.features[f] for f in FEATURES])
            y.append(1.0 if (row["answerable"] and hit) else 0.0)
        if x:
            yield {"id": row["id"], "answerable": row["answerable"], "x": x, "y": y}


def fit(items: list[Item]) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([i.x for i in items])
    y = np.concatenate([i.y for i in items])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000)
    model.fit((x - mean) / scale, y)
    return model.coef_[0], float(model.intercept_[0]), mean, scale


def decide(
    items: list[Item], w: np.ndarray, b: float, mean: np.ndarray, scale: np.ndarray, t: float
) -> dict[str, float]:
    answered_right = declined = answerable = unanswerable = over = 0
    for i in items:
        z = ((i.x - mean) / scale) @ w + b
        p = 1 / (1 + np.exp(-z))
        top = int(np.argmax(p))
        answers = p[top] >= t
        if i.answerable:
            answerable += 1
            answered_right += bool(answers and i.y[top] > 0)
            over += not answers
        else:
            unanswerable += 1
            declined += not answers
    return {
        "answer_rate": answered_right / max(1, answerable),
        "decline_rate": declined / max(1, unanswerable),
        "over_abstention": over / max(1, answerable),
    }


def best_threshold(items: list[Item], w: np.ndarray, b: float, mean: np.ndarray, scale: np.ndarray) -> float:
    grid = np.linspace(0.05, 0.95, 91)
    scores = []
    for t in grid:
        r = decide(items, w, b, mean, scale, float(t))
        scores.append(0.5 * r["answer_rate"] + 0.5 * r["decline_rate"])
    # the middle of the best plateau, not its edge: a margin on both sides
    top = max(scores)
    near = [t for t, s in zip(grid, scores, strict=True) if s >= top - 0.005]
    return float(np.median(near))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--work", type=Path, default=Path(".cache/fit"), help="indexes and feature cache")
    parser.add_argument("--fresh", action="store_true", help="measure again (after a feature changes)")
    args = parser.parse_args()
    items = collect(args.work, args.fresh)
    print(f"{len(items)} dev questions, {sum(len(i.y) for i in items)} candidate sentences")
    w, b, mean, scale = fit(items)
    t = best_threshold(items, w, b, mean, scale)
    print("dev (fitted):", decide(items, w, b, mean, scale, t), f"threshold {t:.3f}")
    for name, weight in sorted(zip(FEATURES, w, strict=True), key=lambda p: -abs(p[1])):
        print(f"  {name:15s} {weight:+.3f}")
    docs = sorted({i.document for i in items})
    held = []
    for doc in docs:
        train = [i for i in items if i.document != doc]
        test = [i for i in items if i.document == doc]
        w2, b2, m2, s2 = fit(train)
        t2 = best_threshold(train, w2, b2, m2, s2)
        r = decide(test, w2, b2, m2, s2, t2)
        held.append(r)
        print(f"  left out {doc[:40]:40s} answer {r['answer_rate']:.2f} decline {r['decline_rate']:.2f}")
    print(
        "leave-one-document-out mean:", {k: round(float(np.mean([h[k] for h in held])), 3) for k in held[0]}
    )
    model = Model(
        bias=b,
        weights={f: float(v) for f, v in zip(FEATURES, w, strict=True)},
        answer_threshold=t,
        second_threshold=min(0.95, t + 0.5 * (1 - t)),
        mean={f: float(v) for f, v in zip(FEATURES, mean, strict=True)},
        scale={f: float(v) for f, v in zip(FEATURES, scale, strict=True)},
    )
    if not args.dry_run:
        WEIGHTS.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
