"""HW8 rubric: every formula and number is re-derived here by code that does not read the rubric's LaTeX
(SSM simulations, the losses of the given data, the purifier by gradient descent, ridge attention by least
squares, operation counts), then compared with the rubric's reference as the grader's engine evaluates it."""

from __future__ import annotations

import doctest
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import mathx
from grader.check import check_target
from grader.rubric import load_rubric_file
from grader.rubric.verify import verify_rubric_file
from reference_solutions import cs182_fa25_hw8

ROOT = Path(__file__).resolve().parents[2]
PATH = ROOT / "rubrics" / "cs182-fa25-hw8.yaml"
RUBRIC = load_rubric_file(PATH)
HW = "cs182-fa25-hw8"


def reference(part: str, answer: str, accept: int | None = None) -> Any:
    """The rubric's reference of ``part.answer`` (or of its ``accept`` entry) as written in the file."""
    spec = RUBRIC.part(part).answer(answer)
    assert spec is not None
    return spec.reference if accept is None else spec.accept[accept].reference


def engine_value(latex: str, env: dict[str, Any]) -> Any:
    """The value the grader's engine gives a formula of the rubric at ``env``."""
    return mathx.evaluate(mathx.parse(latex, RUBRIC.symbol_table()), env)


def verdict(target: str, answer: str) -> str:
    return check_target(f"{HW}.{target}", answer)[1].verdict


# --- Q1: SSM kernels, by simulating the recursion ---------------------------------------------------


def simulate(A: np.ndarray, B: np.ndarray, C: np.ndarray, D: np.ndarray, u: np.ndarray) -> np.ndarray:
    """y_0..y_{L} of x_{k+1} = A x_k + B u_k, y_k = C x_k + D u_k from x_0 = 0 (u has one row per step)."""
    x = np.zeros(A.shape[0])
    out = []
    for uk in u:
        out.append(C @ x + D @ uk)
        x = A @ x + B @ uk
    return np.array(out)


def test_q1a_kernel_convolution_reproduces_the_recursion() -> None:
    rng = np.random.default_rng(1)
    n, m, p, L = 4, 2, 3, 9
    A = 0.5 * rng.standard_normal((n, n))
    B, C, D = rng.standard_normal((n, m)), rng.standard_normal((p, n)), rng.standard_normal((p, m))
    u = rng.standard_normal((L + 1, m))
    env = {"A": A, "B": B, "C": C, "D": D}
    kernel = [np.asarray(engine_value(reference("q1a", "K0"), env))]
    kernel += [
        np.asarray(engine_value(reference("q1a", "Kl"), {**env, "ell": ell})) for ell in range(1, L + 1)
    ]
    conv = np.array([sum(kernel[ell] @ u[k - ell] for ell in range(k + 1)) for k in range(L + 1)])
    assert np.allclose(conv, simulate(A, B, C, D, u))


def impulse_response(A: np.ndarray, B: np.ndarray, C: np.ndarray, D: np.ndarray, steps: int) -> np.ndarray:
    u = np.zeros((steps, B.shape[1]))
    u[0] = 1.0
    return simulate(A, B, C, D, u)[:, 0]


def _vector(latex: str, env: dict[str, Any] | None = None) -> np.ndarray:
    return np.asarray(engine_value(latex, env or {}), dtype=float).ravel()


@pytest.mark.parametrize("delta", [0.0, 0.7, -2.0])
def test_q1b_i_scalar_kernel(delta: float) -> None:
    kernel = impulse_response(np.array([[0.8]]), np.array([[1.0]]), np.array([[1.5]]), np.array([[delta]]), 5)
    assert np.allclose(_vector(reference("q1b_i", "kernel"), {"delta": delta}), kernel)
    if delta == 0.0:
        assert np.allclose(_vector(reference("q1b_i", "kernel", accept=0)), kernel)
    assert np.allclose(_vector(reference("q1b_i", "kernel", accept=1)), kernel[1:])


