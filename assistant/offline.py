"""Offline by construction: no model hub, no tiktoken download, no telemetry. And torch's idle
threads give their core back soon (GOMP_SPINCOUNT).

Importing the package changes nothing; `apply()` sets these environment variables, and is
called explicitly where they matter, before the library that reads them is imported or
used: the entry points (cli.main, Assistant), the embedding model, tiktoken, Chroma and
the retrievers. Values already set by the user are kept, so calling it again is harmless.
Front ends that import Gradio or huggingface_hub themselves call it first.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.util import find_spec
from pathlib import Path

DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    # After embedding a question, torch's OpenMP worker spins for a while by default, holding
    # one of the two cores while Chroma searches: measured at 1,000 documents, the chunk search
    # took 9.7 ms instead of 4.2 and an answer 45 ms instead of 30. Spinning briefly keeps the
    # batch embedding of a build as fast (libgomp reads this when torch loads).
    "GOMP_SPINCOUNT": "10000",
}
# Every variable apply() may set: the defaults, and where llama-index-core keeps its caches.
VARIABLES = (*DEFAULTS, "TIKTOKEN_CACHE_DIR", "NLTK_DATA")


@cache
def llama_index_static(name: str) -> Path | None:
    """A folder of data llama-index-core ships (its tiktoken and nltk caches), or None."""
    spec = find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "_static" / name
    return path if path.is_dir() else None


def apply() -> None:
    """Point every library at what is installed locally, and turn telemetry off."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    tiktoken_cache = llama_index_static("tiktoken_cache")
    if tiktoken_cache is not None:
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(tiktoken_cache))
    nltk_cache = llama_index_static("nltk_cache")
    if nltk_cache is not None:
        os.environ.setdefault("NLTK_DATA", str(nltk_cache))
