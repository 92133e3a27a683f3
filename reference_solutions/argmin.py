"""Numeric minimisation that knows nothing about the closed forms it is used to check.

Three small, dependency-free methods (no scipy):

- :func:`minimize_scalar`: bracket expansion then golden-section search, for convex 1-D functions;
- :func:`newton_fd`: Newton's method with finite-difference gradient and Hessian, for smooth
  convex functions (exact in one step on a quadratic, up to rounding);
- :func:`box_linear_min`: ``min c.u`` over the box ``||u||_inf <= t`` by enumerating the box's
  vertices (an LP solved the slow, assumption-free way; fine for d <= 10).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np

_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def minimize_scalar(
    f: Callable[[float], float],
    lo: float = 0.0,
    hi: float = 1.0,
    *,
    tol: float = 1e-12,
    max_expand: int = 200,
) -> float:
    """The minimiser of a convex ``f`` on ``[lo, inf)``: grow ``hi`` until ``f`` rises, then golden section.

    Raises ValueError when ``f`` keeps decreasing (the problem is unbounded below).

    Example:
        >>> round(minimize_scalar(lambda m: (m - 3.0) ** 2), 8)
        3.0
    """
    f_hi = f(hi)
    for _ in range(max_expand):
        if f(hi * 2.0 - lo) >= f_hi:
            break
        hi = hi * 2.0 - lo
        f_hi = f(hi)
    else:
        raise ValueError("the function keeps decreasing: the minimum is unbounded")
    a, b = lo, hi * 2.0 - lo
    c, d = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol * max(1.0, abs(a) + abs(b)):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - _GOLDEN * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + _GOLDEN * (b - a)
            fd = f(d)
    return _polish(f, (a + b) / 2.0, lo)


def _polish(f: Callable[[float], float], x: float, lo: float) -> float:
    """Newton steps on finite differences after golden section, kept only when they lower f.

    Golden section locates a minimiser only to about sqrt(machine epsilon) relative (f is flat
    there); on smooth functions two Newton steps bring that to rounding level. At kinks the
    step makes f clearly worse, is rejected, and the golden-section point stays. (Near the
    minimum f cannot tell the two points apart beyond rounding, hence the tolerance.)
    """
    for _ in range(2):
        h = 1e-4 * max(1.0, abs(x))
        fm, f0, fp = f(x - h), f(x), f(x + h)
        curvature = (fp - 2.0 * f0 + fm) / (h * h)
        if not curvature > 0:
            break
        candidate = max(lo, x - (fp - fm) / (2.0 * h) / curvature)
        if f(candidate) > f0 + 8.0 * np.finfo(float).eps * max(1.0, abs(f0)):  # worse beyond rounding
            break
        x = candidate
    return x


def fd_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central finite-difference gradient of a scalar function of a vector or matrix.

    Example:
        >>> fd_gradient(lambda v: float(v @ v), np.array([1.0, -2.0])).round(6).tolist()
        [2.0, -4.0]
    """
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        grad[idx] = (f(x + e) - f(x - e)) / (2.0 * h)
    return grad


def fd_hessian(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """Central finite-difference Hessian of a scalar function of a vector (symmetrised).

    Example:
        >>> fd_hessian(lambda v: float(v @ v), np.zeros(2)).round(6).tolist()
        [[2.0, 0.0], [0.0, 2.0]]
    """
    x = np.asarray(x, dtype=np.float64)
    d = x.size
    hess = np.zeros((d, d))
    eye = np.eye(d) * h
    for i in range(d):
        for j in range(d):
            hess[i, j] = (
                f(x + eye[i] + eye[j])
                - f(x + eye[i] - eye[j])
                - f(x - eye[i] + eye[j])
                + f(x - eye[i] - eye[j])
            ) / (4.0 * h * h)
    return (hess + hess.T) / 2.0


def newton_fd(f: Callable[[np.ndarray], float], x0: np.ndarray, *, iterations: int = 3) -> np.ndarray:
    """Minimise a smooth convex ``f`` by Newton steps on finite-difference derivatives.

    Solves the stationarity condition ``grad f(x) = 0`` numerically; on a quadratic the first
    step lands on the minimiser and the next ones only polish rounding.

    Example:
        >>> newton_fd(lambda v: float((v - 1.0) @ (v - 1.0)), np.zeros(2)).round(8).tolist()
        [1.0, 1.0]
    """
    x = np.asarray(x0, dtype=np.float64).copy()
    for _ in range(iterations):
        step = np.linalg.lstsq(fd_hessian(f, x), -fd_gradient(f, x), rcond=None)[0]
        x = x + step
    return x


def box_linear_min(c: np.ndarray, t: float) -> tuple[float, np.ndarray]:
    """``min c.u`` subject to ``||u||_inf <= t``, by enumerating the ``2^d`` vertices of the box.

    A linear function attains its minimum over a polytope at a vertex, so this is an exact LP
    solver for this feasible set, with no reasoning about signs. Returns (value, minimiser).

    Example:
        >>> box_linear_min(np.array([1.0, -2.0]), 1.0)
        (-3.0, array([-1.,  1.]))
    """
    c = np.asarray(c, dtype=np.float64)
    if c.size > 16:
        raise ValueError(f"box_linear_min enumerates 2^d vertices; d = {c.size} is too large")
    vertices = np.array(list(itertools.product((-t, t), repeat=c.size)), dtype=np.float64)
    values = vertices @ c
    best = int(np.argmin(values))
    return float(values[best]), vertices[best]
