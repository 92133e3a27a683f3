"""CS182 Fall 2025 HW0: the structured instance the ridge-regression proofs are checked at.

Every other HW0 reference is a formula in ``rubrics/cs182-fa25-hw0.yaml`` (checked by numpy in
``tests/rubrics/test_cs182_fa25_hw0.py``). Q4(d) and Q4(e) build augmented matrices,
``[X; sqrt(lambda) I]`` (fake data) and ``[X, sqrt(lambda) I]`` (fake features), that random draws of
independent symbols cannot produce: :func:`proof_instance` draws them consistently with ``X`` and
``lambda`` (the rubric's proof ``instance``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["fake_data", "fake_features", "proof_instance"]


def fake_data(X: np.ndarray, lam: float) -> np.ndarray:
    """``[X; sqrt(lambda) I_d]``: ridge regression as least squares on d fake data points (Q4(d)).

    Example:
        >>> fake_data(np.eye(2), 4.0).tolist()
        [[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [0.0, 2.0]]
    """
    return np.vstack([X, np.sqrt(lam) * np.eye(X.shape[1])])


def fake_features(X: np.ndarray, lam: float) -> np.ndarray:
    """``[X, sqrt(lambda) I_n]``: ridge regression as a min-norm problem with n fake features (Q4(e)).

    Example:
        >>> fake_features(np.eye(2), 9.0).tolist()
        [[1.0, 0.0, 3.0, 0.0], [0.0, 1.0, 0.0, 3.0]]
    """
    return np.hstack([X, np.sqrt(lam) * np.eye(X.shape[0])])


def proof_instance(rng: np.random.Generator) -> dict[str, Any]:
    """An instance of the rubric's symbols where ``X_hat`` and ``X_check`` are the augmented
    matrices of ``X`` and ``lambda`` (the rubric's square ``X``, so both have ``2n`` rows/columns),
    and ``y_hat`` the augmented measurement vector ``[y; 0]`` of the label vector ``y`` (Q4(d), whose
    part declares ``y`` a vector and ``y_hat``).

    Example:
        >>> inst = proof_instance(np.random.default_rng(0))
        >>> X, lam = inst["X"], inst["lambda"]
        >>> bool(np.allclose(inst["X_hat"].T @ inst["X_hat"], X.T @ X + lam * np.eye(len(X))))
        True
        >>> bool(np.allclose(inst["X_hat"].T @ inst["y_hat"], X.T @ inst["y"]))
        True
    """
    n = int(rng.integers(3, 6))
    X = rng.standard_normal((n, n))
    lam = float(rng.uniform(0.2, 3.2))
    y = rng.standard_normal(n)
    return {
        "X": X,
        "lambda": lam,
        "X_hat": fake_data(X, lam),
        "X_check": fake_features(X, lam),
        "y": y,
        "y_hat": np.concatenate([y, np.zeros(n)]),
    }
