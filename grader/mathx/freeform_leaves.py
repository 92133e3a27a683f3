"""Leaves of a free-form comparison: single values (numbers, expressions, matrices) on the engine.

A leaf is what remains of an answer item once :mod:`grader.mathx.freeform_items` has taken its
structure apart. Both leaves are parsed by the engine (:func:`grader.mathx.parser.parse`) and
evaluated by it (:func:`grader.mathx.numeric.evaluate`) on instances drawn by
:func:`grader.mathx.numeric.sample_env`: every free symbol a real scalar uniform in
[``LOW``, ``HIGH``], from a generator seeded afresh on each call (reproducible verdicts, no shared
state, safe in the web app's grading threads). Two small adapters feed the engine: ``\\mathrm{e}``
is read as Euler's ``e``, and ``\\sec`` ``\\csc`` ``\\cot`` (absent from the engine's function
table) are passed as callables in the instance, which the evaluator looks up for unknown names.

What stays here is what the engine does not do the way Math-Verify does, each clearly named:

* :func:`rounds_to_written`: a decimal equals a value when it *rounds* to it at the places it is
  written with (half a unit), or at ``precision`` places. The engine's written-precision rule
  (:func:`grader.mathx.numbers.matches_written`) also accepts one whole unit for a decimal with three
  or more significant digits, so that truncation passes (``0.3334`` for 1/3), which Math-Verify refuses.
* :func:`close_enough`: relative tolerance 1e-8 (or half a unit at ``precision`` places), tighter
  than the engine's ``compare.RTOL``; a non-real or non-finite value (``\\sqrt{x-3}`` on these
  instances, an overflowing power) is never equal, except the written ``\\infty``.
* :func:`proportional` checks one constant ratio across all instances; the engine's
  ``nonzero_scale`` mode accepts each instance on its own ratio.

The engine works in real numbers (the evaluator this replaced used complex ones). An instance
where neither side is real (``\\sqrt{4-x^2}`` at x = 2.3) carries no information and is redrawn,
up to ``MAX_DRAWS``, as the engine's ``numeric_compare`` does; a side real where the other is not
means unequal; two leaves real nowhere on the instances (``\\sqrt{x-3}`` against
``(x-3)^{1/2}``) are unequal, where complex evaluation found them equal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from grader.errors import BudgetExceeded, GraderError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.numeric import EvalError, evaluate, sample_env
from grader.mathx.parser import parse
from grader.mathx.symbols import SymbolSpec, SymbolTable

SEED = 20251120
"""Seed of each call's generator: the same leaves always meet the same instances."""
SAMPLES = 6
"""Instances on which two expressions must agree."""
MAX_DRAWS = 40
"""Draws tried to find ``SAMPLES`` instances where both sides are real (``compare.MAX_DRAWS``)."""
LOW, HIGH = 0.5, 2.5
"""Range of every free symbol (positive, away from 0 and 1, where few formulas are degenerate)."""
TOLERANCE = 1e-8
"""Relative tolerance of :func:`close_enough` when no ``precision`` is given."""

_EXTRA_FUNCS = {
    "sec": lambda x: 1.0 / np.cos(x),
    "csc": lambda x: 1.0 / np.sin(x),
    "cot": lambda x: 1.0 / np.tan(x),
}
_INFINITY = A.Const("inf")
_STRUCTURED = (A.Tuple, A.Set, A.Interval, A.Union, A.Equation, A.Inequality, A.Implies)
_NOT_COMPARABLE = (GraderError, ArithmeticError, ValueError, TypeError)
"""Errors that mean "cannot be compared numerically" (EvalError is a GraderError)."""


def parse_leaf(text: str) -> A.Node:
    r"""Parse one leaf with the engine, reading ``\mathrm{e}`` as Euler's number.

    Example: ``parse_leaf(r"\mathrm{e}^2")`` → ``Pow(base=Const(name='e'), exp=Num(...))``.
    """
    return parse(re.sub(r"\\mathrm\s*\{\s*e\s*\}", "e", text))


