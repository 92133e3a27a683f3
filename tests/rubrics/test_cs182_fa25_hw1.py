"""HW1 rubric: every formula reference against an independent numpy computation (simulated
recurrences, bisection on divergence, exact expansions, Monte Carlo, eigenvalues of the momentum
matrix), Q3(g)'s computed references against closed forms and optimizer runs, and
``grader rubric check``.

The rubric's formulas are evaluated through the grader's engine (``mathx.evaluate`` of the LaTeX
written in the rubric) on instances built here.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import mathx
from grader.check import check_target
from grader.rubric import Rubric, load_rubric_file
from grader.rubric.verify import verify_rubric_file
from reference_solutions import cs182_fa25_hw1 as hw1

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "rubrics" / "cs182-fa25-hw1.yaml"
HW = "cs182-fa25-hw1"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_file(RUBRIC_PATH)


def latex_of(rubric: Rubric, part: str, answer: str, accept: int | None = None) -> str:
    spec = rubric.part(part).answer(answer)
    assert spec is not None
    latex = spec.reference if accept is None else spec.accept[accept].reference
    assert isinstance(latex, str)
    return latex


def ev(rubric: Rubric, latex: str, env: dict[str, Any]) -> Any:
    """A formula of the rubric evaluated by the engine."""
    return mathx.evaluate(mathx.parse(latex, rubric.symbol_table()), env)


def reference(rubric: Rubric, part: str, answer: str, env: dict[str, Any], accept: int | None = None) -> Any:
    return ev(rubric, latex_of(rubric, part, answer, accept), env)


def idea_math(rubric: Rubric, part: str, answer: str, idea: str) -> list[str]:
    spec = rubric.part(part).answer(answer)
    assert spec is not None
    return next(i.math for i in spec.ideas if i.id == idea)


def threshold(converges: Any, lo: float, hi: float, steps: int = 60) -> float:
    """Bisection for the learning rate where ``converges(eta)`` turns False."""
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if converges(mid) else (lo, mid)
    return (lo + hi) / 2


# --- the rubric file ---------------------------------------------------------------------------


def test_rubric_check_passes_examples_included() -> None:
    result = verify_rubric_file(RUBRIC_PATH)
    assert result.ok, [str(p) for p in result.problems]
    assert result.examples >= 120


def test_part_ids_follow_the_question_pdf(rubric: Rubric) -> None:
    assert [p.id for p in rubric.parts] == [
        "q1a", "q1b", "q1c", "q1d", "q1e", "q1f", "q1g",
        "q2a", "q2b", "q2c", "q2d", "q2e", "q2f", "q2g", "q2h", "q2i", "q2j",
        "q3a", "q3b", "q3c", "q3d", "q3e", "q3f", "q3g",
        "q4a", "q4b", "q5a", "q5b", "q5c", "q5d", "q6a", "q6b", "q6c", "q7",
    ]  # fmt: skip


def test_disputed_c1_key_is_accepted_with_a_note(rubric: Rubric) -> None:
    spec = rubric.part("q2h").answer("c1")
    assert spec is not None and spec.accept and "extra eta" in spec.accept[0].note


# --- Q1: the scalar recurrence -------------------------------------------------------------------


def _run_scalar(eta: float, sigma: float, y: float = 1.0, steps: int = 4000) -> float:
    w = 0.0
    for _ in range(steps):
        w = w + 2 * eta * sigma * (y - sigma * w)
        if abs(w) > 1e12:
            return math.inf
    return abs(w - y / sigma)


@pytest.mark.parametrize("sigma", [0.5, 1.3, 2.0])
def test_q1a_bound_is_where_the_recurrence_stops_converging(rubric: Rubric, sigma: float) -> None:
    found = threshold(lambda eta: _run_scalar(eta, sigma) < 1e-6, 1e-3, 10.0)
    bound = reference(rubric, "q1a", "eta_range", {"sigma": sigma}, accept=2)
    assert math.isclose(found, bound, rel_tol=1e-2)


@pytest.mark.parametrize("eta,sigma,eps", [(0.1, 1.0, 0.01), (0.02, 2.0, 0.05), (0.35, 1.2, 0.001)])
def test_q1b_iterations_match_a_simulation(rubric: Rubric, eta: float, sigma: float, eps: float) -> None:
    y = 1.0
    w_star, w, t = y / sigma, 0.0, 0
    while abs(w - w_star) > eps * abs(w_star):
        w = (1 - 2 * eta * sigma**2) * w + 2 * eta * sigma * y
        t += 1
    bound = reference(rubric, "q1b", "iterations", {"eta": eta, "sigma": sigma, "epsilon": eps})
    assert t == math.ceil(bound - 1e-9)


def _factors(eta: float, sigmas: list[float]) -> list[float]:
    return [abs(1 - 2 * eta * s**2) for s in sigmas]


def test_q1c_q1e_q1f_learning_rates(rubric: Rubric) -> None:
    sl, ss = 3.0, 0.4
    env = {"sigma_l": sl, "sigma_s": ss}
    found = threshold(lambda eta: max(_factors(eta, [sl, ss])) < 1, 1e-4, 5.0)
    assert math.isclose(found, reference(rubric, "q1c", "eta_range", env, accept=2), rel_tol=1e-6)
    grid = np.linspace(1e-4, 1 / sl**2, 200001)
    best = grid[np.argmin([max(_factors(e, [sl, ss])) for e in grid])]
    assert math.isclose(best, reference(rubric, "q1e", "eta_star", env), rel_tol=1e-3)
    # (f): intermediate sigmas change neither the stable range nor the best learning rate
    mids = [sl, 2.0, 1.1, 0.7, ss]
    best_mid = grid[np.argmin([max(_factors(e, mids)) for e in grid])]
    assert best_mid == best
    assert math.isclose(threshold(lambda eta: max(_factors(eta, mids)) < 1, 1e-4, 5.0), found, rel_tol=1e-9)


def test_q1d_the_faster_direction_flips_where_the_key_says(rubric: Rubric) -> None:
    sl, ss = 3.0, 0.4
    cross = ev(rubric, idea_math(rubric, "q1d", "faster", "small_eta")[0], {"sigma_l": sl, "sigma_s": ss})
    below, above = 0.9 * cross, 1.05 * cross
    assert _factors(below, [sl])[0] < _factors(below, [ss])[0]  # sigma_l direction faster
    assert _factors(above, [sl])[0] > _factors(above, [ss])[0]  # flipped


# --- Q2: SGD under interpolation -----------------------------------------------------------------


def test_q2a_min_norm_solution_and_shifted_start(rubric: Rubric) -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(3, 7)), rng.normal(size=3)
    env = {"X": X, "y": y}
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.allclose(reference(rubric, "q2a", "w_star", env), w_star)
    assert np.allclose(reference(rubric, "q2a", "w0", env), 0.0 - w_star)  # w'_0 = w_0 - w* with w_0 = 0


def _square_instance(seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    k = 4
    Xt = rng.normal(size=(k, k))
    wt = rng.normal(size=k)
    i = int(rng.integers(k))
    eta = 0.05
    return {"Xt": Xt, "wt": wt, "xi": Xt[i], "eta": eta, "Delta": -2 * eta * Xt[i] * (Xt[i] @ wt), "n": k}


@pytest.mark.parametrize("seed", range(4))
def test_q2g_a_plus_b_is_the_exact_change_of_l(rubric: Rubric, seed: int) -> None:
    env = _square_instance(seed)
    Xt, wt, D = env["Xt"], env["wt"], env["Delta"]

    def L(v: np.ndarray) -> float:
        return float(v @ Xt.T @ Xt @ v)

    change = L(wt + D) - L(wt)
    a, b = reference(rubric, "q2g", "A", env), reference(rubric, "q2g", "B", env)
    assert math.isclose(a + b, change, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(a, 2 * wt @ Xt.T @ Xt @ D)  # linear in the update
    assert math.isclose(reference(rubric, "q2g", "A", env, accept=0), a)
    assert math.isclose(reference(rubric, "q2g", "B", env, accept=0), b)


def test_q2h_q2i_constants_bound_the_expectations(rubric: Rubric) -> None:
    rng = np.random.default_rng(1)
    k, eta = 5, 0.01
    Xt = rng.normal(size=(k, k))
    s = np.linalg.svd(Xt, compute_uv=False)
    beta = float(np.linalg.norm(Xt, axis=1).max())
    env = {"sigma_min": s.min(), "sigma_max": s.max(), "beta": beta, "n": k, "eta": eta}
    c1, c2 = reference(rubric, "q2h", "c1", env), reference(rubric, "q2i", "c2", env)
    c2_loose = reference(rubric, "q2i", "c2", env, accept=0)

    def expectations(w: np.ndarray) -> tuple[float, float, float]:
        L = float(w @ Xt.T @ Xt @ w)
        A = np.mean([-4 * eta * (w @ Xt.T @ Xt @ x) * (x @ w) for x in Xt])  # exact over the fair die
        B = np.mean([4 * eta**2 * (x @ w) ** 2 * (x @ Xt.T @ Xt @ x) for x in Xt])
        return float(A), float(B), L

    for _ in range(50):
        A, B, L = expectations(rng.normal(size=k))
        assert A <= -c1 * eta * L * (1 - 1e-9)
        assert B <= c2 * eta**2 * L * (1 + 1e-9)
        assert B <= c2_loose * eta**2 * L * (1 + 1e-9)
    # c1 is tight: equality along the smallest right singular vector
    v_min = np.linalg.svd(Xt)[2][-1]
    A, _, L = expectations(v_min)
    assert math.isclose(A, -c1 * eta * L, rel_tol=1e-9)


def test_q2j_contraction_range(rubric: Rubric) -> None:
    c1, c2 = 0.8, 3.0
    bound = reference(rubric, "q2j", "eta_range", {"c1": c1, "c2": c2}, accept=2)
    for eta in np.linspace(1e-3, 2 * bound, 400):
        contracts = 1 - c1 * eta + c2 * eta**2 < 1
        assert contracts == (eta < bound), eta


# --- Q3: momentum --------------------------------------------------------------------------------


def test_q3a_q3b_simulated_momentum_in_svd_coordinates(rubric: Rubric) -> None:
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    eta, beta = 0.05, 0.3
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    w, z = rng.normal(size=3), rng.normal(size=3)
    for _ in range(3):
        z_new = (1 - beta) * z + beta * (2 * X.T @ X @ w - 2 * X.T @ y)
        w_new = w - eta * z_new
        x_t, a_t = Vt @ (w - w_star), Vt @ z
        x_n, a_n = Vt @ (w_new - w_star), Vt @ z_new
        for i in range(3):
            env = {"a": a_t[i], "xs": x_t[i], "anext": a_n[i], "eta": eta, "beta": beta, "sigma_i": s[i]}
            assert math.isclose(reference(rubric, "q3a", "a_next", env), a_n[i], abs_tol=1e-9)
            assert math.isclose(reference(rubric, "q3a", "x_next", env), x_n[i], abs_tol=1e-9)
            assert math.isclose(reference(rubric, "q3a", "x_next", env, accept=0), x_n[i], abs_tol=1e-9)
            R = reference(rubric, "q3b", "R", env)
            assert np.allclose(R @ np.array([a_t[i], x_t[i]]), [a_n[i], x_n[i]])
        w, z = w_new, z_new


def _eigs(eta: float, beta: float, s2: float) -> np.ndarray:
    return np.linalg.eigvals(hw1.momentum_matrix(eta, beta, s2))


@pytest.mark.parametrize("beta,sigma", [(0.1, 1.0), (0.5, 0.7), (0.9, 2.0)])
def test_q3c_to_q3f_eigenvalue_regimes(rubric: Rubric, beta: float, sigma: float) -> None:
    env = {"beta": beta, "sigma_i": sigma}
    lo = ev(rubric, idea_math(rubric, "q3c", "classification", "real_low")[0], env)
    hi = ev(rubric, idea_math(rubric, "q3c", "classification", "real_high")[0], env)
    assert math.isclose(hi, reference(rubric, "q3d", "eta_max", env), rel_tol=1e-12)
    assert math.isclose(hi, reference(rubric, "q3f", "eta_max", env), rel_tol=1e-12)
    upper = reference(rubric, "q3e", "condition", env, accept=2)
    s2 = sigma**2
    for eta in np.linspace(lo * 0.05, lo * 0.95, 10):  # real, stable
        e = _eigs(eta, beta, s2)
        assert np.all(np.abs(e.imag) < 1e-12) and np.abs(e).max() < 1
    for eta in np.linspace(lo * 1.05, hi * 0.95, 10):  # complex, |lambda| = sqrt(1 - beta)
        e = _eigs(eta, beta, s2)
        assert np.all(np.abs(e.imag) > 0)
        assert np.allclose(np.abs(e), math.sqrt(1 - beta))
    for eta in (lo, hi):  # repeated, modulus sqrt(1 - beta)
        e = _eigs(eta, beta, s2)
        assert abs(e[0] - e[1]) < 1e-5
        assert np.allclose(np.abs(e), math.sqrt(1 - beta), atol=1e-6)
    for eta in hi + (upper - hi) * np.linspace(0.02, 0.98, 10):  # real, still stable
        e = _eigs(eta, beta, s2)
        assert np.all(np.abs(e.imag) < 1e-12) and np.abs(e).max() < 1
    e = _eigs(upper * 1.01, beta, s2)  # real, unstable past (2 - beta)/(beta sigma^2)
    assert np.abs(e).max() > 1


def test_q3g_computed_references(rubric: Rubric) -> None:
    gd_eta = hw1.get("q3g.gd_eta").value
    assert math.isclose(gd_eta, 1 / (5 + 0.05), rel_tol=1e-6)  # the closed form of Q1(e)
    rate = (5 - 0.05) / (5 + 0.05)
    assert hw1.get("q3g.gd_iterations").value == math.ceil(math.log(1e-3) / math.log(rate)) == 346
    assert hw1.get("q3g.momentum_iterations").value == math.ceil(math.log(1e-3) / math.log(math.sqrt(0.9)))
    opt = hw1.momentum_optimum()
    env_max, env_min = {"beta": 0.1, "sigma_i": math.sqrt(5)}, {"beta": 0.1, "sigma_i": math.sqrt(0.05)}
    # both modes complex: above the small sigma's lower boundary, below the large sigma's upper one
    lo = ev(rubric, idea_math(rubric, "q3c", "classification", "real_low")[0], env_min)
    hi = ev(rubric, idea_math(rubric, "q3c", "classification", "real_high")[0], env_max)
    assert math.isclose(opt.eta_low, lo, rel_tol=5e-3) and math.isclose(opt.eta_high, hi, rel_tol=5e-3)
    # optimizer runs: gradient descent needs exactly the predicted count, momentum about as many
    assert hw1.simulate("gd", gd_eta) == 346
    assert abs(hw1.simulate("momentum", opt.eta) - 132) <= 0.1 * 132
    assert hw1.simulate("momentum", opt.eta) < hw1.simulate("gd", gd_eta) / 2


def test_q3g_rubric_patterns_match_the_computed_numbers(rubric: Rubric) -> None:
    def patterns(answer: str, idea_id: str) -> list[str]:
        spec = rubric.part("q3g").answer(answer)
        assert spec is not None
        idea = next(i for i in spec.ideas if i.id == idea_id)
        return [m["regex"] for m in idea.match if isinstance(m, dict)]

    computed = {
        ("gd", "gd_eta"): f"{hw1.get('q3g.gd_eta').value:.3f}",
        ("gd", "gd_iterations"): str(hw1.get("q3g.gd_iterations").value),
        ("momentum", "momentum_iterations"): str(hw1.get("q3g.momentum_iterations").value),
        ("momentum", "both_complex"): f"{hw1.momentum_optimum().rate:.3f}",
    }
    for (answer, idea_id), text in computed.items():
        assert any(re.search(p, text) for p in patterns(answer, idea_id)), (idea_id, text)
    # the neighbouring count is not accepted for either method
    assert not any(
        re.search(p, computed[("momentum", "momentum_iterations")]) for p in patterns("gd", "gd_iterations")
    )
    assert not any(
        re.search(p, computed[("gd", "gd_iterations")]) for p in patterns("momentum", "momentum_iterations")
    )


@pytest.mark.parametrize(
    "answer,text,verdict",
    [
        ("gd", "Gradient descent: eta* = 1/5.05 = 0.198, so it needs about 346 iterations.", "correct"),
        (
            "momentum",
            "With momentum both modes have complex eigenvalues, rate 0.949, and 132 iterations.",
            "correct",
        ),
    ],
)
def test_q3g_checks(answer: str, text: str, verdict: str) -> None:
    _, res = check_target(f"{HW}.q3g.{answer}", text)
    assert res.verdict == verdict, res.explanation


# --- Q4: Adam, weight decay ----------------------------------------------------------------------


def affine(f: Any) -> tuple[float, float]:
    """(slope, intercept) of a one-variable formula that must be affine, checked at a third point."""
    b = float(f(0.0))
    a = float(f(1.0)) - b
    assert math.isclose(float(f(2.5)), 2.5 * a + b, rel_tol=1e-9, abs_tol=1e-12)
    return a, b


def test_q4a_moments_track_a_constant_gradient(rubric: Rubric) -> None:
    g, b1, b2 = 0.7, 0.9, 0.999
    env = {"g": g, "beta1": b1, "beta2": b2}
    am, bm = affine(lambda m: reference(rubric, "q4a", "m", {**env, "m_prev": m, "v_prev": 1.0}))
    av, bv = affine(lambda v: reference(rubric, "q4a", "v", {**env, "m_prev": 0.0, "v_prev": v}))
    m = v = 0.0
    for _ in range(20000):
        m, v = am * m + bm, av * v + bv
    assert math.isclose(m, g, rel_tol=1e-9) and math.isclose(v, g**2, rel_tol=1e-6)
    # one step is the exponential moving average with weights beta and 1 - beta
    env = {"m_prev": 0.2, "v_prev": 0.3, "g": -1.5, "beta1": 0.8, "beta2": 0.95}
    assert math.isclose(reference(rubric, "q4a", "m", env), 0.8 * 0.2 + 0.2 * -1.5)
    assert math.isclose(reference(rubric, "q4a", "v", env), 0.95 * 0.3 + 0.05 * 2.25)


def test_q4b_weight_decay_step_equals_l2_step(rubric: Rubric) -> None:
    rng = np.random.default_rng(3)
    theta, grad = rng.normal(size=5), rng.normal(size=5)
    eta, lam = 0.1, 0.3
    gamma = reference(rubric, "q4b", "gamma", {"eta": eta, "lambda": lam})
    l2_step = theta - eta * (grad + lam * theta)  # gradient of f + (lam/2)||theta||^2
    assert np.allclose((1 - gamma) * theta - eta * grad, l2_step)


# --- Q5: instance noise --------------------------------------------------------------------------


def test_q5a_expected_noisy_loss_is_ridge(rubric: Rubric) -> None:
    rng = np.random.default_rng(4)
    m, n, sigma = 6, 3, 0.8
    X, y, w = rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n)
    noisy = [np.sum(((X + sigma * rng.normal(size=(m, n))) @ w - y) ** 2) for _ in range(40000)]
    lam = reference(rubric, "q5a", "lambda", {"sigma": sigma})
    want = np.sum((X @ w - y) ** 2) / m + lam * (w @ w)
    assert math.isclose(np.mean(noisy) / m, want, rel_tol=2e-2)


def test_q5b_to_q5d_expected_weight(rubric: Rubric) -> None:
    rng = np.random.default_rng(5)
    x, y, sigma, eta = 1.2, 0.9, 0.5, 0.2
    env = {"x": x, "y": y, "sigma": sigma}

    def step(eta_: float) -> tuple[float, float]:
        """The rubric's recurrence as E[w_{t+1}] = a E[w_t] + b."""
        return affine(lambda e: reference(rubric, "q5b", "recurrence", {**env, "eta": eta_, "Ew": e}))

    a, b = step(eta)
    runs, steps = 20000, 12
    w, mean = np.zeros(runs), 0.0
    for _ in range(steps):
        xt = x + sigma * rng.normal(size=runs)
        w = w - eta * (xt * w - y) * xt  # gradient of (1/2)(X_t w - y)^2, fresh noise each step
        mean = a * mean + b
    assert math.isclose(w.mean(), mean, abs_tol=5e-3)
    # (d): the recurrence's fixed point, shrunk toward 0 compared with the noiseless optimum y/x
    limit = reference(rubric, "q5d", "limit", env)
    assert math.isclose(b / (1 - a), limit, rel_tol=1e-12) and limit < y / x
    # (c): the mean's error contracts exactly below the bound
    found = threshold(lambda e: abs(step(e)[0]) < 1, 1e-3, 5.0, steps=40)
    bound = reference(rubric, "q5c", "eta_range", env, accept=2)
    assert math.isclose(found, bound, rel_tol=1e-6)
    e = 1.01 * bound
    assert abs(step(e)[0]) > 1  # diverges just above


