"""The held-out test set's files keep their schema, size and balance (issue 11, "Done when").

Table-driven: one test per row for the per-row schema, then whole-file properties (unique ids, at
least 300 pairs and 150 claims, about half right and half wrong, a right and a wrong case in every
category and homework), and that every symbol spec, rubric target and reference check a row names
exists.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from benchmarks.heldout import (
    CLAIMS,
    HOMEWORKS,
    PAIR_CATEGORIES,
    PAIRS,
    claim_schema_errors,
    pair_schema_errors,
    read_jsonl,
)
from grader.check import parse_target
from grader.cli_check import parse_symbols
from tests.heldout import test_course_references_hw0_6 as refs_a
from tests.heldout import test_course_references_hw7_13 as refs_b

PAIR_ROWS = read_jsonl(PAIRS)
CLAIM_ROWS = read_jsonl(CLAIMS)
PART_ID = re.compile(r"^q\d+[a-z]?(_[ivx]+)?$")  # DESIGN.md: q + number + letter + _roman


@pytest.mark.parametrize("row", PAIR_ROWS, ids=lambda r: r.get("id", "?"))
def test_pair_row_schema(row: dict[str, Any]) -> None:
    assert pair_schema_errors([row]) == []
    if "symbols" in row:
        parse_symbols(row["symbols"])  # the CLI accepts the spec


@pytest.mark.parametrize("row", CLAIM_ROWS, ids=lambda r: r.get("id", "?"))
def test_claim_row_schema(row: dict[str, Any]) -> None:
    assert claim_schema_errors([row]) == []
    assert PART_ID.match(row["part"]), row["part"]
    if "symbols" in row:
        parse_symbols(row["symbols"])
    if "target" in row:
        parse_target(row["target"])  # raises TargetError when the rubric has no such answer
        assert row["target"].split(".")[1] == row["part"]


def test_ids_unique_and_sizes() -> None:
    assert pair_schema_errors(PAIR_ROWS) == [] and claim_schema_errors(CLAIM_ROWS) == []
    ids = [r["id"] for r in PAIR_ROWS + CLAIM_ROWS]
    assert len(ids) == len(set(ids))
    assert len(PAIR_ROWS) >= 300 and len(CLAIM_ROWS) >= 150


def test_about_half_right_and_half_wrong() -> None:
    pairs_true = sum(r["expected"] for r in PAIR_ROWS) / len(PAIR_ROWS)
    claims_right = sum(r["expected"] == "correct" for r in CLAIM_ROWS) / len(CLAIM_ROWS)
    assert 0.4 <= pairs_true <= 0.6 and 0.4 <= claims_right <= 0.6


def test_every_category_has_cases_both_ways() -> None:
    """Near-misses in every category, and right answers to go with them."""
    by = Counter((r["category"], r["expected"]) for r in PAIR_ROWS)
    for category in PAIR_CATEGORIES:
        assert by[(category, True)] >= 5 and by[(category, False)] >= 5, category


def test_every_homework_has_claims_both_ways() -> None:
    by = Counter((r["homework"], r["expected"]) for r in CLAIM_ROWS)
    for hw in HOMEWORKS:
        assert by[(hw, "correct")] >= 3 and by[(hw, "incorrect")] >= 3, hw


def test_every_named_reference_check_exists() -> None:
    """Each claim's ``check`` names a numeric verification of its reference in this folder."""
    known = set(refs_a.CHECKS) | set(refs_b.CHECKS)
    named = {r["check"] for r in CLAIM_ROWS if "check" in r}
    assert named <= known, sorted(named - known)
    unchecked = [r["id"] for r in CLAIM_ROWS if "check" not in r]
    assert all("note" in r for r in CLAIM_ROWS if r["id"] in unchecked)  # says why nothing is computed
    assert len(unchecked) <= 0.1 * len(CLAIM_ROWS)
