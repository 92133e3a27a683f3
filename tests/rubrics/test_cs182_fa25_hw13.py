"""HW13's rubric against independent computations: the diffusion processes of Q1 simulated step by step
(variances propagated exactly, and Monte Carlo), the KL-regularised objective of Q2 optimised by brute
force over a finite output space."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

import reference_solutions.cs182_fa25_hw13 as hw13_module
from reference_solutions.cs182_fa25_hw13 import dpo_instance
from tests.rubrics.engine_values import evaluate, load, reference_value, rubric_problems, verdict

HW = "cs182-fa25-hw13"
RUB = load(HW)
SIGMAS = [0.05, 0.1, 0.3]


def _dist(part: str, answer: str, sigma: float, accept: int | None = None, **env: float) -> np.ndarray:
    """The (mean, variance) pair the rubric gives for a Gaussian answer."""
    return np.asarray(reference_value(RUB, part, answer, {"sigma": sigma, "N": 1.0, **env}, accept))


def test_rubric_check_passes() -> None:
    assert rubric_problems(HW) == []


# --- Q1 forward process --------------------------------------------------------------------------


@pytest.mark.parametrize("sigma", SIGMAS)
def test_forward_marginals(sigma: float) -> None:
    rng = np.random.default_rng(13)
    steps, n = 200, 40_000
    dt = 1.0 / steps
    x = rng.normal(0.0, sigma, n)
    seen = {}
    for k in range(1, steps + 1):
        x = x + rng.normal(0.0, math.sqrt(dt), n)
        seen[k] = x.var()
    var, exact = sigma**2, {}
    for k in range(1, steps + 1):  # variances of independent increments add
        var += dt
        exact[k] = var
    t = 0.5
    assert _dist("q1a", "dist", sigma)[1] == pytest.approx(exact[steps], rel=1e-9)
    assert _dist("q1b", "curr", sigma, t=t)[1] == pytest.approx(exact[int(t * steps)], rel=1e-9)
    assert _dist("q1b", "prev", sigma, t=t, dt=dt)[1] == pytest.approx(exact[int(t * steps) - 1], rel=1e-9)
    for got, want in [
        (seen[steps], _dist("q1a", "dist", sigma)),
        (seen[int(t * steps)], _dist("q1b", "curr", sigma, t=t)),
        (seen[int(t * steps) - 1], _dist("q1b", "prev", sigma, t=t, dt=dt)),
    ]:
        assert want[0] == 0.0
        assert got == pytest.approx(want[1], rel=0.03)


@pytest.mark.parametrize("sigma,t,dt", [(0.1, 0.5, 1e-4), (0.3, 0.05, 1e-5)])
def test_conditional_variance(sigma: float, t: float, dt: float) -> None:
    # Gaussian conditioning of X_{t-dt} on X_t: Var - Cov^2 / Var(X_t)
    var_prev, var_t = sigma**2 + t - dt, sigma**2 + t
    exact = var_prev - var_prev**2 / var_t
    env = {"sigma": sigma, "t": t, "dt": dt}
    assert reference_value(RUB, "q1c", "var", env, accept=0) == pytest.approx(exact, rel=1e-9)
    assert reference_value(RUB, "q1c", "var", env, accept=1) == pytest.approx(exact, rel=1e-9)
    assert reference_value(RUB, "q1c", "var", env) == pytest.approx(exact, rel=10 * dt / var_t)


def _reverse(sigma: float, steps: int, noise: bool) -> float:
    """Var(X0-hat) after running the conditional-mean map from t = 1 to 0 (variances propagated exactly)."""
    dt = 1.0 / steps
    var = 1.0
    for k in range(steps, 0, -1):
        t = k * dt
        a = (sigma**2 + t - dt) / (sigma**2 + t)
        var = a * a * var + (dt if noise else 0.0)
    return var


@pytest.mark.parametrize("sigma", SIGMAS)
def test_mean_only_reverse_process(sigma: float) -> None:
    got = _reverse(sigma, 2000, noise=False)
    assert _dist("q1d", "dist", sigma)[1] == pytest.approx(got, rel=1e-9)
    # the accepted leading order sigma^4 is within O(sigma^2) of it
    assert _dist("q1d", "dist", sigma, accept=0)[1] == pytest.approx(got, rel=3 * sigma**2)


@pytest.mark.parametrize("sigma", SIGMAS)
def test_ddpm_reverse_process_with_noise(sigma: float) -> None:
    # the discretisation error is about dt / (2 sigma^2): Richardson-extrapolate it away
    coarse, fine = _reverse(sigma, 40_000, noise=True), _reverse(sigma, 80_000, noise=True)
    got = 2 * fine - coarse
    exact = reference_value(RUB, "q1e", "var", {"sigma": sigma})
    assert exact == pytest.approx(got, rel=1e-5)
    assert reference_value(RUB, "q1e", "var", {"sigma": sigma}, accept=0) == pytest.approx(
        got, rel=3 * sigma**2
    )


def test_ddpm_reverse_process_by_monte_carlo() -> None:
    sigma, steps, n = 0.3, 400, 40_000
    rng = np.random.default_rng(7)
    dt = 1.0 / steps
    x = rng.normal(0.0, 1.0, n)
    for k in range(steps, 0, -1):
        t = k * dt
        x = (sigma**2 + t - dt) / (sigma**2 + t) * x + rng.normal(0.0, math.sqrt(dt), n)
    assert x.var() == pytest.approx(reference_value(RUB, "q1e", "var", {"sigma": sigma}), rel=0.05)


def _eta(t: float, dt: float) -> float:
    return math.sqrt(t) / (math.sqrt(t - dt) + math.sqrt(t))


@pytest.mark.parametrize("sigma,t", [(0.1, 0.5), (0.3, 0.02), (1.0, 0.9)])
def test_ddim_step(sigma: float, t: float) -> None:
    x_t = 1.7
    for dt in (1e-3 * t, 1e-6 * t):
        exact = x_t + _eta(t, dt) * (-dt / (sigma**2 + t) * x_t)
        env = {"sigma": sigma, "t": t, "dt": dt, "x_t": x_t}
        assert reference_value(RUB, "q1g", "step", env, accept=1) == pytest.approx(exact, rel=1e-12)
        approx = reference_value(RUB, "q1g", "step", env)
        # the eta -> 1/2 approximation errs by O(dt/t) of the step itself
        assert abs(approx - exact) <= 2 * (dt / t) * abs(exact - x_t) + 1e-15
        assert reference_value(RUB, "q1g", "step", env, accept=0) == pytest.approx(approx - x_t, rel=1e-12)


@pytest.mark.parametrize("sigma", SIGMAS)
def test_ddim_sampling(sigma: float) -> None:
    steps = 100_000
    dt = 1.0 / steps
    log_scale = 0.0
    for k in range(steps, 1, -1):  # the last step (t = dt) has eta = 1 and is negligible in the limit
        t = k * dt
        log_scale += math.log1p(-_eta(t, dt) * dt / (sigma**2 + t))
    var = math.exp(2 * log_scale)
    assert _dist("q1h", "dist", sigma)[1] == pytest.approx(var, rel=0.02)
    assert _dist("q1h", "dist", sigma, accept=0)[1] == pytest.approx(var, rel=3 * sigma**2 + 0.02)
    # X_0-hat through the starting sample X_1-hat: the simulated contraction applied to it
    x1 = 0.83
    through_x1 = reference_value(RUB, "q1h", "dist", {"sigma": sigma, "N": 1.0, "X1_hat": x1}, accept=1)
    assert through_x1 == pytest.approx(math.exp(log_scale) * x1, rel=0.01)


# --- Q2 DPO -----------------------------------------------------------------------------------------


def _kl_regularised_optimum(r: np.ndarray, pi_ref: np.ndarray, beta: float) -> np.ndarray:
    """argmax_pi E_pi[r] - beta KL(pi || pi_ref) over the simplex, by gradient ascent on logits."""
    logits = np.zeros_like(r)
    for _ in range(20_000):
        pi = np.exp(logits - logits.max())
        pi /= pi.sum()
        f = r - beta * (np.log(pi) - np.log(pi_ref))
        grad = pi * (f - pi @ f)  # d/dlogits of sum_y pi_y f_y, with f's own derivative zero at the optimum
        logits += 0.5 * grad / beta
    pi = np.exp(logits - logits.max())
    return np.asarray(pi / pi.sum())


def test_kl_minimiser_is_q() -> None:
    rng = np.random.default_rng(3)
    q = rng.dirichlet(np.ones(6))
    logits = np.zeros(6)
    for _ in range(20_000):
        p = np.exp(logits - logits.max())
        p /= p.sum()
        g = np.log(p / q)
        logits -= 0.5 * p * (g - p @ g)
    p = np.exp(logits - logits.max())
    p /= p.sum()
    for qi, pi in zip(q, p, strict=True):
        assert reference_value(RUB, "q2a", "p", {"q": qi}) == pytest.approx(pi, abs=1e-6)


def test_optimal_policy_and_implicit_reward() -> None:
    rng = np.random.default_rng(5)
    beta = 0.7
    r = rng.normal(size=8)
    pi_ref = rng.dirichlet(np.ones(8))
    best = _kl_regularised_optimum(r, pi_ref, beta)
    z = float(np.sum(pi_ref * np.exp(r / beta)))
    target = RUB.part("q2b").answer("proof").target[0]  # type: ignore[union-attr]
    rhs = target.split("=", 1)[1]
    for y in range(8):
        env = {"beta": beta, "r": r[y], "pi_ref": pi_ref[y], "Z": z, "pi_star": best[y]}
        assert evaluate(RUB, rhs, env) == pytest.approx(best[y], rel=1e-6)
        assert reference_value(RUB, "q2d", "r", env) == pytest.approx(r[y], abs=1e-5)


def test_preference_probability_loses_the_partition_function() -> None:
    # Bradley-Terry with r from (d): sigma(r_w - r_l) equals the policy-ratio form for any Z(x)
    rng = np.random.default_rng(9)
    beta, z = 0.4, 3.7
    pi_star, pi_ref = rng.dirichlet(np.ones(2)), rng.dirichlet(np.ones(2))
    reward = [
        reference_value(RUB, "q2d", "r", {"beta": beta, "pi_star": pi_star[i], "pi_ref": pi_ref[i], "Z": z})
        for i in range(2)
    ]
    bt = 1 / (1 + math.exp(-(reward[0] - reward[1])))
    ratio = beta * (math.log(pi_star[0] / pi_ref[0]) - math.log(pi_star[1] / pi_ref[1]))
    assert bt == pytest.approx(1 / (1 + math.exp(-ratio)), rel=1e-12)


def test_reference_module_docstring_examples() -> None:
    result = doctest.testmod(hw13_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_dpo_instance_satisfies_the_target() -> None:
    env = dpo_instance(np.random.default_rng(0))
    lhs, rhs = RUB.part("q2b").answer("proof").target[0].split("=", 1)  # type: ignore[union-attr]
    assert evaluate(RUB, lhs, env) == pytest.approx(evaluate(RUB, rhs, env))
    # the one-output normalisations hold there too
    assert env["Z"] == pytest.approx(env["pi_ref"] * math.exp(env["r"] / env["beta"]))


# --- answers as models write them -------------------------------------------------------------------


@pytest.mark.parametrize(
    "target,text,expected",
    [
        ("q1a.dist", "X_1 \\sim \\mathcal{N}(0, 1 + \\sigma^2)", "correct"),
        ("q1a.dist", "\\mathcal{N}(0, \\sigma^2)", "incorrect"),
        ("q1d.dist", "\\mathcal{N}\\left(0, \\frac{\\sigma^4}{(\\sigma^2+1)^2}\\right)", "correct"),
        ("q1d.dist", "\\mathcal{N}(0, \\sigma^2)", "incorrect"),
        ("q1h.dist", "\\mathcal{N}\\left(0, \\frac{\\sigma^2}{\\sigma^2+1}\\right)", "correct"),
        ("q1h.dist", "\\mathcal{N}\\left(0, \\frac{\\sigma^4}{(\\sigma^2+1)^2}\\right)", "incorrect"),
        ("q1h.dist", "\\hat{X}_0 = \\hat{X}_1 \\cdot \\sqrt{\\frac{\\sigma^2}{\\sigma^2 + 1}}", "correct"),
        ("q1h.dist", "\\hat{X}_0 = \\hat{X}_1 \\cdot \\frac{\\sigma^2}{\\sigma^2 + 1}", "incorrect"),
        ("q1g.step", "x_t - \\frac{\\Delta t}{2(\\sigma^2+t)} x_t", "correct"),
        ("q1g.step", "x_t - \\frac{\\Delta t}{\\sigma^2+t} x_t", "incorrect"),
        ("q2d.r", "\\beta \\log\\frac{\\pi^*(y|x)}{\\pi_{\\text{ref}}(y|x)} + \\beta\\log Z(x)", "correct"),
        ("q2d.r", "\\beta \\log\\frac{\\pi^*(y|x)}{\\pi_{\\text{ref}}(y|x)}", "incorrect"),
    ],
)
def test_answers_as_written(target: str, text: str, expected: str) -> None:
    assert verdict(f"{HW}.{target}", text) == expected
