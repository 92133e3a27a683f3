"""A chain of approximations (``v ≈ a ≈ b ≈ c``) narrows to its last value: a value between two ``≈``
that agrees with the last one to leading order is a step of the simplification, not a second statement
of the answer; values tied to the name by ``=`` before the first ``≈``, and middle values that do not
agree, still are (synthetic transcripts written for these tests)."""

from __future__ import annotations

import pytest

from grader.extract import chain_values
from grader.models import PartResult
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from grader.transcripts import read_text

RUBRIC = r"""
id: approx
title: "Approximation chains"
symbols:
  s: {kind: scalar, positive: true}
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - id: v
        kind: expression
        points: 1
        defines: v
        reference: "\\frac{s^4}{(s^2+1)^2} + \\frac{s^2}{s^2+1}"
        accept:
          - reference: "s^2"
            note: "leading order for small s"
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "approx.yaml")


def _part(rubric: Rubric, answer: str) -> PartResult:
    chat = f"## User\n\nQuestion 1: please answer.\n\n## Assistant\n\n{answer}\n"
    result = grade(read_text(chat, "chat.md"), rubric, questions=None).part("q1")
    assert result is not None
    return result


@pytest.mark.parametrize(
    "chain,kept",
    [
        # middle values that agree with the last one to leading order (s -> 0) are steps
        ([("", "v"), ("≈", "s^2/(s^2+1)"), ("≈", "s^2(1 - s^2)"), ("≈", "s^2")], ["s^2"]),
        ([("", "v"), ("=", "a"), ("=", "b"), ("\\approx", "s/(s+1)"), ("\\approx", "s")], ["a", "b", "s"]),
        # a middle value off by a factor is a second statement of the answer, not a step
        ([("", "u"), ("≈", "-a g"), ("≈", "-a g/2")], ["-a g", "-a g/2"]),
        # what cannot be read is not a step
        ([("", "v"), ("≈", "\\frac{s}{"), ("≈", "s")], ["\\frac{s}{", "s"]),
        ([("", "v"), ("=", "a"), ("=", "b")], ["a", "b"]),  # no approximation: every value
        ([("", "v"), ("≈", "a"), ("=", "b")], ["a", "b"]),  # ends exact: every value
    ],
)
def test_chain_values(chain: list[tuple[str, str]], kept: list[str]) -> None:
    assert [v for _, v in chain_values(chain)] == kept


def test_simplification_steps_towards_the_leading_order_are_not_second_answers(rubric: Rubric) -> None:
    text = "Dropping the small term:\n\n$$v \\approx \\frac{s^2}{s^2+1} \\approx s^2(1 - s^2) \\approx s^2$$"
    assert _part(rubric, text).final == "correct"


def test_the_last_value_of_an_approximation_chain_still_decides(rubric: Rubric) -> None:
    text = "Dropping the small term:\n\n$$v \\approx \\frac{s^2}{s^2+1} \\approx 2 s^2$$"
    assert _part(rubric, text).final == "incorrect"


def test_an_exact_value_before_the_approximations_is_still_checked(rubric: Rubric) -> None:
    text = "Summing both terms:\n\n$$v = \\frac{s^2}{s^2+1} \\approx s^2$$"
    assert _part(rubric, text).final != "correct"
