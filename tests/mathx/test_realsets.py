"""Subsets of the real line: the same set however it is written."""

from __future__ import annotations

import pytest

from grader.mathx import parse
from grader.mathx.realsets import NotASet, SetReader

SETS = [
    # --- intervals and their ends ---
    ("(0, 1)", "(0, 1)", True),
    ("(0, 1)", "[0, 1]", False),
    (r"[0, \infty)", r"[0, +\infty)", True),
    (r"(-\infty, 0]", r"(-\infty, 0)", False),
    # --- unions, intersections, differences ---
    (r"(-\infty, 2) \cup (3, \infty)", r"\mathbb{R} \setminus [2, 3]", True),
    (r"[1, 3] \cup [2, 5]", "[1, 5]", True),
    (r"[1, 3] \cap [2, 5]", "[2, 3]", True),
    (r"[0, 4] \setminus (1, 2)", r"[0, 1] \cup [2, 4]", True),
    (r"[0, 4] \setminus (1, 2)", r"[0, 1) \cup (2, 4]", False),
    (r"(0, 2) \setminus \{1\}", r"(0, 1) \cup (1, 2)", True),
    (r"\mathbb{R} \setminus \{0\}", r"(-\infty, 0) \cup (0, \infty)", True),
    (r"[0, 1] \cap [2, 3]", r"\emptyset", True),
    # --- inequalities in one unknown ---
    ("x > 2", r"(2, \infty)", True),
    (r"-1 \le x < 3", "[-1, 3)", True),
    (r"|x| \le 2", "[-2, 2]", True),
    ("x^2 > 4", r"(2, \infty)", False),
    ("x^2 > 4", r"(-\infty, -2) \cup (2, \infty)", True),
    (r"x \ne 1", r"\mathbb{R} \setminus \{1\}", True),
    ("-2x < 8", "x > -4", True),
    # --- finite sets and alternatives ---
    (r"\{3, 1, 2\}", r"\{1, 2, 3\}", True),
    (r"x = 1 \text{ or } x = 4", r"\{4, 1\}", True),
]


@pytest.mark.parametrize("a,b,equal", SETS)
def test_same_set(a: str, b: str, equal: bool) -> None:
    reader = SetReader({})
    assert (reader.read(parse(a)) == reader.read(parse(b))) is equal


def test_describe_writes_the_canonical_form() -> None:
    s = SetReader({}).read(parse(r"[0, 2] \setminus \{1\}"))
    assert s.describe() == r"[0.0, 1.0) \cup (1.0, 2.0]"


@pytest.mark.parametrize("text", ["x + y < 1", r"\{1 + i\}", "(a, b, c)"])
def test_not_a_set_of_reals(text: str) -> None:
    with pytest.raises(NotASet):
        SetReader({}).read(parse(text))
