"""CS182 Fall 2025 HW1, Q3(g): the best learning rates of gradient descent with and without momentum
for beta = 0.1, sigma_max^2 = 5, sigma_min^2 = 0.05, and the iterations each needs to get within
99.9% of the optimum.

The rest of HW1's references are formulas in ``rubrics/cs182-fa25-hw1.yaml``. This part needs an
argmin over the learning rate (the spectral radius of the momentum recurrence, maximised over the
two singular values, minimised over eta), so it is computed here: ``get(key)`` builds the
:class:`~reference_solutions.types.Reference` of each number, and :func:`simulate` runs both
optimizers on the two-direction problem as evidence. The rubric states these numbers as key ideas
found by value (a part with several numbers cannot yet assign each stated number to its answer);
``tests/rubrics/test_cs182_fa25_hw1.py`` binds the rubric's patterns to the values computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from .types import Reference

HOMEWORK = "cs182-fa25-hw1"
BETA = 0.1
SIGMA2_MAX = 5.0
SIGMA2_MIN = 0.05
TOLERANCE = 1e-3
"""'Within 99.9% of the optimal solution': the error shrinks to 0.1% of its initial size."""

KEYS: tuple[str, ...] = ("q3g.gd_eta", "q3g.gd_iterations", "q3g.momentum_iterations")
__all__ = [
    "KEYS",
    "Optimum",
    "get",
    "gd_optimum",
    "iterations",
    "momentum_matrix",
    "momentum_optimum",
    "simulate",
    "spectral_radius",
]


@dataclass(frozen=True)
class Optimum:
    """The best learning rate of a method and the convergence rate (spectral radius) it gives.

    ``eta_low``/``eta_high`` bound the learning rates that reach the best rate (equal for plain
    gradient descent, whose optimum is a single point)."""

    eta: float
    rate: float
    eta_low: float
    eta_high: float


def momentum_matrix(eta: float, beta: float, sigma2: float) -> np.ndarray:
    """R_i of Q3(b): ``[a_{t+1}, x_{t+1}] = R_i [a_t, x_t]`` for one singular value (sigma_i^2 = sigma2).

    Example:
        >>> momentum_matrix(0.1, 1.0, 2.0).tolist()  # beta = 1: plain gradient descent on x
        [[0.0, 4.0], [-0.0, 0.6]]
    """
    return np.array(
        [[1 - beta, 2 * beta * sigma2], [-eta * (1 - beta), 1 - 2 * eta * beta * sigma2]], dtype=float
    )


def spectral_radius(eta: float, beta: float, sigma2s: tuple[float, ...]) -> float:
    """The slowest mode's rate: max over the singular values of |largest eigenvalue of R_i|."""
    return max(float(np.abs(np.linalg.eigvals(momentum_matrix(eta, beta, s))).max()) for s in sigma2s)


def gd_optimum(sigma2_max: float = SIGMA2_MAX, sigma2_min: float = SIGMA2_MIN) -> Optimum:
    """Plain gradient descent on ||y - X w||^2: rate max_i |1 - 2 eta sigma_i^2|, minimised over eta
    by a grid search refined around its best point (the closed form is 1/(sigma_max^2 + sigma_min^2)).

    Example:
        >>> round(gd_optimum().eta, 4), round(gd_optimum().rate, 4)
        (0.198, 0.9802)
    """

    def rate(eta: float) -> float:
        return max(abs(1 - 2 * eta * sigma2_max), abs(1 - 2 * eta * sigma2_min))

    grid = np.linspace(1e-4, 1.0 / sigma2_max, 20001)
    best = float(grid[int(np.argmin([rate(e) for e in grid]))])
    step = grid[1] - grid[0]
    fine = np.linspace(best - step, best + step, 20001)
    eta = float(fine[int(np.argmin([rate(e) for e in fine]))])
    return Optimum(eta, rate(eta), eta, eta)


