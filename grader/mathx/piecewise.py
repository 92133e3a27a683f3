"""Piecewise definitions, ``\\begin{cases} v_1 & c_1 \\\\ v_2 & c_2 \\end{cases}``: their reading and value.

The parser reads a ``cases`` environment as ``Func("piecewise", (v_1, g_1, v_2, g_2, ...))``, each
guard ``g_i`` a scalar function of one difference that says when its row holds:

* ``case_pos(d)``: d > 0, ``case_nonneg(d)``: d ≥ 0 (``a > b`` / ``a ≥ b``; ``<`` and ``≤`` turned round),
* ``case_zero(d)``: d = 0, ``case_nonzero(d)``: d ≠ 0,
* ``case_else(0)``: "otherwise", the rows before it all fail.

The value at an instance is the value of the one row that holds. Where no row holds, or rows with
different values hold together, the piecewise has no value there (:func:`pick`): the instance is
skipped, never taken as evidence either way. Conditions are read by the parser, never evaluated as
code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from grader.errors import MathParseError
from grader.mathx import ast as A

GUARDS = frozenset({"case_pos", "case_nonneg", "case_zero", "case_nonzero", "case_else"})
"""The guard functions the parser builds for the rows of a ``cases`` environment."""

_CONDITION_WORDS = frozenset({"if", "when", "for", "where", "if and only if"})
_OTHERWISE_WORDS = frozenset({"otherwise", "else", "elsewhere", "otherwise."})


def is_condition_word(text: str) -> bool:
    """Whether a ``\\text{..}`` before a condition only introduces it ("if", "when", "for")."""
    return text.strip().rstrip(",").lower() in _CONDITION_WORDS


def is_otherwise(text: str) -> bool:
    """Whether a ``\\text{..}`` condition is "otherwise" (the rows before it all fail)."""
    return text.strip().rstrip(",").lower() in _OTHERWISE_WORDS


def guard(condition: A.Node) -> A.Node:
    """The guard of one condition: a single comparison of two sides (``x > 0``, ``a \\le b``,
    ``\\phi(x) = 0``). Raises :class:`MathParseError` for anything else (a chain, a set membership)."""
    if isinstance(condition, A.Equation) and len(condition.sides) == 2 and condition.ops == ("=",):
        left, right = condition.sides
        return A.Func("case_zero", (_diff(left, right),))
    if isinstance(condition, A.Inequality) and len(condition.sides) == 2 and len(condition.ops) == 1:
        op = condition.ops[0]
        left, right = condition.sides
        if op == "≠":
            return A.Func("case_nonzero", (_diff(left, right),))
        big, small = (left, right) if op in (">", "≥") else (right, left)
        if op in ("<", ">", "≤", "≥"):
            return A.Func("case_pos" if op in ("<", ">") else "case_nonneg", (_diff(big, small),))
    raise MathParseError("a condition of a cases environment is not one comparison of two sides")


def otherwise() -> A.Node:
    """The guard of an "otherwise" row."""
    return A.Func("case_else", (A.Num(Fraction(0), "0"),))


def _diff(big: A.Node, small: A.Node) -> A.Node:
    if isinstance(small, A.Num) and small.value == 0:
        return big
    return A.Add((big, A.Neg(small)))


class NoCase(ArithmeticError):
    """No row of a piecewise definition holds at this instance: it has no value there."""


class CaseConflict(ArithmeticError):
    """Rows with different values hold together: the definition contradicts itself, nothing is read."""


def holds(name: str, d: Any, tolerance: Any) -> bool:
    """Whether a guard ``name`` holds for the difference ``d`` (``|d| <= tolerance`` counts as 0)."""
    zero = abs(d) <= tolerance
    if name == "case_zero":
        return bool(zero)
    if name == "case_nonzero":
        return not zero
    if getattr(d, "imag", 0) != 0:
        raise NoCase("a comparison of complex values")
    if name == "case_pos":
        return bool(d > 0 and not zero)
    if name == "case_nonneg":
        return bool(d > 0 or zero)
    raise NoCase(f"unknown guard {name}")


def pick(
    args: Sequence[A.Node],
    value: Callable[[A.Node], Any],
    tolerance: Callable[[Any], Any],
) -> Any:
    """The value of ``piecewise(v_1, g_1, ...)`` given an evaluator ``value`` of nodes and the
    ``tolerance`` under which a difference counts as 0. Raises :class:`NoCase` where no row holds
    and :class:`CaseConflict` where rows with different values hold."""
    if len(args) < 2 or len(args) % 2:
        raise NoCase("a piecewise definition needs a value and a condition per row")
    chosen: list[Any] = []
    any_held = False
    for v, g in zip(args[0::2], args[1::2], strict=True):
        if not isinstance(g, A.Func) or g.name not in GUARDS:
            raise NoCase("a row of a piecewise definition has no condition")
        if g.name == "case_else":
            held = not any_held
        else:
            d = value(g.args[0])
            held = holds(g.name, d, tolerance(d))
        if held:
            any_held = True
            chosen.append(value(v))
    if not chosen:
        raise NoCase("no case of the piecewise definition holds here")
    first = chosen[0]
    if any(abs(c - first) > tolerance(first) for c in chosen[1:]):
        raise CaseConflict("two cases of the piecewise definition hold with different values")
    return first
