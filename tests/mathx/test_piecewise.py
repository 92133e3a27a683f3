"""Piecewise definitions, ``\\begin{cases} v & c \\\\ ... \\end{cases}``: read as the value of the row that
holds, compared by value; instances where no row holds are skipped, contradictory rows are not read."""

from __future__ import annotations

import pytest

from grader.errors import MathParseError
from grader.latex import split_top_level
from grader.mathx import SymbolTable, equiv, parse
from grader.mathx import ast as A
from grader.mathx.prose import formulas

C = r"\begin{cases} %s \end{cases}"


def test_cases_parse_to_values_and_guards() -> None:
    node = parse(C % r"r & r > 0 \\ 0 & \text{otherwise}")
    assert isinstance(node, A.Func) and node.name == "piecewise"
    guards = [g.name for g in node.args[1::2] if isinstance(g, A.Func)]
    assert guards == ["case_pos", "case_else"]


@pytest.mark.parametrize(
    "reference,answer,expected",
    [
        # the same function written as cases
        (r"\max(0, r)", C % r"r & r > 0 \\ 0 & \text{otherwise}", "correct"),
        (r"\max(0, r)", C % r"r & \text{if } r \ge 0 \\ 0 & \text{if } r < 0", "correct"),
        (r"|r|", C % r"r & r > 0 \\ -r & r \le 0", "correct"),
        (C % r"r & r > 0 \\ 0 & \text{otherwise}", r"\max(r, 0)", "correct"),
        (
            r"(p - q) s \mathbb{1}_{a s + c > 0}",
            C % r"(p-q) \cdot s & a s + c > 0 \\ 0 & a s + c \le 0",
            "correct",
        ),
        # branches swapped or on the wrong side: a separating instance
        (r"\max(0, r)", C % r"0 & r > 0 \\ r & \text{otherwise}", "incorrect"),
        (
            r"(p - q) s \mathbb{1}_{a s + c > 0}",
            C % r"(p-q) s & a s + c < 0 \\ 0 & a s + c \ge 0",
            "incorrect",
        ),
        (r"r", C % r"r & r > 1 \\ 0 & r < 0", "incorrect"),
    ],
)
def test_cases_are_compared_by_value(reference: str, answer: str, expected: str) -> None:
    result = equiv(reference, answer, SymbolTable())
    assert result.verdict == expected, result.explanation


def test_rows_that_never_hold_give_no_verdict() -> None:
    # conditions of measure zero: no instance has a value, which is no evidence either way
    assert equiv("r", C % r"r & r = 5 \\ 0 & r = 7", SymbolTable()).verdict == "unparseable"


def test_contradictory_rows_are_not_read() -> None:
    # r > 0 and r > 1 both hold at r = 2 with different values: never correct, never incorrect
    assert equiv("r", C % r"r & r > 0 \\ 0 & r > 1", SymbolTable()).verdict == "unparseable"


@pytest.mark.parametrize(
    "text",
    [
        C % r"r & 0 < r < 1 \\ 0 & \text{otherwise}",  # a chain of two comparisons: not read here
        C % r"r & r \in A \\ 0 & \text{otherwise}",
        C % r"r & r > 0",  # one row is no definition by cases
    ],
)
def test_unsupported_conditions_are_parse_errors(text: str) -> None:
    with pytest.raises(MathParseError):
        parse(text)


def test_relations_inside_cases_are_not_top_level() -> None:
    chain = split_top_level(r"f = \begin{cases} 1 & x = 0 \\ 0 & x > 0 \end{cases}")
    assert [rel for rel, _ in chain] == ["", "="]
    assert chain[1][1].startswith(r"\begin{cases}") and chain[1][1].endswith(r"\end{cases}")


def test_a_condition_is_no_formula_of_its_own_in_plain_text() -> None:
    # "φ(x) = 0" read alone would pass for a definition of φ
    found = [
        f.text for f in formulas(r"dl/db = \begin{cases} φ(x) - y & φ(x) > 0 \\ 0 & φ(x) = 0 \end{cases}")
    ]
    assert any(t.startswith(r"\begin{cases}") and t.endswith(r"\end{cases}") for t in found)
    assert not any(t.strip() in ("φ(x) = 0", "0 & φ(x) = 0") for t in found)
