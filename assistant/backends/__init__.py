"""Answer backends: one small interface, chosen by ASSISTANT_BACKEND (config.BACKENDS names them)."""

from __future__ import annotations

from typing import assert_never

from assistant.backends.base import AnswerBackend
from assistant.config import Settings
from assistant.corpus import Corpus


def make_backend(settings: Settings, corpus: Corpus) -> AnswerBackend:
    """The backend settings.backend names (validated against config.BACKENDS when settings load)."""
    match settings.backend:
        case "extractive":
            from assistant.extractive import ExtractiveBackend

            return ExtractiveBackend(corpus)
        case "openai":
            from assistant.backends.checked import CheckedBackend
            from assistant.backends.openai import OpenAIBackend
            from assistant.extractive import ExtractiveBackend

            return CheckedBackend(OpenAIBackend(settings, corpus), ExtractiveBackend(corpus))
        case unknown:
            assert_never(unknown)


__all__ = ["AnswerBackend", "make_backend"]
