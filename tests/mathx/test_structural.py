"""scalar_equal: sets, tuples, intervals, unions, equations, inequalities and numbers."""

import pytest

from grader.mathx import parse, scalar_equal

CASES = [
    # --- sets are unordered, tuples ordered ---
    (r"\{1, 2\}", r"\{2, 1\}", True),
    (r"\{1, 2\}", r"\{1, 3\}", False),
    ("(1, 2)", "(1, 2)", True),
    (r"(3, \frac{\pi}{2})", r"(3, \frac{1}{2}\pi)", True),
    ("(1, 2, 3)", "(2, 1, 3)", False),
    # --- intervals and unions ---
    ("[0, 1)", "[0, 1)", True),
    ("[0, 1)", "(0, 1)", False),
    (r"(2, 12) \cup (12, 102)", r"(12, 102) \cup (2, 12)", True),
    (r"(2, 12) \cup (12, 102)", r"(2, 12) \cup [12, 102)", False),
    (r"(0, \infty)", r"(0, \infty)", True),
    # --- equations and inequalities ---
    ("x = 1", "x = 1", True),
    ("x = 1", "x = 2", False),
    ("y = 2x + 1", "2x + 1 = y", True),
    (r"x \le 2", "x <= 2", True),
    (r"x \ge 2", r"2 \le x", True),
    (r"x < 2", r"x \le 2", False),
    # --- numbers and formulas ---
    ("0.5", r"\frac{1}{2}", True),
    (r"\frac{1}{3}", "0.333", True),
    ("x^2 - 1", "(x-1)(x+1)", True),
    ("x^2", "x^3", False),
    (r"30^\circ", "30", True),
    (r"5\text{ cm}", "5", True),
]


@pytest.mark.parametrize("a,b,expected", CASES)
def test_scalar_equal(a: str, b: str, expected: bool) -> None:
    assert scalar_equal(parse(a), parse(b)) is expected
