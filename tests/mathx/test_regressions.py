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
