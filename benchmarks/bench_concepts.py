"""Concept answers judged by meaning, on answers held out while the HW7 rubric's ideas were written.

Reads ``benchmarks/data/concepts_heldout.yaml`` (answers written for this measurement, never used to tune
the rubric) and the HW7 rubric's q7a and q8b(argument) ideas. Prints, per label, how the answers were
graded, and the two errors that matter: a right answer graded incorrect (must be 0) and a wrong answer
graded correct (a false accept). Usage: python benchmarks/bench_concepts.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.answers.concept import to_ideas  # noqa: E402
from grader.checkers.concept import check_concept  # noqa: E402
from grader.rubric import get_rubric  # noqa: E402

TARGETS = {"q7a": "problem", "q8b": "argument"}


def main() -> int:
    data = yaml.safe_load(
        (ROOT / "benchmarks" / "data" / "concepts_heldout.yaml").read_text(encoding="utf-8")
    )
    rubric = get_rubric("cs182-fa25-hw7")
    table: Counter[tuple[str, str]] = Counter()
    wrong_incorrect = false_accepts = 0
    t0 = time.perf_counter()
    for part_id, answers in data.items():
        spec = rubric.part(part_id).answer(TARGETS[part_id])
        assert spec is not None
        ideas, misc = to_ideas(spec.ideas), to_ideas(spec.misconceptions)
        for item in answers:
            got = check_concept(item["text"], ideas, misc, need=spec.min_ideas).verdict
            table[(item["verdict"], got)] += 1
            if item["verdict"] in ("right", "partial") and got == "incorrect":
                wrong_incorrect += 1
                print(f"  RIGHT GRADED INCORRECT ({part_id}): {item['text'][:90]}")
            if item["verdict"] == "wrong" and got == "correct":
                false_accepts += 1
                print(f"  FALSE ACCEPT ({part_id}): {item['text'][:90]}")
    total = sum(table.values())
    agree = table[("right", "correct")] + table[("partial", "partial")] + table[("wrong", "incorrect")]
    print(f"{total} held-out answers in {time.perf_counter() - t0:.2f} s")
    for label in ("right", "partial", "wrong"):
        row = {v: n for (lab, v), n in table.items() if lab == label}
        print(f"  {label:<8} -> {row}")
    print(
        f"exact agreement {agree}/{total}; right/partial graded incorrect: {wrong_incorrect}; "
        f"wrong graded correct: {false_accepts}; sent to a person: "
        f"{sum(n for (_, v), n in table.items() if v == 'unparseable')}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