def instances(*nodes: A.Node, seed: int = SEED, count: int = MAX_DRAWS) -> Iterator[dict[str, Any]]:
    """``count`` instances of the free symbols of ``nodes`` (engine draws, a generator per call).

    Example: ``next(instances(parse("x + y")))`` → ``{"x": 1.6..., "y": 0.9..., "sec": ...}``.
    """
    names = set().union(*(A.free_symbols(n) for n in nodes))
    table = SymbolTable(symbols={n: SymbolSpec(n, min=LOW, max=HIGH) for n in sorted(names)})
    rng = np.random.default_rng(seed)
    for _ in range(count):
        env: dict[str, Any] = dict(_EXTRA_FUNCS)
        env.update(sample_env(table, rng))
        yield env


def _scalar(node: A.Node, env: dict[str, Any]) -> float:
    if any(isinstance(n, _STRUCTURED) for n in A.walk(node)):
        raise EvalError(f"{type(node).__name__} has a tuple, set or relation inside")
    value = evaluate(node, env)
    if isinstance(value, np.ndarray):
        raise EvalError(f"{type(node).__name__} is not a scalar")
    return value


def close_enough(a: float, b: float, tol: float = TOLERANCE, *, infinite_ok: bool = False) -> bool:
    """Relative closeness ``|a − b| ≤ tol · max(1, |a|, |b|)``; NaN never, ±∞ only when allowed.

    Example: ``close_enough(1.0, 1.0 + 1e-9)`` → True; ``close_enough(1.0, 1.001)`` → False.
    """
    if math.isnan(a) or math.isnan(b):
        return False
    if math.isinf(a) or math.isinf(b):
        return infinite_ok and a == b
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def rounds_to_written(exact: float, num: A.Num, precision: int | None) -> bool:
    """Whether a written decimal ``num`` is ``exact`` rounded at its places (or ``precision`` places).

    Half a unit in the last written place, as Math-Verify rounds (module notes: the engine's rule
    accepts a whole unit).

    Example: ``rounds_to_written(1/3, parse("0.3333"), None)`` → True; ``0.3334`` → False.
    """
    if not math.isfinite(exact):
        return False
    places = num.places if num.places is not None else 0
    if precision is not None:
        places = min(places, precision) if num.places is not None else places
        if round(exact, precision) == round(float(num.value), precision):
            return True
    return num.places is not None and abs(exact - float(num.value)) <= 0.5 * 10.0**-places * (1 + 1e-9)


def _mentions_infinity(*nodes: A.Node) -> bool:
    return all(any(n == _INFINITY for n in A.walk(node)) for node in nodes)


def _scalars_equal(g: A.Node, p: A.Node, precision: int | None) -> bool:
    if isinstance(g, A.Num) and isinstance(p, A.Num) and g.value == p.value:
        return True
    if isinstance(p, A.Num) and p.places is not None and not A.free_symbols(g):
        return rounds_to_written(_scalar(g, {}), p, precision)
    if isinstance(g, A.Num) and g.places is not None and not A.free_symbols(p):
        return rounds_to_written(_scalar(p, {}), g, precision)
    if precision is None and not _mentions_infinity(g, p):
        from grader.mathx.precise import precise_equal

        out = precise_equal(g, p, instances(g, p), need=SAMPLES, max_draws=MAX_DRAWS)
        if out.equal is not None:
            return out.equal  # high precision: overflow, underflow and cancellation cannot fool it
    tol = TOLERANCE if precision is None else max(TOLERANCE, 0.5 * 10.0**-precision)
    infinite_ok = _mentions_infinity(g, p)
    good = 0
    for env in instances(g, p):
        a, b = _scalar(g, env), _scalar(p, env)
        if math.isnan(a) and math.isnan(b):
            continue  # real on neither side here (√(4 − x²) at x = 2.3): no information, redraw
        if not close_enough(a, b, tol, infinite_ok=infinite_ok):
            return False
        good += 1
        if good == SAMPLES:
            break
    return good > 0


