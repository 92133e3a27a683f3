"""Numeric helpers of the step checks: random instances, values, finite-difference gradients.

Used by :mod:`grader.steps`. Every helper works on one instance (a dict symbol -> value, as drawn
by :func:`grader.mathx.sample_env`) and raises :class:`Unusable` when a side cannot be evaluated,
so that a step the engine cannot read is skipped rather than flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np

from grader.errors import MathParseError
from grader.mathx import ast as A
from grader.mathx import sample_env
from grader.mathx.numeric import evaluate
from grader.mathx.shapes import DimensionError, shape_of
from grader.mathx.symbols import SymbolTable

RTOL = 1e-5
"""Relative tolerance of numeric comparisons (finite differences are accurate to ~1e-9)."""
INSTANCES = 4
"""Random instances per check; a step is flagged only when it fails on every one of them."""


class Unusable(Exception):
    """A side cannot be evaluated on an instance (undeclared symbol, unsupported construct...)."""


def has_index(node: A.Node) -> bool:
    """True when ``node`` uses a component/time index or a sum (``\\theta_t``, ``\\sum_i r_i``)."""
    return any(isinstance(n, A.Index | A.Reduce) for n in A.walk(node))


def unknowns(node: A.Node, table: SymbolTable, known: AbstractSet[str] = frozenset()) -> set[str]:
    """Symbols of ``node`` that the rubric does not declare (and that are not in ``known``)."""
    return A.free_symbols(node) - set(table.symbols) - set(known)


def dimension_error(node: A.Node, table: SymbolTable) -> str | None:
    """The dimension error of ``node`` (an undefined product or sum), or None when it is well-shaped.

    >>> dimension_error(parse("W_1 W_1", hw7), hw7)
    '... inner sizes m and k differ'
    """
    try:
        shape_of(node, table)
    except DimensionError as exc:
        return str(exc)
    except (MathParseError, RecursionError, ValueError, TypeError, KeyError):
        return None
    return None


def instances(table: SymbolTable, extra: set[str], seed: int, n: int = INSTANCES) -> list[dict[str, Any]]:
    """``n`` random instances of the rubric's symbols plus positive scalars for ``extra`` names."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        env = sample_env(table, rng)
        for name in sorted(extra):
            env[name] = float(rng.uniform(0.5, 2.0))
        out.append(env)
    return out


def value(node: A.Node, env: Mapping[str, Any]) -> Any:
    """``node`` evaluated on ``env``; raises Unusable when it cannot be (never a finding)."""
    try:
        v = evaluate(node, env)
    except (MathParseError, ArithmeticError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise Unusable(str(exc)) from exc
    arr = np.asarray(v, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise Unusable("not finite")
    return v


def gradient(fn: Callable[[Mapping[str, Any]], Any], env: Mapping[str, Any], var: str) -> Any:
    """Central finite-difference gradient of the scalar ``fn`` w.r.t. ``env[var]`` (same shape).

    >>> gradient(lambda e: float(e["u"] @ e["u"]), {"u": np.array([1.0, 2.0])}, "u")
    array([2., 4.])
    """
    x0 = env[var]
    if not isinstance(x0, np.ndarray):
        x = float(x0)
        h = 1e-5 * max(1.0, abs(x))
        return (_scalar(fn({**env, var: x + h})) - _scalar(fn({**env, var: x - h}))) / (2 * h)
    grad = np.zeros_like(x0, dtype=float)
    for idx in np.ndindex(x0.shape):
        h = 1e-5 * max(1.0, abs(float(x0[idx])))
        up, down = x0.astype(float).copy(), x0.astype(float).copy()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (_scalar(fn({**env, var: up})) - _scalar(fn({**env, var: down}))) / (2 * h)
    return grad


def _scalar(v: Any) -> float:
    arr = np.asarray(v, dtype=float)
    if arr.size != 1:
        raise Unusable("the differentiated expression is not a scalar")
    return float(arr.ravel()[0])


def close(a: Any, b: Any) -> bool:
    """Equal within RTOL (relative to the larger magnitude); vectors compare entrywise."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.ndim == 0 and y.ndim > 0 and float(x) == 0.0:  # "= 0" of a vector or matrix equation
        x = np.zeros_like(y)
    if y.ndim == 0 and x.ndim > 0 and float(y) == 0.0:
        y = np.zeros_like(x)
    if x.shape != y.shape:
        if x.size == y.size and (x.ndim <= 1 or y.ndim <= 1 or 1 in x.shape or 1 in y.shape):
            x, y = x.ravel(), y.ravel()
        else:
            return False
    scale = max(1.0, float(np.max(np.abs(x), initial=0.0)), float(np.max(np.abs(y), initial=0.0)))
    return bool(np.all(np.abs(x - y) <= RTOL * scale))


def shape_text(v: Any) -> str:
    """A value's shape for messages: 'scalar', '(3,)' or '(2, 4)'."""
    arr = np.asarray(v)
    return "scalar" if arr.ndim == 0 or arr.size == 1 and arr.ndim == 0 else str(arr.shape)


def rounded(env: Mapping[str, Any], names: set[str] | None = None) -> dict[str, Any]:
    """A JSON-friendly copy of an instance (values rounded to 4 places), optionally restricted."""
    out: dict[str, Any] = {}
    for k, v in env.items():
        if names is not None and k not in names:
            continue
        out[k] = np.round(v, 4).tolist() if isinstance(v, np.ndarray) else round(float(v), 4)
    return out


def summary(v: Any) -> Any:
    """A JSON-friendly rounded copy of a value."""
    return np.round(v, 4).tolist() if isinstance(v, np.ndarray) else round(float(v), 6)


def ratio_of(node: A.Node | None, current: A.Node | None) -> A.Node | None:
    """``Q`` of ``r_t Q`` / ``Q r_t`` / ``r_t \\cdot Q`` where ``current`` is ``r_t``, else None.

    >>> interpret(ratio_of(parse("r_t(1 - \\alpha)"), parse("r_t")))
    '1 - \\\\alpha'
    """
    if not isinstance(node, A.Mul) or current is None:
        return None
    hits = [k for k, f in enumerate(node.factors) if f == current]
    if len(hits) != 1:
        return None
    rest = tuple(f for k, f in enumerate(node.factors) if k != hits[0])
    if any(current == n for f in rest for n in A.walk(f)):
        return None
    return rest[0] if len(rest) == 1 else A.Mul(rest)


def transposed_match(got: Any, want: Any) -> bool:
    """True when ``got`` is the transpose of the matrix ``want`` (the other layout of a gradient).

    >>> transposed_match(np.ones((2, 3)), np.ones((3, 2)))
    True
    """
    g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return (
        g.ndim == 2
        and w.ndim == 2
        and g.shape == w.shape[::-1]
        and g.shape[0] != g.shape[1]
        and close(g.T, w)
    )
