"""What a reference solution hands to the grader (no dependency on the grader package)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

Env = Mapping[str, Any]
"""One random instance: canonical symbol name -> value (float, int, or numpy array).

Vectors are numpy arrays of shape (d,), matrices of shape (rows, cols)."""


@dataclass
class Reference:
    """The computed reference for one target ``homework.part.answer``.

    Attributes:
        target: the target id.
        kind: answer kind (expression, vector, count_formula, name, choice, choices, tokens,
            quantity, concept, free_text).
        display: the reference in display form (LaTeX for math, plain text otherwise).
        value: a concrete value when there is one: numpy vector for HW2 Q2, list of tokens,
            set of choices, dict of quantities, list of accepted names...
        evaluate: for property checks: maps one random instance of the problem's symbols to
            the reference value on that instance (e.g. the numeric argmin for (g, alpha), the
            simulated message count for (n, p)). None when the answer is a constant.
        method: one sentence on how the reference was computed (shown as evidence).
        evidence: extra data to cite (e.g. the optimizer run that reproduces the value).
    """

    target: str
    kind: str
    display: str
    value: Any = None
    evaluate: Callable[[Env], np.ndarray | float] | None = None
    method: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)


class ComputeReference(Protocol):
    """The one interface between a rubric and Python reference code.

    A rubric answer written ``reference: {compute: "package.module:function"}`` is computed by calling
    ``function(key, variant)``: ``key`` is ``"<part>.<answer>"`` (e.g. ``"q1b.u"``), ``variant`` the
    part variant of an ``accept`` entry (None for the answer's own reference). It returns the
    :class:`Reference`: a display form plus ``evaluate`` (the value on one random instance of the
    problem's symbols) or ``value`` (a constant).
    """

    def __call__(self, key: str, variant: str | None = None, /) -> Reference: ...
