"""A homework written as data only: a rubric with formula, number, name, choice and token answers and
no Python module grades a transcript end to end (both files are written by the test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.pipeline import choose_rubric, grade
from grader.rubric import load_rubric_file
from grader.rubric.verify import verify_rubric_file
from grader.transcripts import read_path

RUBRIC = r"""
id: toy-hw1
title: "A homework written as data: one gradient step and a message count"
names: ["toy homework 1"]
identify: ["one gradient step", "messages does the ring"]
dims:
  d: [2, 5]
symbols:
  eta: {kind: scalar, positive: true, aliases: ["\\eta", "η"]}
  g: {kind: vector, shape: [d], aliases: ["\\nabla f(w)", "\\nabla f"]}
  w: {kind: vector, shape: [d]}
  w_next: {kind: vector, shape: [d], aliases: ["w_{t+1}", "w'"]}
  n: {kind: scalar, integer: true, min: 2, max: 12}
vocabulary:
  gradient_descent: ["gradient descent", "SGD"]
  newton: ["Newton's method", "Newton"]
parts:
  - id: q1a
    question: "1"
    label: "a"
    title: "One gradient step"
    points: 2
    identify: ["one gradient step"]
    answers:
      - id: w_next
        kind: expression
        points: 1
        defines: w_next
        reference: "w - \\eta g"
        examples: {right: ["w - \\eta \\nabla f(w)", "-\\eta g + w"], wrong: ["w + \\eta g", "w - g"]}
      - id: method
        kind: name
        points: 1
        reference: gradient_descent
        examples: {right: ["This is gradient descent."], wrong: ["This is Newton's method."]}
  - id: q2
    question: "2"
    title: "Messages of a ring all-reduce"
    points: 2
    identify: ["messages does the ring"]
    answers:
      - id: count
        kind: number
        points: 1
        defines: M
        reference: "2 \\cdot 4 \\cdot 3"
        examples: {right: ["24", "M = 2 \\cdot 4 \\cdot (4 - 1)"], wrong: ["12", "16"]}
      - id: order
        kind: tokens
        points: 1
        reference: ["scatter-reduce", "all-gather"]
        examples: {right: ["scatter-reduce, all-gather"], wrong: ["all-gather, scatter-reduce"]}
  - id: q3
    question: "3"
    title: "Which loss"
    points: 1
    identify: ["which loss"]
    answers:
      - id: loss
        kind: choice
        points: 1
        options: ["L1", "MSE", "cross-entropy"]
        reference: MSE
        examples: {right: ["Answer: MSE"], wrong: ["Answer: L1"]}
"""

TRANSCRIPT = r"""# A chat about toy homework 1

## User

Toy homework 1, question 1(a): take one gradient step from $w$ with step size $\eta$ on $f$.
What is $w_{t+1}$, and which optimizer is this?

## Assistant

The update moves against the gradient:

$$w_{t+1} = w - \eta \nabla f(w)$$

This is plain **gradient descent**.

## User

Question 2: with n = 4 workers, how many messages does the ring all-reduce send in total, and in which
order do its two phases run?

## Assistant

Each of the two phases sends $n(n-1)$ messages, so

$$M = 2 \cdot 4 \cdot 3 = 16$$

The phases run in this order: scatter-reduce, all-gather.

## User

Question 3: which loss should the autoencoder use?

## Assistant

Answer: MSE
"""


@pytest.fixture()
def homework(tmp_path: Path) -> tuple[Path, Path]:
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    rubric = rubrics / "toy-hw1.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    chat = tmp_path / "chat.md"
    chat.write_text(TRANSCRIPT, encoding="utf-8")
    return rubric, chat


def test_the_rubric_needs_no_python(homework: tuple[Path, Path]) -> None:
    rubric = load_rubric_file(homework[0])
    for part in rubric.parts:
        for answer in part.answers:
            assert not isinstance(answer.reference, dict), f"{part.id}.{answer.id} is computed by Python"
    check = verify_rubric_file(homework[0])
    assert check.ok, [str(p) for p in check.problems]
    assert check.examples == 14


def test_graded_end_to_end(homework: tuple[Path, Path]) -> None:
    rubric_path, chat = homework
    transcript = read_path(chat)
    rubric = choose_rubric(transcript, "toy-hw1", directory=rubric_path.parent)
    assert rubric.id == "toy-hw1"
    report = grade(transcript, rubric)
    verdicts = {p.id: p.final for p in report.parts}
    # q1a right twice; q2: the chain's last value 16 contradicts 2·4·3 = 24 (its own middle term),
    # the order is right: an inconsistent count and a right sequence; q3 right
    assert verdicts == {"q1a": "correct", "q2": "partial", "q3": "correct"}, [p.reason for p in report.parts]
    q2 = report.part("q2")
    assert q2 is not None
    count = [c for a in q2.attempts for c in a.claims if c.answer == "count"]
    assert {c.verdict for c in count} == {"correct", "incorrect"}
    assert "inconsistent_final" in q2.flags
    assert report.score == pytest.approx(2 + (0.5 + 1) + 1)  # an inconsistent answer earns half
    assert report.needs_review == 0