@cache
def momentum_optimum(
    beta: float = BETA, sigma2_max: float = SIGMA2_MAX, sigma2_min: float = SIGMA2_MIN
) -> Optimum:
    """Gradient descent with momentum: the spectral radius over both singular values, minimised over
    eta on a log grid. The minimum is flat (every eta making both modes complex gives sqrt(1 - beta)),
    so the interval of minimisers is returned with its midpoint in log scale.

    Example:
        >>> opt = momentum_optimum()
        >>> round(opt.rate, 4), round(opt.eta_low, 3), round(opt.eta_high, 1)
        (0.9487, 0.263, 3.8)
    """
    sig = (sigma2_max, sigma2_min)
    grid = np.exp(np.linspace(math.log(1e-4), math.log(100.0), 8001))
    rates = np.array([spectral_radius(float(e), beta, sig) for e in grid])
    best = float(rates.min())
    flat = grid[rates <= best + 1e-9]
    low, high = float(flat.min()), float(flat.max())
    return Optimum(math.sqrt(low * high), best, low, high)


def iterations(rate: float, tolerance: float = TOLERANCE) -> int:
    """The first t with rate^t <= tolerance (the error's geometric decay).

    Example:
        >>> iterations(0.5, 0.001)
        10
    """
    return math.ceil(math.log(tolerance) / math.log(rate))


def simulate(method: str, eta: float, beta: float = BETA, tolerance: float = TOLERANCE) -> int:
    """Run the optimizer from w = 0 on the two-direction problem (sigma^2 = 5 and 0.05, optimum w* = 1
    in both coordinates) and return the first step after which the error stays below ``tolerance``
    times its initial size. ``method`` is ``gd`` or ``momentum`` (eq. (19)).

    Example:
        >>> simulate("gd", gd_optimum().eta)
        346
    """
    s2 = np.array([SIGMA2_MAX, SIGMA2_MIN])
    w_star = np.ones(2)
    w, z = np.zeros(2), np.zeros(2)
    errors = []
    for _ in range(5000):
        g = 2 * s2 * (w - w_star)  # gradient of sum_i (sigma_i w*_i - sigma_i w_i)^2
        if method == "gd":
            w = w - eta * g
        else:
            z = (1 - beta) * z + beta * g
            w = w - eta * z
        errors.append(float(np.linalg.norm(w - w_star) / np.linalg.norm(w_star)))
    err = np.array(errors)
    above = np.nonzero(err > tolerance)[0]
    return int(above[-1] + 2) if above.size else 1


def get(key: str, variant: str | None = None) -> Reference:
    """The reference of ``q3g.<answer>`` (keys in :data:`KEYS`).

    Example:
        >>> get("q3g.gd_iterations").value
        346
    """
    if key not in KEYS:
        raise KeyError(f"{HOMEWORK} has no computed reference {key!r}; computed: {', '.join(KEYS)}")
    gd, mom = gd_optimum(), momentum_optimum()
    evidence = {
        "gd_eta": gd.eta,
        "gd_rate": gd.rate,
        "momentum_rate": mom.rate,
        "momentum_eta_range": [mom.eta_low, mom.eta_high],
        "simulated_gd_iterations": simulate("gd", gd.eta),
        "simulated_momentum_iterations": simulate("momentum", mom.eta),
    }
    target = f"{HOMEWORK}.{key}"
    if key == "q3g.gd_eta":
        return Reference(
            target, "number", f"{gd.eta:.4g}", value=gd.eta, method="argmin of the GD rate", evidence=evidence
        )
    if key == "q3g.gd_iterations":
        n = iterations(gd.rate)
        method = f"ceil(ln 0.001 / ln {gd.rate:.5f}) at the best eta"
        return Reference(target, "number", str(n), value=n, method=method, evidence=evidence)
    n = iterations(mom.rate)
    method = (
        f"ceil(ln 0.001 / ln {mom.rate:.5f}): best spectral radius sqrt(1 - beta), reached for "
        f"{mom.eta_low:.3f} <= eta <= {mom.eta_high:.3f}"
    )
    return Reference(target, "number", str(n), value=n, method=method, evidence=evidence)
