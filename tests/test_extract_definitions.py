"""An answer stated in a symbol the attempt defines for itself ("Let M = A^T A"), and an answer stated as
the value of another quantity that an accepted alternative names (``accept[i].names``): synthetic
transcripts and rubric written for these tests."""

from __future__ import annotations

import pytest

from grader.check import check_value
from grader.models import PartResult
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from grader.transcripts import read_text

RUBRIC = r"""
id: defs
title: "Definitions of an attempt"
dims: {n: [3, 4]}
symbols:
  A: {kind: matrix, shape: [n, n]}
  y: {kind: vector, shape: [n]}
  c: {kind: scalar, positive: true}
  w: {kind: vector, shape: [n]}
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - id: w
        kind: expression
        points: 1
        defines: w
        reference: "(A^\\top A + c I)^{-1} A^\\top y"
        accept:
          - reference: "(A^\\top A + c I)^{-1} A^\\top"
            names: ["G"]
            note: "the map from y to w, named G by the question"
        examples:
          right: ["G = (A^T A + c I)^{-1} A^T"]
          wrong: ["w = (A^T A + c I)^{-1} A^T", "G = (A^T A + c I)^{-1} A^T y"]
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "defs.yaml")


def _part(rubric: Rubric, answer: str) -> PartResult:
    chat = f"## User\n\nQuestion 1: solve for w.\n\n## Assistant\n\n{answer}\n"
    result = grade(read_text(chat, "chat.md"), rubric, questions=None).part("q1")
    assert result is not None
    return result


@pytest.mark.parametrize(
    "answer,verdict",
    [
        # --- a symbol the attempt defines, substituted into the answer that uses it
        ("Let $M = A^T A$, a symmetric matrix.\n\nThen $w = (M + c I)^{-1} A^T y$.", "correct"),
        ("The answer is $w = (M + c I)^{-1} A^T y$ where we denote $M = A^T A$.", "correct"),
        ("Let $M = A^T A$.\n\nThen $w = (M - c I)^{-1} A^T y$.", "incorrect"),
        # an equation that no word introduces as a definition is working, not a definition
        ("We find $M = A^T A$.\n\nThen $w = (M + c I)^{-1} A^T y$.", "needs_review"),
        # a declared symbol is never redefined by the attempt
        ("Let $y = A^T A$.\n\nThen $w = (A^T A + c I)^{-1} A^T y$.", "correct"),
        # --- the value of the other quantity an alternative names, under its name only
        ("The map is $G = (A^T A + c I)^{-1} A^T$.", "correct"),
        ("So $w = (A^T A + c I)^{-1} A^T$.", "incorrect"),
        ("The map is $G = (A^T A - c I)^{-1} A^T$.", "incorrect"),
    ],
)
def test_an_answer_in_the_attempts_own_terms(rubric: Rubric, answer: str, verdict: str) -> None:
    assert _part(rubric, answer).final == verdict


@pytest.mark.parametrize(
    "value,verdict",
    [
        ("G = (A^T A + c I)^{-1} A^T", "correct"),
        ("(A^T A + c I)^{-1} A^T y", "correct"),
        # the alternative applies to its own label only, and its label to it only
        ("(A^T A + c I)^{-1} A^T", "incorrect"),
        ("G = (A^T A + c I)^{-1} A^T y", "incorrect"),
    ],
)
def test_check_reads_the_label(rubric: Rubric, value: str, verdict: str) -> None:
    part = rubric.part("q1")
    answer = part.answer("w")
    assert answer is not None
    assert check_value(value, answer, part, rubric, None).verdict == verdict
