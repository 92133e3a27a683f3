"""Regression: the Math-Verify comparison suite (../shared/bench/mathverify_suite.json, 270 cases).

Runs compare_freeform on every case with the options the upstream test used, prints each
failure, and asserts an accuracy of at least 97%. Skips when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_mathverify import load_cases, print_failures, run_ours, summary

SUITE = Path(__file__).resolve().parents[2] / ".." / "shared" / "bench" / "mathverify_suite.json"
TARGET = 0.97


@pytest.mark.shared
def test_mathverify_suite_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    if not SUITE.exists():
        pytest.skip(f"suite not found: {SUITE}")
    cases = load_cases(SUITE)
    assert len(cases) == 270
    outcomes = run_ours(cases, budget_s=5.0)
    with capsys.disabled():
        print_failures(outcomes)
    stats = summary(outcomes)
    print(
        f"accuracy {stats['accuracy']:.1%}, median {stats['median_ms']:.2f} ms, p95 {stats['p95_ms']:.2f} ms"
    )
    assert all(o.verdict != "timeout" for o in outcomes)
    assert stats["accuracy"] >= TARGET
