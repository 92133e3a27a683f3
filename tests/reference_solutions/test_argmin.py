"""Numeric minimisation helpers: checked against brute force and known minimisers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from reference_solutions.argmin import box_linear_min, fd_gradient, fd_hessian, minimize_scalar, newton_fd


@pytest.mark.parametrize(
    "f,expected",
    [
        # smooth convex
        (lambda m: (m - 3.0) ** 2, 3.0),
        (lambda m: (m - 1234.5) ** 2, 1234.5),  # far outside the first bracket
        # minimum at the boundary of [0, inf)
        (lambda m: (m + 2.0) ** 2, 0.0),
        # non-smooth convex
        (lambda m: abs(m - 0.25), 0.25),
    ],
)
def test_minimize_scalar(f, expected: float) -> None:
    assert minimize_scalar(f) == pytest.approx(expected, abs=1e-6)


def test_minimize_scalar_reports_unbounded() -> None:
    with pytest.raises(ValueError, match="unbounded"):
        minimize_scalar(lambda m: -m)


@pytest.mark.parametrize("seed", range(5))
def test_box_linear_min_equals_brute_force_over_a_grid(seed: int) -> None:
    rng = np.random.default_rng(seed)
    c, t = rng.normal(size=3), float(rng.uniform(0.5, 2.0))
    grid = np.array(list(itertools.product(np.linspace(-t, t, 9), repeat=3)))
    value, u = box_linear_min(c, t)
    assert value == pytest.approx(float((grid @ c).min()))
    assert np.max(np.abs(u)) <= t + 1e-12


def test_box_linear_min_refuses_huge_dimension() -> None:
    with pytest.raises(ValueError, match="too large"):
        box_linear_min(np.ones(30), 1.0)


@pytest.mark.parametrize("seed", range(3))
def test_newton_fd_on_random_quadratics(seed: int) -> None:
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(4, 4))
    Q, q = B @ B.T + np.eye(4), rng.normal(size=4)
    x = newton_fd(lambda v: float(0.5 * v @ Q @ v - q @ v), np.zeros(4))
    assert np.allclose(x, np.linalg.solve(Q, q), rtol=1e-6, atol=1e-8)


def test_fd_derivatives_of_a_cubic() -> None:
    f = lambda v: float(v[0] ** 3 + v[0] * v[1])  # noqa: E731
    x = np.array([1.0, 2.0])
    assert np.allclose(fd_gradient(f, x), [3 + 2, 1], atol=1e-6)
    assert np.allclose(fd_hessian(f, x), [[6, 1], [1, 0]], atol=1e-4)
