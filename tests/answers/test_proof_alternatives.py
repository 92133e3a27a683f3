"""``target_any``: a proof may reach its result by another group of targets (HW0 Q4(d), Q4(e): expand
the objective instead of reaching the normal-equation matrix); each alternative is checked like a
target, and a proof that reaches none of them, or states a false step, is still not ``correct``."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.check import check_value
from grader.rubric import parse_rubric_text, parse_target
from grader.rubric.verify import verify_rubric_file


def _check(target: str, answer: str) -> str:
    rubric, part, spec = parse_target(target)
    return check_value(answer, spec, part, rubric).verdict


@pytest.mark.parametrize(
    "answer,verdict",
    [
        # --- the rubric's own target
        (r"$\hat{X}^\top \hat{X} = X^\top X + \lambda I$", "correct"),
        # --- the alternative: the augmented objective expanded, under min, continued on a second line
        (
            r"$\min_w \|\hat{y} - \hat{X} w\|^2 = \|y - X w\|^2 + \|\sqrt{\lambda} w\|^2$"
            "\n"
            r"$= \|y - X w\|^2 + \lambda \|w\|^2$.",
            "correct",
        ),
        (r"$\|\hat{y} - \hat{X} w\|^2 = \|y - X w\|^2 + \lambda \|w\|^2$", "correct"),
        # --- a false step is positive evidence, whichever route
        (r"$\|\hat{y} - \hat{X} w\|^2 = \|y - X w\|^2 + \lambda^2 \|w\|^2$", "incorrect"),
        # --- a true step that reaches no alternative: a person reads it
        (r"$\|\hat{y} - \hat{X} w\|^2 = \|\hat{y} - \hat{X} w\|^2 + 0$", "unparseable"),
        # the left side alone on its line, the result on the continuation line below it
        (r"$\|\hat{y} - \hat{X} w\|^2$" "\n" r"$= \|y - X w\|^2 + \lambda \|w\|^2$", "correct"),
        (r"$\|\hat{y} - \hat{X} w\|^2$", "unparseable"),
        # the right side a broken block matrix (a PDF's text layer), the result on continuation lines
        # below its pieces: the chain's left side carries over to them
        (
            "$\\|\\hat{y} - \\hat{X} w\\|^2 = \\|[ y ] - [ ] w\\|$\n$y - X w$\n$2$\n"
            "$= \\|y - X w\\|^2 + \\|\\sqrt{\\lambda} w\\|^2$\n$= \\|y - X w\\|^2 + \\lambda \\|w\\|^2$",
            "correct",
        ),
        # ... and a false continuation read that way is no evidence (its head may have been lost)
        (
            "$\\|\\hat{y} - \\hat{X} w\\|^2 = \\|[ y ] - [ ] w\\|$\n$2$\n$= \\|y - X w\\|^2 + \\lambda^2 \\|w\\|^2$",
            "unparseable",
        ),
        # --- under min, a false chain may state the minimum's value: not evidence, not reached
        (r"$\min_w \|\hat{y} - \hat{X} w\|^2 = \lambda^2 \|w\|^2$", "unparseable"),
    ],
)
def test_fake_data_proof(answer: str, verdict: str) -> None:
    assert _check("cs182-fa25-hw0.q4d.proof", answer) == verdict


@pytest.mark.parametrize(
    "answer,verdict",
    [
        (r"$\check{X} \check{X}^\top = X X^\top + \lambda I$", "correct"),
        # --- the alternative: the objective in w alone, arrived at (no equation needed)
        (r"Eliminating $v$, the objective is $$\|w\|^2 + \frac{1}{\lambda} \|y - X w\|^2.$$", "correct"),
        # --- the question's own ridge objective is not the result to arrive at (not a multiple of it)
        (r"The objective is $\|y - X w\|^2 + \lambda \|w\|^2$.", "unparseable"),
        (r"The objective is $\|w\|^2 + \lambda \|y - X w\|^2$.", "unparseable"),
        # --- a false step stays incorrect even beside the alternative
        (
            r"$\check{X} \check{X}^\top = X X^\top + \lambda^2 I$, objective $\|w\|^2 + \frac{1}{\lambda}\|y - Xw\|^2$",
            "incorrect",
        ),
    ],
)
def test_fake_features_proof(answer: str, verdict: str) -> None:
    assert _check("cs182-fa25-hw0.q4e.proof", answer) == verdict


SCHEMA = r"""id: alt
title: "Alternative targets"
dims: {n: [3, 4]}
symbols:
  A: {kind: matrix, shape: [n, n]}
  b: {kind: vector, shape: [n]}
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - id: proof
        kind: proof
        points: 1
        target: ["(A^\\top A) A^\\top = A^\\top (A A^\\top)"]
        target_any:
          - "\\|A b\\|^2 = b^\\top A^\\top A b"
          - ["(A + A^\\top)^\\top = A^\\top + A", "A^\\top b = (b^\\top A)^\\top"]
