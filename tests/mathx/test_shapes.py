"""Shape inference and dimension errors (HW7 Q3: X m×N, W1 k×m, W2 m×k)."""

import pytest

from grader.mathx import DimensionError, parse, shape_of
from tests.mathx.tables import HW2_Q1, HW7_Q3

SHAPES = [
    # --- HW7 products ---
    (HW7_Q3, r"-2(X - W_2W_1X)X^\top W_1^\top", "(m×k)"),
    (HW7_Q3, r"W_1 X", "(k×N)"),
    (HW7_Q3, r"X X^\top", "(m×m)"),
    (HW7_Q3, r"\mathbf{U}_k^\top \mathbf{U}_k", "(k×k)"),
    (HW7_Q3, r"\operatorname{tr}(X^\top X)", "scalar"),
    (HW7_Q3, r"\|X - W_2 W_1 X\|_F^2", "scalar"),
    (HW7_Q3, r"U_k^\top U_k - I", "(k×k)"),
    # --- vectors ---
    (HW2_Q1, "g^T u", "scalar"),
    (HW2_Q1, "g^T", "(1×d)"),
    (HW2_Q1, "g g^T", "(d×d)"),
    (HW2_Q1, r"-\frac{\alpha}{2} g", "(d,)"),
    (HW2_Q1, r"\|g\|_1 \operatorname{sign}(g)", "(d,)"),
    (HW2_Q1, r"\sum_i |g_i|", "scalar"),
    (HW2_Q1, r"\mathbf{1}^T g", "scalar"),
    (HW2_Q1, "[1, 2, 3]", "(3,)"),
    (HW2_Q1, "2u + g = 0", "(d,)"),
]


@pytest.mark.parametrize("table,text,shape", SHAPES)
def test_shapes(table, text: str, shape: str) -> None:
    assert str(shape_of(parse(text, table), table)) == shape


DIMENSION_ERRORS = [
    # --- invalid products name the product and the inner sizes ---
    (HW7_Q3, r"W_1 X X^\top W_2^\top W_2", ["W_1 X X^\\top W_2^\\top W_2", "inner sizes m and k differ"]),
    (HW7_Q3, r"X W_1", ["inner sizes N and k differ"]),
    # --- equations whose sides differ ---
    (HW7_Q3, r"W_2 W_1 X X^\top = X X^\top W_1^\top", ["sides differ", "(m×m)", "(m×k)"]),
    # --- sums and divisions ---
    (HW2_Q1, "g + alpha", ["cannot add"]),
    (HW2_Q1, "alpha / g", ["division by a non-scalar"]),
    (HW2_Q1, "g^T g^T", ["inner sizes d and 1 differ"]),
]


@pytest.mark.parametrize("table,text,fragments", DIMENSION_ERRORS)
def test_dimension_errors(table, text: str, fragments: list[str]) -> None:
    with pytest.raises(DimensionError) as info:
        shape_of(parse(text, table), table)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_dot_product_of_two_columns() -> None:
    assert str(shape_of(parse(r"g \cdot u", HW2_Q1), HW2_Q1)) == "scalar"