def test_q1b_ii_two_dimensional_kernel() -> None:
    A = np.array([[0.7, 0.1], [0.2, 0.6]])
    kernel = impulse_response(A, np.array([[1.0], [0.0]]), np.array([[1.0, 0.0]]), np.zeros((1, 1)), 4)
    assert np.allclose(_vector(reference("q1b_ii", "kernel")), kernel)
    assert np.allclose(_vector(reference("q1b_ii", "kernel", accept=0)), kernel[1:])
    # the impulse response decays with A's eigenvalues (0.8 and 0.5), as the concept answer says
    assert np.allclose(sorted(np.linalg.eigvals(A).real), [0.5, 0.8])


@pytest.mark.parametrize("ell", [1, 2, 3, 6])
def test_q1f_dplr_power(ell: int) -> None:
    rng = np.random.default_rng(ell)
    p = rng.standard_normal(4)
    direct = np.linalg.matrix_power(np.eye(4) + np.outer(p, p), ell)
    assert np.allclose(engine_value(reference("q1f", "power"), {"p": p, "ell": ell}), direct)


# --- Q3: self-supervised linear purification ---------------------------------------------------------

X_GIVEN = np.array([[-2.17, 1.98, 2.41, -2.03], [0.02, -0.01, 0.01, -0.02]])
W_ALPHA = np.eye(2)
W_BETA = np.array([[1.0, 0.0], [0.0, 0.0]])


def losses(W: np.ndarray) -> tuple[float, float]:
    return float(np.sum((X_GIVEN - W @ X_GIVEN) ** 2)), float(np.sum(W**2))


def test_q3a_i_losses_of_the_given_data() -> None:
    (rec_a, reg_a), (rec_b, reg_b) = losses(W_ALPHA), losses(W_BETA)
    assert np.isclose(rec_b, 0.001)  # the value the question gives
    for answer, value in [("recon_alpha", rec_a), ("reg_alpha", reg_a), ("reg_beta", reg_b)]:
        assert np.isclose(float(engine_value(str(reference("q3a_i", answer)), {})), value)
    for answer, value in [("reg_alpha", reg_a), ("reg_beta", reg_b)]:  # the lambda-weighted readings
        assert np.isclose(
            float(engine_value(reference("q3a_i", answer, accept=0), {"lambda": 0.3})), 0.3 * value
        )


def _bisect(pred: Any, lo: float, hi: float) -> float:
    """The point in [lo, hi] where ``pred`` switches value (pred(lo) != pred(hi))."""
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if pred(mid) == pred(lo) else (lo, mid)
    return (lo + hi) / 2


def test_q3a_ii_threshold_where_the_identity_loses() -> None:
    def identity_loses(lam: float) -> bool:
        (rec_a, reg_a), (rec_b, reg_b) = losses(W_ALPHA), losses(W_BETA)
        return rec_a + lam * reg_a > rec_b + lam * reg_b

    assert not identity_loses(1e-5) and identity_loses(1.0)
    threshold = _bisect(identity_loses, 1e-5, 1.0)
    assert verdict("q3a_ii.lambda_range", f"\\lambda > {threshold:.6f}") == "correct"
    assert verdict("q3a_ii.lambda_range", f"\\lambda > {2 * threshold:.6f}") == "incorrect"


def purifier_by_gradient_descent(X: np.ndarray, lam: float, steps: int = 20000) -> np.ndarray:
    W = np.zeros((X.shape[0], X.shape[0]))
    lr = 0.5 / (np.linalg.norm(X, 2) ** 2 + lam)
    for _ in range(steps):
        W -= lr * (-2 * (X - W @ X) @ X.T + 2 * lam * W) / 2
    return W


@pytest.mark.parametrize("seed", [0, 1])
def test_q3b_purifier_is_the_regularised_argmin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    X, lam = rng.standard_normal((4, 9)), float(rng.uniform(0.2, 3.0))
    W = purifier_by_gradient_descent(X, lam)
    U, sv, Vt = np.linalg.svd(X, full_matrices=False)
    env = {"X": X, "U": U, "Sigma": np.diag(sv), "V": Vt.T, "lambda": lam}
    assert np.allclose(engine_value(reference("q3b_i", "W"), env), W, atol=1e-8)
    assert np.allclose(engine_value(reference("q3b_i", "W", accept=0), env), W, atol=1e-8)


