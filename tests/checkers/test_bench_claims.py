"""Regression on shared/bench/claims.jsonl: every claim of the targets the text checkers own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.checkers.choices import check_choice
from grader.checkers.names import check_name, identify_names
from grader.checkers.quantity import check_quantity, parse_quantities
from grader.checkers.tokens import check_tokens, parse_tokens
from grader.rubric import get_rubric

# Options as printed in the HW7 question (q8a); the bench file holds only the correct ones.
OPTIONS = {
    "q8a_i": ["0", "1", "2", "3"],
    "q8a_ii": ["nn.L1Loss", "nn.MSELoss", "nn.CrossEntropyLoss"],
    "q8a_iii": ["Weight Decay", "Dropout", "Layer Norm", "Batch Norm", "SGD optimizer"],
}
OURS = (".optimizer", ".tokens", ".choice", ".choices")


def _ours(row: dict) -> bool:
    return row["target"].endswith(OURS) or ".q4a." in row["target"]


def _verdict(row: dict) -> str:
    target, ref, claim = row["target"], row["reference"], row["claim"]
    part, answer = target.split(".")[1:3]
    if answer == "optimizer":  # the reference names a method of the HW2 rubric's vocabulary
        vocab = get_rubric("cs182-fa25-hw2").vocabulary
        families = [fam for fam, _ in identify_names(ref, vocab)]
        return check_name(claim, families, vocab, display=ref).verdict
    if answer == "tokens":
        return check_tokens(claim, parse_tokens(ref)).verdict
    if answer in {"choice", "choices"}:
        correct = [c.strip() for c in ref.split(";")]
        return check_choice(claim, OPTIONS[part], correct, multi=answer == "choices").verdict
    (q,) = parse_quantities(ref)
    return check_quantity(claim, q.value, q.unit, display=ref).verdict


def _rows(shared_dir: Path) -> list[dict]:
    path = shared_dir / "bench" / "claims.jsonl"
    if not path.is_file():
        pytest.skip("bench/claims.jsonl is not available")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if _ours(r)]


def test_bench_claims(shared_dir: Path) -> None:
    rows = _rows(shared_dir)
    assert rows, "no bench claims for the text checkers"
    wrong = [(r["id"], r["claim"], _verdict(r)) for r in rows if (_verdict(r) == "correct") != r["expected"]]
    assert wrong == []
