"""Fit the extractive engine's decision (assistant/extractive/weights.json) on the dev bank.

    .venv/bin/python scripts/fit_decision.py            # fit, report, write weights.json
    .venv/bin/python scripts/fit_decision.py --dry-run  # fit and report only

For every dev question of every document in tests/bank/dev/ (never tests/golden_qa.jsonl,
which scores the result), the engine measures each candidate sentence
(assistant/extractive/decision.py lists the features). A candidate is a positive example when
it overlaps the question's evidence. Logistic regressions (L2, scipy, each clue's weight kept
to the sign decision.py gives it) learn the weights: the ranking on pairs of candidates, the
answering (standardised features) on the best candidate of each question whose best candidate is
right (answer) or that must be declined (decline); an answerable question whose best
candidate is wrong teaches neither, so it is left out of that fit. The answer threshold is then
chosen on the dev items in the middle of the plateau of least cost (a needless decline costs
1, answering what must be declined WRONG_ANSWER_COST). Leave-one-document-out scores show how the
decision carries to a document it was not fitted on. Only the dev part is read here.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant import Assistant, Settings
from assistant.evaluate.bank import BankDocument, document_settings, load_part
from assistant.extractive.decision import ANSWER_FEATURES, FEATURES, LOWERS, RAISES, Model, declines_outright
from assistant.guard import check_history, is_instruction_attack

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "tests" / "bank"

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


def dev_questions() -> Iterator[tuple[BankDocument, list[dict[str, Any]], str]]:
    """(document, its dev questions, cache name): the bank's dev part only. The golden file
    is what `assistant eval` scores the shipped engine on, so nothing is fitted on it."""
    for doc, items in load_part(BANK, "dev", seeds_dir=ROOT / "seeds"):
        yield doc, [{**i.model_dump(), "history": i.history_messages()} for i in items], doc.name


def collect(work: Path, fresh: bool = False) -> list[Item]:
    """Features of every candidate of every dev question, cached per document under `work`."""
    items: list[Item] = []
    cache = work / "features"
    cache.mkdir(parents=True, exist_ok=True)
    for doc, rows, name in dev_questions():
        saved = cache / f"{name}.json"
        if saved.exists() and not fresh:
            data = json.loads(saved.read_text(encoding="utf-8"))
        else:
            bot = Assistant(document_settings(doc, work / "bank", Settings(_env_file=None)))
            data = list(measure(bot, doc.name, rows))
            saved.write_text(json.dumps(data), encoding="utf-8")
        for d in data:
            items.append(Item(doc.name, d["answerable"], np.array(d["x"]), np.array(d["y"])))
        print(f"  {doc.name}: {len(data)} questions", flush=True)
    return items


def measure(bot: Any, doc: str, rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    # the features do not depend on the model; a neutral one keeps a stale weights.json out of it
    bot.backend.decision = Model(rank_weights={}, bias=0.0, answer_weights={}, answer_threshold=0.5)
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


ANSWER_L2 = 1.0  # ridge penalty of the answer model, on standardised clues
RANK_L2 = 0.5  # ridge penalty of the ranking (scikit-learn's default C=1 for a logistic regression)


def fit_rank(items: list[Item]) -> np.ndarray:
    """Rank weights from pairs: the evidence sentence against each other candidate of its question.

    Each clue keeps the sign decision.py gives it here too: a sentence that lacks the reason a
    "why" asks for, or names a figure the question does not, never ranks higher for it, however
    the clues of the dev bank happen to correlate."""
    pairs, labels = [], []
    for i in items:
        if not i.answerable or i.y.max() == 0:
            continue
        for p in i.x[i.y > 0]:
            for n in i.x[i.y == 0]:
                pairs += [p - n, n - p]
                labels += [1, 0]
    w, _ = signed_logistic(np.array(pairs), np.array(labels, dtype=float), FEATURES, RANK_L2, intercept=False)
    return w


def answer_rows(i: Item, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's answer features (its features, rank and lead), best-ranked first."""
    ranks = i.x @ w
    order = np.argsort(-ranks)
    x, r = i.x[order], ranks[order]
    margin = r - (r[1] if len(r) > 1 else r[0] - 1.0)
    margin[1:] = r[1:] - r[0]
    return np.hstack([x, r[:, None], margin[:, None]]), i.y[order]


