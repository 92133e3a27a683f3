"""HW5 rubric: every formula and number is re-derived here by code that does not read the rubric's LaTeX
(a linear solve, a direct transpose convolution, finite differences through batch norm, parameter
tensors, Monte Carlo over dropout masks and multiplicative noise, the figure's pixels), then compared
with the rubric's reference as the grader's engine evaluates it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import mathx
from grader.check import check_target
from grader.rubric import load_rubric_file
from grader.rubric.verify import verify_rubric_file

ROOT = Path(__file__).resolve().parents[2]
PATH = ROOT / "rubrics" / "cs182-fa25-hw5.yaml"
RUBRIC = load_rubric_file(PATH)
HW = "cs182-fa25-hw5"


def reference(part: str, answer: str, accept: int | None = None) -> Any:
    """The rubric's reference of ``part.answer`` (or of its ``accept`` entry) as written in the file."""
    spec = RUBRIC.part(part).answer(answer)
    assert spec is not None
    return spec.reference if accept is None else spec.accept[accept].reference


def engine_value(latex: Any, env: dict[str, Any] | None = None) -> Any:
    """The value the grader's engine gives a formula of the rubric at ``env``."""
    return mathx.evaluate(mathx.parse(str(latex), RUBRIC.symbol_table()), env or {})


# --- Q1: convolutions ---------------------------------------------------------------------------------


def test_q1b_filter_solves_the_correlation() -> None:
    signal, out = np.array([1.0, 4, 0, -2, 3]), np.array([-2.0, 2, 11])
    windows = np.array([signal[i : i + 3] for i in range(3)])  # no flip: out_i = <window_i, w>
    w = np.linalg.solve(windows, out)
    assert np.isclose(w[0], 2.0)  # the question's own hint
    got = np.asarray(engine_value(reference("q1b", "filter")), dtype=float).ravel()
    assert np.allclose(got, w)
    assert np.allclose(np.correlate(signal, got, mode="valid"), out)


def transpose_conv(x: np.ndarray, f: np.ndarray, stride: int = 1) -> np.ndarray:
    """Scatter each input entry times the filter at its offset; overlaps add."""
    h = (x.shape[0] - 1) * stride + f.shape[0]
    w = (x.shape[1] - 1) * stride + f.shape[1]
    out = np.zeros((h, w))
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i * stride : i * stride + f.shape[0], j * stride : j * stride + f.shape[1]] += x[i, j] * f
    return out


def test_q1c_transpose_convolution() -> None:
    x, f = np.array([[-1.0, 2], [3, 1]]), np.array([[1.0, -1], [0, 1]])
    expected = transpose_conv(x, f)
    # the 1D example of the question, as a check of the scatter rule (stride 2)
    row = transpose_conv(np.array([[1.0, 10, 100]]), np.array([[1.0, 2, 3]]), stride=2)
    assert row.tolist() == [[1, 2, 13, 20, 130, 200, 300]]
    assert np.allclose(engine_value(reference("q1c", "output")), expected)


# --- Q2: batch norm -----------------------------------------------------------------------------------


