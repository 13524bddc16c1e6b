"""Kind → evaluator function. Evaluators know a criterion kind, never an award."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..context import EvalContext, Verdict
from ..criteria import CriterionKind

Evaluator = Callable[[Any, EvalContext], Verdict]
EVALUATORS: dict[CriterionKind, Evaluator] = {}

F = TypeVar("F", bound=Evaluator)


def evaluator(kind: CriterionKind) -> Callable[[F], F]:
    """Register the decorated function as the evaluator of ``kind``."""

    def register(fn: F) -> F:
        if kind in EVALUATORS:
            raise ValueError(f"{kind} already has an evaluator")
        EVALUATORS[kind] = fn
        return fn

    return register