# --- Q6: generalised Tikhonov, Q7: kernel ridge --------------------------------------------------


def test_q6a_matches_stacked_least_squares_and_q6c_gives_ridge(rubric: Rubric) -> None:
    rng = np.random.default_rng(6)
    A, W1, W2 = rng.normal(size=(5, 3)), rng.normal(size=(4, 5)), rng.normal(size=(3, 3))
    b, c = rng.normal(size=5), rng.normal(size=3)
    env = {"A": A, "W1": W1, "W2": W2, "b": b, "c": c}
    C, d = np.vstack([W1 @ A, W2]), np.concatenate([W1 @ b, W2 @ c])  # Q6(b)
    assert np.allclose(reference(rubric, "q6a", "x", env), np.linalg.lstsq(C, d, rcond=None)[0])
    lam = 0.4
    ridge_env = {"A": A, "W1": np.eye(5), "W2": math.sqrt(lam) * np.eye(3), "b": b, "c": np.zeros(3)}
    ridge = np.linalg.solve(A.T @ A + lam * np.eye(3), A.T @ b)
    assert np.allclose(reference(rubric, "q6a", "x", ridge_env), ridge)


def test_q7_covariances_by_monte_carlo_and_the_conditional_mean(rubric: Rubric) -> None:
    rng = np.random.default_rng(7)
    n, d, lam, draws = 3, 5, 0.6, 200000
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(draws, d))
    Y = W @ X.T + math.sqrt(lam) * rng.normal(size=(draws, n))
    env = {"X": X, "lambda": lam}
    s_wy = ev(rubric, rubric.part("q7").answer("proof").given["Sigma_WY"], env)  # type: ignore[union-attr]
    s_yy = ev(rubric, rubric.part("q7").answer("proof").given["Sigma_YY"], env)  # type: ignore[union-attr]
    assert np.allclose(W.T @ Y / draws, s_wy, atol=0.03)
    assert np.allclose(Y.T @ Y / draws, s_yy, atol=0.06)
    y = rng.normal(size=n)
    assert np.allclose(s_wy @ np.linalg.solve(s_yy, y), np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y))
    for target in rubric.part("q7").answer("proof").target:  # type: ignore[union-attr]
        assert (
            mathx.check_equation(
                target, rubric.symbol_table(), env={**env, "Sigma_WY": s_wy, "Sigma_YY": s_yy}
            ).verdict
            == "correct"
        )


@pytest.mark.parametrize(
    "text,verdict",
    [
        (
            r"$\Sigma_{WY} = X^\top$ and $\Sigma_{YY} = X X^\top + \lambda I$. "
            r"$(X^\top X + \lambda I) X^\top = X^\top (X X^\top + \lambda I)$, so the two forms agree.",
            "correct",
        ),
        (r"$\Sigma_{WY} = X$ and $\Sigma_{YY} = X X^\top + \lambda I$.", "incorrect"),
        (r"$\Sigma_{YY} = X X^\top + \lambda^2 I$", "incorrect"),
    ],
)
def test_q7_proof_steps(text: str, verdict: str) -> None:
    _, res = check_target(f"{HW}.q7.proof", text)
    assert res.verdict == verdict, res.explanation
