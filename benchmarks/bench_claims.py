"""Accuracy of `grader check` on ../shared/bench/claims.jsonl (75 domain claims), optionally beside Math-Verify.

Reports accuracy, false claims accepted, unparseable/timeout counts, total wall time and per-check
median / p95. With --side-by-side, runs Math-Verify 0.9 (`pip install "math-verify[antlr4_13_2]==0.9.0"`)
on the same (reference, claim) strings. Usage: python benchmarks/bench_claims.py [--side-by-side]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.check import check_target  # noqa: E402

SHARED = ROOT.parent / "shared"


def _stats(name: str, times: list[float], right: int, total: int, extra: str = "") -> None:
    times_ms = sorted(t * 1000 for t in times)
    p95 = times_ms[int(0.95 * (len(times_ms) - 1))]
    print(
        f"{name:<14} accuracy {right}/{total} = {right / total:.1%}  total {sum(times):.2f} s  "
        f"median {statistics.median(times_ms):.1f} ms  p95 {p95:.1f} ms  {extra}"
    )


def run_ours(cases: list[dict]) -> None:
    times, right, false_acc, unparse = [], 0, 0, 0
    for c in cases:
        t = time.perf_counter()
        _, res = check_target(c["target"], c["claim"])
        times.append(time.perf_counter() - t)
        ok = res.verdict == "correct"
        right += ok == c["expected"]
        false_acc += ok and not c["expected"]
        unparse += res.verdict in ("unparseable", "timeout")
        if ok != c["expected"]:
            print(
                f"  MISS {c['id']} {c['target']} claim={c['claim']!r} expected={c['expected']} got={res.verdict}: {res.explanation}"
            )
    _stats("grader", times, right, len(cases), f"false accepted {false_acc}, unparseable/timeout {unparse}")


def run_math_verify(cases: list[dict]) -> None:
    try:
        from math_verify import parse, verify
    except ImportError:
        print("math-verify not installed: pip install 'math-verify[antlr4_13_2]==0.9.0'")
        return
    times, right, false_acc = [], 0, 0
    for c in cases:
        t = time.perf_counter()
        try:
            ok = bool(verify(parse(f"${c['reference']}$"), parse(f"${c['claim']}$")))
        except Exception:  # noqa: BLE001 - a crash of the peer library counts as "not accepted"
            ok = False
        times.append(time.perf_counter() - t)
        right += ok == c["expected"]
        false_acc += ok and not c["expected"]
    _stats("math-verify", times, right, len(cases), f"false accepted {false_acc}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--side-by-side", action="store_true", help="also run Math-Verify on the same claims")
    args = ap.parse_args()
    path = SHARED / "bench" / "claims.jsonl"
    if not path.exists():
        print("../shared/bench/claims.jsonl not found: nothing to measure")
        return 0
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    run_ours(cases)
    if args.side_by_side:
        run_math_verify(cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
