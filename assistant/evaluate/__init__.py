"""Evaluation on a golden Q&A file: schema checks, metrics, the run loop, reports, comparisons.

from assistant.evaluate import load_golden, load_seed_texts, run_golden
seeds = load_seed_texts(settings.seeds_dir)
result = run_golden(bot, load_golden(path, seeds), seeds, settings.top_k)
result.metrics.correctness, result.by_type["number"].hit_at_k, result.failures
"""

from assistant.errors import GoldenFileError, GoldenSchemaError, SchemaProblem
from assistant.evaluate.evidence import Span
from assistant.evaluate.metrics import ItemScore, Metrics, TypeMetrics, aggregate, score_item
from assistant.evaluate.runner import EvalResult, ItemResult, run_golden
from assistant.evaluate.schema import GoldenItem, load_golden, load_seed_texts, parse_golden

__all__ = [
    "EvalResult",
    "GoldenFileError",
    "GoldenItem",
    "GoldenSchemaError",
    "ItemResult",
    "ItemScore",
    "Metrics",
    "SchemaProblem",
    "Span",
    "TypeMetrics",
    "aggregate",
    "load_golden",
    "load_seed_texts",
    "parse_golden",
    "run_golden",
    "score_item",
]
