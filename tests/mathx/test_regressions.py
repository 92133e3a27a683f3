"""Regressions found by the benchmarks (named after the case that found them)."""

from __future__ import annotations

import pytest

from grader import mathx


@pytest.mark.parametrize(
    "reference, answer, verdict",
    [
        # mathverify_suite mv121: the column spec of \begin{array}{cc} is layout, and brackets drawn
        # around a matrix do not make it a 1-element list.
        (
            r"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}",
            r"\left[\begin{array}{cc}1 & 2 \\ 3 & 4\end{array}\right]",
            "correct",
        ),
        (
            r"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}",
            r"\left[\begin{array}{cc}1 & 2 \\ 4 & 3\end{array}\right]",
            "incorrect",
        ),
        # a bracket list of numbers is still a column vector
        (r"\begin{bmatrix}1\\2\end{bmatrix}", r"[1, 2]", "correct"),
    ],
)
def test_matrix_forms(reference: str, answer: str, verdict: str) -> None:
    assert mathx.equiv(reference, answer).verdict == verdict


@pytest.mark.parametrize(
    "reference, answer, verdict",
    [
        # Two scalars are proportional on any one instance; equations match only by a constant factor.
        ("2x+4y-3=0", "2x+4y-4=0", "incorrect"),
        ("2x+4y-3=0", "4x+8y-6=0", "correct"),
        (r"x^2/4 + y^2/3 = 1", r"x^2/16 + y^2/12 = 1/4", "correct"),
        # a labelled value is still compared by its value
        ("1", "x = 1", "correct"),
    ],
)
def test_equations_compare_up_to_a_constant_factor(reference: str, answer: str, verdict: str) -> None:
    assert mathx.equiv(reference, answer).verdict == verdict


def test_vector_conditions_may_differ_by_a_symbol_dependent_factor() -> None:
    from tests.mathx.tables import HW2_Q1

    # g + (2/α) u = 0 is the same condition as u + (α/2) g = 0 (factor 2/α, α > 0)
    assert (
        mathx.equiv(
            r"g + \frac{2}{\alpha} u", r"u + \frac{\alpha}{2} g = 0", HW2_Q1, mode="nonzero_scale"
        ).verdict
        == "correct"
    )


@pytest.mark.parametrize(
    "reference, answer, verdict",
    [
        # DESIGN.md: decimals are accepted when they round correctly at the precision written
        (r"\frac{10000}{10101}", "0.99", "correct"),
        (r"\frac{100}{111}", "0.91", "incorrect"),
        (r"\frac{100}{111}", "0.90", "correct"),
        (r"\frac{1}{3}", "0.333", "correct"),
        (r"\frac{10}{3}", "3.3", "correct"),
        # a long decimal may be one unit off in its last place (benchmark claim c024)
        (r"\frac{10000}{10101}", "0.9901", "correct"),
        (r"\frac{10000}{10101}", "0.9903", "incorrect"),
        (r"\frac{1}{3}", "0.34", "incorrect"),
    ],
)
def test_decimal_precision_rule(reference: str, answer: str, verdict: str) -> None:
    assert mathx.equiv(reference, answer).verdict == verdict


@pytest.mark.parametrize(
    "sides, ops, other, expected",
    [
        # mathverify_suite mv197: |z| between bounds is a union of two intervals
        (["1", "|z|", "\\frac{3}{2}"], ["<=", "<="], "[-\\frac{3}{2}, -1] \\cup [1, \\frac{3}{2}]", True),
        (["1", "|z|", "2"], ["<=", "<="], "[-2, -1] \\cup [1, 3]", False),  # wrong end
        (["1", "|z|", "2"], ["<", "<="], "[-2, -1] \\cup [1, 2]", False),  # open vs closed at 1
        (["x^2", "4"], ["<"], "(-2, 2)", True),
        (["x", "y"], ["<"], "(0, 1)", None),  # two unknowns: not decided this way
    ],
)
def test_inequality_against_union_as_real_sets(sides, ops, other, expected) -> None:
    from grader.mathx.freeform import same_real_set

    assert same_real_set(sides, ops, other) is expected
