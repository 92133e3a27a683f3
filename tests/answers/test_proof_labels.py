"""A proof step that names a result (``z^* = ...``, ``z`` a symbol an answer defines) asserts only its
other links, and a false step read beside scripts a PDF set apart is not judged."""

from __future__ import annotations

import pytest

from grader.align import Attempt, Section
from grader.answers.base import Context
from grader.answers.proof import ProofKind, asserted, label_symbols
from grader.check import check_value
from grader.models import Block
from grader.rubric import Rubric, parse_rubric_text

RUBRIC = r"""
id: labels
title: "A result's name in a proof"
dims: {m: [3, 4]}
symbols:
  A: {kind: matrix, shape: [m, m]}
  b: {kind: vector, shape: [m]}
  z: {kind: vector, shape: [m], aliases: ["z^*", "\\hat{z}"]}
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - id: z
        kind: expression
        points: 1
        defines: z
        reference: "A^\\top b"
  - id: q2
    question: "2"
    points: 1
    answers:
      - id: proof
        kind: proof
        points: 1
        target: ["(A^\\top A) A^\\top = A^\\top (A A^\\top)"]
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "labels.yaml")


def _ctx(rubric: Rubric) -> Context:
    part = rubric.part("q2")
    assert part is not None
    spec = part.answer("proof")
    assert spec is not None
    return Context(rubric, part, spec)


def test_defined_symbols_are_labels(rubric: Rubric) -> None:
    assert label_symbols(_ctx(rubric)) == {"z"}


@pytest.mark.parametrize(
    "step,expected",
    [
        (r"z^* = A^\top b", None),  # names the result: asserts nothing
        (r"\hat{z} = A^\top b = (A^\top) b", r"A^\top b = (A^\top) b"),
        (r"A^\top b = z", r"A^\top b = z"),  # the label on the right: an ordinary step
        (r"b = A z", r"b = A z"),
    ],
)
def test_asserted_part_of_a_step(rubric: Rubric, step: str, expected: str | None) -> None:
    assert asserted(step, {"z"}, rubric.symbol_table()) == expected


@pytest.mark.parametrize(
    "answer,verdict",
    [
        # the result named on the way is no false statement
        (r"Let $z^* = A^\top b$. Then $(A^\top A) A^\top = A^\top A A^\top = A^\top (A A^\top)$.", "correct"),
        # a false link after the name still is
        (r"$z^* = A^\top b = A b$, and $(A^\top A) A^\top = A^\top (A A^\top)$.", "incorrect"),
    ],
)
def test_proof_with_a_named_result(rubric: Rubric, answer: str, verdict: str) -> None:
    ctx = _ctx(rubric)
    result = check_value(answer, ctx.answer, ctx.part, rubric)
    assert result.verdict == verdict, result.explanation


def _attempt(*texts: str) -> Attempt:
    blocks = [(i, Block(kind="math", text=t)) for i, t in enumerate(texts)]
    return Attempt(part="q2", turn=1, sections=[Section("q2", 1, blocks)], prompt_turns=[0])


def test_a_false_step_beside_stray_scripts_is_not_judged(rubric: Rubric) -> None:
    ctx = _ctx(rubric)
    kind = ProofKind()
    # (A^T A) A^T = A^T (A A^T) with its transposes set on a line of their own
    misread = _attempt("$$~T~~T~~T~~T$$", r"$$(A A) A = A (A A)$$", r"$$A A = A^\top A$$")
    out = kind.outcome([], misread, [], ctx)
    assert out.outcome == "needs_review"
    assert not out.flags
    assert any("scripts" in r.explanation for r in out.claims)
    clean = _attempt(r"$$A A = A^\top A$$")
    out = kind.outcome([], clean, [], ctx)
    assert out.outcome == "incorrect"
    assert "false_statement" in out.flags


def test_a_label_the_proof_is_given_a_value_for_is_asserted(rubric: Rubric) -> None:
    ctx = _ctx(rubric)
    given = ctx.answer.model_copy(update={"given": {"z": "b"}})
    assert label_symbols(Context(rubric, ctx.part, given)) == set()
