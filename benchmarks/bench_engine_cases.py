"""Accuracy of the math engine on its own case tables (tests/mathx/cases_dev.py and the held-out
tests/mathx/cases_heldout.py), per category: accuracy, false accepts, false rejects, unparseable.

``grader equiv`` rows run through the CLI's library call (``equiv_text``), ``grader check`` rows
through ``check_target``, equation rows through ``mathx.check_equation``. ``--side-by-side`` also
runs Math-Verify 0.9 (``pip install "math-verify[antlr4_13_2]==0.9.0"``) on the ``equiv`` rows (the
strings wrapped in ``$...$`` unless they already hold math delimiters).

Usage::

    .venv/bin/python -m benchmarks.bench_engine_cases [--heldout | --all] [--side-by-side]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.mathx import cases_dev, cases_heldout  # noqa: E402
from tests.mathx.engine_cases import Row, rows, verdict  # noqa: E402


@dataclass
class Result:
    """One row's outcome."""

    row: Row
    got: str
    why: str
    seconds: float


def run(module: object) -> list[Result]:
    """Every row of a case module through the engine."""
    out = []
    for row in rows(module):
        t0 = time.perf_counter()
        got, why = verdict(row)
        out.append(Result(row, got, why, time.perf_counter() - t0))
    return out


def score(results: list[Result]) -> dict[str, float]:
    """Accuracy (verdict equal to the expected one), false accepts, false rejects, unparseable."""
    n = len(results)
    right = sum(r.got == r.row.expected for r in results)
    false_accepts = sum(r.got == "correct" and r.row.expected != "correct" for r in results)
    false_rejects = sum(r.got != "correct" and r.row.expected == "correct" for r in results)
    wrongly_incorrect = sum(r.got == "incorrect" and r.row.expected != "incorrect" for r in results)
    unparseable = sum(r.got in ("unparseable", "timeout") for r in results)
    return {
        "n": n,
        "right": right,
        "accuracy": right / max(n, 1),
        "false_accepts": false_accepts,
        "false_rejects": false_rejects,
        "wrongly_incorrect": wrongly_incorrect,
        "unparseable": unparseable,
    }


def report(name: str, results: list[Result]) -> None:
    """Per-category and total figures, then each miss."""
    by_group: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_group[f"{r.row.table}/{r.row.group}"].append(r)
    print(f"\n== {name}")
    print(f"{'category':<26}{'n':>4}{'right':>7}{'acc':>8}{'FA':>5}{'FR':>5}{'inc!':>6}{'unp':>5}")
    for group, items in sorted(by_group.items()):
        s = score(items)
        print(
            f"{group:<26}{s['n']:>4}{s['right']:>7}{s['accuracy']:>8.1%}{s['false_accepts']:>5}"
            f"{s['false_rejects']:>5}{s['wrongly_incorrect']:>6}{s['unparseable']:>5}"
        )
    s = score(results)
    times = sorted(r.seconds for r in results)
    p95 = times[int(0.95 * (len(times) - 1))] if times else 0.0
    print(
        f"{'TOTAL':<26}{s['n']:>4}{s['right']:>7}{s['accuracy']:>8.1%}{s['false_accepts']:>5}"
        f"{s['false_rejects']:>5}{s['wrongly_incorrect']:>6}{s['unparseable']:>5}"
        f"   median {1000 * statistics.median(times):.1f} ms  p95 {1000 * p95:.1f} ms"
    )
    print(
        "(FA: false accepts; FR: right answers not accepted; inc!: 'incorrect' where that was not the verdict)"
    )
    for r in results:
        if r.got != r.row.expected:
            print(f"  MISS [{r.row.table}/{r.row.group}] {r.row.left!r} | {r.row.right!r}")
            print(f"       expected {r.row.expected}, got {r.got}: {r.why[:160]}")


def math_verify(results: list[Result]) -> None:
    """Math-Verify 0.9 on the same equiv rows, when it is installed."""
    try:
        from math_verify import parse, verify
    except ImportError:
        print('\nmath-verify is not installed: pip install "math-verify[antlr4_13_2]==0.9.0"')
        return

    def wrap(text: str) -> str:
        return text if "$" in text or "\\boxed" in text else f"${text}$"

    rows_eq = [r for r in results if r.row.table == "equiv"]
    ours = score(rows_eq)
    theirs: list[Result] = []
    for r in rows_eq:
        try:
            ok = bool(verify(parse(wrap(r.row.left)), parse(wrap(r.row.right))))
        except Exception:  # noqa: BLE001 - the other library's failures count as "not accepted"
            ok = False
        theirs.append(Result(r.row, "correct" if ok else "incorrect", "", 0.0))
    mv = score(theirs)
    # Math-Verify has no "unparseable": score it on accept/reject only, as ours is scored here too
    ours_binary = sum((x.got == "correct") == (x.row.expected == "correct") for x in rows_eq)
    mv_binary = sum((x.got == "correct") == (x.row.expected == "correct") for x in theirs)
    n = len(rows_eq)
    print(
        f"\nequiv rows, accept/reject agreement: grader {ours_binary}/{n} = {ours_binary / n:.1%}, ", end=""
    )
    print(f"math-verify 0.9 {mv_binary}/{n} = {mv_binary / n:.1%}")
    print(f"false accepts: grader {ours['false_accepts']}, math-verify {mv['false_accepts']}")
    print(f"false rejects: grader {ours['false_rejects']}, math-verify {mv['false_rejects']}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--heldout", action="store_true", help="the held-out cases only")
    group.add_argument("--all", action="store_true", help="development and held-out cases")
    ap.add_argument("--side-by-side", action="store_true", help="also run Math-Verify 0.9 on the equiv rows")
    args = ap.parse_args(argv)
    tables = []
    if not args.heldout:
        tables.append(("development cases (tests/mathx/cases_dev.py)", cases_dev))
    if args.heldout or args.all:
        tables.append(("held-out cases (tests/mathx/cases_heldout.py)", cases_heldout))
    for name, module in tables:
        results = run(module)
        report(name, results)
        if args.side_by_side:
            math_verify(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
