"""The issue's accuracy targets on the shared benchmarks, through the CLI's own code paths.

- `grader check` on ../shared/bench/claims.jsonl: accuracy >= 99%, no false claim accepted, nothing
  unparseable or timed out;
- `grader equiv` on ../shared/bench/mathverify_suite.json: accuracy >= 97%.
(Timings are compared in benchmarks/, not here.)
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.check import check_target
from grader.mathx.freeform import equiv_text


def test_claims_through_grader_check(shared: Path) -> None:
    cases = [json.loads(x) for x in (shared / "bench" / "claims.jsonl").read_text().splitlines() if x.strip()]
    results = [(c, check_target(c["target"], c["claim"])[1]) for c in cases]
    right = sum((r.verdict == "correct") == c["expected"] for c, r in results)
    false_accepted = [c["id"] for c, r in results if r.verdict == "correct" and not c["expected"]]
    unreadable = [c["id"] for c, r in results if r.verdict in ("unparseable", "timeout")]
    print(f"\nclaims.jsonl: {right}/{len(cases)}")
    assert right / len(cases) >= 0.99
    assert false_accepted == [] and unreadable == []


def test_mathverify_suite_through_grader_equiv(shared: Path) -> None:
    cases = json.loads((shared / "bench" / "mathverify_suite.json").read_text())["cases"]
    right = sum((equiv_text(c["gold"], c["pred"]).verdict == "correct") == c["expected"] for c in cases)
    print(f"\nmathverify_suite via grader equiv: {right}/{len(cases)}")
    assert right / len(cases) >= 0.97
