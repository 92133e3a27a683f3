"""HW0 rubric: every formula reference against an independent numpy computation, the concept keys
against simulated SGD steps, the proof targets at their instance, and ``grader rubric check``.

References are evaluated through the grader's engine (``mathx.evaluate`` of the rubric's LaTeX) on
instances built here with the question's real shapes (tall and wide X, a true SVD), which the
rubric's single square-X symbol table cannot draw itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import mathx
from grader.check import check_target
from grader.rubric import Rubric, load_rubric_file
from grader.rubric.verify import verify_rubric_file
from reference_solutions import cs182_fa25_hw0 as hw0

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "rubrics" / "cs182-fa25-hw0.yaml"
HW = "cs182-fa25-hw0"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_file(RUBRIC_PATH)


def reference(rubric: Rubric, part: str, answer: str, env: dict[str, Any], accept: int | None = None) -> Any:
    """The rubric's formula (its reference, or ``accept[i]``) evaluated by the engine on ``env``."""
    spec = rubric.part(part).answer(answer)
    assert spec is not None
    latex = spec.reference if accept is None else spec.accept[accept].reference
    assert isinstance(latex, str)
    table = rubric.symbol_table()
    return mathx.evaluate(mathx.parse(latex, table), env)


def fd_row_gradient(f: Any, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central finite differences of a scalar (or vector) function: the derivative in the row layout
    (one column per coordinate of x)."""
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        cols.append((np.atleast_1d(f(x + e)) - np.atleast_1d(f(x - e))) / (2 * h))
    return np.column_stack(cols)


# --- the rubric file ---------------------------------------------------------------------------


def test_rubric_check_passes_examples_included() -> None:
    result = verify_rubric_file(RUBRIC_PATH)
    assert result.ok, [str(p) for p in result.problems]
    assert result.examples >= 90


def test_part_ids_follow_the_question_pdf(rubric: Rubric) -> None:
    ids = [p.id for p in rubric.parts]
    assert ids == [
        "q2a", "q2b", "q2c", "q2d", "q2e",
        "q3a", "q3b", "q3c", "q3d", "q3e", "q3f",
        "q4a", "q4b", "q4c", "q4d", "q4e", "q4f", "q4g", "q4h",
        "q5a_i", "q5a_ii", "q5a_iii", "q5a_iv", "q5b_i", "q5b_ii", "q5b_iii", "q5b_iv", "q5c", "q5d",
    ]  # fmt: skip


# --- Q2: derivatives by finite differences -------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_q2_derivatives_match_finite_differences(rubric: Rubric, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 4
    x, c, A = rng.normal(size=n), rng.normal(size=n), rng.normal(size=(n, n))
    env = {"x": x, "c": c, "A": A}
    cases = {
        "q2a": lambda v: v @ c,
        "q2b": lambda v: v @ v,
        "q2c": lambda v: A @ v,
        "q2d": lambda v: v @ A @ v,
    }
    for part, f in cases.items():
        fd = fd_row_gradient(f, x)
        got = np.atleast_2d(reference(rubric, part, "derivative", env))
        assert got.shape == fd.shape, part
        assert np.allclose(got, fd, atol=1e-6), part
        # the accepted gradient layout is the transpose of the row derivative
        alt = np.asarray(reference(rubric, part, "derivative", env, accept=0))
        assert np.allclose(alt.reshape(fd.T.shape), fd.T, atol=1e-6), part


def test_q2e_symmetric_a_is_exactly_when_the_derivative_is_2xtA() -> None:
    rng = np.random.default_rng(1)
    B = rng.normal(size=(4, 4))
    sym, gen = B + B.T, B
    xs = rng.normal(size=(6, 4))
    assert all(np.allclose(x @ (sym + sym.T), 2 * x @ sym) for x in xs)
    assert not all(np.allclose(x @ (gen + gen.T), 2 * x @ gen) for x in xs)


# --- Q3: least squares and min-norm ------------------------------------------------------------


def _svd_env(X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    U, s, Vt = np.linalg.svd(X, full_matrices=True)
    Sigma = np.zeros(X.shape)
    Sigma[: len(s), : len(s)] = np.diag(s)
    return {"X": X, "y": y, "U": U, "Sigma": Sigma, "V": Vt.T}


@pytest.mark.parametrize("seed", range(4))
def test_q3_tall_least_squares_matches_lstsq(rubric: Rubric, seed: int) -> None:
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(7, 3)), rng.normal(size=7)
    want = np.linalg.lstsq(X, y, rcond=None)[0]
    env = _svd_env(X, y)
    assert np.allclose(reference(rubric, "q3a", "w", env), want)
    assert np.allclose(reference(rubric, "q3b", "w", env), want)  # SVD form, true rectangular Sigma
    A = np.linalg.pinv(X)
    assert np.allclose(A @ X, np.eye(3))  # q3c: the left inverse


@pytest.mark.parametrize("seed", range(4))
def test_q3_wide_min_norm_matches_lstsq(rubric: Rubric, seed: int) -> None:
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(3, 7)), rng.normal(size=3)
    want = np.linalg.lstsq(X, y, rcond=None)[0]  # lstsq returns the minimum-norm solution
    env = _svd_env(X, y)
    for part in ("q3d", "q3e"):
        got = reference(rubric, part, "w", env)
        assert np.allclose(got, want), part
        assert np.allclose(X @ got, y)
    B = np.linalg.pinv(X)
    assert np.allclose(X @ B, np.eye(3))  # q3f: the right inverse


def test_q3_tall_formula_is_not_the_wide_one() -> None:
    """Why the rubric notes that its square X cannot separate (a) from (d): on a true tall X they differ."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(7, 3))
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(X @ X.T)  # rank 3 < 7: X X^T is singular, X^T (X X^T)^{-1} does not exist


# --- Q4: ridge regression ------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(8, 3), (3, 8), (4, 4)])
def test_q4a_ridge_matches_fake_data_least_squares(rubric: Rubric, shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    X, y, lam = rng.normal(size=shape), rng.normal(size=shape[0]), 0.7
    # independent route: OLS on the augmented data of Q4(d)
    X_hat = hw0.fake_data(X, lam)
    y_hat = np.concatenate([y, np.zeros(shape[1])])
    want = np.linalg.lstsq(X_hat, y_hat, rcond=None)[0]
    env = {**_svd_env(X, y), "lambda": lam}
    assert np.allclose(reference(rubric, "q4a", "w", env), want)
    assert np.allclose(reference(rubric, "q4b", "w", env), want)
    # Q4(e): the first d coordinates of the min-norm solution of [X, sqrt(lam) I] eta = y
    eta = np.linalg.lstsq(hw0.fake_features(X, lam), y, rcond=None)[0]
    assert np.allclose(eta[: shape[1]], want)


def test_q4b_singular_values_are_shifted() -> None:
    rng = np.random.default_rng(3)
    X, lam = rng.normal(size=(6, 4)), 0.5
    s = np.linalg.svd(X, compute_uv=False)
    M = np.linalg.solve(X.T @ X + lam * np.eye(4), X.T)
    assert np.allclose(np.sort(np.linalg.svd(M, compute_uv=False)), np.sort(s / (s**2 + lam)))
    # the two regimes of the concept key
    small, large = 1e-3, 1e3
    assert np.isclose(small / (small**2 + 1.0), small / 1.0, rtol=1e-5)
    assert np.isclose(large / (large**2 + 1.0), 1 / large, rtol=1e-5)


def test_q4g_q4h_limits_of_ridge() -> None:
    rng = np.random.default_rng(4)

    def ridge(X: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
        return np.asarray(np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y))

    X, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    assert np.linalg.norm(ridge(X, y, 1e8)) < 1e-6  # (g): shrinks to 0
    assert np.allclose(ridge(X, y, 1e8) * 1e8, X.T @ y, rtol=1e-4)  # ~ X^T y / lambda
    assert np.allclose(ridge(X, y, 1e-10), np.linalg.solve(X.T @ X, X.T @ y), atol=1e-6)  # (h) tall: OLS
    Xw, yw = rng.normal(size=(3, 6)), rng.normal(size=3)
    kernel = Xw.T @ np.linalg.solve(Xw @ Xw.T + 1e-10 * np.eye(3), yw)
    assert np.allclose(kernel, Xw.T @ np.linalg.solve(Xw @ Xw.T, yw), atol=1e-6)  # (h) wide: min-norm


def test_q4_proof_targets_hold_at_the_instance_and_fail_off_it(rubric: Rubric) -> None:
    table = rubric.symbol_table()
    inst = hw0.proof_instance(np.random.default_rng(0))
    for part in ("q4d", "q4e", "q4f"):
        spec = rubric.part(part).answer("proof")
        assert spec is not None
        for target in spec.target:
            verdict = mathx.check_equation(target, rubric.symbol_table(part), env=inst).verdict
            assert verdict == "correct", (part, target)
    # Q4(d)'s own symbols: the label vector y and y_hat = [y; 0] agree at the instance
    check = mathx.check_equation(r"\hat{X}^\top \hat{y} = X^\top y", rubric.symbol_table("q4d"), env=inst)
    assert check.verdict == "correct"
    assert rubric.symbol_table("q4d").symbols["y"].kind == "vector"
    assert table.symbols["y"].kind == "scalar"  # Q5's y, for every other part
    # a wrong augmentation (lambda instead of sqrt(lambda)) breaks Q4(d)'s target
    bad = {**inst, "X_hat": np.vstack([inst["X"], inst["lambda"] * np.eye(len(inst["X"]))])}
    target = rubric.part("q4d").answer("proof").target[0]  # type: ignore[union-attr]
    assert mathx.check_equation(target, table, env=bad).verdict == "incorrect"


@pytest.mark.parametrize(
    "part,text,verdict",
    [
        (
            "q4d",
            r"$\hat{X}^\top \hat{X} = X^\top X + \lambda I$, so the normal equations are those of ridge.",
            "correct",
        ),
        ("q4d", r"$\hat{X}^\top \hat{X} = X^\top X + \lambda^2 I$", "incorrect"),
        # Q4(d) declares y and w vectors (the rubric's are Q5's scalars): the expansion in vectors reads
        (
            "q4d",
            r"$\hat{X}^\top \hat{X} = X^\top X + \lambda I$ and "
            r"$\|y - Xw\|^2 = y^\top y - 2 w^\top X^\top y + w^\top X^\top X w$",
            "correct",
        ),
        (
            "q4d",
            r"$\hat{X}^\top \hat{y} = X^\top y$ and $\hat{X}^\top \hat{X} = X^\top X + \lambda I$",
            "correct",
        ),
        (
            "q4d",
            r"$\hat{X}^\top \hat{X} = X^\top X + \lambda I$ and $\hat{X}^\top \hat{y} = X y$",
            "incorrect",
        ),
        ("q4d", r"$\hat{X}^\top \hat{X} = X^\top X + \lambda I$ and $y^\top X w = w^\top X y$", "incorrect"),
        # the augmented system written as block matrices: [y; 0] and [X; sqrt(lambda) I] are evaluated
        (
            "q4d",
            r"$\hat{X}^\top \hat{X} = X^\top X + \lambda I$ and $\left\|\begin{bmatrix} y \\ 0 \end{bmatrix} - "
            r"\begin{bmatrix} X \\ \sqrt{\lambda} I \end{bmatrix} w\right\|^2 = \|y - Xw\|^2 + \lambda \|w\|^2$",
            "correct",
        ),
        (
            "q4d",
            r"$\hat{X}^\top \hat{X} = X^\top X + \lambda I$ and $\left\|\begin{bmatrix} y \\ 0 \end{bmatrix} - "
            r"\begin{bmatrix} X \\ \lambda I \end{bmatrix} w\right\|^2 = \|y - Xw\|^2 + \lambda \|w\|^2$",
            "incorrect",
        ),
        (
            "q4f",
            r"$(X^\top X + \lambda I) X^\top = X^\top X X^\top + \lambda X^\top = X^\top (X X^\top + \lambda I)$",
            "correct",
        ),
        ("q4f", r"$(X^\top X + \lambda I) X^\top = X^\top (X X^\top + 2\lambda I)$", "incorrect"),
        # identities written with their sizes (I_n, I_{d}) are the identity, sized by what they stand in
        ("q4f", r"From $X^{T}(XX^{T}+λI_{n}) =(X^{T}X+λI_{d})X^{T}$, multiply by both inverses.", "correct"),
        (
            "q4f",
            r"From $X^{T}(XX^{T}+λI_{n}) =(X^{T}X+2λI_{d})X^{T}$, multiply by both inverses.",
            "incorrect",
        ),
    ],
)
def test_proof_parts_judge_steps(part: str, text: str, verdict: str) -> None:
    _, res = check_target(f"{HW}.{part}.proof", text)
    assert res.verdict == verdict, res.explanation


# --- Q5: the ReLU elbow --------------------------------------------------------------------------


def relu_loss(w: float, b: float, x: float, y: float) -> float:
    return 0.5 * (max(w * x + b, 0.0) - y) ** 2


@pytest.mark.parametrize("seed", range(5))
def test_q5a_derivatives_match_finite_differences(rubric: Rubric, seed: int) -> None:
    rng = np.random.default_rng(seed)
    w, x, y = rng.uniform(0.5, 2), rng.uniform(0.5, 2), rng.normal()
    b = rng.uniform(0.1, 1.0)  # active: w x + b > 0
    phi = w * x + b
    env = {"w": w, "b": b, "x": x, "y": y, "phi": phi}
    h = 1e-6
    d_phi = (0.5 * (phi + h - y) ** 2 - 0.5 * (phi - h - y) ** 2) / (2 * h)
    d_w = (relu_loss(w + h, b, x, y) - relu_loss(w - h, b, x, y)) / (2 * h)
    d_b = (relu_loss(w, b + h, x, y) - relu_loss(w, b - h, x, y)) / (2 * h)
    for part, ans, want in (
        ("q5a_ii", "dldphi", d_phi),
        ("q5a_iii", "dldw", d_w),
        ("q5a_iv", "dldb", d_b),
    ):
        assert np.isclose(reference(rubric, part, ans, env), want, atol=1e-6), part
        assert np.isclose(reference(rubric, part, ans, env, accept=0), want, atol=1e-6), part
    e = reference(rubric, "q5a_i", "e", env)
    assert np.isclose(w * e + b, 0.0)  # the elbow is where the ReLU's input crosses 0


@pytest.mark.parametrize("seed", range(5))
def test_q5a_references_vanish_where_the_relu_is_off(rubric: Rubric, seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    w, x, y = rng.uniform(0.5, 2), rng.uniform(0.5, 2), rng.normal()
    b = -w * x - rng.uniform(0.1, 1.0)  # inactive: w x + b < 0, so phi = 0
    env = {"w": w, "b": b, "x": x, "y": y, "phi": 0.0}
    h = 1e-6
    d_w = (relu_loss(w + h, b, x, y) - relu_loss(w - h, b, x, y)) / (2 * h)
    d_b = (relu_loss(w, b + h, x, y) - relu_loss(w, b - h, x, y)) / (2 * h)
    assert d_w == 0.0 and d_b == 0.0
    assert np.isclose(reference(rubric, "q5a_iii", "dldw", env), d_w, atol=1e-9)
    assert np.isclose(reference(rubric, "q5a_iv", "dldb", env), d_b, atol=1e-9)


def _gd_step(w: float, b: float, x: float, lam: float) -> tuple[float, float]:
    """One gradient step with phi(x) - y = 1, by finite differences of the loss."""
    y = max(w * x + b, 0.0) - 1.0
    h = 1e-7
    gw = (relu_loss(w + h, b, x, y) - relu_loss(w - h, b, x, y)) / (2 * h)
    gb = (relu_loss(w, b + h, x, y) - relu_loss(w, b - h, x, y)) / (2 * h)
    return w - lam * gw, b - lam * gb


def _ideas(rubric: Rubric, part: str) -> set[str]:
    spec = rubric.part(part).answer("effect")
    assert spec is not None
    return {i.id for i in spec.ideas}


def _draw_case(rng: np.random.Generator, case: str) -> tuple[float, float, float]:
    while True:
        w, b, x = rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)
        ok = {
            "ii": w > 0 and x > 0 and w * x + b > 0,
            "iii": w > 0 and x < 0 and w * x + b > 0,
            "iv": w < 0 and x > 0 and w * x + b > 0,
        }[case]
        if ok and abs(w) > 0.2:
            return w, b, x


@pytest.mark.parametrize("case", ["ii", "iii", "iv"])
def test_q5b_slope_and_elbow_moves_agree_with_the_concept_keys(rubric: Rubric, case: str) -> None:
    rng = np.random.default_rng(7)
    lam = 1e-3
    slope, elbow = set(), set()
    for _ in range(300):
        w, b, x = _draw_case(rng, case)
        w2, b2 = _gd_step(w, b, x, lam)
        slope.add("up" if w2 > w else "down")
        elbow.add("right" if -b2 / w2 > -b / w else "left")
    ideas = _ideas(rubric, f"q5b_{case}")
    assert slope == ({"up"} if "slope_up" in ideas else {"down"})
    if "elbow_either" in ideas:
        assert elbow == {"left", "right"}
    else:
        assert elbow == ({"right"} if "elbow_right" in ideas else {"left"})


def test_q5b_i_inactive_relu_does_not_move(rubric: Rubric) -> None:
    w, b, x = 1.0, -2.0, 1.0  # w x + b < 0: phi(x) = 0
    assert _gd_step(w, b, x, 0.1) == (w, b)
    assert "no_change" in _ideas(rubric, "q5b_i")


@pytest.mark.parametrize("seed", range(5))
def test_q5c_q5d_elbows_of_a_simulated_network(rubric: Rubric, seed: int) -> None:
    rng = np.random.default_rng(seed)
    d, lam = 5, 0.05
    W1, b, W2 = rng.normal(size=d), rng.normal(size=d), rng.normal(size=d)
    x, y = rng.normal(), rng.normal()

    def loss(W1: np.ndarray, b: np.ndarray) -> float:
        return 0.5 * float(W2 @ np.maximum(W1 * x + b, 0.0) - y) ** 2

    h = 1e-6
    gW1, gb = np.zeros(d), np.zeros(d)
    for i in range(d):
        e = np.zeros(d)
        e[i] = h
        gW1[i] = (loss(W1 + e, b) - loss(W1 - e, b)) / (2 * h)
        gb[i] = (loss(W1, b + e) - loss(W1, b - e)) / (2 * h)
    W1n, bn = W1 - lam * gW1, b - lam * gb
    fhat = float(W2 @ np.maximum(W1 * x + b, 0.0))
    checked = 0
    for i in range(d):
        env = {"b_i": b[i], "W1_i": W1[i], "W2_i": W2[i], "x": x, "y": y, "fhat": fhat, "lambda": lam}
        assert np.isclose(reference(rubric, "q5c", "e_i", env), -b[i] / W1[i])
        if W1[i] * x + b[i] > 0:  # the rubric's formula is for an active unit
            assert np.isclose(reference(rubric, "q5d", "e_i_new", env), -bn[i] / W1n[i], rtol=1e-5)
            checked += 1
        else:
            assert np.isclose(-bn[i] / W1n[i], -b[i] / W1[i])  # inactive: the elbow stays
    assert checked >= 1


# --- answers in the forms models write ---------------------------------------------------------


@pytest.mark.parametrize(
    "target,answer,verdict",
    [
        ("q3a.w", r"\mathbf{w}^* = (\mathbf{X}^\top\mathbf{X})^{-1}\mathbf{X}^\top\mathbf{y}", "correct"),
        ("q3a.w", r"\mathbf{w}^* = \mathbf{X}^\top\mathbf{y}", "incorrect"),
        ("q4a.w", r"\boxed{\hat{\mathbf{w}} = (X^TX + \lambda I)^{-1} X^T y}", "correct"),
        ("q5a_i.e", r"e = -\frac{b}{w}", "correct"),
        ("q5c.e_i", r"e_i = -\frac{b_i}{W^{(1)}_{i}}", "correct"),
        (
            "q5d.e_i_new",
            r"-\frac{b_i - \lambda(\hat{f}(x) - y) W^{(2)}_i}{W^{(1)}_i - \lambda(\hat{f}(x) - y) W^{(2)}_i x}",
            "correct",
        ),
        ("q5d.e_i_new", r"-\frac{b_i}{W^{(1)}_i}", "incorrect"),
    ],
)
def test_llm_forms(target: str, answer: str, verdict: str) -> None:
    _, res = check_target(f"{HW}.{target}", answer)
    assert res.verdict == verdict, res.explanation


@pytest.mark.parametrize(
    "text,verdict",
    [
        # "both" is no direction: both parameters decreasing says nothing of where the elbow goes
        ("The slope decreases since w' = w - lambda x. Elbow e = -b/w: both b and w decrease.", "partial"),
        (
            "The slope decreases. The elbow can move in both directions, depending on the sign of w - bx.",
            "correct",
        ),
    ],
)
def test_q5b_ii_elbow_either_way_needs_a_direction(text: str, verdict: str) -> None:
    _, res = check_target(f"{HW}.q5b_ii.effect", text)
    assert res.verdict == verdict, res.explanation
