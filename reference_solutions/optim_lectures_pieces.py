"""Executable pieces of the optimisation-lecture exercises: each reference is computed by these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def largest_stable_step(eigenvalues: np.ndarray, iterations: int = 80) -> float:
    """Largest eta with spectral radius of I - eta*H at most 1, by bisection on the spectrum.

    Example:
        >>> round(largest_stable_step(np.array([0.5, 4.0])), 9)
        0.5
    """
    lam = np.asarray(eigenvalues, dtype=float)
    lo, hi = 0.0, 4.0 / float(lam.max())
    for _ in range(iterations):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.abs(1.0 - mid * lam).max() <= 1.0 else (lo, mid)
    return lo


def _rotation(dim: int, seed: int = 7) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((dim, dim)))
    return q


def _gd_factor(eta: float, lam_i: float) -> float:
    """Run one GD step on a rotated quadratic from w* + u_i and read the new coordinate along u_i."""
    u = _rotation(4)
    lam = np.array([lam_i, 0.3, 1.7, 2.9])
    h = u @ np.diag(lam) @ u.T
    w = u[:, 0].copy()  # alpha_i = 1, w* = 0
    return float(u[:, 0] @ (w - eta * h @ w))


def _second_moment_ratio(activation: Callable[[np.ndarray], np.ndarray]) -> float:
    """E[act(z)^2] / Var[z] for z ~ N(0, 1), by Gauss-Hermite quadrature."""
    x, wts = np.polynomial.hermite_e.hermegauss(80)
    return float((wts * activation(x) ** 2).sum() / wts.sum())


def _uniform_variance_per_a2() -> float:
    """Var[U(-a, a)] / a^2, by Gauss-Legendre quadrature of x^2 / 2 on [-1, 1]."""
    x, wts = np.polynomial.legendre.leggauss(8)
    return float((wts * x**2 / 2).sum())


def _xavier_var(n_in: float, n_out: float) -> float:
    # forward wants n_in Var = 1, backward n_out Var = 1; Glorot makes their mean gain 1
    return 1.0 / ((n_in + n_out) / 2.0)


def _num_grad(fn: Callable[[np.ndarray], float], w: np.ndarray) -> np.ndarray:
    """Central differences with a step of half |w_i| (exact for quadratics, and for |.| away from 0)."""
    steps = 0.5 * np.minimum(1.0, np.abs(w))
    steps[steps == 0] = 1e-6
    eye = np.eye(w.size)
    return np.array([(fn(w + h * e) - fn(w - h * e)) / (2 * h) for h, e in zip(steps, eye, strict=True)])


def _l2(lam: float) -> Callable[[np.ndarray], float]:
    return lambda w: 0.5 * lam * float(w @ w)


def _l1(lam: float) -> Callable[[np.ndarray], float]:
    return lambda w: lam * float(np.abs(w).sum())


def _momentum(alpha: float, eta: float, v: np.ndarray, w: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """One heavy-ball step with the gradient at the current iterate: returns [V_s, w_s]."""
    v_new = alpha * v - eta * grad
    return np.stack([v_new, w + v_new])


def _mapreduce(n: int, m: int, costs: np.ndarray | None = None, reduce: float = 0.0) -> tuple[int, float]:
    """Split n samples into M contiguous partitions: (largest partition, speed-up T_1 / T_M)."""
    c = np.ones(n) if costs is None else costs
    parts = np.array_split(np.arange(n), m)
    t_m = max(float(c[p].sum()) for p in parts) + reduce
    return max(len(p) for p in parts), (float(c.sum()) + reduce) / t_m


def adam_step(
    m: Any, v: Any, g: Any, t: int, *, eta: float, beta1: float, beta2: float, eps: float
) -> tuple[Any, ...]:
    """One Adam update of one coordinate (or of arrays, elementwise) from (m_{t-1}, v_{t-1}) with
    gradient g at step t >= 1.

    Returns ``(m_t, v_t, m_hat, delta)``.

    Example:
        >>> [float(round(x, 6)) for x in adam_step(0.0, 0.0, 2.0, 1, eta=0.1, beta1=0.9, beta2=0.999, eps=0.0)]
        [0.2, 0.004, 2.0, -0.1]
    """
    m_t = beta1 * m + (1 - beta1) * g
    v_t = beta2 * v + (1 - beta2) * g * g
    m_hat = m_t / (1 - beta1**t)
    v_hat = v_t / (1 - beta2**t)
    return m_t, v_t, m_hat, -eta * m_hat / (np.sqrt(v_hat) + eps)


def _adam_delta(m_t: float, v_t: float, t: int, eta: float, beta1: float, beta2: float, eps: float) -> float:
    # recover a state (m_{t-1}, v_{t-1}, g) that leads to (m_t, v_t), then run the update
    g = 1.0
    m_prev = (m_t - (1 - beta1) * g) / beta1
    v_prev = (v_t - (1 - beta2) * g * g) / beta2
    return adam_step(m_prev, v_prev, g, t, eta=eta, beta1=beta1, beta2=beta2, eps=eps)[3]


def cosine_recursive(eta_max: float, eta_min: float, t_cur: int, period: int) -> float:
    """Cosine annealing by the recursive update of ``torch.optim.lr_scheduler.CosineAnnealingLR``.

    Example:
        >>> round(cosine_recursive(1.0, 0.0, 5, 10), 12)
        0.5
    """
    eta = eta_max
    for s in range(int(t_cur)):
        eta = eta_min + (eta - eta_min) * (1 + np.cos(np.pi * (s + 1) / period)) / (
            1 + np.cos(np.pi * s / period)
        )
    return float(eta)
