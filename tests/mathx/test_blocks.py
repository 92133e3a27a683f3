"""Block matrices: numeric evaluation (``np.block`` with 0 and I blocks sized by their neighbours or by
the expression), shape inference that agrees, and equations that use them (ridge regression)."""

import numpy as np
import pytest

from grader.errors import MathParseError
from grader.mathx import DimensionError, EvalError, check_equation, evaluate, parse, shape_of
from grader.mathx.blocks import BlockSizeError, Cell, solve, solve_sized
from tests.mathx.tables import RIDGE

STACKED_X = r"\begin{bmatrix} X \\ \sqrt{\lambda} I \end{bmatrix}"
STACKED_Y = r"\begin{bmatrix} y \\ 0 \end{bmatrix}"


@pytest.fixture
def env() -> dict[str, object]:
    rng = np.random.default_rng(7)
    return {
        "X": rng.standard_normal((6, 3)),
        "y": rng.standard_normal(6),
        "w": rng.standard_normal(3),
        "lambda": 2.5,
    }


def value(text: str, env: dict[str, object]) -> np.ndarray | float:
    return evaluate(parse(text, RIDGE), env)


def test_stacking_vectors(env) -> None:
    out = value(r"\begin{bmatrix} y \\ y \end{bmatrix}", env)
    np.testing.assert_allclose(out, np.r_[env["y"], env["y"]])
    out = value(r"\begin{bmatrix} y \\ 1 \end{bmatrix}", env)  # a scalar entry is one entry
    np.testing.assert_allclose(out, np.r_[env["y"], 1.0])


def test_matrix_over_scaled_identity_takes_its_size_from_the_column(env) -> None:
    out = value(STACKED_X, env)
    assert out.shape == (9, 3)
    np.testing.assert_allclose(out[:6], env["X"])
    np.testing.assert_allclose(out[6:], np.sqrt(2.5) * np.eye(3))


def test_zero_block_sized_by_its_neighbours(env) -> None:
    out = value(r"\begin{bmatrix} X & y \\ 0 & 1 \end{bmatrix}", env)
    assert out.shape == (7, 4)
    np.testing.assert_allclose(out[6], [0.0, 0.0, 0.0, 1.0])
    np.testing.assert_allclose(out[:6, 3], env["y"])


def test_zero_block_sized_by_the_expression(env) -> None:
    # [y; 0] alone has no size for its 0; the difference with a vector of n + d entries gives d
    out = value(f"{STACKED_Y} - {STACKED_X} w", env)
    x, y, w = env["X"], env["y"], env["w"]
    np.testing.assert_allclose(out, np.r_[y - x @ w, -np.sqrt(2.5) * w])
    out = value(f"{STACKED_X}^T {STACKED_Y}", env)  # the transpose is kept on a block column
    np.testing.assert_allclose(out, x.T @ y)
    with pytest.raises(EvalError, match="cannot size"):
        value(STACKED_Y, env)


def test_side_by_side_blocks(env) -> None:
    out = value(r"\begin{bmatrix} X & y \end{bmatrix}", env)
    np.testing.assert_allclose(out, np.c_[env["X"], env["y"]])
    out = value(r"\begin{bmatrix} X & 0 \\ 0 & 2I \end{bmatrix} \begin{bmatrix} w \\ y \end{bmatrix}", env)
    np.testing.assert_allclose(out, np.r_[env["X"] @ env["w"], 2 * env["y"]])


@pytest.mark.parametrize(
    "text",
    [
        r"\begin{bmatrix} X \\ y^T \end{bmatrix}",  # widths d and n in one column
        r"\begin{bmatrix} X & w \end{bmatrix}",  # heights n and d in one row
        r"\begin{bmatrix} X & I \\ y^T & 0 \end{bmatrix}",  # I would be n x n beside X, 1 row under it
    ],
)
def test_mismatched_blocks_are_not_compared_and_never_a_value(text: str, env) -> None:
    """Blocks that do not fit give no value and no dimension error (which would grade the claim
    incorrect): a block matrix read from a PDF often lost an entry, so a person checks it."""
    with pytest.raises(EvalError, match="do not fit|not square"):
        value(text, env)
    with pytest.raises(MathParseError, match="a person checks it") as caught:
        shape_of(parse(text, RIDGE), RIDGE)
    assert not isinstance(caught.value, DimensionError)


