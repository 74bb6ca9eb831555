"""The calibrated decision: one logistic model scores every candidate sentence.

p(sentence answers the question) = sigmoid(bias + sum(weight_i * feature_i)). The best
sentence is quoted when its p reaches `answer_threshold`; otherwise the engine declines.
Weights and thresholds are data (weights.json), fitted on the dev part of the question
bank by scripts/fit_decision.py; nothing here is tuned by hand.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

FEATURES = (
    "asked",  # share of the question's own topic weight that the sentence covers (stem, synonym, meaning)
    "asked_exact",  # the same, counting only words found by stem or WordNet
    "coverage",  # share covered, earlier turns included for a follow-up
    "dense",  # cosine of question and sentence embeddings
    "dense_gap",  # dense minus the best dense among the candidates
    "asked_gap",  # asked minus the best asked among the candidates
    "typed_found",  # the question asks for a kind of answer (number, date, ...) and the sentence holds one
    "typed_missing",  # ... and the sentence holds none
    "names_matched",  # share of the question's names that the sentence (or its context) mentions
    "unknown_share",  # share of the question's weight in words the document never uses, nor anything close
    "unknown_names",  # the question names something (a name, number, acronym) the document never mentions
    "scope",  # the best cosine between the question and any sentence of the document
    "leans",  # the sentence needs the one before it
    "follow_up",  # the question was read with earlier turns
    "position",  # 1 for the document's first sentence, towards 0 for its last
)


@dataclass(frozen=True)
class Model:
    bias: float
    weights: dict[str, float]
    answer_threshold: float
    second_threshold: float
    mean: dict[str, float] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)

    def score(self, features: dict[str, float]) -> float:
        """The log-odds that the sentence answers the question."""
        z = self.bias
        for name, weight in self.weights.items():
            value = (features[name] - self.mean.get(name, 0.0)) / (self.scale.get(name, 1.0) or 1.0)
            z += weight * value
        return z

    def probability(self, features: dict[str, float]) -> float:
        z = self.score(features)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "bias": self.bias,
            "weights": self.weights,
            "answer_threshold": self.answer_threshold,
            "second_threshold": self.second_threshold,
            "mean": self.mean,
            "scale": self.scale,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        return cls(
            bias=float(data["bias"]),
            weights={k: float(v) for k, v in data["weights"].items()},
            answer_threshold=float(data["answer_threshold"]),
            second_threshold=float(data["second_threshold"]),
            mean={k: float(v) for k, v in data.get("mean", {}).items()},
            scale={k: float(v) for k, v in data.get("scale", {}).items()},
        )


def load_model() -> Model:
    """The fitted model shipped with the package (assistant/extractive/weights.json)."""
    text = resources.files("assistant.extractive").joinpath("weights.json").read_text(encoding="utf-8")
    return Model.from_json(json.loads(text))