"""


def test_a_group_of_one_target_may_be_written_as_the_target() -> None:
    rubric = parse_rubric_text(SCHEMA, "alt.yaml")
    spec = rubric.parts[0].answers[0]
    assert spec.target_any == [
        [r"\|A b\|^2 = b^\top A^\top A b"],
        [r"(A + A^\top)^\top = A^\top + A", r"A^\top b = (b^\top A)^\top"],
    ]


def test_every_group_of_an_alternative_must_be_reached() -> None:
    rubric = parse_rubric_text(SCHEMA, "alt.yaml")
    part = rubric.parts[0]
    spec = part.answers[0]
    one = r"$(A + A^\top)^\top = A^\top + A$"
    both = one + r" and $A^\top b = (b^\top A)^\top$"
    assert check_value(one, spec, part, rubric).verdict == "unparseable"
    assert check_value(both, spec, part, rubric).verdict == "correct"
    assert check_value(r"$\|A b\|^2 = b^\top A^\top A b$", spec, part, rubric).verdict == "correct"


def _verify(tmp_path: Path, text: str) -> list[tuple[str, str, str]]:
    path = tmp_path / "alt.yaml"
    path.write_text(text, encoding="utf-8")
    result = verify_rubric_file(path)
    return [(p.key or "", p.where.removeprefix(f"{path}:"), p.message) for p in result.problems]


def test_the_schema_rubric_passes(tmp_path: Path) -> None:
    assert _verify(tmp_path, SCHEMA) == []


@pytest.mark.parametrize(
    "old,new,key,line,message",
    [
        # --- an alternative in a symbol the rubric does not declare
        (r"\\|A b\\|^2 = b^\\top", r"\\|C b\\|^2 = b^\\top", "parts.0.answers.0.target_any.0.0", 17, "C"),
        # --- an alternative that is false at the instance
        (
            r"A^\\top b = (b^\\top A)^\\top",
            r"A b = (b^\\top A)^\\top",
            "parts.0.answers.0.target_any.1.1",
            18,
            "false",
        ),
        # --- an empty group
        ('- "\\\\|A b', '- []\n          - "\\\\|A b', "parts.0.answers.0.target_any.0", 17, "empty group"),
        # --- a group that is no list of formulas
        ('- "\\\\|A b', '- {a: 1}\n          - "\\\\|A b', "parts.0.answers.0.target_any.0", 17, ""),
    ],
)
def test_alternative_problems_name_line_and_key(
    tmp_path: Path, old: str, new: str, key: str, line: int, message: str
) -> None:
    assert old in SCHEMA
    problems = _verify(tmp_path, SCHEMA.replace(old, new))
    assert problems, "expected a problem"
    got_key, where, text = problems[0]
    assert (got_key, where) == (key, str(line)), problems
    assert message in text


def test_a_proof_needs_a_target_or_alternatives(tmp_path: Path) -> None:
    text = SCHEMA.replace('        target: ["(A^\\\\top A) A^\\\\top = A^\\\\top (A A^\\\\top)"]\n', "")
    assert "target: [" not in text
    assert _verify(tmp_path, text) == []  # the alternatives alone are targets enough
    bare = text[: text.index("        target_any:")]
    problems = _verify(tmp_path, bare)
    assert [k for k, _, _ in problems] == ["parts.0.answers.0.target"], problems


@pytest.mark.parametrize(
    "answer,verdict",
    [
        # --- the result the question asks to show, cited as known: asserted, not shown
        (
            "Both forms agree by the matrix inversion lemma:\n"
            r"$X^\top (X X^\top + \lambda I)^{-1} = (X^\top X + \lambda I)^{-1} X^\top$ (a well-known identity).",
            "partial",
        ),
        # the same statement without a citation: a person reads what supports it
        (r"$X^\top (X X^\top + \lambda I)^{-1} = (X^\top X + \lambda I)^{-1} X^\top$.", "unparseable"),
        # --- derived through the push-through identity: shown
        (
            r"$(X^\top X + \lambda I) X^\top = X^\top X X^\top + \lambda X^\top = X^\top (X X^\top + \lambda I)$, "
            "so by the well-known argument\n"
            r"$X^\top (X X^\top + \lambda I)^{-1} = (X^\top X + \lambda I)^{-1} X^\top$.",
            "correct",
        ),
        # --- a false statement cited as known stays wrong
        (
            r"$X^\top (X X^\top + \lambda I)^{-1} = (X^\top X + \lambda^2 I)^{-1} X^\top$ (known identity).",
            "incorrect",
        ),
    ],
)
def test_a_cited_result_is_not_a_derivation(answer: str, verdict: str) -> None:
    assert _check("cs182-fa25-hw0.q4f.proof", answer) == verdict


def test_a_cited_result_raises_no_derivation() -> None:
    rubric, part, spec = parse_target("cs182-fa25-hw0.q4f.proof")
    cited = r"By Woodbury, $X^\top (X X^\top + \lambda I)^{-1} = (X^\top X + \lambda I)^{-1} X^\top$."
    result = check_value(cited, spec, part, rubric)
    assert result.verdict == "partial"
    assert "no_derivation" in result.evidence["flags"]
    assert "cites it as known" in result.explanation
