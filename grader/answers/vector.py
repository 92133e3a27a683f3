"""``kind: vector``: a concrete vector (``\\theta = [1/3, 10/3, 100/3]``).

Rubric fields: as ``expression``; the reference is usually constant (``"[1, 0.1, 0.01] / 1.0101"``
or ``"\\frac{a}{\\|a\\|_2^2}"`` with ``a`` declared with a ``value``). Decimals in a claim count when
they round to the reference at the precision they are written with.
"""

from __future__ import annotations

from grader.answers.expression import ExpressionKind
from grader.answers.registry import register


@register
class VectorKind(ExpressionKind):
    """A vector value (constant or in the problem's symbols)."""

    name = "vector"
    summary = "a concrete vector; decimals accepted at the precision written"
