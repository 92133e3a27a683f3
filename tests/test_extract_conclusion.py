"""The display formula a conclusion line announces ("Hence", then ``$$...$$``) is the answer of a part
whose answer has no name to define it (synthetic transcripts written for these tests)."""

from __future__ import annotations

import pytest

from grader.models import PartResult
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from grader.transcripts import read_text

RUBRIC = r"""
id: concluded
title: "Answers announced by a conclusion line"
symbols:
  b: {kind: scalar, positive: true}
  n: {kind: scalar, positive: true}
  O: {kind: scalar, value: 1, note: "big-O around a complexity: a factor 1"}
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - {id: cost, kind: expression, points: 1, mode: positive_scale, reference: "b n^2 + b n"}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "concluded.yaml")


def _part(rubric: Rubric, answer: str) -> PartResult:
    chat = f"## User\n\nQuestion 1: what does it cost?\n\n## Assistant\n\n{answer}\n"
    result = grade(read_text(chat, "chat.md"), rubric, questions=None).part("q1")
    assert result is not None
    return result


def _values(part: PartResult) -> list[tuple[str, str]]:
    return [(c.text, c.verdict) for a in part.attempts for c in a.claims]


@pytest.mark.parametrize("word", ["Hence", "Therefore:", "So the answer is", "**Thus**"])
def test_a_formula_under_a_conclusion_line_is_the_answer(rubric: Rubric, word: str) -> None:
    text = f"The products cost $O(b n^2)$ and the sums $O(b n)$.\n\n{word}\n\n$$O(b n^2 + b n)$$"
    part = _part(rubric, text)
    assert _values(part) == [("O(b n^2 + b n)", "correct")]


def test_a_wrong_concluded_formula_is_wrong(rubric: Rubric) -> None:
    part = _part(rubric, "Counting the products only.\n\nHence\n\n$$O(b n^2)$$")
    assert part.final == "incorrect"


def test_only_the_last_conclusion_counts(rubric: Rubric) -> None:
    text = "Hence\n\n$$O(b n^2)$$\n\nand adding the sums, therefore\n\n$$O(b n^2 + b n)$$"
    # "and adding the sums, therefore" is prose, not a conclusion line: the first formula is the one
    assert _values(_part(rubric, text)) == [("O(b n^2)", "incorrect")]
    text = "Hence\n\n$$O(b n^2)$$\n\nAdding the sums.\n\nTherefore\n\n$$O(b n^2 + b n)$$"
    assert _values(_part(rubric, text)) == [("O(b n^2 + b n)", "correct")]


def test_a_boxed_answer_wins_over_a_conclusion(rubric: Rubric) -> None:
    text = "Hence\n\n$$O(b n)$$\n\nso the total is $\\boxed{O(b n^2 + b n)}$."
    assert _values(_part(rubric, text)) == [("O(b n^2 + b n)", "correct")]


def test_a_formula_after_prose_is_no_answer(rubric: Rubric) -> None:
    part = _part(rubric, "We then consider\n\n$$O(b n^2)$$\n\nwhich is only part of it.")
    assert part.final == "unanswered"


def test_a_condition_on_an_answer_line_is_not_the_answer(rubric: Rubric) -> None:
    part = _part(rubric, "Answer: when $b \\ll n$, the sums dominate the cost.")
    assert part.final == "unanswered" and _values(part) == []
    part = _part(rubric, "Answer: $O(b n^2 + b n)$ when $b \\ll n$.")
    assert _values(part) == [("O(b n^2 + b n)", "correct")]
