"""The shipped decision model, reduced to the features the engine computes today.

While weights.json is being refitted it may name a feature the engine no longer computes;
tests about where vectors come from and which documents are searched need answers, not
the fitted figures, so they use this stand-in (the shipped model itself once they agree).
"""

from __future__ import annotations

from assistant.extractive.decision import ANSWER_FEATURES, FEATURES, Model, load_model


def stand_in_model() -> Model:
    shipped = load_model()
    return Model(
        rank_weights={k: w for k, w in shipped.rank_weights.items() if k in FEATURES},
        bias=shipped.bias,
        answer_weights={k: w for k, w in shipped.answer_weights.items() if k in ANSWER_FEATURES},
        answer_threshold=shipped.answer_threshold,
        mean=shipped.mean,
        scale=shipped.scale,
    )
