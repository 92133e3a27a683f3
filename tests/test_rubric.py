"""The rubrics load, carry exactly the ids of DESIGN.md, and a broken rubric names file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.errors import RubricError, TargetError
from grader.rubric import get_rubric, load_rubric_file, parse_target, rubrics

EXPECTED_TARGETS = {
    "cs182-fa25-hw2": {
        "q1a": {"u", "optimizer"},
        "q1b": {"u", "optimizer"},
        "q2a": {"theta"},
        "q2b": {"theta"},
        "q2c": {"theta"},
        "q5": {"all_to_all_count", "all_to_all_size", "ps_count", "ps_size", "ring_count", "ring_size"},
    },
    "cs182-fa25-hw7": {
        "q3b_i": None,
        "q3b_ii": None,
        "q4a": {"baseline_time", "baseline_accuracy", "final_time", "final_accuracy"},
        "q4b": None,
        "q4c": None,
        "q7a": None,
        "q7b": {"tokens"},
        "q7c": {"tokens"},
        "q8a_i": {"choice"},
        "q8a_ii": {"choice"},
        "q8a_iii": {"choices"},
        "q8b": None,
    },
}


@pytest.mark.parametrize("homework", sorted(EXPECTED_TARGETS))
def test_parts_and_answers_match_design(homework: str) -> None:
    rubric = get_rubric(homework)
    assert [p.id for p in rubric.parts] == list(EXPECTED_TARGETS[homework])
    for part in rubric.parts:
        want = EXPECTED_TARGETS[homework][part.id]
        if want is not None:
            assert {a.id for a in part.answers} == want


def test_q1b_has_both_variants() -> None:
    part = get_rubric("cs182-fa25-hw2").part("q1b")
    assert set(part.variants) == {"squared", "unsquared"}


def test_symbol_table_types() -> None:
    table = get_rubric("cs182-fa25-hw7").symbol_table()
    assert table.symbols["W1"].shape == ("k", "m")
    assert table.symbols["U_k"].orthonormal_columns


@pytest.mark.parametrize(
    "target, message",
    [
        ("cs182-fa25-hw2.q1a", "<homework>.<part>.<answer>"),
        ("cs182-fa25-hw99.q1a.u", "unknown homework"),
        ("cs182-fa25-hw2.q9.u", "unknown part"),
        ("cs182-fa25-hw2.q1a.v", "has no answer"),
    ],
)
def test_bad_targets_say_which_piece(target: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        parse_target(target)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "broken.yaml"
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """id: broken
title: t
parts:
  - id: q1a
    question: "1"
    points: 2
    answers:
      - {id: u, kind: number, points: 2, reference: 1}
"""


def test_valid_minimal_rubric_loads(tmp_path: Path) -> None:
    assert load_rubric_file(_write(tmp_path, GOOD)).parts[0].id == "q1a"


@pytest.mark.parametrize(
    "mutation, key, line",
    [
        (("kind: number", "kind: numbr"), "parts.0.answers.0.kind", 8),
        (("points: 2\n    answers", "points: 3\n    answers"), "parts.0", 4),
        (('question: "1"', 'question: "1"\n    pointz: 1'), "parts.0.pointz", 6),
        (("reference: 1}", "reference: 1, options: [a]}"), "parts.0.answers.0.options", 8),
        (("reference: 1}", "reference: [1, 2]}"), "parts.0.answers.0.reference", 8),
    ],
)
def test_typo_names_file_line_and_key(tmp_path: Path, mutation: tuple[str, str], key: str, line: int) -> None:
    path = _write(tmp_path, GOOD.replace(*mutation))
    with pytest.raises(RubricError) as err:
        load_rubric_file(path)
    assert key in str(err.value)
    assert f"{path}:{line}" in str(err.value)


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match=r"broken\.yaml:\d+"):
        load_rubric_file(_write(tmp_path, "id: [unclosed\n"))


def test_every_rubric_file_is_valid() -> None:
    assert set(rubrics()) >= set(EXPECTED_TARGETS)
