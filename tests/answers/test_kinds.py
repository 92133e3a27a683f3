"""Each answer kind on a rubric written as data (no Python): its fields, its check, its verdicts.

Table-driven: (target, answer, variant, expected verdict), grouped by kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.check import check_value
from grader.rubric import Rubric, parse_rubric_text

RUBRIC = r"""
id: kinds
title: "Every answer kind, as data"
dims: {d: [2, 4], m: [3, 5], k: [2, 2]}
symbols:
  alpha: {kind: scalar, positive: true, aliases: ["\\alpha"]}
  g: {kind: vector, shape: [d]}
  A: {kind: matrix, shape: [m, m], symmetric_psd: true}
  B: {kind: matrix, shape: [m, m]}
  x: {kind: vector, shape: [m]}
  U: {kind: matrix, shape: [m, k], orthonormal_columns: true}
vocabulary:
  gd: ["gradient descent", "SGD"]
  adam: ["Adam"]
  winners: ["Ben Johnson"]
  losers: ["David Page"]
parts:
  - id: q1
    question: "1"
    points: 8
    variants: {new: ["corrected question"], old: ["first release"]}
    default_variant: new
    answers:
      - id: u
        kind: expression
        points: 1
        reference: "-\\frac{\\alpha}{2} g"
        accept:
          - {variant: old, reference: "-\\alpha g", note: "the first release dropped the square"}
      - id: steps
        kind: number
        points: 1
        reference: 346
        tolerance: "1%"
        unit: iterations
      - id: budget
        kind: number
        points: 1
        reference: "1.2 \\times 10^{12}"
      - id: time
        kind: quantity
        points: 1
        unit: s
        reference: {value: 341, unit: s}
        source: "It reached 94% in 341s."
        accept: [{reference: {value: 356, unit: s}, note: "the reproduction"}]
      - id: who
        kind: fact
        points: 1
        reference: winners
        synonyms: ["the fast.ai student"]
      - id: method
        kind: name
        points: 1
        reference: gd
      - id: conclusion
        kind: yes_no
        points: 1
        reference: yes
      - id: seq
        kind: tokens
        points: 1
        reference: "<sos>, I, see"
  - id: q2
    question: "2"
    points: 3
    answers:
      - id: stationary
        kind: condition
        points: 1
        reference: "A x = x"
      - id: pick
        kind: choices
        points: 1
        options: ["Weight Decay", "Dropout", "SGD optimizer"]
        reference: ["Weight Decay", "SGD optimizer"]
      - id: proof
        kind: proof
        points: 1
        target: ["U^\\top U U^\\top x = U^\\top x"]
  - id: q4
    question: "4"
    points: 1
    answers:
      - id: derivative
        kind: proof
        points: 1
        target: ["x^\\top (B + B^\\top)"]   # d(x^T B x)/dx: a result to arrive at
  - id: q3
    question: "3"
    points: 1
    answers:
      - id: why
        kind: concept
        points: 1
        min_ideas: 1
        ideas:
          - {id: prefix, text: "only the first t words", from: question, match: ["only|just + first|earlier + word|token"]}
        misconceptions:
          - {id: slow, text: "it is slower", from: lecture, match: ["slow|slower + train|training"]}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "kinds.yaml")


