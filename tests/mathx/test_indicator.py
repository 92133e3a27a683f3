"""The indicator of a comparison (``1_{x > 0}``, ``\\mathbb{1}[x \\le c]``, ``\\mathbf{1}\\{...\\}``, ``𝟙``):
read as the unit step of the difference of its sides, so it is evaluated, not an undeclared function."""

from __future__ import annotations

import pytest

from grader.errors import MathParseError
from grader.mathx import SymbolTable, equiv, parse
from grader.mathx import ast as A


@pytest.mark.parametrize(
    "text",
    [
        "1_{u - v > 0}",
        r"\mathbb{1}_{u > v}",
        r"\mathbb{1}[u \ge v]",
        r"\mathbf{1}\{v < u\}",
        "𝟙_{u>v}",
        r"\mathbb{1}\{v \le u\}",
    ],
)
def test_spellings_read_as_a_step(text: str) -> None:
    node = parse(text)
    assert isinstance(node, A.Func) and node.name == "step"
    # every spelling is the same function of u and v
    assert equiv("1_{u > v}", text, SymbolTable()).verdict == "correct"


@pytest.mark.parametrize(
    "text,kind",
    [
        (r"\mathbb{1}^\top z", A.Mul),  # the ones vector is still the ones vector
        ("1[z]", A.Mul),  # a bracket with no comparison is not an indicator
        (r"\mathbb{1}", A.Const),
    ],
)
def test_other_uses_of_one_are_unchanged(text: str, kind: type) -> None:
    assert isinstance(parse(text), kind)


@pytest.mark.parametrize(
    "reference,answer,expected",
    [
        (r"(p - q) s \mathbb{1}_{a s + c > 0}", r"s (p - q) 1_{c + a s > 0}", "correct"),
        (
            r"(p - q) s \mathbb{1}_{a s + c > 0}",
            r"(p - q) s \mathbb{1}[a s + c < 0]",
            "incorrect",
        ),  # wrong side
        (r"(p - q) s \mathbb{1}_{a s + c > 0}", r"(p - q) s", "incorrect"),  # differs where the step is 0
        (r"\max(0, r)", r"r \mathbb{1}[r > 0]", "correct"),
    ],
)
def test_indicators_are_compared_by_value(reference: str, answer: str, expected: str) -> None:
    result = equiv(reference, answer, SymbolTable())
    assert result.verdict == expected, result.explanation


def test_indicator_of_an_equation_is_not_read() -> None:
    # only a comparison of two sides is a step; 1_{i = j} (a Kronecker delta) stays unread
    with pytest.raises(MathParseError):
        parse("1_{i = j}")
