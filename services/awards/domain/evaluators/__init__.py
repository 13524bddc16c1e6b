"""Evaluators of the leaf criterion kinds, one module per family of facts.

Combinators (any_of, all_of) and meets_criteria_of recurse into rules and
live in the engine.
"""

from . import conduct, grades, initiatives, members, misc, service, titles  # noqa: F401  (registers)
from .registry import EVALUATORS, Evaluator

__all__ = ["EVALUATORS", "Evaluator"]
