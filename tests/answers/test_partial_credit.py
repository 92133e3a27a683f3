"""An accepted alternative with ``credit: partial``: a special case of the question's answer earns partial
credit, the general answer full credit, and a wrong one stays wrong; ``examples.partial`` are run by
``grader rubric check`` (a synthetic rubric written for these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.check import check_value
from grader.rubric import Rubric, parse_rubric_text
from grader.rubric.verify import verify_rubric_file

RUBRIC = r"""
id: credit
title: "Partial-credit alternatives"
symbols:
  mu: {kind: scalar, aliases: ["\\mu"]}
  d: {kind: scalar, integer: true, min: 2, max: 16}
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - id: mean
        kind: expression
        points: 1
        reference: "\\|\\mu\\|^2"
        accept:
          - reference: "d \\mu^2"
            credit: partial
            note: "every component of the mean equal: a special case"
        examples:
          right: ["\\mu^\\top \\mu"]
          partial: ["d \\mu^2"]
          wrong: ["d \\mu^2 + d"]
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "credit.yaml")


@pytest.mark.parametrize(
    "value,verdict",
    [("\\|\\mu\\|_2^2", "correct"), ("d\\mu^2", "partial"), ("2 d \\mu^2", "incorrect")],
)
def test_a_partial_credit_alternative_is_partial(rubric: Rubric, value: str, verdict: str) -> None:
    part = rubric.part("q1")
    answer = part.answer("mean")
    assert answer is not None
    result = check_value(value, answer, part, rubric, None)
    assert result.verdict == verdict, result.explanation
    if verdict == "partial":
        assert result.evidence.get("credit") == "partial"
        assert "special case" in result.explanation


def test_partial_examples_are_run(tmp_path: Path) -> None:
    path = tmp_path / "credit.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    assert verify_rubric_file(path).problems == []
    # an example listed as partial that checks correct is a problem of the rubric
    path.write_text(RUBRIC.replace('partial: ["d \\\\mu^2"]', 'partial: ["\\\\mu^2"]'), encoding="utf-8")
    problems = verify_rubric_file(path).problems
    assert len(problems) == 1 and "expected partial" in problems[0].message
