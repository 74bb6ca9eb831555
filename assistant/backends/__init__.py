"""Answer backends: one small interface, chosen by ASSISTANT_BACKEND."""

from __future__ import annotations

from assistant.backends.base import AnswerBackend
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.errors import ConfigError


def make_backend(settings: Settings, corpus: Corpus) -> AnswerBackend:
    match settings.backend:
        case "extractive":
            from assistant.extractive import ExtractiveBackend

            return ExtractiveBackend(corpus)
        case "openai":
            from assistant.backends.openai import OpenAIBackend

            return OpenAIBackend(settings, corpus)
        case other:
            raise ConfigError(f"unknown backend {other!r}: set ASSISTANT_BACKEND to extractive or openai")


__all__ = ["AnswerBackend", "make_backend"]
