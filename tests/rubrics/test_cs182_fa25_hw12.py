"""HW12's rubric against independent computations: the min-norm solution of Q5(a) by pinv, the expected
test loss of Q5(b) by quadrature over orthonormal trigonometric features with finite differences, and a
gradient-descent run of the meta-learning toy for Q5(c)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.rubrics.engine_values import evaluate, load, reference_value, rubric_problems, verdict

HW = "cs182-fa25-hw12"
RUB = load(HW)

# x_test uniform on [0, 2 pi): sqrt(2) sin and sqrt(2) cos are orthonormal; a fine grid integrates exactly.
_X = np.linspace(0.0, 2 * np.pi, 4096, endpoint=False)
PHI_T, PHI_A = np.sqrt(2) * np.sin(_X), np.sqrt(2) * np.cos(_X)


def min_norm_beta(c: np.ndarray, phi: float) -> np.ndarray:
    """Min-norm solution of the one-point system: true and alias features equal (phi) at the point."""
    design = phi * np.array([[c[0], c[1]]])
    return np.asarray(np.linalg.pinv(design) @ np.array([phi]))


def expected_test_loss(c: np.ndarray) -> float:
    """E 1/2 (y - b0 c0 phi_t - b1 c1 phi_a)^2 with y = phi_t, by quadrature over x_test."""
    beta = min_norm_beta(c, phi=0.83)
    err = PHI_T - beta[0] * c[0] * PHI_T - beta[1] * c[1] * PHI_A
    return float(np.mean(0.5 * err**2))


def test_rubric_check_passes() -> None:
    assert rubric_problems(HW) == []


def test_features_are_orthonormal() -> None:
    gram = np.array([[np.mean(a * b) for b in (PHI_T, PHI_A)] for a in (PHI_T, PHI_A)])
    assert np.allclose(gram, np.eye(2), atol=1e-12)


@pytest.mark.parametrize("c", [(0.7, 1.3), (2.0, 0.4), (1.1, 1.1)])
def test_min_norm_solution(c: tuple[float, float]) -> None:
    phi = 1.9
    got = min_norm_beta(np.array(c), phi)
    answer = RUB.part("q5a").answer("proof")
    assert answer is not None
    rhs = answer.target[0].split("=", 1)[1]
    want = evaluate(RUB, rhs, {"c0": c[0], "c1": c[1]})
    assert np.allclose(got, want, rtol=1e-12)
    # the point the proof is checked at has the same values
    env: dict[str, Any] = {"c0": c[0], "c1": c[1], "phi": phi}
    for name in ("y", "beta_hat"):
        env[name] = evaluate(RUB, answer.given[name], env)
    assert np.allclose(env["beta_hat"], got, rtol=1e-12)
    assert env["y"] == pytest.approx(phi)


@pytest.mark.parametrize("c", [(0.7, 1.3), (2.0, 0.4), (1.1, 1.1), (0.3, 2.5)])
def test_gradient_of_expected_test_loss(c: tuple[float, float]) -> None:
    h = 1e-6
    point = np.array(c)
    grad = [
        (expected_test_loss(point + h * e) - expected_test_loss(point - h * e)) / (2 * h) for e in np.eye(2)
    ]
    env = {"c0": c[0], "c1": c[1]}
    assert reference_value(RUB, "q5b", "d_c0", env) == pytest.approx(grad[0], rel=1e-5, abs=1e-9)
    assert reference_value(RUB, "q5b", "d_c1", env) == pytest.approx(grad[1], rel=1e-5, abs=1e-9)
    objective = RUB.part("q5b").objectives[0].expression
    assert evaluate(RUB, objective, env) == pytest.approx(expected_test_loss(point), rel=1e-9)


def _gradient(c: np.ndarray) -> np.ndarray:
    h = 1e-6
    return np.array(
        [(expected_test_loss(c + h * e) - expected_test_loss(c - h * e)) / (2 * h) for e in np.eye(2)]
    )


@pytest.mark.parametrize("c_start", [(1.0, 0.8), (0.6, 1.5)])
def test_gradient_descent_limit(c_start: tuple[float, float]) -> None:
    # gradient flow on the quadrature loss, integrated by RK4 (plain small steps drift the norm by O(step))
    c, dt = np.array(c_start), 0.5
    for _ in range(3000):
        k1 = _gradient(c)
        k2 = _gradient(c - dt / 2 * k1)
        k3 = _gradient(c - dt / 2 * k2)
        k4 = _gradient(c - dt * k3)
        c = c - dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    norm0 = float(np.linalg.norm(c_start))
    assert c[0] == pytest.approx(norm0, rel=2e-3)
    assert abs(c[1]) < 0.02 * norm0
    beta = min_norm_beta(c, phi=1.0)
    want = reference_value(RUB, "q5c", "beta", {"c_init": np.array(c_start)})
    assert beta[0] == pytest.approx(want[0], rel=2e-3)
    assert want[1] == 0.0 and abs(beta[1]) < 0.02


def test_soft_prompt_parameter_count() -> None:
    prompt = np.zeros((5, 5120))  # 5 prompt vectors of hidden_dim 5120
    assert reference_value(RUB, "q7b", "params") == prompt.size


@pytest.mark.parametrize(
    "target,text,expected",
    [
        ("q5b.d_c0", "-\\frac{4c_0 c_1^4}{(c_0^2+c_1^2)^3}", "correct"),
        ("q5b.d_c1", "\\frac{4 c_0^2 c_1^3}{(c_0^2 + c_1^2)^3}", "correct"),
        ("q5b.d_c1", "\\frac{4 c_0 c_1^3}{(c_0^2 + c_1^2)^3}", "incorrect"),
        ("q5c.beta", "\\left[\\frac{1}{\\|c^{(0)}\\|}, 0\\right]", "correct"),
        ("q5c.beta", "\\left[\\|c^{(0)}\\|, 0\\right]", "incorrect"),
        ("q3c.curve", "Answer: (b)", "correct"),
        ("q3d_i.betas", "(a) $\\beta = 10^{-3}$, (b) $\\beta = 10^{-6}$, (c) $\\beta = 1$", "correct"),
        ("q7a.scenario", "Scenario 1", "incorrect"),
    ],
)
def test_answers_as_written(target: str, text: str, expected: str) -> None:
    assert verdict(f"{HW}.{target}", text) == expected
