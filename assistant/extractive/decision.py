"""The calibrated decision: which sentence answers, and whether it answers at all.

Two small linear models, fitted on the dev part of the question bank by
scripts/fit_decision.py and kept as data in weights.json; nothing here is tuned by hand.

1. Ranking: rank(sentence) = sum(rank_weight_i * feature_i), fitted on pairs (the evidence
   sentence against each other candidate of the same question), so it learns which
   sentence answers, not how easy the question is.
2. Answering: p = sigmoid(bias + sum(answer_weight_i * standardised feature_i)) over the
   best sentence's features, its rank and its lead over the next one. The engine quotes
   the sentence when p reaches `answer_threshold` and declines otherwise; a second
   sentence is quoted too when its own p reaches the threshold.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

FEATURES = (
    "asked",  # share of the question's own topic weight that the sentence covers (stem, synonym, meaning)
    "asked_exact",  # the same, counting only words found by stem, WordNet or who-is-who
    "coverage",  # share covered, earlier turns included for a follow-up
    "dense",  # cosine of question and sentence embeddings
    "late",  # late interaction: each question word piece against the sentence's nearest, in context
    # (a word the sentence gives another way, by WordNet or who-is-who, met as well as those as written)
    "late_least",  # the same for the question's word piece the sentence meets least
    "dense_gap",  # dense minus the best dense among the candidates
    "asked_gap",  # asked minus the best asked among the candidates
    "typed_found",  # the question asks for a kind of answer (number, date, reason...) and the sentence holds one
    "missing_count",  # a count, amount or age is asked for and the sentence holds none
    "missing_time",  # a date, time or length of time is asked for and the sentence holds none
    "missing_unit",  # a time of a unit is asked for ("what year", "what time") and the sentence holds none
    "missing_age",  # an age is asked for ("how old") and the sentence gives none
    "missing_entity",  # a person, name, organization or place is asked for and the sentence holds none
    "missing_reason",  # a reason is asked for ("why") and the sentence gives none
    "names_matched",  # share of the question's names that the sentence (or its context) mentions
    "unknown_share",  # share of the question's weight in words the document never uses, nor anything close
    "unknown_names",  # the question names something (a name, number, acronym) the document never mentions
    "scope",  # the best cosine between the question and any sentence of the passages' documents
    "leans",  # the sentence needs the one before it
    "follow_up",  # the question was read with earlier turns
    "position",  # 1 for the document's first sentence, towards 0 for its last
    "typed_near",  # how close the value of the kind asked for stands to the words the question shares
    "after_answer",  # a follow-up: 1 for the sentence the previous answer quoted, 0.5 for its neighbours
    "repeats_answer",  # a follow-up that names what it asks: the sentence is the one the previous answer quoted
    "question_terms",  # how many topic words the question has (a tenth each, at most 1)
    "asked_literal",  # share of the question's own weight met by stem, WordNet or who-is-who (no embeddings)
    "unmet_top",  # weight share of the heaviest question word the sentence does not meet literally
    "absent_top",  # weight share of the heaviest question word the documents never use literally
    "numbers_unmet",  # the question names a figure the sentence does not hold
    "count_bound",  # "how many X": a number stands just before X (or a WordNet kin of it) in the sentence
    "compact",  # how close together the question's words stand in the sentence
    "tense_clash",  # the question asks what will happen, the sentence tells what happened, or the reverse
    "spoken_by_asked",  # the question asks what someone said, and the sentence is that one speaking
    "contrasted",  # a yes/no question checks a value the documents lack; the sentence gives another of its kind
    "rival",  # the sentence names another of the kind of a word the documents lack, or gives the
    # thing asked about another modifier of its own one's kind ("a monthly pass" for "a day pass")
    "names_another",  # the sentence names another of the family of a name asked ("Meridian-1" for "Meridian-2")
)
ANSWER_FEATURES = (*FEATURES, "rank", "rank_margin")
# The direction in which each clue may move a sentence's rank and the answering probability: the
# fit keeps these signs (bounded logistic regressions), so that correlated clues cannot trade
# places and a sentence nearer the question never looks a worse answer. Clues not listed are free.
RAISES = frozenset(
    [
        "asked",
        "asked_exact",
        "coverage",
        "dense",
        "late",
        "late_least",
        "dense_gap",
        "asked_gap",
        "typed_found",
        "names_matched",
        "scope",
        "typed_near",
        "asked_literal",
        "count_bound",
        "compact",
        "spoken_by_asked",
        "contrasted",
        "rank",
        "rank_margin",
    ]
)
LOWERS = frozenset(
    [
        "missing_count",
        "missing_time",
        "missing_entity",
        "missing_reason",
        "missing_unit",
        "missing_age",
        "names_another",
        "unknown_share",
        "unknown_names",
        "unmet_top",
        "absent_top",
        "numbers_unmet",
        "tense_clash",
        "rival",
        "repeats_answer",
    ]
)


# A question that asks for a person, a name, an organization or a place is declined, whatever the
# probability, when the best sentence holds none that the question does not already give: "What
# is the representative's name?" against "My representative has been working with …". So is one
# that asks for a time of one unit ("what year", "what time of day") when the sentence holds none
# of that unit ("on Friday" is no time of day), and one that asks how old when the sentence gives
# no age, and one whose best sentence speaks of another of a family the question names one of
# ("Meridian-1" for "Meridian-2", "Perry County" for "Cole County"). On the dev bank no rightly
# answered question lacks any of these (counts, loose times and reasons do: "twice", "because"
# said another way), so only these decline outright.
DECLINES_OUTRIGHT = ("missing_entity", "missing_unit", "missing_age", "names_another")
# A "when" question whose best sentence holds no time of the tense asked and tells the other
# tense ("When will more families be reunited?" against "… eight children have now been
# reunited …"): nothing there says when, neither a time nor a loose "soon". No rightly answered
# dev question has both.
NO_TIME_OF_THE_TENSE = ("missing_time", "tense_clash")


def declines_outright(features: Mapping[str, float]) -> bool:
    """The best sentence lacks the kind of value asked for, of a kind that is found reliably, or
    lacks a time and tells another tense than the one asked; or
    every word the question asks with is one the documents never use, nor anything near it ("and
    the tunnel?" after a question about the bridges): whatever the earlier turns lend it, what
    it asks about is not in them."""
    return (
        any(features.get(name, 0.0) > 0 for name in DECLINES_OUTRIGHT)
        or features.get("unknown_share", 0.0) >= 1.0
        or all(features.get(name, 0.0) > 0 for name in NO_TIME_OF_THE_TENSE)
    )


@dataclass(frozen=True)
class Model:
    rank_weights: dict[str, float]
    bias: float
    answer_weights: dict[str, float]
    answer_threshold: float
    mean: dict[str, float] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)

    def rank(self, features: dict[str, float]) -> float:
        """How well the sentence answers, relative to the other candidates of the question."""
        return sum(w * features[name] for name, w in self.rank_weights.items())

    def probability(self, features: dict[str, float]) -> float:
        """The probability that the sentence answers the question (features include rank, rank_margin)."""
        z = self.bias
        for name, weight in self.answer_weights.items():
            z += weight * (features[name] - self.mean.get(name, 0.0)) / (self.scale.get(name, 1.0) or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "rank_weights": self.rank_weights,
            "bias": self.bias,
            "answer_weights": self.answer_weights,
            "answer_threshold": self.answer_threshold,
            "mean": self.mean,
            "scale": self.scale,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        def floats(key: str) -> dict[str, float]:
            return {k: float(v) for k, v in data.get(key, {}).items()}

        return cls(
            rank_weights=floats("rank_weights"),
            bias=float(data["bias"]),
            answer_weights=floats("answer_weights"),
            answer_threshold=float(data["answer_threshold"]),
            mean=floats("mean"),
            scale=floats("scale"),
        )


def load_model() -> Model:
    """The fitted model shipped with the package (assistant/extractive/weights.json)."""
    text = resources.files("assistant.extractive").joinpath("weights.json").read_text(encoding="utf-8")
    return Model.from_json(json.loads(text))
