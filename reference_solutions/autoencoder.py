"""HW7 Q3(b) and Q8(b): the linear autoencoder ``L = ||X - W2 W1 X||_F^2`` and its l2-regularised form.

Gradients are computed by central finite differences (never from the closed forms, which only
appear here to be checked against them); the PCA stationary point and the regularised training
run are built from numpy linear algebra.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .argmin import fd_gradient
from .optimizers import make_optimizer


def loss(X: np.ndarray, W1: np.ndarray, W2: np.ndarray) -> float:
    """``||X - W2 W1 X||_F^2`` with X (m x N), W1 (k x m), W2 (m x k).

    Example:
        >>> loss(np.eye(2), np.eye(2), np.zeros((2, 2)))
        2.0
    """
    R = X - W2 @ W1 @ X
    return float(np.sum(R * R))


def fd_grad_W1(X: np.ndarray, W1: np.ndarray, W2: np.ndarray) -> np.ndarray:
    """dL/dW1 by central finite differences (step scaled to the entries of W1).

    Example:
        >>> X, W1, W2 = np.eye(2), np.eye(2), np.zeros((2, 2))
        >>> fd_grad_W1(X, W1, W2).tolist()
        [[0.0, 0.0], [0.0, 0.0]]
    """
    h = 1e-6 * max(1.0, float(np.max(np.abs(W1))))
    return fd_gradient(lambda W: loss(X, W, W2), np.asarray(W1, dtype=np.float64), h)


def fd_grad_W2(X: np.ndarray, W1: np.ndarray, W2: np.ndarray) -> np.ndarray:
    """dL/dW2 by central finite differences (step scaled to the entries of W2).

    Example:
        >>> X, W1, W2 = np.eye(2), np.eye(2), np.zeros((2, 2))
        >>> fd_grad_W2(X, W1, W2).round(6).tolist()
        [[-2.0, 0.0], [0.0, -2.0]]
    """
    h = 1e-6 * max(1.0, float(np.max(np.abs(W2))))
    return fd_gradient(lambda W: loss(X, W1, W), np.asarray(W2, dtype=np.float64), h)


def closed_form_gradients(X: np.ndarray, W1: np.ndarray, W2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The textbook gradients ``(-2 W2^T R X^T, -2 R X^T W1^T)`` with ``R = X - W2 W1 X``.

    Only used to check the finite differences (and by tests); references never return these.

    Example:
        >>> g1, g2 = closed_form_gradients(np.eye(2), np.eye(2), np.zeros((2, 2)))
        >>> g2.tolist()
        [[-2.0, 0.0], [0.0, -2.0]]
    """
    R = X - W2 @ W1 @ X
    return -2.0 * W2.T @ R @ X.T, -2.0 * R @ X.T @ W1.T


def random_instance(
    rng: np.random.Generator, m: int | None = None, k: int | None = None, N: int | None = None
) -> dict[str, Any]:
    """A random (X, W1, W2) with k < m (sizes drawn when not given).

    Example:
        >>> env = random_instance(np.random.default_rng(0), 4, 2, 5)
        >>> env["X"].shape, env["W1"].shape, env["W2"].shape
        ((4, 5), (2, 4), (4, 2))
    """
    m = int(rng.integers(3, 7)) if m is None else m
    k = int(rng.integers(1, m)) if k is None else k
    N = int(rng.integers(m, 2 * m + 3)) if N is None else N
    return {
        "X": rng.normal(size=(m, N)),
        "W1": rng.normal(size=(k, m)),
        "W2": rng.normal(size=(m, k)),
        "m": m,
        "k": k,
        "N": N,
    }