def test_a_zero_block_the_total_cannot_fit(env) -> None:
    with pytest.raises(EvalError, match="exceed"):
        value(r"\begin{bmatrix} y \\ 0 \end{bmatrix} - y", env)


@pytest.mark.parametrize(
    "text, shape",
    [
        (STACKED_X, "(*×d)"),  # n + d rows: not a name of the table, so it adapts
        (STACKED_Y, "(*,)"),
        ("[y; w]", "(*,)"),
        (r"\begin{bmatrix} X & y \end{bmatrix}", "(n×*)"),
        (f"{STACKED_X}^T {STACKED_Y}", "(d,)"),
        (f"\\|{STACKED_Y} - {STACKED_X} w\\|^2", "scalar"),
        (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "(2×2)"),  # scalar entries, as before
    ],
)
def test_shape_inference_agrees(text: str, shape: str) -> None:
    assert str(shape_of(parse(text, RIDGE), RIDGE)) == shape


def test_bracketed_list_of_vectors_is_not_guessed(env) -> None:
    # [y, w] may be a pair, a stack or side by side: not compared, never a value
    with pytest.raises(EvalError):
        value("[y, w]", env)
    with pytest.raises(MathParseError) as caught:  # not compared: not a dimension error either
        shape_of(parse("[y, w]", RIDGE), RIDGE)
    assert not isinstance(caught.value, DimensionError)


def test_semicolons_stack_as_in_matlab(env) -> None:
    out = value("[y; w]", env)
    np.testing.assert_allclose(out, np.r_[env["y"], env["w"]])
    out = value(r"[y; 0] - [X; \sqrt{\lambda} I] w", env)
    np.testing.assert_allclose(out, np.r_[env["y"] - env["X"] @ env["w"], -np.sqrt(2.5) * env["w"]])
    assert parse("[1; 2]", RIDGE) == parse("[1, 2]", RIDGE)  # scalar lists read as before


@pytest.mark.parametrize(
    "rhs, verdict",
    [
        (r"\|y - Xw\|^2 + \lambda \|w\|^2", "correct"),
        (r"\|y - Xw\|^2 + \lambda^2 \|w\|^2", "incorrect"),
        (r"\|y - Xw\|^2", "incorrect"),
    ],
)
def test_ridge_objective_as_one_least_squares(rhs: str, verdict: str) -> None:
    lhs = f"\\left\\|{STACKED_Y} - {STACKED_X} w\\right\\|^2"
    result = check_equation(f"{lhs} = {rhs}", RIDGE)
    assert result.verdict == verdict, result.explanation


def test_ridge_normal_equations_from_the_stacked_matrix() -> None:
    text = f"{STACKED_X}^T {STACKED_X} = X^T X + \\lambda I"
    assert check_equation(text, RIDGE).verdict == "correct"
    wrong = f"{STACKED_X}^T {STACKED_X} = X^T X + \\sqrt{{\\lambda}} I"
    assert check_equation(wrong, RIDGE).verdict == "incorrect"


def test_solver() -> None:
    # an identity under a 5 x 3 block is 3 x 3; a zero beside it takes its row's height
    sizes = solve([[Cell(5, 3), Cell(5, 1)], [Cell(None, None, square=True), Cell(None, None)]], int.__eq__)
    assert (sizes.heights, sizes.widths) == ([5, 3], [3, 1])
    assert solve_sized([[Cell(4, 1)], [Cell(None, None)]], total_rows=6).heights == [4, 2]
    with pytest.raises(BlockSizeError, match="block row 1"):
        solve([[Cell(5, 3), Cell(4, 1)]], int.__eq__)
    with pytest.raises(BlockSizeError, match="not square"):
        solve([[Cell(1, 1), Cell(1, 2)], [Cell(5, 1), Cell(None, None, square=True)]], int.__eq__)
