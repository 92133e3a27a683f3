"""Agreement of the grader with the gold labels on the three real seed write-ups (../shared/gold)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.evaluation import Agreement, compare, load_gold
from grader.pipeline import grade_file

THRESHOLD = 0.80


@pytest.fixture(scope="module")
def seed_agreement(shared: Path) -> Agreement:
    agg = Agreement()
    for entry in load_gold(shared / "gold" / "seeds.yaml"):
        report = grade_file(shared / "seeds" / entry["file"])
        assert report.homework == entry["homework"], entry["file"]
        compare(report, entry, agg)
    return agg


def test_verdict_agreement_with_gold(seed_agreement: Agreement) -> None:
    print("\nseed agreement:", seed_agreement.summary())
    for line in seed_agreement.disagreements:
        print("  ", line)
    assert seed_agreement.verdict_pairs >= 40  # every labelled pair of the three seeds is compared
    assert seed_agreement.verdict_rate >= THRESHOLD, seed_agreement.summary()
