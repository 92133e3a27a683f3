"""Symbols declared per part (and per answer): merged key by key over the rubric's for that scope only,
validated with file, line and key, and used by the checks of that part (a vector label ``y`` where
the rubric's ``y`` is another part's scalar)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.errors import RubricError
from grader.pipeline import choose_rubric, grade
from grader.rubric import Rubric, SymbolDecl, parse_rubric_text
from grader.rubric.symbol_decls import SymbolMergeError, merge_symbol
from grader.rubric.verify import verify_rubric_file
from grader.transcripts import read_path

# q1 works with scalars y, w (a one-unit model); q2 is a least-squares proof in the label vector y
# and the weight vector w, declared for q2 only.
RUBRIC = r"""
id: toy-parts
title: "Per-part symbols: a scalar model, then least squares in vectors"
names: ["toy part symbols"]
identify: ["one unit", "expand the residual"]
dims:
  n: [3, 5]
symbols:
  X: {kind: matrix, shape: [n, n]}
  y: {kind: scalar, aliases: ["\\mathbf{y}"]}
  w: {kind: scalar, aliases: ["\\mathbf{w}"]}
  lambda: {kind: scalar, positive: true, aliases: ["\\lambda"]}
  g: {kind: scalar, note: "the derivative q1 asks for"}
parts:
  - id: q1
    question: "1"
    title: "One unit"
    points: 1
    identify: ["one unit"]
    answers:
      - id: g
        kind: expression
        points: 1
        defines: g
        reference: "2 (w - y)"
        examples: {right: ["2w - 2y"], wrong: ["w - y"]}
  - id: q2
    question: "2"
    title: "Expand the residual"
    points: 1
    asks_derivation: true
    identify: ["expand the residual"]
    symbols:
      y: {kind: vector, shape: [n]}
      w: {kind: vector, shape: [n]}
    answers:
      - id: proof
        kind: proof
        points: 1
        target: ["\\|y - X w\\|^2 = y^\\top y - 2 w^\\top X^\\top y + w^\\top X^\\top X w"]
"""

PROOF = r"$$\|y - Xw\|^2 = (y - Xw)^\top (y - Xw) = y^\top y - 2 w^\top X^\top y + w^\top X^\top X w$$"

TRANSCRIPT = rf"""# A chat about toy part symbols

## User

Toy part symbols, question 1 (one unit): what is the derivative $g$ of $(w - y)^2$ in $w$?

## Assistant

$$g = 2w - 2y$$

## User

Question 2: expand the residual $\|y - Xw\|^2$ of least squares.

## Assistant

Multiply out the inner product:

{PROOF}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-parts.yaml")


def _error(text: str) -> RubricError:
    with pytest.raises(RubricError) as info:
        parse_rubric_text(text, "toy-parts.yaml")
    return info.value


