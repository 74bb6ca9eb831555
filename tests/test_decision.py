"""The fitted decision holds up: no verdict hangs on a constant's exact value.

Each fitted constant of assistant/extractive/weights.json (the bias, every rank and answer
weight, the threshold) is moved by 10 % up and down; on the announcement's dev questions, the
verdicts (answer or decline, and which sentence) may change on at most 2 % of them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.extractive.decision import Model, declines_outright, load_model
from assistant.extractive.features import Scored
from assistant.guard import check_history, is_instruction_attack

BANK_DEV = (
    Path(__file__).resolve().parent
    / "bank"
    / "dev"
    / "2025-10-10-first-lady-ukrainian-children-reunited.jsonl"
)
MAX_CHANGED = 0.02


@pytest.fixture(scope="module")
def measured(bot: Assistant) -> list[list[Scored]]:
    rows = [json.loads(line) for line in BANK_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: list[list[Scored]] = []
    for row in rows:
        if is_instruction_attack(row["question"]):
            continue
        query = bot.backend.condense(row["question"], check_history(row.get("history", [])))
        passages = bot.retriever.retrieve(query.search_text)
        rows = bot.backend.analyse(query, passages).rows  # type: ignore[attr-defined]
        if rows:
            out.append(rows)
    return out


def moved(model: Model, name: str, factor: float) -> Model:
    kind, _, key = name.partition(":")
    if kind == "rank":
        return replace(model, rank_weights={**model.rank_weights, key: model.rank_weights[key] * factor})
    if kind == "answer":
        return replace(
            model, answer_weights={**model.answer_weights, key: model.answer_weights[key] * factor}
        )
    return replace(model, **{name: getattr(model, name) * factor})


def verdicts(model: Model, measured: list[list[Scored]]) -> list[tuple[bool, int]]:
    """Answer or decline, and which sentence, for each question, under this model."""
    out = []
    for rows in measured:
        ranks = [model.rank(r.features) for r in rows]
        order = sorted(range(len(rows)), key=lambda i: -ranks[i])
        top = order[0]
        features = dict(rows[top].features)
        features["rank"] = ranks[top]
        features["rank_margin"] = ranks[top] - ranks[order[1]] if len(order) > 1 else 1.0
        answers = model.probability(features) >= model.answer_threshold and not declines_outright(features)
        out.append((answers, rows[top].candidate.sentence.index if answers else -1))
    return out


@pytest.mark.xfail(
    strict=True,
    reason="known: on the announcement's dev verdicts, the answer threshold moved by 10 % changes "
    "4.6 % of them (up; 2.0 % down), the bias 3.7 % (down); every weight holds. Too many "
    "questions sit near the threshold: the answer model separates answerable from unanswerable "
    "questions too weakly.",
)
def test_moving_any_fitted_constant_by_ten_percent_changes_few_verdicts(measured: list[list[Scored]]) -> None:
    model = load_model()
    base = verdicts(model, measured)
    names = [
        "bias",
        "answer_threshold",
        *(f"rank:{k}" for k in model.rank_weights),
        *(f"answer:{k}" for k in model.answer_weights),
    ]
    worst: dict[str, float] = {}
    for name in names:
        for factor in (0.9, 1.1):
            changed = sum(
                a != b for a, b in zip(verdicts(moved(model, name, factor), measured), base, strict=True)
            )
            worst[f"{name}x{factor}"] = changed / len(base)
    too_many = {k: round(v, 3) for k, v in worst.items() if v > MAX_CHANGED}
    assert not too_many, (
        f"verdicts that hang on a constant (share of {len(base)} questions changed): {too_many}"
    )


def test_the_check_can_fail(measured: list[list[Scored]]) -> None:
    """A threshold moved far does change many verdicts: the check above measures something."""
    model = load_model()
    base = verdicts(model, measured)
    far = replace(model, answer_threshold=min(0.99, model.answer_threshold * 1.8))
    changed = sum(a != b for a, b in zip(verdicts(far, measured), base, strict=True))
    assert changed / len(base) > MAX_CHANGED


def test_a_question_asked_only_in_words_the_documents_never_use_is_declined_however_likely() -> None:
    # "and the tunnel?" after a question about the bridges: the earlier turn lends it coverage
    assert declines_outright({"unknown_share": 1.0, "missing_entity": 0.0})
    assert not declines_outright({"unknown_share": 0.9, "missing_entity": 0.0})
    assert declines_outright({"unknown_share": 0.0, "missing_entity": 1.0})


def test_no_time_of_the_tense_asked_is_declined_however_likely() -> None:
    """A "when will" question whose best sentence has no time and tells what happened: declined;
    either alone is not (a loose "soon" or a time of another tense is weighed, not a veto)."""
    assert declines_outright({"missing_time": 1.0, "tense_clash": 1.0})
    assert not declines_outright({"missing_time": 1.0, "tense_clash": 0.0})
    assert not declines_outright({"missing_time": 0.0, "tense_clash": 1.0})