def test_q3b_ii_proof_instance_and_target() -> None:
    inst = cs182_fa25_hw8.proof_instance(np.random.default_rng(182))
    assert np.allclose(inst["W"], purifier_by_gradient_descent(inst["X"], inst["lambda"]), atol=1e-8)
    spec = RUBRIC.part("q3b_ii").answer("proof")
    assert spec is not None
    for target in spec.target:
        result = mathx.check_equation(target, RUBRIC.symbol_table(), env=inst)
        assert result.verdict == "correct", result.explanation
    assert doctest.testmod(cs182_fa25_hw8).failed == 0


def test_q3c_interval_of_lambda() -> None:
    sigma = np.array([10, 8, 4, 1, 0.5, 0.36, 0.16, 0.01])

    def ok(lam: float) -> bool:
        keep = sigma**2 / (sigma**2 + lam)
        return bool(np.all(keep[:3] >= 0.8 - 1e-12) and np.all(keep[3:] <= 0.5 + 1e-12))

    grid = np.linspace(0.0, 10.0, 100001)
    good = grid[[ok(x) for x in grid]]
    lo, hi = float(good.min()), float(good.max())
    assert np.isclose(lo, 1.0, atol=1e-3) and np.isclose(hi, 4.0, atol=1e-3)
    assert verdict("q3c.lambda_range", f"{round(lo, 2):g} \\le \\lambda \\le {round(hi, 2):g}") == "correct"
    assert (
        verdict("q3c.lambda_range", f"{round(lo, 2):g} \\le \\lambda \\le {2 * round(hi, 2):g}")
        == "incorrect"
    )


# --- Q4: ridge attention -----------------------------------------------------------------------------


def test_q4a_online_mean() -> None:
    rng = np.random.default_rng(4)
    for n in (1, 5, 40):
        xs = rng.standard_normal(n + 1)
        env = {"m": float(xs[:n].mean()), "n": n, "x_new": float(xs[n])}
        assert np.isclose(engine_value(reference("q4a", "mean"), env), xs.mean())


def ridge_output(K: np.ndarray, Vals: np.ndarray, q: np.ndarray, lam: float) -> np.ndarray:
    """The ridge prediction for query q after fitting the (key, value) pairs, by a stacked lstsq."""
    d = K.shape[1]
    w, *_ = np.linalg.lstsq(
        np.vstack([K, np.sqrt(lam) * np.eye(d)]), np.vstack([Vals, np.zeros((d, Vals.shape[1]))]), rcond=None
    )
    return np.asarray(q @ w)


def test_q4g_weights_reproduce_the_ridge_prediction() -> None:
    rng = np.random.default_rng(7)
    n, d, lam = 7, 3, 0.8
    K, q = rng.standard_normal((n, d)), rng.standard_normal(d)
    weights = ridge_output(K, np.eye(n), q, lam)  # the values e_i read the weight of each position
    env = {"K": K, "q": q, "lambda": lam}
    assert np.allclose(_vector(reference("q4g", "weights"), env), weights)
    assert np.allclose(_vector(reference("q4g", "weights", accept=0), env), weights)
    vals = rng.standard_normal((n, 5))
    assert np.allclose(weights @ vals, ridge_output(K, vals, q, lam))


def test_q4d_every_input_receives_a_gradient() -> None:
    rng = np.random.default_rng(8)
    n, d = 6, 3
    args = {"lambda": np.array(0.7), "keys": rng.standard_normal((n, d)), "values": rng.standard_normal((n, 2)),
            "queries": rng.standard_normal(d)}  # fmt: skip

    def loss(a: dict[str, np.ndarray]) -> float:
        return float(np.sum(ridge_output(a["keys"], a["values"], a["queries"], float(a["lambda"])) ** 2))

    receives = set()
    for name, value in args.items():
        step = 1e-6 * rng.standard_normal(value.shape)
        bumped = {**args, name: value + step}
        if abs(loss(bumped) - loss(args)) > 1e-10:
            receives.add(name)
    options = {"lambda": "ridge λ", "keys": "keys", "values": "values", "queries": "queries"}
    assert {options[r] for r in receives} == set(reference("q4d", "inputs"))


def _sherman_morrison_ops(d: int) -> int:
    return 2 * d * d + d + d * d + d * d  # M^-1 u, v^T M^-1, the inner product, the dyad, the update


def _noncausal_ridge_ops(n: int, d: int) -> int:
    return n * d * d + d**3 + n * d * d + d**3 + n * d * d  # K^T K, inverse, K^T V, product, n queries


