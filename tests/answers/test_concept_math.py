"""A concept answer is read with its displayed formulas: a key idea stated only in a ``$$...$$`` block
(the derived formula, with named operators such as ``\\log`` and ``\\sum``) is found."""

from __future__ import annotations

import pytest

from grader.models import Block, Transcript, Turn
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text

RUBRIC = r"""
id: toy-concept-math
title: "A derivation judged by its key ideas"
parts:
  - id: q1a
    question: "1"
    label: "a"
    points: 2
    answers:
      - id: gradient
        kind: concept
        points: 2
        ideas:
          - id: form
            text: "the gradient is a sigmoid-weighted difference of the two log-likelihood gradients"
            from: "question"
            match: ["sigma|sigmoid + log + y_w + y_l"]
          - id: wrong_more
            text: "the update is larger when the model ranks the pair wrongly"
            from: "question"
            match: ["larger|more + wrong|incorrect"]
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-concept-math.yaml")


def reply(formula: str) -> Transcript:
    blocks = [
        Block(kind="text", text="(a) Using the chain rule on the loss:"),
        Block(kind="math", text=formula),
        Block(kind="text", text="The update is larger when the model is wrong about the pair."),
    ]
    return Transcript(
        source="x.md",
        format="role-markdown",
        turns=[
            Turn(index=0, role="user", blocks=[Block(kind="text", text="Solve problem 1 (a).")]),
            Turn(index=1, role="assistant", blocks=blocks),
        ],
    )


def test_an_idea_stated_in_a_displayed_formula_is_found(rubric: Rubric) -> None:
    t = reply(r"$$\nabla L = -\beta \sigma(-z) [\nabla \log \pi(y_w|x) - \nabla \log \pi(y_l|x)]$$")
    assert grade(t, rubric).part("q1a").final == "correct"


def test_a_displayed_formula_without_the_idea_leaves_it_unrecognised(rubric: Rubric) -> None:
    t = reply(r"$$\nabla L = -\beta [\nabla \pi(y_w|x) - \nabla \pi(y_l|x)]$$")
    part = grade(t, rubric).part("q1a")
    assert part.final != "correct"
    assert "not recognised" in part.attempts[-1].claims[0].explanation