def test_q2a_figure_shading(shared: Path) -> None:
    """Cube A shades its right (N by H,W) face, B its left (C by H,W) face, C a thin strip: batch norm
    groups one channel over the batch and pixels (A), layer norm one sample over channels (B)."""
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open(shared / "course" / "hw5.pdf")
    (xref, *_), *_ = doc[0].get_images(full=True)
    pix = pymupdf.Pixmap(doc, xref)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.h, pix.w, pix.n)[:, :, :3].astype(int)
    blue = img[:, :, 2] - img[:, :, 0] > 60
    ink = img.min(axis=2) < 200
    panels = []
    for k in range(3):
        cols = slice(k * pix.w // 3, (k + 1) * pix.w // 3)
        bx, ix = np.nonzero(blue[:, cols])[1], np.nonzero(ink[:, cols])[1]
        panels.append((int(blue[:, cols].sum()), float(bx.mean() - ix.mean())))
    (area_a, side_a), (area_b, side_b), (area_c, _) = panels
    assert side_a > 10 and side_b < -10 and area_c < min(area_a, area_b) / 2
    assert reference("q2a", "batch_norm") == "cube_A" and reference("q2a", "layer_norm") == "cube_B"


def demean_bn(x: np.ndarray, gamma: float, beta: float) -> np.ndarray:
    return gamma * (x - x.mean()) + beta


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_q2b_gradient_by_finite_differences(n: int) -> None:
    rng = np.random.default_rng(n)
    x, c = rng.standard_normal(n), rng.standard_normal(n)
    gamma, beta = 1.7, -0.4

    def loss(xx: np.ndarray) -> float:  # any downstream loss: here sum_j c_j y_j + y_j^3 / 3
        y = demean_bn(xx, gamma, beta)
        return float(c @ y + (y**3).sum() / 3)

    y = demean_bn(x, gamma, beta)
    upstream = c + y**2  # dL/dy_j
    eps = 1e-6
    numeric = np.array([(loss(x + eps * e) - loss(x - eps * e)) / (2 * eps) for e in np.eye(n)])
    for i in range(n):
        env = {"gamma": gamma, "n": n, "dLdy_i": upstream[i], "S": upstream.sum()}
        assert np.isclose(engine_value(reference("q2b", "grad"), env), numeric[i], atol=1e-6)
    if n == 1:
        assert np.isclose(numeric[0], float(engine_value(reference("q2b", "n_one"))), atol=1e-6)


# --- Q3: parameter counts -----------------------------------------------------------------------------


def conv2d(x: np.ndarray, w: np.ndarray, groups: int = 1) -> np.ndarray:
    """A direct 'valid' convolution (cross-correlation); x: (c_in, H, W), w: (c_out, c_in/groups, k, k)."""
    c_out, c_per, k, _ = w.shape
    out = np.zeros((c_out, x.shape[1] - k + 1, x.shape[2] - k + 1))
    per_group = c_out // groups
    for o in range(c_out):
        g = o // per_group
        xs = x[g * c_per : (g + 1) * c_per]
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                out[o, i, j] = np.sum(xs[:, i : i + k, j : j + k] * w[o])
    return out


def test_q3_parameter_counts() -> None:
    rng = np.random.default_rng(3)
    image = rng.standard_normal((3, 8, 8))  # a small stand-in for 3 x 224 x 224: counts do not depend on it
    full = rng.standard_normal((4, 3, 3, 3))
    depthwise, pointwise = rng.standard_normal((3, 1, 3, 3)), rng.standard_normal((4, 3, 1, 1))
    assert conv2d(image, full).shape == (4, 6, 6)
    assert conv2d(conv2d(image, depthwise, groups=3), pointwise).shape == (4, 6, 6)
    assert float(engine_value(reference("q3a", "params"))) == full.size
    assert float(engine_value(reference("q3b", "params"))) == depthwise.size + pointwise.size


# --- Q4, Q5(a): dropout as Tikhonov regularization ----------------------------------------------------


def dropout_objective_mc(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, p: float, rng: Any, count: int
) -> tuple[float, float]:
    masks = rng.random((count, *X.shape)) < p
    res = y[None, :] - np.einsum("kij,j->ki", masks * X[None], w)
    losses = (res**2).sum(axis=1)
    return float(losses.mean()), float(losses.std() / np.sqrt(count))


def _problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((6, 3)), rng.standard_normal(6), rng.standard_normal(3), 0.65


def test_q4a_dropout_objective_by_monte_carlo() -> None:
    X, y, w, p = _problem(40)
    gamma_check = np.diag(np.linalg.norm(X, axis=0))
    mean, stderr = dropout_objective_mc(X, y, w, p, np.random.default_rng(41), 200_000)
    closed = np.sum((y - p * X @ w) ** 2) + p * (1 - p) * np.sum((gamma_check @ w) ** 2)
    assert abs(mean - closed) < 5 * stderr


def test_q4b_rescaled_weights_solve_the_tikhonov_problem() -> None:
    X, y, _, p = _problem(42)
    gamma_check = np.diag(np.linalg.norm(X, axis=0))
    # the dropout argmin (eq. 4), by least squares on stacked rows
    A = np.vstack([p * X, np.sqrt(p * (1 - p)) * gamma_check])
    w_check, *_ = np.linalg.lstsq(A, np.concatenate([y, np.zeros(3)]), rcond=None)
    w = np.asarray(engine_value(reference("q4b", "w"), {"p": p, "w_check": w_check}), dtype=float).ravel()
    # it is the argmin of (3) with Gamma = sqrt((1 - p)/p) Gamma_check
    gamma = np.sqrt((1 - p) / p) * gamma_check
    w_tik, *_ = np.linalg.lstsq(np.vstack([X, gamma]), np.concatenate([y, np.zeros(3)]), rcond=None)
    assert np.allclose(w, w_tik)


def test_q4c_q4d_change_of_variables() -> None:
    rng = np.random.default_rng(43)
    X, y = rng.standard_normal((6, 3)), rng.standard_normal(6)
    gamma = 0.7 * np.diag(np.linalg.norm(X, axis=0))  # (d): diagonal, proportional to the column norms
    X_tilde = np.asarray(engine_value(reference("q4c", "X_tilde"), {"X": X, "Gamma": gamma}))
    for _ in range(5):
        w = rng.standard_normal(3)
        w_tilde = gamma @ w
        assert np.isclose(np.sum((y - X @ w) ** 2), np.sum((y - X_tilde @ w_tilde) ** 2))
    norms = np.linalg.norm(X_tilde, axis=0)
    assert np.allclose(norms, norms[0]) and np.isclose(norms[0], 1 / 0.7)


def test_q5a_ols_formula() -> None:
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((7, 3)), rng.standard_normal(7)
    expected, *_ = np.linalg.lstsq(X, y, rcond=None)
    got = np.asarray(engine_value(reference("q5a", "w"), {"X": X, "y": y}), dtype=float).ravel()
    assert np.allclose(got, expected)


# --- Q6(b): the closed-form backward pass of the rubric's note ----------------------------------------


def test_q6b_batch_norm_backward_formula() -> None:
    rng = np.random.default_rng(6)
    N, D, eps = 5, 3, 1e-5
    X, dY = rng.standard_normal((N, D)), rng.standard_normal((N, D))
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)

    def forward(x: np.ndarray) -> np.ndarray:
        mu, var = x.mean(axis=0), x.var(axis=0)
        return gamma * (x - mu) / np.sqrt(var + eps) + beta

    h = 1e-6
    numeric = np.zeros_like(X)
    for i in range(N):
        for j in range(D):
            e = np.zeros_like(X)
            e[i, j] = h
            numeric[i, j] = np.sum(dY * (forward(X + e) - forward(X - e))) / (2 * h)
    var = X.var(axis=0)
    Z = (X - X.mean(axis=0)) / np.sqrt(var + eps)
    closed = gamma / (N * np.sqrt(var + eps)) * (N * dY - dY.sum(axis=0) - Z * (dY * Z).sum(axis=0))
    assert np.allclose(numeric, closed, atol=1e-6)


