"""HW4 rubric: every reference against an independent computation (cost of matrix products, spectral
norms of real updates, numpy convolutions, sliding-window shapes, a random circular CNN, finite
differences and Monte Carlo of the convolution gradients), and ``grader rubric check``.

Formulas of the rubric (references, accepted alternatives and the formulas of concept ideas) are
evaluated through the grader's engine (``mathx.evaluate`` of the rubric's LaTeX).
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

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "rubrics" / "cs182-fa25-hw4.yaml"
HW = "cs182-fa25-hw4"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_file(RUBRIC_PATH)


def ev(rubric: Rubric, latex: str, env: dict[str, Any]) -> Any:
    return mathx.evaluate(mathx.parse(latex, rubric.symbol_table()), env)


def reference(rubric: Rubric, part: str, answer: str, env: dict[str, Any], accept: int | None = None) -> Any:
    spec = rubric.part(part).answer(answer)
    assert spec is not None
    latex = spec.reference if accept is None else spec.accept[accept].reference
    assert isinstance(latex, str)
    return ev(rubric, latex, env)


def idea(rubric: Rubric, part: str, answer: str, idea_id: str) -> Any:
    spec = rubric.part(part).answer(answer)
    assert spec is not None
    return next(i for i in spec.ideas if i.id == idea_id)


def test_rubric_check_passes_examples_included() -> None:
    result = verify_rubric_file(RUBRIC_PATH)
    assert result.ok, [str(p) for p in result.problems]
    assert result.examples >= 80


def test_part_ids_follow_the_question_pdf(rubric: Rubric) -> None:
    assert [p.id for p in rubric.parts] == [
        "q1a", "q1b", "q2a", "q2b", "q2c", "q2d", "q2e", "q2f", "q2g",
        "q3a", "q3b", "q3c", "q3d_i", "q3d_ii", "q4a", "q4b", "q4c", "q4d", "q4e", "q4f",
        "q7a", "q7b", "q7c", "q7d",
    ]  # fmt: skip


def test_disputed_muon_key_is_accepted_with_a_note(rubric: Rubric) -> None:
    spec = rubric.part("q2e").answer("alpha")
    assert spec is not None and "posted key" in spec.accept[0].note


# --- Q1: Newton-Schulz cost ----------------------------------------------------------------------


def matmul_cost(c: float, a: tuple[int, int], b: tuple[int, int]) -> float:
    assert a[1] == b[0]
    return c * a[0] * a[1] * b[1]


@pytest.mark.parametrize("d_out,d_in", [(64, 16), (300, 40), (7, 7)])
def test_q1_costs_of_the_two_orders(rubric: Rubric, d_out: int, d_in: int) -> None:
    c = 0.3
    gram_out = matmul_cost(c, (d_out, d_in), (d_in, d_out))  # W W^T
    then = matmul_cost(c, (d_out, d_out), (d_out, d_in))  # (3I - W W^T) W
    gram_in = matmul_cost(c, (d_in, d_out), (d_out, d_in))  # W^T W
    after = matmul_cost(c, (d_out, d_in), (d_in, d_in))  # W (3I - W^T W)
    env = {"c": c, "d_out": d_out, "d_in": d_in}
    assert math.isclose(reference(rubric, "q1a", "runtime", env), gram_out + then)
    assert math.isclose(reference(rubric, "q1b", "runtime", env), gram_in + after)
    rng = np.random.default_rng(d_out)
    W = rng.normal(size=(d_out, d_in))
    p1 = 0.5 * (3 * np.eye(d_out) - W @ W.T) @ W
    p2 = 0.5 * W @ (3 * np.eye(d_in) - W.T @ W)
    assert np.allclose(p1, p2)  # the rewrite of (b)


# --- Q2: muP at the unit scale -------------------------------------------------------------------


def test_q2b_multiplier_recovers_xavier_variance(rubric: Rubric) -> None:
    rng = np.random.default_rng(0)
    d_out, d_in = 8, 64
    c = reference(rubric, "q2b", "c", {"d_in": d_in, "d_out": d_out})
    x = rng.normal(size=d_in)
    unit = np.array([c * rng.normal(size=(d_out, d_in)) @ x for _ in range(4000)])
    xavier = np.array([rng.normal(scale=1 / math.sqrt(d_in), size=(d_out, d_in)) @ x for _ in range(4000)])
    assert math.isclose(unit.var(), xavier.var(), rel_tol=0.08)


def _rms(v: np.ndarray) -> float:
    return float(np.sqrt(np.mean(v**2)))


@pytest.mark.parametrize("d_out,d_in", [(16, 4), (5, 30)])
def test_q2c_to_q2e_spectral_budgets(rubric: Rubric, d_out: int, d_in: int) -> None:
    rng = np.random.default_rng(d_out * d_in)
    env = {"d_out": d_out, "d_in": d_in}
    c = 1 / math.sqrt(d_in)
    budget = reference(rubric, "q2c", "max_norm", env)
    # a rank-one update at the budget, hit by its top input direction scaled to RMS 1, gives RMS 1
    u, v = rng.normal(size=d_out), rng.normal(size=d_in)
    u, v = u / np.linalg.norm(u), v / np.linalg.norm(v)
    dW = budget * np.outer(u, v)
    x_top = v * math.sqrt(d_in)
    assert math.isclose(_rms(c * dW @ x_top), 1.0, rel_tol=1e-9)
    for _ in range(200):  # and no input of RMS 1 does better
        x = rng.normal(size=d_in)
        x *= math.sqrt(d_in) / np.linalg.norm(x)
        assert _rms(c * dW @ x) <= 1 + 1e-9
    # (d): sign of a rank-one (batch 1) gradient is a rank-one +-1 matrix of norm sqrt(d_out d_in)
    grad = np.outer(rng.normal(size=d_out), rng.normal(size=d_in))
    S = np.sign(grad)
    assert math.isclose(np.linalg.norm(S, 2), math.sqrt(d_out * d_in), rel_tol=1e-9)
    alpha = reference(rubric, "q2d", "alpha", env)
    assert math.isclose(alpha * np.linalg.norm(S, 2), budget, rel_tol=1e-9)
    # (e): U V^T of the compact SVD has spectral norm 1
    U, _, Vt = np.linalg.svd(rng.normal(size=(d_out, d_in)), full_matrices=False)
    alpha_e = reference(rubric, "q2e", "alpha", env)
    assert math.isclose(alpha_e * np.linalg.norm(U @ Vt, 2), budget, rel_tol=1e-9)
    disputed = reference(rubric, "q2e", "alpha", env, accept=0)
    assert disputed * np.linalg.norm(U @ Vt, 2) > budget  # the disputed key overshoots the budget of (c)


@pytest.mark.parametrize("d_out,d_in", [(16, 4), (9, 25)])
def test_q2g_backprop_through_a_rank_one_unit_layer(rubric: Rubric, d_out: int, d_in: int) -> None:
    rng = np.random.default_rng(d_in)
    u, v = rng.choice([-1.0, 1.0], size=d_out), rng.choice([-1.0, 1.0], size=d_in)
    W = np.outer(u, v)  # rank one, entries +-1 (unit scale)
    assert math.isclose(np.linalg.norm(W, 2), np.linalg.norm(W), rel_tol=1e-9)
    c = 1 / math.sqrt(d_in)
    g_next = u / np.linalg.norm(u)  # the gradient direction the layer amplifies most
    growth = np.linalg.norm(c * W.T @ g_next) / np.linalg.norm(g_next)
    env = {"d_out": d_out, "d_in": d_in}
    assert math.isclose(
        growth, ev(rubric, idea(rubric, "q2g", "effect", "explode").math[0], env), rel_tol=1e-9
    )
    assert growth > 1
    constant = reference(rubric, "q2g", "constant", env)
    assert math.isclose(constant * growth, 1.0, rel_tol=1e-9)


# --- Q3: convolution -------------------------------------------------------------------------------


def conv1d(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """y[n] = sum_i x[i] h[n - i] (eq. (3)) for finite signals starting at n = 0."""
    y = np.zeros(len(x) + len(h) - 1)
    for i, xi in enumerate(x):
        y[i : i + len(h)] += xi * h
    return y


def conv2d(x: np.ndarray, h: np.ndarray, stride: int = 1, pad: int = 0) -> np.ndarray:
    """True 2D convolution (eq. (4): the kernel flipped), zero padding, 'valid' positions only."""
    xp = np.pad(x, pad)
    k = h.shape[0]
    n = (xp.shape[0] - k) // stride + 1
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            window = xp[i * stride : i * stride + k, j * stride : j * stride + k]
            out[i, j] = sum(
                window[a, b] * h[k - 1 - a, k - 1 - b] for a in range(k) for b in range(k)
            )  # x[m - i', n - j'] h[i', j']
    return out


X5 = np.arange(1, 26, dtype=float).reshape(5, 5)
SOBEL = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float)


def test_q3a_boxcar_response(rubric: Rubric) -> None:
    y = conv1d(np.ones(7), 0.5 ** np.arange(60))[:13]
    assert np.allclose(reference(rubric, "q3a", "values", {}), y)
    padded = np.concatenate([np.zeros(6), y])  # the plot's range starts at n = -6
    assert np.allclose(reference(rubric, "q3a", "values", {}, accept=0), padded)
    n = np.arange(13)
    rise, decay = idea(rubric, "q3a", "formula", "rise"), idea(rubric, "q3a", "formula", "decay")
    for k in range(7):
        for form in rise.math:
            assert math.isclose(ev(rubric, form, {"n": float(n[k])}), y[k]), form
    for k in range(7, 13):
        for form in decay.math:
            assert math.isclose(ev(rubric, form, {"n": float(n[k])}), y[k]), form


def test_q3b_shifted_input_shifts_the_output() -> None:
    h = 0.5 ** np.arange(60)
    y = conv1d(np.ones(7), h)
    y2 = conv1d(np.concatenate([np.zeros(5), np.ones(7)]), h)
    assert np.allclose(y2[5:], y[: len(y2) - 5]) and np.allclose(y2[:5], 0)


def test_q3c_q3d_2d_convolutions(rubric: Rubric) -> None:
    assert np.allclose(reference(rubric, "q3c", "y", {}), conv2d(X5, SOBEL))
    assert np.allclose(reference(rubric, "q3d_i", "y", {}), conv2d(X5, SOBEL, 1, 1))
    assert np.allclose(reference(rubric, "q3d_ii", "y", {}), conv2d(X5, SOBEL, 2, 1))
    # correlation (no flip) gives the sign-flipped answer: the rubric's first wrong example
    assert np.allclose(conv2d(X5, SOBEL[::-1, ::-1]), -conv2d(X5, SOBEL))


@pytest.mark.parametrize(
    "part,text,verdict",
    [
        ("q3c", r"\begin{bmatrix} 40 & 40 & 40 \\ 40 & 40 & 40 \\ 40 & 40 & 40 \end{bmatrix}", "incorrect"),
        (
            "q3d_ii",
            r"y = \begin{pmatrix} -19 & -32 & -29 \\ -30 & -40 & -30 \\ 49 & 72 & 59 \end{pmatrix}",
            "correct",
        ),
    ],
)
def test_q3_matrix_answers(part: str, text: str, verdict: str) -> None:
    _, res = check_target(f"{HW}.{part}.y", text)
    assert res.verdict == verdict, res.explanation


# --- Q4: CNN dimensions --------------------------------------------------------------------------


def sliding_positions(size: int, k: int, stride: int, pad: int) -> int:
    """How many windows a kernel visits along one axis (counted, not computed by formula)."""
    return sum(1 for start in range(0, size + 2 * pad - k + 1, stride))


@pytest.mark.parametrize(
    "W,H,K,P,S,C,F", [(32, 28, 3, 1, 1, 3, 8), (31, 17, 5, 2, 2, 4, 6), (20, 20, 4, 0, 3, 1, 2)]
)
def test_q4a_q4b_shapes_and_counts(
    rubric: Rubric, W: int, H: int, K: int, P: int, S: int, C: int, F: int
) -> None:
    env = {"W": W, "H": H, "K": K, "P": P, "S": S, "C": C, "F": F}
    weights = np.zeros((F, C, K, K))
    assert all(
        math.isclose(ev(rubric, m, env), weights.size) for m in idea(rubric, "q4a", "counts", "weights").math
    )
    for axis, size in (("width", W), ("height", H)):
        counted = sliding_positions(size, K, S, P)
        for form in idea(rubric, "q4a", "counts", axis).math:
            assert math.floor(ev(rubric, form, env)) == counted, form
        pooled = sliding_positions(size, K, S, 0)
        for form in idea(rubric, "q4b", "shape", axis).math:
            assert math.floor(ev(rubric, form, env)) == pooled, form


@pytest.mark.parametrize("L,K", [(1, 3), (3, 3), (4, 5), (6, 2)])
def test_q4c_receptive_field_of_an_impulse(rubric: Rubric, L: int, K: int) -> None:
    # the outputs that depend on one input pixel: its support grows by K - 1 per layer
    support = np.zeros(200)
    support[100] = 1
    for _ in range(L):
        support = np.convolve(support, np.ones(K), mode="same") > 0
    assert reference(rubric, "q4c", "rf", {"L": L, "K": K}) == support.sum()


def test_q4d_pooling_doubles_the_growth_and_quarters_the_positions() -> None:
    def rf(layers: list[tuple[int, int]]) -> list[int]:
        """Receptive field after each (kernel, stride) layer: r += (k - 1) * jump; jump *= stride."""
        r, jump, out = 1, 1, []
        for k, s in layers:
            r += (k - 1) * jump
            jump *= s
            out.append(r)
        return out

    plain = rf([(3, 1), (3, 1), (3, 1)])
    pooled = rf([(3, 1), (2, 2), (3, 1)])
    assert plain[2] - plain[1] == 2 and pooled[2] - pooled[1] == 4  # later growth doubles
    assert (28 * 28) / (14 * 14) == 4  # a 2x2 stride-2 pool leaves a quarter of the positions


def test_q4e_table_values(rubric: Rubric) -> None:
    conv1 = 3 * 3 * 1 * 10 + 10
    conv2_act = (28 // 2, 28 // 2, 10)
    pool2_act = (14 // 2, 14 // 2, 10)
    fc = int(np.prod(pool2_act)) * 3 + 3
    assert (conv1, fc) == (100, 1473) and int(np.prod(pool2_act)) == 490  # FLATTEN's given 490 agrees
    checks = {
        "conv1_params": f"{conv1}",
        "conv2_activations": " × ".join(map(str, conv2_act)),
        "pool2": " × ".join(map(str, pool2_act)),
        "fc_params": f"{fc}",
    }
    for idea_id, text in checks.items():
        patterns = [m["regex"] for m in idea(rubric, "q4e", "table", idea_id).match if isinstance(m, dict)]
        assert any(re.search(p, text) for p in patterns), idea_id
    spec = rubric.part("q4e").answer("table")
    assert spec is not None
    no_bias = spec.misconceptions[0].match[0]
    assert isinstance(no_bias, dict) and re.search(no_bias["regex"], str(fc - 3))


def circular_conv(x: np.ndarray, kernels: np.ndarray) -> np.ndarray:
    """Multi-channel 2D correlation on a torus: out[f] = sum_c sum_ab k[f,c,a,b] x[c, i+a, j+b] (wrapped)."""
    out = np.zeros((kernels.shape[0], *x.shape[1:]))
    for f in range(kernels.shape[0]):
        for c in range(kernels.shape[1]):
            for a in range(kernels.shape[2]):
                for b in range(kernels.shape[3]):
                    out[f] += kernels[f, c, a, b] * np.roll(x[c], (-a, -b), axis=(0, 1))
    return out


def test_q4f_shifted_edges_give_the_same_gap_features(rubric: Rubric) -> None:
    rng = np.random.default_rng(0)
    H, W = 7, 8  # the question's images: a one-pixel horizontal or vertical line
    horizontal = [np.zeros((H, W)) for _ in range(2)]
    horizontal[0][1, :], horizontal[1][5, :] = 1, 1  # x1 and x4
    vertical = [np.zeros((H, W)) for _ in range(2)]
    vertical[0][:, 1], vertical[1][:, 6] = 1, 1  # x2 and x3
    for _ in range(5):
        k1, k2 = rng.normal(size=(3, 1, 2, 2)), rng.normal(size=(3, 3, 2, 2))

        def f(x: np.ndarray, k1: np.ndarray = k1, k2: np.ndarray = k2) -> np.ndarray:
            h = np.maximum(circular_conv(x[None], k1), 0)
            return np.asarray(np.maximum(circular_conv(h, k2), 0).mean(axis=(1, 2)))

        assert np.allclose(f(vertical[1]), f(vertical[0]))  # g3 = g2
        assert np.allclose(f(horizontal[1]), f(horizontal[0]))  # g4 = g1
    g1, g2 = np.array([0.8, 0, 0]), np.array([0, 0.8, 0])  # given in the question
    assert np.allclose(reference(rubric, "q4f", "g3", {}), g2)
    assert np.allclose(reference(rubric, "q4f", "g4", {}), g1)


# --- Q7: weights and gradients in a CNN ----------------------------------------------------------


def conv_layer(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """y_ij = sum_hl x_{i+h-1, j+l-1} w_hl (eq. (10))."""
    k = w.shape[0]
    m = X.shape[0] - k + 1
    return np.array([[np.sum(X[i : i + k, j : j + k] * w) for j in range(m)] for i in range(m)])


def test_q7a_weight_gradient_is_a_correlation_of_x_with_dy() -> None:
    rng = np.random.default_rng(1)
    X, w = rng.normal(size=(6, 6)), rng.normal(size=(3, 3))
    dY = rng.normal(size=(4, 4))  # L = sum dY * Y has upstream gradient dY
    fd = np.zeros_like(w)
    for h in range(3):
        for col in range(3):
            e = np.zeros_like(w)
            e[h, col] = 1e-6
            fd[h, col] = (np.sum(dY * conv_layer(X, w + e)) - np.sum(dY * conv_layer(X, w - e))) / 2e-6
    assert np.allclose(fd, conv_layer(X, dY), atol=1e-6)  # dw_hl = sum_ij dy_ij x_{i+h-1, j+l-1}


@pytest.mark.parametrize("n,k", [(8, 3), (12, 5)])
def test_q7b_weight_gradient_variance_by_monte_carlo(rubric: Rubric, n: int, k: int) -> None:
    rng = np.random.default_rng(n)
    sx, sg = 0.7, 1.3
    m = n - k + 1
    trials = 20000
    # uniform entries (not Gaussian, as the hint asks) with the given variances
    X = rng.uniform(-1, 1, size=(trials, n, n)) * sx * math.sqrt(3)
    dY = rng.uniform(-1, 1, size=(trials, m, m)) * sg * math.sqrt(3)
    dw00 = np.sum(dY * X[:, :m, :m], axis=(1, 2))  # dw_{1,1}
    var = reference(rubric, "q7b", "variance", {"n": n, "k": k, "sigma_x": sx, "sigma_g": sg})
    assert abs(dw00.mean()) < 4 * math.sqrt(var / trials)
    assert math.isclose(dw00.var(), var, rel_tol=0.04)


def test_q7c_pooling_gradients_by_finite_differences() -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(4, 4))
    dY = rng.normal(size=(2, 2))

    def pool(X: np.ndarray, op: Any) -> np.ndarray:
        return np.array([[op(X[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]) for j in range(2)] for i in range(2)])

    for op in (np.max, np.mean):
        fd = np.zeros_like(X)
        for i in range(4):
            for j in range(4):
                e = np.zeros_like(X)
                e[i, j] = 1e-6
                fd[i, j] = (np.sum(dY * pool(X + e, op)) - np.sum(dY * pool(X - e, op))) / 2e-6
        expected = np.zeros_like(X)
        for i in range(2):
            for j in range(2):
                win = X[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
                if op is np.max:
                    a, b = np.unravel_index(np.argmax(win), (2, 2))
                    expected[2 * i + a, 2 * j + b] = dY[i, j]  # routed to the max, 0 elsewhere
                else:
                    expected[2 * i : 2 * i + 2, 2 * j : 2 * j + 2] = dY[i, j] / 4  # a quarter each
        assert np.allclose(fd, expected, atol=1e-6)


@pytest.mark.parametrize(
    "target,answer,verdict",
    [
        ("q1a.runtime", r"2c\, d_{\text{out}}^2 d_{\text{in}}", "correct"),
        ("q1b.runtime", r"2 c d_{out}^2 d_{in}", "incorrect"),
        ("q2e.alpha", r"\alpha = \sqrt{d_{out}}", "correct"),
        ("q2d.alpha", r"\sqrt{d_{out}}", "incorrect"),
        ("q4c.rf", r"L(K-1)+1", "correct"),
        ("q4f.g3", r"g_3 = [0, 0.8, 0]^T", "correct"),
        ("q7b.variance", r"(n-k+1)^2 \sigma_x^2 \sigma_g^2", "correct"),
    ],
)
def test_llm_forms(target: str, answer: str, verdict: str) -> None:
    _, res = check_target(f"{HW}.{target}", answer)
    assert res.verdict == verdict, res.explanation
