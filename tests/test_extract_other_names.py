"""An answer stated under another name the rubric gives it (``names``): the location of a kink asked as
``e`` and answered as the point ``t = ...`` of the input axis; a side that only restates a name of the
answer is not its value (synthetic transcripts and rubric written for these tests)."""

from __future__ import annotations

import pytest

from grader.models import PartResult
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from grader.transcripts import read_text

RUBRIC = r"""
id: kinks
title: "Kink of a hinge"
symbols:
  t: {kind: scalar}
  a: {kind: scalar, positive: true}
  c: {kind: scalar}
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - id: e
        kind: expression
        points: 1
        defines: e
        names: ["t"]
        reference: "-\\frac{c}{a}"
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "kinks.yaml")


def _part(rubric: Rubric, answer: str) -> PartResult:
    chat = f"## User\n\nQuestion 1: where is the kink?\n\n## Assistant\n\n{answer}\n"
    result = grade(read_text(chat, "chat.md"), rubric, questions=None).part("q1")
    assert result is not None
    return result


@pytest.mark.parametrize(
    "answer,verdict",
    [
        # the point of the input axis where the hinge turns: another name of the kink
        ("The hinge turns where $a t + c = 0 \\Rightarrow t = -c/a$.", "correct"),
        ("The hinge turns where $a t + c = 0 \\Rightarrow t = c/a$.", "incorrect"),
        # "t = k = ...": the middle side restates the answer's own name, the last one is its value
        ("The kink sits at $t = e = -\\frac{c}{a}$.", "correct"),
        # the answer's own name on the right is a label, not Euler's number
        ("So $e = -c/a$, the point $t = e$.", "correct"),
    ],
)
def test_an_answer_under_another_name(rubric: Rubric, answer: str, verdict: str) -> None:
    assert _part(rubric, answer).final == verdict