def pca_instance(rng: np.random.Generator, m: int = 5, k: int = 2, N: int = 8) -> dict[str, Any]:
    """A PCA stationary point: ``W1 = U_k^T``, ``W2 = U_k`` for the top-k eigenvectors of ``X X^T``.

    Returns X, XXt, U_k (m x k), Sigma_k2 (k x k, diagonal of the top eigenvalues), W1, W2 and
    ``grad_max_abs``: the largest finite-difference gradient entry there (about 0: both gradients
    vanish). Claimed identities in a proof can be evaluated at this instance.

    Example:
        >>> inst = pca_instance(np.random.default_rng(0), 4, 2, 6)
        >>> inst["grad_max_abs"] < 1e-5, inst["Sigma_k2"].shape
        (True, (2, 2))
    """
    X = rng.normal(size=(m, N))
    XXt = X @ X.T
    evals, evecs = np.linalg.eigh(XXt)
    order = np.argsort(evals)[::-1][:k]
    U_k = evecs[:, order]
    W1, W2 = U_k.T.copy(), U_k.copy()
    g1, g2 = fd_grad_W1(X, W1, W2), fd_grad_W2(X, W1, W2)
    scale = max(1.0, float(np.max(np.abs(XXt))))
    return {
        "X": X,
        "XXt": XXt,
        "U_k": U_k,
        "Sigma_k2": np.diag(evals[order]),
        "W1": W1,
        "W2": W2,
        "m": m,
        "k": k,
        "N": N,
        "grad_max_abs": float(max(np.max(np.abs(g1)), np.max(np.abs(g2))) / scale),
    }


def train_ridge_autoencoder(
    lam: float, *, m: int = 6, k: int = 3, n: int = 200, steps: int = 4000, lr: float = 0.1, seed: int = 0
) -> dict[str, Any]:
    """Train ``(1/n)||X - W2 W1 X||_F^2 + lam(||W1||_F^2 + ||W2||_F^2)`` by GD with weight decay.

    The data have a clear top-k spectrum; the start is deliberately unbalanced (W1 small, W2
    large). Weight decay ``2 lam`` is added to the data-term gradient (PyTorch's convention for a
    ``lam ||W||^2`` penalty). Returns ``orth_error = ||W2^T W2 - I||_F``, the theory value
    ``||lam Lambda_k^{-1}||_F`` (the regularised optimum has ``W2^T W2 = I - lam Lambda_k^{-1}``,
    Lambda_k the top eigenvalues of ``XX^T/n``), and the final loss.

    Example:
        >>> train_ridge_autoencoder(0.01, steps=3000)["orth_error"] < 0.05
        True
    """
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(m, m)))
    spectrum = np.linspace(1.0, 0.6, k).tolist() + np.linspace(0.1, 0.02, m - k).tolist()
    X = Q @ (np.sqrt(np.array(spectrum))[:, None] * rng.normal(size=(m, n)))
    C = X @ X.T / n  # (1/n)||X - W X||_F^2 = tr((I - W) C (I - W)^T): exact, and cheap for small m
    W1 = 0.1 * rng.normal(size=(k, m))
    W2 = rng.normal(size=(m, k))
    opt1, opt2 = make_optimizer("sgd"), make_optimizer("sgd")
    eye = np.eye(m)
    for _ in range(steps):
        RC = (eye - W2 @ W1) @ C
        g1 = -2.0 * W2.T @ RC + 2.0 * lam * W1
        g2 = -2.0 * RC @ W1.T + 2.0 * lam * W2
        W1, W2 = opt1.step(W1, g1, lr), opt2.step(W2, g2, lr)
    top = np.sort(np.linalg.eigvalsh(C))[::-1][:k]
    resid = eye - W2 @ W1
    return {
        "lambda": lam,
        "steps": steps,
        "lr": lr,
        "orth_error": float(np.linalg.norm(W2.T @ W2 - np.eye(k))),
        "theory_orth_error": float(np.linalg.norm(lam / top)),
        "loss": float(np.trace(resid @ C @ resid.T) + lam * (np.sum(W1 * W1) + np.sum(W2 * W2))),
        "W2_singular_values": np.linalg.svd(W2, compute_uv=False).tolist(),
    }