def _line_of(text: str, needle: str, after: str) -> int:
    """1-based line of the first ``needle`` after the first ``after``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


# ---------------------------------------------------------------- merge


def test_part_symbols_override_for_that_part_only(rubric: Rubric) -> None:
    home, q1, q2 = rubric.symbol_table(), rubric.symbol_table("q1"), rubric.symbol_table("q2")
    assert (home.symbols["y"].kind, q1.symbols["y"].kind) == ("scalar", "scalar")
    assert (q2.symbols["y"].kind, q2.symbols["y"].shape) == ("vector", ("n",))
    assert q2.symbols["w"].kind == "vector"
    # keys the part does not write are kept: the rubric's aliases, the other symbols
    assert q2.symbols["y"].aliases == ("\\mathbf{y}",)
    assert q2.symbols["lambda"].positive
    # an answer without its own symbols sees its part's
    assert rubric.symbol_table("q2", "proof") is q2


def test_merge_keeps_unwritten_keys() -> None:
    base = SymbolDecl(kind="scalar", positive=True, aliases=["\\lambda"])
    merged = merge_symbol(base, SymbolDecl.model_validate({"integer": True}), "lambda")
    assert (merged.kind, merged.positive, merged.integer, merged.aliases) == (
        "scalar",
        True,
        True,
        ["\\lambda"],
    )


def test_merge_a_new_kind_drops_the_old_shape() -> None:
    base = SymbolDecl(kind="vector", shape=["n"])
    assert merge_symbol(base, SymbolDecl(kind="scalar"), "y").shape == []
    # a shape alone keeps the rubric's kind
    resized = merge_symbol(base, SymbolDecl.model_validate({"shape": ["p"]}), "y")
    assert (resized.kind, resized.shape) == ("vector", ["p"])


def test_merge_that_does_not_fit_the_kind_is_an_error() -> None:
    with pytest.raises(SymbolMergeError, match="a scalar needs a shape of length 0"):
        merge_symbol(SymbolDecl(kind="scalar"), SymbolDecl.model_validate({"shape": ["n"]}), "y")


def test_answer_symbols_merge_over_the_part() -> None:
    text = RUBRIC.replace(
        "        target: [",
        "        symbols:\n          lambda: {integer: true, min: 1, max: 4}\n        target: [",
    )
    rubric = parse_rubric_text(text, "toy-parts.yaml")
    answer = rubric.symbol_table("q2", "proof")
    part = rubric.symbol_table("q2")
    assert answer.symbols["lambda"].integer and answer.symbols["lambda"].positive
    assert not part.symbols["lambda"].integer
    assert answer.symbols["y"].kind == "vector"  # the part's override is kept under the answer's
    assert rubric.symbol_decls("q2", "proof")["lambda"].max == 4


# ---------------------------------------------------------------- validation


def test_undeclared_dimension_names_file_line_and_key() -> None:
    text = RUBRIC.replace("w: {kind: vector, shape: [n]}", "w: {kind: vector, shape: [d]}")
    err = _error(text)
    line = _line_of(text, "w: {kind: vector, shape: [d]}", "- id: q2")
    assert err.where == f"toy-parts.yaml:{line}"
    assert "parts.1.symbols.w" in str(err)
    assert "dimension 'd'" in str(err)


def test_inconsistent_override_names_the_symbol() -> None:
    text = RUBRIC.replace("y: {kind: vector, shape: [n]}", "y: {shape: [n]}")
    err = _error(text)
    assert err.where == f"toy-parts.yaml:{_line_of(text, 'y: {shape: [n]}', '- id: q2')}"
    assert "parts.1.symbols.y" in str(err)
    assert "a scalar needs a shape of length 0" in str(err)


def test_a_spelling_taken_by_another_symbol_is_an_error() -> None:
    text = RUBRIC.replace(
        "w: {kind: vector, shape: [n]}", 'w: {kind: vector, shape: [n], aliases: ["\\\\mathbf{y}"]}'
    )
    err = _error(text)
    assert "parts.1.symbols.w" in str(err)
    assert "already means 'y'" in str(err)


def test_answer_symbol_error_names_the_answer_key() -> None:
    text = RUBRIC.replace(
        "        target: [",
        "        symbols:\n          v: {kind: vector, shape: [q]}\n        target: [",
    )
    err = _error(text)
    assert "parts.1.answers.0.symbols.v" in str(err)
    assert err.where == f"toy-parts.yaml:{_line_of(text, 'v: {kind: vector', '- id: q2')}"


def test_unknown_key_in_a_part_symbol() -> None:
    err = _error(RUBRIC.replace("y: {kind: vector, shape: [n]}", "y: {kind: vector, shape: [n], size: 3}"))
    assert "parts.1.symbols.y.size" in str(err)


# ---------------------------------------------------------------- grading


@pytest.fixture()
def homework(tmp_path: Path) -> tuple[Path, Path]:
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    path = rubrics / "toy-parts.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    chat = tmp_path / "chat.md"
    chat.write_text(TRANSCRIPT, encoding="utf-8")
    return path, chat


def test_rubric_check_passes(homework: tuple[Path, Path]) -> None:
    check = verify_rubric_file(homework[0])
    assert check.ok, [str(p) for p in check.problems]


def test_part_vectors_grade_the_proof(homework: tuple[Path, Path]) -> None:
    rubric_path, chat = homework
    transcript = read_path(chat)
    report = grade(transcript, choose_rubric(transcript, "toy-parts", directory=rubric_path.parent))
    verdicts = {p.id: p.final for p in report.parts}
    assert verdicts == {"q1": "correct", "q2": "correct"}, [p.reason for p in report.parts]


def test_without_the_part_vectors_the_same_proof_is_not_correct(tmp_path: Path) -> None:
    """With the rubric's scalars y, w, ``y - X w`` is a scalar minus a matrix: the same right proof is
    read as a dimension error (a right answer graded incorrect), so the part's declaration is what
    changes the outcome."""
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    scalar = RUBRIC.replace("      y: {kind: vector, shape: [n]}\n      w: {kind: vector, shape: [n]}\n", "")
    scalar = scalar.replace("    symbols:\n    answers:", "    answers:")
    assert "kind: vector" not in scalar
    (rubrics / "toy-parts.yaml").write_text(scalar, encoding="utf-8")
    chat = tmp_path / "chat.md"
    chat.write_text(TRANSCRIPT, encoding="utf-8")
    transcript = read_path(chat)
    report = grade(transcript, choose_rubric(transcript, "toy-parts", directory=rubrics))
    q2 = report.part("q2")
    assert q2 is not None
    assert q2.final == "incorrect", q2.reason
    assert "dimension error" in q2.reason
