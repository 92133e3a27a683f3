"""Several answers in one part: each takes the statements that are about it (words, order, labels),
comma-joined equations come apart, and a statement about something else is no evidence."""

from __future__ import annotations

import pytest

from grader.models import PartResult
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from grader.transcripts import read_text

RUBRIC = r"""
id: several
title: "Parts with several answers"
dims: {d: [2, 4]}
symbols:
  alpha: {kind: scalar, positive: true, aliases: ["\\alpha"]}
  g: {kind: vector, shape: [d]}
  n: {kind: scalar, integer: true, min: 2, max: 9}
  g3: {kind: scalar, aliases: ["g_3"]}
  g4: {kind: scalar, aliases: ["g_4"]}
parts:
  - id: q1
    question: "1"
    points: 2
    answers:
      - {id: compute, kind: number, points: 1, reference: "6 \\times 10^{23}", tolerance: "5%", unit: FLOP}
      - {id: tokens, kind: number, points: 1, reference: "2 \\times 10^{12}", tolerance: "5%", unit: tokens}
  - id: q2
    question: "2"
    points: 2
    answers:
      - {id: g3, kind: number, points: 1, defines: g3, reference: 3}
      - {id: g4, kind: number, points: 1, defines: g4, reference: 4}
  - id: q3
    question: "3"
    points: 2
    answers:
      - {id: u, kind: expression, points: 1, reference: "-\\frac{\\alpha}{2} g"}
      - {id: count, kind: number, points: 1, reference: 12}
  - id: q4
    question: "4"
    points: 2
    answers:
      - {id: loss, kind: choice, points: 1, options: ["L1", "MSE", "cross-entropy"], reference: MSE}
      - {id: optim, kind: choice, points: 1, options: ["SGD", "Adam", "Newton"], reference: Adam}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "several.yaml")


def _part(rubric: Rubric, question: str, answer: str, part: str) -> PartResult:
    chat = f"## User\n\nQuestion {question}: please answer.\n\n## Assistant\n\n{answer}\n"
    result = grade(read_text(chat, "chat.md"), rubric, questions=None).part(part)
    assert result is not None
    return result


def _claims(part: PartResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for attempt in part.attempts:
        for c in attempt.claims:
            out.setdefault(c.answer, []).append(c.verdict)
    return out


def test_bare_values_go_to_the_answer_their_words_name(rubric: Rubric) -> None:
    # stated in the other order than the rubric lists them: the units decide
    text = (
        "Tokens needed: $\\boxed{2 \\times 10^{12}}$ tokens.\n\nCompute: $\\boxed{6 \\times 10^{23}}$ FLOP."
    )
    part = _part(rubric, "1", text, "q1")
    assert _claims(part) == {"tokens": ["correct"], "compute": ["correct"]}
    assert part.final == "correct"


def test_bare_values_without_words_go_in_order(rubric: Rubric) -> None:
    text = "First, $\\boxed{6 \\times 10^{23}}$.\n\nThen $\\boxed{2 \\times 10^{12}}$."
    assert _claims(_part(rubric, "1", text, "q1")) == {"compute": ["correct"], "tokens": ["correct"]}


def test_one_bare_value_for_two_answers_is_about_neither_by_order(rubric: Rubric) -> None:
    # before: the same boxed value went to both answers and one of them was marked incorrect
    part = _part(rubric, "1", "So the answer is $\\boxed{6 \\times 10^{23}}$.", "q1")
    assert "incorrect" not in {v for vs in _claims(part).values() for v in vs}
    assert part.final == "needs_review"


def test_comma_joined_equations_come_apart(rubric: Rubric) -> None:
    part = _part(rubric, "2", "The two gradients are $g_3 = 3, g_4 = 4$.", "q2")
    assert _claims(part) == {"g3": ["correct"], "g4": ["correct"]}
    assert part.final == "correct"


def test_a_bare_formula_about_something_else_is_no_evidence(rubric: Rubric) -> None:
    # the part's count is stated (wrong); the bare formula in n is not about u
    text = "**Answer:** $\\boxed{n^2 + 3}$\n\nThe count is $u$-independent: count $= 12$."
    part = _part(rubric, "3", text, "q3")
    u = [c for a in part.attempts for c in a.claims if c.answer == "u"]
    assert all(c.verdict != "incorrect" for c in u), [c.explanation for c in u]


def test_a_remark_after_an_answer_line_is_not_an_answer(rubric: Rubric) -> None:
    text = "**Answer:** $u = -\\frac{\\alpha}{2} g$ (where $\\alpha$ is the step size), count $= 12$."
    part = _part(rubric, "3", text, "q3")
    assert _claims(part).get("u") == ["correct"]


def test_each_choice_reads_its_own_answer_line(rubric: Rubric) -> None:
    text = "For the loss:\n\nAnswer: MSE\n\nFor the optimizer:\n\nAnswer: Adam"
    part = _part(rubric, "4", text, "q4")
    assert _claims(part) == {"loss": ["correct"], "optim": ["correct"]}
    assert part.final == "correct"


@pytest.mark.parametrize("heading", ["## Final Answer", "**Final Answer:**", "Answer:"])
def test_a_formula_under_an_answer_heading_is_a_final_value(rubric: Rubric, heading: str) -> None:
    text = f"Some working: $x = 1$.\n\n{heading}\n\n$$6 \\times 10^{{23}}$$ FLOP"
    assert _claims(_part(rubric, "1", text, "q1")) == {"compute": ["correct"]}
