"""The ``no_derivation`` flag: working read from plain text, and no flag without a stated formula."""

from __future__ import annotations

import pytest

from grader.align import Attempt, Section
from grader.models import Block
from grader.rubric import get_rubric
from grader.steps_working import no_derivation, plain_equation_lines, shows_working


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a = b + c", ["a = b + c"]),
        ("Step 1: grad = 2 A x - b", ["Step 1: grad = 2 A x - b"]),
        ("x ≤ 3", ["x ≤ 3"]),
        ("The answer depends on whether the learning rate equals the inverse curvature or not.", []),
        ("if a == b: return", []),  # code's comparison, not an equation
        ("x =", []),  # nothing on one side
        ("no relation here", []),
    ],
)
def test_plain_equation_lines(text: str, expected: list[str]) -> None:
    assert plain_equation_lines(text) == expected


def _attempt(*texts: str) -> Attempt:
    blocks = [(i, Block(kind="text", text=t)) for i, t in enumerate(texts)]
    return Attempt(part="q1a", turn=1, sections=[Section("q1a", 1, blocks)], prompt_turns=[0])


PART = get_rubric("cs182-fa25-hw2").part("q1a")


def test_the_part_asks_for_a_derivation() -> None:
    assert PART is not None and PART.asks_derivation


def test_working_in_plain_text_counts() -> None:
    # a PDF's text layer: no $..$ markup, the working is lines of equations
    attempt = _attempt("Setting the gradient to zero:\ng + (2/α) u = 0\nu = −α g / 2")
    assert PART is not None
    assert shows_working(attempt, ["u = −α g / 2"], PART)
    assert no_derivation(attempt, PART, ["u = −α g / 2"], False) == []


def test_a_bare_formula_is_flagged() -> None:
    attempt = _attempt("The answer is", "u = −α g / 2")
    assert PART is not None
    assert no_derivation(attempt, PART, ["u = −α g / 2"], False) == ["no_derivation"]


def test_nothing_stated_is_no_evidence_of_a_bare_result() -> None:
    attempt = _attempt("I think the answer follows from the usual argument about step sizes.")
    assert PART is not None
    assert no_derivation(attempt, PART, [], False) == []
    assert no_derivation(attempt, PART, ["  "], False) == []