def _spread(count: Any, latex: str, grid: list[dict[str, int]]) -> float:
    ratios = [count(**g) / float(engine_value(latex, g)) for g in grid]
    return max(ratios) / min(ratios)


GRID_ND = [{"n": n, "d": d} for n, d in itertools.product([64, 1024, 1 << 16], [2, 16, 60]) if d < n]


def test_q4c_q4e_costs_bound_the_counts() -> None:
    assert _spread(_noncausal_ridge_ops, reference("q4c", "cost"), GRID_ND) < 4
    assert _spread(lambda n, d: _sherman_morrison_ops(d), reference("q4e", "cost"), GRID_ND) < 4
    for wrong in ("n^2 d^2", "d^4", "n^2 d^3"):
        assert _spread(_noncausal_ridge_ops, wrong, GRID_ND) > 50
    for wrong in ("d^3", "d"):
        assert _spread(lambda n, d: _sherman_morrison_ops(d), wrong, GRID_ND) > 25


def test_q4f_sherman_morrison_recursion_gives_causal_ridge_attention() -> None:
    """The key ideas of (f) give the right outputs: carry M_t^-1 (rank-one updates) and sum k v^T."""
    rng = np.random.default_rng(9)
    n, d, lam = 8, 3, 0.5
    K, Vals, Q = rng.standard_normal((n, d)), rng.standard_normal((n, 2)), rng.standard_normal((n, d))
    m_inv, b = np.eye(d) / lam, np.zeros((d, 2))
    for t in range(n):
        k = K[t]
        m_inv = m_inv - np.outer(m_inv @ k, k @ m_inv) / (1 + k @ m_inv @ k)
        b = b + np.outer(k, Vals[t])
        assert np.allclose(Q[t] @ m_inv @ b, ridge_output(K[: t + 1], Vals[: t + 1], Q[t], lam))


# --- the rubric as a whole --------------------------------------------------------------------------


def test_rubric_check_passes_with_examples() -> None:
    result = verify_rubric_file(PATH)
    assert result.ok, [str(p) for p in result.problems]
    assert result.examples >= 80


def test_part_ids_follow_the_question_pdf() -> None:
    assert [p.id for p in RUBRIC.parts] == [
        "q1a", "q1b_i", "q1b_ii", "q1c", "q1d", "q1e", "q1f", "q3a_i", "q3a_ii", "q3b_i", "q3b_ii", "q3c",
        "q4a", "q4b", "q4c", "q4d", "q4e", "q4f", "q4g",
    ]  # fmt: skip


# --- a transcript graded end to end -----------------------------------------------------------------

CHAT = r"""# A chat about HW8

## User

Homework 8, question 1(b)(ii): give the kernel of the 2D case up to L = 3 and say what it means.

## Assistant

With $D = 0$ the first entry is 0, then $CB$, $CAB$ and $CA^2B$:

$$K = [0, 1, 0.7, 0.51]$$

This is the impulse response: feeding a unit impulse $u_0 = 1$ (all other inputs zero) gives the outputs
$y_k = K_k$, and the kernel decays with the powers of $A$ because both eigenvalues are below one.

## User

Question 3(c): which range of the regularization strength works?

## Assistant

The third direction needs $16/(16+\lambda) \ge 0.8$ and the fourth needs $1/(1+\lambda) \le 0.5$.

**Answer:** $1 \le \lambda \le 4$

## User

Question 4(g): how do we get the attention weights of ridge attention?

## Assistant

The prediction is $q^\top (K^\top K + \lambda I)^{-1} K^\top V$, so the weights on the values are

$$\alpha = K (K^\top K + \lambda I)^{-1} q$$
"""


def test_a_transcript_graded_end_to_end(tmp_path: Path) -> None:
    from grader.pipeline import grade
    from grader.transcripts import read_path

    chat = tmp_path / "chat.md"
    chat.write_text(CHAT, encoding="utf-8")
    report = grade(read_path(chat), RUBRIC)
    finals = {p.id: p.final for p in report.parts if p.final != "unanswered"}
    assert finals == {"q1b_ii": "correct", "q3c": "correct", "q4g": "correct"}, [
        (p.id, p.reason) for p in report.parts if p.final != "unanswered"
    ]
