"""Agreement of the grader with ../shared/gold/seeds.yaml on the three real seed write-ups.

Prints verdict agreement (first and final, gold needs_review excluded), flag precision and recall,
`hinted` agreement, every disagreement, and the wall time. Usage: python benchmarks/bench_seeds.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.evaluation import Agreement, compare, load_gold  # noqa: E402
from grader.pipeline import grade_file  # noqa: E402

SHARED = ROOT.parent / "shared"


def main() -> int:
    gold = SHARED / "gold" / "seeds.yaml"
    if not gold.exists():
        print("../shared/gold/seeds.yaml not found: nothing to measure")
        return 0
    agg = Agreement()
    t0 = time.perf_counter()
    for entry in load_gold(gold):
        t = time.perf_counter()
        report = grade_file(SHARED / "seeds" / entry["file"])
        compare(report, entry, agg)
        print(f"{entry['file']}: graded in {time.perf_counter() - t:.2f} s")
    print(f"\nall seeds in {time.perf_counter() - t0:.2f} s")
    print(agg.summary())
    for line in agg.disagreements:
        print("  -", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