def _nodes_equal(g: A.Node, p: A.Node, precision: int | None) -> bool:
    if isinstance(g, A.Matrix) and isinstance(p, A.Matrix):
        if [len(r) for r in g.rows] != [len(r) for r in p.rows]:
            return False
        pairs = zip((x for r in g.rows for x in r), (y for r in p.rows for y in r), strict=True)
        return all(_nodes_equal(x, y, precision) for x, y in pairs)
    if isinstance(g, _STRUCTURED) or isinstance(p, _STRUCTURED):
        return g == p  # structure is compared at the text level; here only identical trees match
    if isinstance(g, A.Matrix) or isinstance(p, A.Matrix):  # matrix arithmetic: A + B vs C
        env = next(instances(g, p))
        a, b = np.asarray(evaluate(g, env)), np.asarray(evaluate(p, env))
        if a.shape != b.shape or not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
            return False
        return bool(np.allclose(a, b, rtol=1e-8, atol=1e-10))
    return _scalars_equal(g, p, precision)


def _rename_single_symbol(g: A.Node, p: A.Node) -> tuple[A.Node, A.Node]:
    """Non-strict mode: ``f(x)`` vs ``f(y)``: with one free symbol on each side, use one name."""
    gs, ps = A.free_symbols(g), A.free_symbols(p)
    if len(gs - ps) == 1 and len(ps - gs) == 1:
        (new,), (old,) = gs - ps, ps - gs
        p = A.substitute(p, {old: A.Sym(new)})
    return g, p


def _size_refusal() -> bool:
    """After BudgetExceeded: True when it was the evaluator refusing a huge power, not the clock."""
    return not budget.expired()


def leaf_equal(gold: str, pred: str, precision: int | None = None, strict: bool = True) -> bool:
    r"""Whether two single values (numbers, expressions, matrices) are equal, via the engine.

    Expressions are compared on random instances of their symbols; a decimal matches when it
    rounds correctly at the places it is written with (or at ``precision`` places).

    Example: ``leaf_equal(r"\frac{1}{3}", "0.3333")`` → True; ``leaf_equal("x+1", "x+2")`` → False.
    """
    try:
        g, p = parse_leaf(gold), parse_leaf(pred)
    except GraderError:
        return False
    if not strict:
        g, p = _rename_single_symbol(g, p)
    if g == p:
        return True
    try:
        return _nodes_equal(g, p, precision)
    except _NOT_COMPARABLE:
        return False
    except BudgetExceeded:
        if _size_refusal():
            return False
        raise


def proportional(a: str, b: str, sign: int = 0) -> bool:
    r"""Whether expression ``a`` is a constant nonzero multiple of ``b`` (``sign`` 1: positive, -1: negative).

    Instances where both sides vanish are skipped; one side vanishing alone, a non-finite value or
    a ratio that changes between instances means no.

    Example: ``proportional("x^2/4 + y^2/3 - 1", "x^2/16 + y^2/12 - 1/4")`` → True (factor 4).
    """
    try:
        ga, gb = parse_leaf(a), parse_leaf(b)
        from grader.mathx.precise import precise_ratio

        same, c = precise_ratio(ga, gb, instances(ga, gb), need=SAMPLES, max_draws=MAX_DRAWS)
        if same is not None:
            if not same or c is None:
                return False
            real = getattr(c, "imag", 0) == 0
            return sign == 0 or (real and (c.real > 0) == (sign > 0))
        ratio: float | None = None
        good = 0
        for env in instances(ga, gb):
            va, vb = _scalar(ga, env), _scalar(gb, env)
            if math.isnan(va) and math.isnan(vb):
                continue  # real on neither side here: redraw
            if not (math.isfinite(va) and math.isfinite(vb)):
                return False
            good += 1
            if good > SAMPLES:
                break
            if abs(vb) < 1e-12 or abs(va) < 1e-12:
                if abs(vb) < 1e-12 and abs(va) < 1e-12:
                    continue
                return False
            r = va / vb
            if ratio is None:
                ratio = r
            elif not close_enough(r, ratio, 1e-7):
                return False
    except _NOT_COMPARABLE:
        return False
    except BudgetExceeded:
        if _size_refusal():
            return False
        raise
    if ratio is None:
        return False
    return sign == 0 or (ratio > 0) == (sign > 0)