CASES = [
    # --- expression: the rubric's formula; a variant entry replaces it for that variant
    ("q1.u", r"-\alpha g / 2", None, "correct"),
    ("q1.u", r"-\alpha g", None, "incorrect"),
    ("q1.u", r"-\alpha g", "old", "correct"),
    ("q1.u", r"-\alpha g / 2", "old", "incorrect"),
    # an undeclared symbol is never evidence: a person checks
    ("q1.u", r"-\frac{\alpha}{2} \tilde g", None, "unparseable"),
    ("q1.u", r"-\frac{\alpha}{2 g", None, "unparseable"),
    # --- number: tolerance, units, scale words, prose with exactly one number
    ("q1.steps", "346", None, "correct"),
    ("q1.steps", "about 348 iterations", None, "correct"),
    ("q1.steps", "400", None, "incorrect"),
    ("q1.steps", "between 300 and 400 steps", None, "unparseable"),
    ("q1.budget", "1.2 trillion", None, "correct"),
    ("q1.budget", "1.2T", None, "correct"),
    ("q1.budget", "1.2 billion", None, "incorrect"),
    # --- quantity: units converted, an accepted alternative
    ("q1.time", "5.68 min", None, "correct"),
    ("q1.time", "356 seconds", None, "correct"),
    ("q1.time", "18 hours", None, "incorrect"),
    ("q1.time", "94%", None, "unparseable"),
    # --- fact and name: another known name is wrong, an unknown one needs a person
    ("q1.who", "It was Ben Johnson.", None, "correct"),
    ("q1.who", "the fast.ai student", None, "correct"),
    ("q1.who", "David Page won it.", None, "incorrect"),
    ("q1.who", "Someone from Stanford.", None, "unparseable"),
    ("q1.method", "This is SGD.", None, "correct"),
    ("q1.method", "This is Adam.", None, "incorrect"),
    ("q1.method", "This is Lion.", None, "unparseable"),
    # --- yes/no: only one that opens the claim or concludes it
    ("q1.conclusion", "Yes, it does.", None, "correct"),
    ("q1.conclusion", "No.", None, "incorrect"),
    ("q1.conclusion", "There is no simple answer here.", None, "unparseable"),
    # --- tokens
    ("q1.seq", "<SOS>, I, see", None, "correct"),
    ("q1.seq", "<sos>, I, saw", None, "incorrect"),
    # --- condition: an equation compared up to a nonzero factor
    ("q2.stationary", "x = A x", None, "correct"),
    ("q2.stationary", "2 A x = 2 x", None, "correct"),
    ("q2.stationary", "A x = 2 x", None, "incorrect"),
    # --- choices: a subset is partial, a wrong option incorrect
    ("q2.pick", "Weight Decay, SGD optimizer", None, "correct"),
    ("q2.pick", "Weight Decay", None, "partial"),
    ("q2.pick", "Weight Decay, Dropout", None, "incorrect"),
    # --- proof: a false step is incorrect; the target reached is correct; not reached: a person
    ("q2.proof", r"$U^\top U U^\top x = I U^\top x = U^\top x$", None, "correct"),
    ("q2.proof", r"$U^\top U = U U^\top$", None, "incorrect"),
    ("q2.proof", r"$U^\top U = I$ by orthonormality.", None, "unparseable"),
    # a result to arrive at: the derivative side is not read, the result is compared
    ("q4.derivative", r"$\frac{\partial}{\partial x} x^\top B x = x^\top B + x^\top B^\top$", None, "correct"),
    ("q4.derivative", r"$\frac{\partial}{\partial x} x^\top B x = 2 x^\top B$ for any $B$.", None, "unparseable"),
    # --- concept: any one idea (min_ideas: 1); a misconception alone is wrong
    ("q3.why", "The decoder only sees the first few words when it must produce a token.", None, "correct"),
    ("q3.why", "The whole design is just slower to train than the usual encoder-decoder model.", None, "incorrect"),
    ("q3.why", "It is a bad idea for reasons that have to do with the architecture overall.", None, "unparseable"),
]  # fmt: skip


@pytest.mark.parametrize("target,answer,variant,verdict", CASES)
def test_kind_verdicts(rubric: Rubric, target: str, answer: str, variant: str | None, verdict: str) -> None:
    part_id, answer_id = target.split(".")
    part = rubric.part(part_id)
    spec = part.answer(answer_id)
    assert spec is not None
    result = check_value(answer, spec, part, rubric, variant)
    assert result.verdict == verdict, result.explanation


def test_an_accepted_alternative_says_why(rubric: Rubric) -> None:
    part = rubric.part("q1")
    result = check_value("356 s", part.answer("time"), part, rubric)  # type: ignore[arg-type]
    assert "the reproduction" in result.explanation
    assert result.evidence["accepted"] == {"origin": "accept[0]", "note": "the reproduction"}


def test_a_fact_cites_its_source(rubric: Rubric) -> None:
    part = rubric.part("q1")
    result = check_value("5.68 minutes", part.answer("time"), part, rubric)  # type: ignore[arg-type]
    assert result.evidence["source_sentence"] == "It reached 94% in 341s."


def test_rubric_written_here_passes_rubric_check(tmp_path: Path) -> None:
    from grader.rubric.verify import verify_rubric_file

    path = tmp_path / "kinds.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    result = verify_rubric_file(path)
    assert result.ok, [str(p) for p in result.problems]
