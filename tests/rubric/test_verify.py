"""``grader rubric check``: errors name file, line and key; references are evaluated; examples run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.cli import main
from grader.rubric.verify import verify_rubric_file

GOOD = r"""id: tiny
title: "A tiny homework"
dims:
  d: [2, 4]
symbols:
  alpha: {kind: scalar, positive: true, aliases: ["\\alpha"]}
  g: {kind: vector, shape: [d]}
parts:
  - id: q1
    question: "1"
    points: 2
    answers:
      - id: u
        kind: expression
        points: 1
        reference: "-\\frac{\\alpha}{2} g"
        examples: {right: ["-\\alpha g / 2"], wrong: ["-\\alpha g"]}
      - id: steps
        kind: number
        points: 1
        reference: 3
        tolerance: 0.5
        examples: {right: ["3.2"], wrong: ["4"]}
"""


def _write(tmp_path: Path, text: str, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_rubric_passes(tmp_path: Path) -> None:
    result = verify_rubric_file(_write(tmp_path, GOOD))
    assert result.ok, [str(p) for p in result.problems]
    assert (result.answers, result.references, result.examples) == (2, 2, 4)
    assert result.summary().endswith("ok (tiny: 2 answers, 2 references, 4 examples)")


@pytest.mark.parametrize(
    "old,new,key,line,message",
    [
        # --- a reference formula that does not evaluate with the declared symbols
        (
            'reference: "-\\\\frac{\\\\alpha}{2} g"',
            'reference: "-\\\\frac{\\\\beta}{2} g"',
            "parts.0.answers.0.reference",
            16,
            "undeclared symbol(s) beta",
        ),
        (
            'reference: "-\\\\frac{\\\\alpha}{2} g"',
            'reference: "-\\\\frac{\\\\alpha}{2 g"',
            "parts.0.answers.0.reference",
            16,
            "does not parse",
        ),
        (
            'reference: "-\\\\frac{\\\\alpha}{2} g"',
            'reference: "g^\\\\top + g"',
            "parts.0.answers.0.reference",
            16,
            "ill-shaped",
        ),
        # --- Python named from the rubric: the one interface, checked before anything is imported
        (
            'reference: "-\\\\frac{\\\\alpha}{2} g"',
            'reference: {compute: "no_colon"}',
            "parts.0.answers.0.reference",
            16,
            "expected 'package.module:function'",
        ),
        (
            'reference: "-\\\\frac{\\\\alpha}{2} g"',
            'reference: {compute: "reference_solutions.nothing_here:get"}',
            "parts.0.answers.0.reference",
            16,
            "cannot import reference_solutions.nothing_here",
        ),
        (
            'reference: "-\\\\frac{\\\\alpha}{2} g"',
            'reference: {compute: "a.b:get", cache: true}',
            "parts.0.answers.0.reference",
            16,
            "keys compute and reproduce only",
        ),
        # --- examples that do not check as the rubric says
        (
            'right: ["-\\\\alpha g / 2"]',
            'right: ["-\\\\alpha g"]',
            "parts.0.answers.0.examples.right.0",
            17,
            "checks incorrect, expected correct",
        ),
        (
            'wrong: ["4"]',
            'wrong: ["3.4"]',
            "parts.0.answers.1.examples.wrong.0",
            23,
            "checks correct, expected incorrect",
        ),
        # --- schema errors, with the line of the key
        ("kind: number", "kind: numbr", "parts.0.answers.1.kind", 19, "unknown kind 'numbr'"),
        ("tolerance: 0.5", "tolerance: lots", "parts.0.answers.1.tolerance", 22, "tolerance is a number"),
        (
            "tolerance: 0.5",
            "tolerance: 0.5\n        options: [a, b]",
            "parts.0.answers.1.options",
            23,
            "not a field of kind number",
        ),
    ],
)
def test_problems_name_file_line_and_key(
    tmp_path: Path, old: str, new: str, key: str, line: int, message: str
) -> None:
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new))
    result = verify_rubric_file(path)
    assert not result.ok
    problem = result.problems[0]
    assert (problem.key, problem.where) == (key, f"{path}:{line}"), str(problem)
    assert message in problem.message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    result = verify_rubric_file(_write(tmp_path, "id: [unclosed\ntitle: x\n"))
    assert not result.ok and result.problems[0].where.startswith(str(tmp_path / "tiny.yaml") + ":")


def test_cli_one_line_per_file_and_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path, GOOD, "good.yaml")
    bad = _write(tmp_path, GOOD.replace('wrong: ["4"]', 'wrong: ["3"]'), "bad.yaml")
    assert main(["rubric", "check", str(good)]) == 0
    assert main(["rubric", "check", str(good), str(bad)]) == 1
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"{good}: ok") and lines[1].startswith(f"{good}: ok")
    assert lines[2].startswith(f"{bad}: FAILED, 1 problem(s)")
    assert "key parts.0.answers.1.examples.wrong.0" in err


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path, GOOD.replace('wrong: ["4"]', 'wrong: ["3"]'), "bad.yaml")
    assert main(["rubric", "check", "--json", str(bad)]) == 1
    (obj,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert obj["ok"] is False and obj["problems"][0]["key"] == "parts.0.answers.1.examples.wrong.0"


def test_cli_needs_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["rubric", "check", str(tmp_path)]) == 2  # an empty folder


def test_the_project_rubrics_pass(root: Path) -> None:
    for path in sorted((root / "rubrics").glob("*.yaml")):
        result = verify_rubric_file(path)
        assert result.ok, [str(p) for p in result.problems]
        assert result.examples > 0, path


CONCEPT = r"""id: tiny
title: "A concept answer"
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - id: why
        kind: concept
        points: 1
        ideas:
          - id: shrink
            text: "weight decay shrinks the weights"
            from: "question"
            match: ["shrink|decay + weight"]
        examples:
          right: ["Weight decay shrinks every weight."]
