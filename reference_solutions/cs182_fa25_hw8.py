"""CS182 Fall 2025 HW8: the instance Q3(b)(ii)'s derivation is checked at.

Everything else of the HW8 rubric is data (formulas, numbers, key ideas). A proof's steps are
evaluated at one instance of the rubric's symbols, and random draws would not satisfy the problem's
structure: here ``X = U Sigma V^T`` is a thin SVD (``n > m`` training points) and ``W`` is the minimiser
of ``||X - W X||_F^2 + lambda ||W||_F^2``, computed by a least-squares solve of the stacked ridge problem
(not from the closed form the proof must reach).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["proof_instance", "purifier_argmin"]

FEATURES = 4
POINTS = 9


def purifier_argmin(X: np.ndarray, lam: float) -> np.ndarray:
    """The minimiser of ``||X - W X||_F^2 + lam ||W||_F^2`` over square ``W``.

    Each row w of W solves the ridge problem min ||X^T w - x_row||^2 + lam ||w||^2, i.e. the
    least-squares problem ``[X^T; sqrt(lam) I] w = [x_row; 0]``, solved for all rows at once.

    Example:
        >>> X = np.array([[3.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
        >>> np.round(purifier_argmin(X, 1.0), 6).tolist()
        [[0.9, 0.0], [0.0, 0.5]]
    """
    m = X.shape[0]
    stacked = np.vstack([X.T, np.sqrt(lam) * np.eye(m)])
    rhs = np.vstack([X.T, np.zeros((m, m))])
    w_t, *_ = np.linalg.lstsq(stacked, rhs, rcond=None)
    return np.asarray(w_t.T)


def proof_instance(rng: np.random.Generator) -> dict[str, Any]:
    """``X = U Sigma V^T`` (thin SVD, distinct singular values), ``lambda`` and the optimal ``W``.

    Example:
        >>> inst = proof_instance(np.random.default_rng(0))
        >>> X, U, S, V = inst["X"], inst["U"], inst["Sigma"], inst["V"]
        >>> bool(np.allclose(X, U @ S @ V.T)), bool(np.allclose(V.T @ V, np.eye(4)))
        (True, True)
        >>> W, lam = inst["W"], inst["lambda"]
        >>> bool(np.allclose(W @ (X @ X.T + lam * np.eye(4)), X @ X.T))
        True
    """
    u, _ = np.linalg.qr(rng.standard_normal((FEATURES, FEATURES)))
    v, _ = np.linalg.qr(rng.standard_normal((POINTS, FEATURES)))
    sigma = np.diag(np.sort(rng.uniform(0.5, 4.0, FEATURES))[::-1])
    X = u @ sigma @ v.T
    lam = float(rng.uniform(0.3, 3.0))
    return {"X": X, "U": u, "Sigma": sigma, "V": v, "lambda": lam, "W": purifier_argmin(X, lam)}
