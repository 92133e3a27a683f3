"""The formula closing the working: a part's only formula answer, stated on a line of its own and
marked by nothing (no box, no "Answer:"), is read from that line; it can show the answer right, never
wrong (synthetic transcripts written for these tests)."""

from __future__ import annotations

import pytest

from grader.align import Attempt, Section
from grader.extract_assign import closing_formula
from grader.models import Block, PartResult
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from grader.transcripts import read_text

RUBRIC = r"""
id: closing
title: "Closing formulas"
symbols:
  b: {kind: scalar, integer: true, min: 1, max: 64}
  n: {kind: scalar, integer: true, min: 1, max: 512}
  d: {kind: scalar, integer: true, min: 2, max: 64}
  O: {kind: scalar, positive: true, value: 1}
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - {id: compute, kind: expression, points: 1, mode: positive_scale, reference: "b d^2 + b n d"}
  - id: q2
    question: "2"
    points: 2
    answers:
      - {id: first, kind: expression, points: 1, mode: positive_scale, reference: "b d^2"}
      - {id: second, kind: expression, points: 1, mode: positive_scale, reference: "b n d"}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "closing.yaml")


def _part(rubric: Rubric, question: str, answer: str, part: str) -> PartResult:
    chat = f"## User\n\nQuestion {question}: please answer.\n\n## Assistant\n\n{answer}\n"
    result = grade(read_text(chat, "chat.md"), rubric, questions=None).part(part)
    assert result is not None
    return result


def _attempt(*texts: str) -> Attempt:
    blocks = [(i, Block(kind="text", text=t)) for i, t in enumerate(texts)]
    return Attempt("q1", 0, [Section("q1", 0, blocks)], [])


def test_the_last_formula_alone_on_its_line_is_the_closing_one() -> None:
    attempt = _attempt("Projections cost $O(bd^2)$ in all.", "$O(bd^2 + bnd)$", "Where $bnd$ is the scoring.")
    assert [b.value for b in closing_formula(attempt)] == ["O(bd^2 + bnd)"]
    assert closing_formula(attempt)[0].source == "closing"


def test_a_formula_inside_a_sentence_or_a_labelled_equation_does_not_close() -> None:
    assert closing_formula(_attempt("The total is $O(bd^2)$ for the projections.")) == []
    assert closing_formula(_attempt("$O(bd^2)$", "$W = b d$")) == []  # the last one names W


def test_a_right_closing_formula_is_correct(rubric: Rubric) -> None:
    text = "Counting the operations:\n\n$O(bd^{2} + bnd)$\n\nWhere $bd^{2}$ is the projection cost."
    assert _part(rubric, "1", text, "q1").final == "correct"


def test_a_wrong_closing_formula_is_no_evidence(rubric: Rubric) -> None:
    text = "Counting the operations:\n\n$O(bd^{2})$\n\nThe rest is smaller."
    part = _part(rubric, "1", text, "q1")
    assert part.final == "needs_review"
    claims = [c for a in part.attempts for c in a.claims]
    assert claims and all(c.verdict == "unparseable" and c.source == "closing" for c in claims)


def test_a_part_with_several_answers_takes_no_closing_formula(rubric: Rubric) -> None:
    text = "Counting the operations:\n\n$O(bnd)$\n"
    part = _part(rubric, "2", text, "q2")
    assert not [c for a in part.attempts for c in a.claims if c.source == "closing"]


def test_a_formula_the_next_line_continues_does_not_close() -> None:
    # "... $O(bd^2)$ / which is only part of it": the formula sits inside a sentence
    assert closing_formula(_attempt("We then consider", "$O(bd^2)$", "which is only part of it.")) == []
    assert closing_formula(_attempt("$O(bd^2)$", "Where the first term dominates.")) != []