# --- Q8: multiplicative Gaussian noise -----------------------------------------------------------------


def test_q8_blanks_by_monte_carlo() -> None:
    rng = np.random.default_rng(8)
    X, y, w = rng.standard_normal((5, 3)), rng.standard_normal(5), rng.standard_normal(3)
    mu, sigma = 0.8, 0.6
    count = 200_000
    R = mu + sigma * rng.standard_normal((count, *X.shape))
    losses = ((y[None, :] - np.einsum("kij,j->ki", R * X[None], w)) ** 2).sum(axis=1)
    gamma = np.sqrt(np.diag(np.diag(X.T @ X)))
    a = float(engine_value(reference("q8", "A"), {"mu": mu, "sigma": sigma}))
    b = float(engine_value(reference("q8", "B"), {"mu": mu, "sigma": sigma}))
    closed = np.sum((y - a * X @ w) ** 2) + b * np.sum((gamma @ w) ** 2)
    assert abs(losses.mean() - closed) < 5 * losses.std() / np.sqrt(count)


# --- the rubric as a whole ------------------------------------------------------------------------------


def test_rubric_check_passes_with_examples() -> None:
    result = verify_rubric_file(PATH)
    assert result.ok, [str(p) for p in result.problems]
    assert result.examples >= 60


def test_part_ids_follow_the_question_pdf() -> None:
    assert [p.id for p in RUBRIC.parts] == [
        "q1a", "q1b", "q1c", "q2a", "q2b", "q3a", "q3b", "q4a", "q4b", "q4c", "q4d", "q5a", "q6a", "q6b",
        "q8", "q9a", "q9b",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "target,answer,verdict",
    [
        ("q1b.filter", "[2, -1, 3]", "correct"),
        ("q1b.filter", "[3, -1, 2]", "incorrect"),
        ("q3b.params", "39", "correct"),
        ("q4b.w", "w = p\\check{w}", "correct"),
        ("q4c.X_tilde", "\\Gamma^{-1} X", "incorrect"),
    ],
)
def test_checks_by_target(target: str, answer: str, verdict: str) -> None:
    assert check_target(f"{HW}.{target}", answer)[1].verdict == verdict


# --- a transcript graded end to end -----------------------------------------------------------------

CHAT = r"""# A chat about HW5

## User

Homework 5, question 1(b): which length-3 filter turns [1, 4, 0, -2, 3] into [-2, 2, 11]?

## Assistant

Writing the three outputs as dot products of sliding windows with the filter gives a 3 by 3 system:

$$w = [2, -1, 3]$$

## User

Question 2(a): which shading is batch normalization and which is layer normalization?

## Assistant

Batch normalization: A (one channel over all samples and pixels).

Layer normalization: B (one sample over all channels and pixels).

## User

Question 4(c): what is the changed data matrix?

## Assistant

Substituting $\tilde{w} = \Gamma w$ gives $X w = X \Gamma^{-1} \tilde{w}$, so

$$\tilde{X} = X \Gamma^{-1}$$
"""


def test_a_transcript_graded_end_to_end(tmp_path: Path) -> None:
    from grader.pipeline import grade
    from grader.transcripts import read_path

    chat = tmp_path / "chat.md"
    chat.write_text(CHAT, encoding="utf-8")
    report = grade(read_path(chat), RUBRIC)
    finals = {p.id: p.final for p in report.parts if p.final != "unanswered"}
    assert finals == {"q1b": "correct", "q2a": "correct", "q4c": "correct"}, [
        (p.id, p.reason) for p in report.parts if p.final != "unanswered"
    ]
