"""HW2 Q1: optimizers as penalised linear improvement, ``u = argmin g^T u + (1/alpha) d(u)``.

The displayed closed forms come from sympy derivations (stationarity for the Euclidean penalty,
the 1-D reduction ``u = -m sign(g)`` for the infinity-norm penalty); the values used in property
checks come from numeric minimisation that does not use those closed forms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .argmin import box_linear_min, minimize_scalar, newton_fd

ALPHA = sp.Symbol("alpha", positive=True)
G = sp.Symbol("g", real=True)  # one coordinate of g (the objective is separable for l2)
U = sp.Symbol("u", real=True)
M = sp.Symbol("m", nonnegative=True)  # common magnitude |u_i| in the infinity-norm reduction
G_L1 = sp.Symbol("||g||_1", positive=True)  # sorts after alpha, so the LaTeX reads alpha ||g||_1


def _tex(expr: sp.Basic) -> str:
    return sp.latex(expr, symbol_names={G_L1: r"\|g\|_{1}"})


@dataclass(frozen=True)
class Derivation:
    """A symbolic derivation: the solution, its LaTeX, and the steps as LaTeX lines."""

    solution: sp.Expr
    latex: str
    steps: tuple[str, ...]


def derive_q1a() -> Derivation:
    """Solve ``d/du [g u + u^2 / alpha] = 0`` per coordinate (the objective is separable).

    Example:
        >>> derive_q1a().solution
        -alpha*g/2
    """
    objective = G * U + U**2 / ALPHA
    stationarity = sp.diff(objective, U)
    (u_star,) = sp.solve(sp.Eq(stationarity, 0), U)
    curvature = sp.diff(objective, U, 2)
    assert curvature.is_positive, "the objective must be strictly convex"
    steps = (
        r"J(u) = g^T u + \frac{1}{\alpha}\|u\|_2^2",
        rf"\nabla J = {_tex(stationarity)} = 0",
        rf"u = {_tex(u_star)}",
    )
    return Derivation(solution=u_star, latex=_tex(u_star), steps=steps)


def derive_q1b_squared() -> Derivation:
    r"""The 1-D reduction for ``d(u) = ||u||_inf^2``: ``u = -m sign(g)``, minimise over ``m >= 0``.

    For a fixed ``m = ||u||_inf`` the linear term is smallest at ``u_i = -m sign(g_i)``, where it
    equals ``-m ||g||_1``; what is left is ``phi(m) = -m ||g||_1 + m^2 / alpha``.

    Example:
        >>> derive_q1b_squared().latex
        '- \\frac{\\alpha \\|g\\|_{1} \\operatorname{sign}{\\left(g \\right)}}{2}'
    """
    phi = -M * G_L1 + M**2 / ALPHA
    (m_star,) = sp.solve(sp.Eq(sp.diff(phi, M), 0), M)
    u_star = -m_star * sp.sign(G)
    steps = (
        r"u = -m\,\operatorname{sign}(g),\quad m = \|u\|_\infty",
        rf"\varphi(m) = {_tex(phi)}",
        rf"\varphi'(m) = {_tex(sp.diff(phi, M))} = 0 \Rightarrow m = {_tex(m_star)}",
        rf"u = {_tex(u_star)}",
    )
    return Derivation(solution=m_star, latex=_tex(u_star), steps=steps)


def derive_q1b_unsquared() -> Derivation:
    """Case analysis for ``d(u) = ||u||_inf`` (the typo version): ``phi(m) = m (1/alpha - ||g||_1)``.

    ``phi`` is linear in ``m``: its minimiser is ``m = 0`` when the slope is positive
    (``||g||_1 < 1/alpha``) and there is none (``m -> infinity``) when it is negative; the
    direction is ``-sign(g)`` either way.

    Example:
        >>> derive_q1b_unsquared().solution
        1/alpha
    """
    phi = -M * G_L1 + M / ALPHA
    slope = sp.diff(phi, M)
    (threshold,) = sp.solve(sp.Eq(slope, 0), G_L1)
    t = _tex(threshold)
    latex = (
        rf"u = -c\,\operatorname{{sign}}(g),\ c = 0 \text{{ if }} \|g\|_1 < {t},\ "
        rf"c \to \infty \text{{ (unbounded) if }} \|g\|_1 > {t}"
    )
    steps = (
        r"u = -m\,\operatorname{sign}(g),\quad m = \|u\|_\infty",
        rf"\varphi(m) = {_tex(sp.collect(phi, M))}",
        rf"\varphi'(m) = {_tex(slope)}",
        latex,
    )
    return Derivation(solution=threshold, latex=latex, steps=steps)


def q1a_numeric(alpha: float, g: np.ndarray) -> np.ndarray:
    """The argmin of ``g.u + ||u||^2 / alpha`` by Newton steps on finite differences.

    Example:
        >>> q1a_numeric(2.0, np.array([1.0, -4.0])).round(6).tolist()
        [-1.0, 4.0]
    """
    g = np.asarray(g, dtype=np.float64)
    return newton_fd(lambda u: float(g @ u + (u @ u) / alpha), np.zeros_like(g))


def q1b_numeric(alpha: float, g: np.ndarray) -> np.ndarray:
    """The argmin of ``g.u + ||u||_inf^2 / alpha`` by the exact 1-D reduction ``u = -m sign(g)``.

    Example:
        >>> q1b_numeric(2.0, np.array([1.0, -2.0])).round(6).tolist()
        [-3.0, 3.0]
    """
    g = np.asarray(g, dtype=np.float64)
    s = float(np.sum(np.abs(g)))
    m = minimize_scalar(lambda m: -m * s + m * m / alpha, 0.0, 1.0)
    return -m * np.sign(g)


def q1b_generic(alpha: float, g: np.ndarray) -> np.ndarray:
    """The same argmin with no reasoning about signs: ``min_t [t^2/alpha + min_{||u||_inf<=t} g.u]``.

    The inner problem is an LP solved by vertex enumeration (:func:`box_linear_min`); the outer
    function of ``t`` is convex (a partial minimisation of a jointly convex function).

    Example:
        >>> q1b_generic(2.0, np.array([1.0, -2.0])).round(6).tolist()
        [-3.0, 3.0]
    """
    g = np.asarray(g, dtype=np.float64)
    t = minimize_scalar(lambda t: t * t / alpha + box_linear_min(g, t)[0], 0.0, 1.0)
    return box_linear_min(g, t)[1]


def q1b_unsquared_direction(alpha: float, g: np.ndarray) -> np.ndarray:
    """Direction of the (unbounded or zero) minimiser of ``g.u + ||u||_inf / alpha``: ``-sign(g)``.

    Found numerically as the direction of ``q1b_generic`` (the squared problem shares it);
    0-entries of ``g`` give 0.

    Example:
        >>> q1b_unsquared_direction(1.0, np.array([0.5, -2.0])).tolist()
        [-1.0, 1.0]
    """
    u = q1b_generic(alpha, g)
    scale = float(np.max(np.abs(u))) if np.any(u) else 1.0
    return np.round(u / scale) * (np.asarray(g) != 0) + 0.0


def q1b_unsquared_case(alpha: float, g: np.ndarray) -> str:
    """``"zero"``, ``"unbounded"`` or ``"tie"``: the numeric case of the unsquared problem.

    Decided by minimising ``phi(m) = m (1/alpha - ||g||_1)`` numerically on ``[0, inf)``.

    Example:
        >>> q1b_unsquared_case(1.0, np.array([0.2, 0.3])), q1b_unsquared_case(1.0, np.array([2.0]))
        ('zero', 'unbounded')
    """
    s = float(np.sum(np.abs(np.asarray(g, dtype=np.float64))))
    slope = 1.0 / alpha - s
    if abs(slope) <= 1e-12 * max(1.0, s):
        return "tie"
    try:
        m = minimize_scalar(lambda m: m * slope, 0.0, 1.0)
    except ValueError:
        return "unbounded"
    return "zero" if m < 1e-6 else "unbounded"