@dataclass
class Fitted:
    w: np.ndarray
    a: np.ndarray
    b: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float = 0.5

    def p(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(1 / (1 + np.exp(-(((x - self.mean) / self.scale) @ self.a + self.b))))


def signed_logistic(
    x: np.ndarray, y: np.ndarray, names: tuple[str, ...], l2: float = ANSWER_L2, intercept: bool = True
) -> tuple[np.ndarray, float]:
    """Logistic regression whose weights keep the signs decision.RAISES and LOWERS give (L-BFGS-B)."""
    from scipy.optimize import minimize

    d = x.shape[1]

    def loss(v: np.ndarray) -> tuple[float, np.ndarray]:
        z = np.clip(x @ v[:d] + v[d], -30, 30)
        p = 1 / (1 + np.exp(-z))
        value = -np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)) + l2 * v[:d] @ v[:d]
        grad = np.append(x.T @ (p - y) + 2 * l2 * v[:d], np.sum(p - y) if intercept else 0.0)
        return float(value), grad

    bounds = [(0.0, None) if n in RAISES else (None, 0.0) if n in LOWERS else (None, None) for n in names]
    fixed = (None, None) if intercept else (0.0, 0.0)
    found = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=[*bounds, fixed])
    return np.asarray(found.x[:d]), float(found.x[d])


def fit(items: list[Item]) -> Fitted:
    w = fit_rank(items)
    xs, ys = [], []
    for i in items:
        x, y = answer_rows(i, w)
        if i.answerable and y[0] == 0:
            continue  # answerable, but the ranking put a wrong sentence first: no lesson about answering
        xs.append(x[0])
        ys.append(1.0 if i.answerable else 0.0)
    x_all = np.array(xs)
    mean, scale = x_all.mean(axis=0), x_all.std(axis=0)
    scale[scale == 0] = 1.0
    coef, bias = signed_logistic((x_all - mean) / scale, np.array(ys), ANSWER_FEATURES)
    fitted = Fitted(w, coef, bias, mean, scale)
    fitted.threshold = best_threshold(items, fitted)
    return fitted


def decide(items: list[Item], f: Fitted, t: float | None = None) -> dict[str, float]:
    t = f.threshold if t is None else t
    right = declined = answerable = unanswerable = over = ranked = 0
    for i in items:
        x, y = answer_rows(i, f.w)
        answers = f.p(x[:1])[0] >= t and not declines_outright(dict(zip(ANSWER_FEATURES, x[0], strict=True)))
        if i.answerable:
            answerable += 1
            ranked += bool(y[0] > 0)
            right += bool(answers and y[0] > 0)
            over += not answers
        else:
            unanswerable += 1
            declined += not answers
    return {
        "top_sentence_right": ranked / max(1, answerable),
        "answered_right": right / max(1, answerable),
        "declined": declined / max(1, unanswerable),
        "over_abstention": over / max(1, answerable),
    }


# Answering a question the documents do not answer costs this many needless declines: an
# assistant that promises "the announcement doesn't say" when it doesn't must not guess.
WRONG_ANSWER_COST = 2.0


def best_threshold(items: list[Item], f: Fitted) -> float:
    """The middle of the plateau of least cost (a needless decline costs 1, answering what the
    documents do not answer WRONG_ANSWER_COST), not its edge: a margin both ways."""
    grid = np.linspace(0.05, 0.95, 91)
    answerable = sum(i.answerable for i in items)
    unanswerable = len(items) - answerable
    scores = []
    for t in grid:
        r = decide(items, f, float(t))
        scores.append(
            (r["answered_right"] * answerable + WRONG_ANSWER_COST * r["declined"] * unanswerable) / len(items)
        )
    top = max(scores)
    near = [t for t, s in zip(grid, scores, strict=True) if s >= top - 0.01]
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
    f = fit(items)
    print(
        "dev (fitted on all of it):",
        {k: round(v, 3) for k, v in decide(items, f).items()},
        f"threshold {f.threshold:.3f}",
    )
    print("rank weights:", {n: round(float(v), 2) for n, v in zip(FEATURES, f.w, strict=True)})
    print("answer weights:", {n: round(float(v), 2) for n, v in zip(ANSWER_FEATURES, f.a, strict=True)})
    held = []
    for doc in sorted({i.document for i in items}):
        other = fit([i for i in items if i.document != doc])
        r = decide([i for i in items if i.document == doc], other)
        held.append(r)
        print(f"  left out {doc[:44]:44s}", {k: round(v, 2) for k, v in r.items()})
    print(
        "leave-one-document-out mean:", {k: round(float(np.mean([h[k] for h in held])), 3) for k in held[0]}
    )
    model = Model(
        rank_weights={n: float(v) for n, v in zip(FEATURES, f.w, strict=True)},
        bias=f.b,
        answer_weights={n: float(v) for n, v in zip(ANSWER_FEATURES, f.a, strict=True)},
        answer_threshold=f.threshold,
        mean={n: float(v) for n, v in zip(ANSWER_FEATURES, f.mean, strict=True)},
        scale={n: float(v) for n, v in zip(ANSWER_FEATURES, f.scale, strict=True)},
    )
    if not args.dry_run:
        WEIGHTS.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