"""


@pytest.mark.parametrize("group", ["≥", ",", "...", "(|)"])
def test_a_punctuation_only_match_group_is_a_clear_error(tmp_path: Path, group: str) -> None:
    path = _write(tmp_path, CONCEPT.replace('"shrink|decay + weight"', f'"shrink|decay + {group}"'))
    result = verify_rubric_file(path)  # never a traceback
    assert not result.ok
    (problem,) = result.problems
    assert (problem.key, problem.where) == ("parts.0.answers.0.ideas.0.match", f"{path}:15")
    assert f"the group {group!r} has no word to match" in problem.message
    assert not problem.message.startswith("Value error")


def test_a_known_issue_is_listed_not_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marked = GOOD.replace(
        'wrong: ["-\\\\alpha g"]',
        'wrong: ["-\\\\alpha g", {answer: "-\\\\alpha g / 2", known_issue: "an engine defect"},'
        ' {answer: "\\\\alpha g / 2", known_issue: "was misread"}]',
    )
    assert marked != GOOD
    path = _write(tmp_path, marked)
    result = verify_rubric_file(path)
    assert result.ok, [str(p) for p in result.problems]
    # the first marked example (a right answer listed as wrong) still checks otherwise: a known issue
    (known,) = result.known_issues
    assert known.key == "parts.0.answers.0.examples.wrong.1" and "an engine defect" in known.message
    # the second now checks as expected: resolved, the mark can go
    (resolved,) = result.resolved
    assert resolved.key == "parts.0.answers.0.examples.wrong.2" and "now checks incorrect" in resolved.message
    assert "1 known issue(s)" in result.summary() and "resolved" in result.summary()
    assert main(["rubric", "check", str(path)]) == 0
    err = capsys.readouterr().err
    assert "known issue:" in err and "resolved:" in err
    assert result.to_dict()["known_issues"][0]["key"] == known.key
