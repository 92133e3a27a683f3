"""An answer's other names (``names``): the question's own notation for the quantity labels its value."""

from __future__ import annotations

import pytest

from grader.rubric import Rubric, parse_rubric_text
from tests.chats import chat, finals

RUBRIC = r"""
id: toy-names
title: "A kernel written two ways"
symbols:
  q: {kind: scalar}
  k: {kind: scalar}
parts:
  - id: q1a
    question: "1"
    label: "a"
    points: 1
    answers:
      - {id: sim, kind: expression, points: 1, NAMES reference: "(q k + 1)^2"}
"""


def rubric(names: str) -> Rubric:
    return parse_rubric_text(RUBRIC.replace("NAMES", names), "toy-names.yaml")


@pytest.mark.parametrize(
    "statement,expected",
    [
        # --- the other name, applied to its arguments, labels the value
        ("(a) $K(q, k) = (q k + 1)^2$", "correct"),
        ("(a) $K(q,k) = (q k)^2$", "incorrect"),
        # --- the bare letter is not the name (K is also a matrix of keys)
        ("(a) The keys are stacked.\n$K = q k$", "unanswered"),
    ],
)
def test_the_questions_other_name_labels_the_answer(statement: str, expected: str) -> None:
    t = chat(("user", ["Solve problem 1 (a)."]), ("assistant", [statement]))
    assert finals(t, rubric('names: ["K(q, k)"],'))["q1a"] == expected


def test_without_the_other_name_the_statement_is_not_read_as_the_answer() -> None:
    t = chat(("user", ["Solve problem 1 (a)."]), ("assistant", ["(a) $K(q,k) = (q k)^2$"]))
    assert finals(t, rubric(""))["q1a"] != "incorrect"
