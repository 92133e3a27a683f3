"""HW2 Q2: which zero-loss solution of ``a^T theta = 1`` each method reaches from ``theta = 0``.

Exact values by linear algebra on sympy Rationals (min-norm solutions in each geometry), checked
against float runs of the optimizers themselves (:mod:`reference_solutions.optimizers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from .optimizers import run_q2_batch

A_HW = (sp.Rational(1), sp.Rational(1, 10), sp.Rational(1, 100))
"""The homework's single equation ``[1, 0.1, 0.01] theta = 1``."""
B_HW = sp.Rational(1)

PARTS = {
    "q2a": ("sgd", "vanilla SGD/GD: iterates stay in span(a), so the limit is the min-l2-norm solution"),
    "q2b": (
        "simplified_adam",
        "simplified Adam O: with n = 1, M_t g = sign(g), every coordinate moves by the same amount, "
        "so the limit is the min-l_inf-norm solution b sign(a)/||a||_1",
    ),
    "q2c": (
        "rescaled_sgd",
        "rescale features by S = diag(1/sqrt(E[a_i^2])), SGD gives the min-norm solution in the "
        "rescaled units, theta = S phi maps it back",
    ),
}


def min_norm_exact(a: sp.Matrix, b: sp.Expr, P: sp.Matrix | None = None) -> sp.Matrix:
    """The solution of ``a^T theta = b`` of least ``theta^T P^{-1} theta``: ``P a (a^T P a)^{-1} b``.

    ``P = I`` is the pseudo-inverse (min-l2-norm) solution; it is where preconditioned gradient
    descent ``theta <- theta - lr P grad`` from 0 ends, since every step is a multiple of ``P a``.

    Example:
        >>> min_norm_exact(sp.Matrix([1, 1]), sp.Integer(1)).T
        Matrix([[1/2, 1/2]])
    """
    P = sp.eye(a.rows) if P is None else P
    return P * a * (a.T * P * a).inv() * b


def exact_theta(part: str, a: tuple[sp.Expr, ...] = A_HW, b: sp.Expr = B_HW) -> sp.Matrix:
    """The exact limit for part q2a/q2b/q2c, by linear algebra on Rationals.

    - q2a: ``pinv(a^T) b`` (the min-norm solution, checked equal to ``P = I`` above);
    - q2b: preconditioner ``M = diag(1/|g_i|)``, and ``g`` is a multiple of ``a``, so
      ``P = diag(1/|a_i|)``;
    - q2c: ``S = diag(1/sqrt(a_i^2))``; the min-norm solution of ``(S a)^T phi = b``, then ``S phi``.

    Example:
        >>> exact_theta("q2b").T
        Matrix([[100/111, 100/111, 100/111]])
    """
    av = sp.Matrix(a)
    if part == "q2a":
        theta = av.T.pinv() * sp.Matrix([b])
        assert theta == min_norm_exact(av, b)
        return theta
    if part == "q2b":
        return min_norm_exact(av, b, sp.diag(*[1 / abs(x) for x in av]))
    if part == "q2c":
        S = sp.diag(*[1 / sp.sqrt(x**2) for x in av])  # unit second moment over the one data point
        phi = (S * av).T.pinv() * sp.Matrix([b])
        return S * phi
    raise ValueError(f"unknown Q2 part {part!r}: use q2a, q2b or q2c")


def latex_vector(v: sp.Matrix) -> str:
    r"""A column vector as ``\begin{bmatrix}...\end{bmatrix}`` with exact fractions.

    Example:
        >>> latex_vector(sp.Matrix([sp.Rational(1, 3), 2]))
        '\\begin{bmatrix}\\frac{1}{3}\\\\2\\end{bmatrix}'
    """
    return r"\begin{bmatrix}" + r"\\".join(sp.latex(sp.nsimplify(x)) for x in v) + r"\end{bmatrix}"


@dataclass(frozen=True)
class Q2Run:
    """A float run of the optimizer for one part, against the exact value."""

    method: str
    iterations: int
    theta: np.ndarray
    exact: np.ndarray
    max_abs_diff: float

    def as_evidence(self) -> dict[str, Any]:
        """Plain-data form for ``Reference.evidence``."""
        return {
            "method": self.method,
            "iterations": self.iterations,
            "final_theta": self.theta.tolist(),
            "exact_theta": self.exact.tolist(),
            "max_abs_diff": self.max_abs_diff,
        }


def run_part(part: str, *, steps: int = 400, backend: Any = "numpy") -> Q2Run:
    """Run the part's optimizer on the homework problem from 0 and compare with :func:`exact_theta`.

    Example:
        >>> run_part("q2c").max_abs_diff < 1e-9
        True
    """
    method = PARTS[part][0]
    a = np.array([[float(x) for x in A_HW]])
    theta = run_q2_batch(method, a, np.array([float(B_HW)]), steps=steps, backend=backend)[0]
    exact = np.array([float(x) for x in exact_theta(part)])
    return Q2Run(method, steps, theta, exact, float(np.max(np.abs(theta - exact))))
