"""How the answer kinds read a stated value: labels, computation chains, forms, and the number a line
states. Table-driven: (target, answer as written, expected verdict), grouped by what is read.
"""

from __future__ import annotations

import pytest

from grader.answers import Context, kind_of
from grader.check import check_value
from grader.rubric import Rubric, parse_rubric_text

RUBRIC = r"""
id: reading
title: "What a stated value is"
dims: {d: [2, 4], m: [3, 5], k: [2, 3]}
symbols:
  b: {kind: scalar}
  w: {kind: scalar}
  L: {kind: scalar, integer: true, min: 2, max: 9, note: "a count elsewhere; here only a label"}
  A: {kind: matrix, shape: [m, k]}
  B: {kind: matrix, shape: [k, d]}
  q: {kind: scalar}
  k: {kind: scalar}
  eta: {kind: scalar, positive: true, aliases: ["\\eta"]}
  sigma: {kind: scalar, positive: true, aliases: ["\\sigma"]}
  v: {kind: vector, shape: [d], note: "a vector is declared, so (0, x) reads as a pair"}
  n: {kind: scalar, integer: true, min: 2, max: 12}
parts:
  - id: q1
    question: "1"
    points: 5
    answers:
      - {id: e, kind: expression, points: 1, defines: e, reference: "-\\frac{b}{w}"}
      - {id: logits, kind: expression, points: 1, defines: L, reference: "A B"}
      - {id: sim, kind: expression, points: 1, reference: "(q k + 1)^2"}
      - id: eta_range
        kind: expression
        points: 1
        defines: eta
        reference: "0 < \\eta < \\frac{1}{\\sigma^2}"
        accept:
          - {reference: "(0, \\frac{1}{\\sigma^2})", note: "as an interval"}
          - {reference: "\\frac{1}{\\sigma^2}", note: "the bound of the range"}
      - id: bound
        kind: expression
        points: 1
        reference: "\\sqrt{k}"
        accept:
          - {reference: "\\|A\\|_2 \\le \\sqrt{k}", note: "the bound written as the constraint"}
  - id: q2
    question: "2"
    points: 8
    answers:
      - {id: params, kind: number, points: 1, reference: 39, context: ["parameters", "total"]}
      - {id: count, kind: number, points: 1, reference: 16, unit: colors}
      - {id: words, kind: number, points: 1, reference: "7.14 \\times 10^{14}", tolerance: "2%", context: ["words"]}
      - {id: total, kind: number, points: 1, reference: 20, tolerance: 0.5, context: ["total"]}
      - {id: tiny, kind: number, points: 1, reference: "9.6 \\times 10^{-20}", tolerance: "5%"}
      - id: reg
        kind: count_formula
        points: 1
        table: {row: ["identity"], column: ["regularization"]}
        reference: "2"
      - {id: time, kind: quantity, points: 1, unit: s, reference: {value: 1.68e7, unit: s}}
      - id: decay
        kind: concept
        points: 1
        ideas:
          - {id: rise, text: "2 - 2^{-n} up to n = 6", from: "test", math: ["2 - 2^{-n}"]}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "reading.yaml")


CASES = [
    # ---- the answer's own name on the left is a label, never part of the value
    ("q1.e", "e = -\\frac{b}{w}", "correct"),  # e is not Euler's number here
    ("q1.e", "e = \\frac{b}{w}", "incorrect"),
    ("q1.e", "e = -\\frac{b}{c} \\text{ where } c = w", "correct"),  # a definition after the value stays
    ("q1.logits", "\\boxed{\\mathbf{L} = A B}", "correct"),  # L declared scalar elsewhere: a label
    ("q1.logits", "\\boxed{L = B^\\top A^\\top}", "incorrect"),
    ("q1.sim", "sim(q, k) = (1 + q k)^2", "correct"),  # a definition of the named function
    ("q1.sim", "sim(q, k) = (q k)^2", "incorrect"),
    # ---- each claim is judged against the references written in its form
    ("q1.eta_range", "0 < \\eta < \\frac{2}{\\sigma^2}", "incorrect"),  # not left undecided by the pair
    ("q1.eta_range", "\\eta < \\frac{1}{2\\sigma^2}", "incorrect"),
    ("q1.eta_range", "0 < \\eta < \\frac{1}{\\sigma^2}", "correct"),
    ("q1.eta_range", "\\frac{1}{\\sigma^2}", "correct"),
    ("q1.eta_range", "\\frac{2}{\\sigma^2}", "incorrect"),
    ("q1.bound", "\\sqrt{k/2}", "incorrect"),  # the constraint form does not leave it undecided
    ("q1.bound", "\\|A\\|_2 \\le \\sqrt{k}", "correct"),
    # ---- a computation states its last side
    ("q2.params", "27 + 12 = 39", "correct"),
    ("q2.params", "27 + 12 = 40", "incorrect"),
    ("q2.params", "Total parameters: 27 + 12 = 39 (depthwise 27, pointwise 12)", "correct"),
    ("q2.params", "39, compared with 108 for the standard layer", "correct"),
    ("q2.count", "2^4 = 16", "correct"),
    ("q2.count", "16 unique colors", "correct"),
    ("q2.reg", "\\|I\\|_F^2 = 2", "correct"),
    ("q2.reg", "\\|I\\|_F^2 = 4", "incorrect"),
    # ---- with a tolerance, the result, never an operand
    ("q2.words", "Words: $10^{15}/1.4 ≈ 7.14×10^{14}$", "correct"),
    ("q2.words", "about 7.1×10¹⁴ words", "correct"),
    ("q2.words", "Words: $10^{15}/1.4 ≈ 7.14×10^{15}$", "incorrect"),
    ("q2.total", "Total = 10+0+10 = 20", "correct"),
    ("q2.total", "Total = 10+0+0 = 10", "incorrect"),
    ("q2.total", "between 10 and 30", "unparseable"),  # a range states no single value
    # ---- the tolerance is relative to the magnitude: tiny numbers do not all pass
    ("q2.tiny", "9.5 \\times 10^{-20}", "correct"),
    ("q2.tiny", "3 \\times 10^{-21}", "incorrect"),
    ("q2.tiny", "0", "incorrect"),
    # ---- a stray formula in the declared symbols is not a number
    ("q2.count", "Final Answer: n", "unparseable"),
    ("q2.count", "n^2", "unparseable"),
    # ---- scientific notation in quantities (superscript exponents from a PDF's text layer)
    ("q2.time", "1.68×10⁷ s", "correct"),
    ("q2.time", "$1.68 \\times 10^{7}$ seconds", "correct"),
    ("q2.time", "1.68e7 s", "correct"),
    ("q2.time", "1.68×10⁶ s", "incorrect"),
    # ---- a concept's formula is found on the right of the model's own left side
    ("q2.decay", "For $0 \\le n \\le 6$, $y[n] = 2 - 2^{-n}$.", "correct"),
]


@pytest.mark.parametrize("target,answer,verdict", CASES)
def test_reading(rubric: Rubric, target: str, answer: str, verdict: str) -> None:
    part_id, answer_id = target.split(".")
    part = rubric.part(part_id)
    spec = part.answer(answer_id)
    assert spec is not None
    value = kind_of(spec.kind).prepare(answer, Context(rubric, part, spec))
    result = check_value(value, spec, part, rubric)
    assert result.verdict == verdict, result.explanation
