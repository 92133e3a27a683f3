"""The held-out test set of issue 11 through the grader and Math-Verify 0.9, per category.

Reads ``tests/heldout/data/equivalence_pairs.jsonl`` (425 pairs) and ``course_claims.jsonl`` (220
claims), written from scratch for issue 11 and never used to develop the engine. Each case goes
through the grader as ``grader equiv --batch`` runs it (the case's ``--symbols``, then the library call
``equiv_text``); course claims that name a rubric target also go through ``grader check TARGET CLAIM``.
With Math-Verify installed (``pip install -e ".[bench]"``) the same strings go through
``verify(parse(reference), parse(answer))``. Prints, per category and in total: accuracy, false
accepts, false rejects and unreadable results (unparseable / timeout / error), then medians.

Usage::

    .venv/bin/python -m benchmarks.bench_equivalence [--no-math-verify] [--failures] [--budget 5]
        [--split all|dev|heldout]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.heldout import (  # noqa: E402
    CLAIMS,
    PAIRS,
    SPLITS,
    Case,
    Outcome,
    grade_check,
    grade_equiv,
    load_claims,
    load_pairs,
    math_verify_scorer,
    run,
    split,
    tally,
)

HEADER = f"{'n':>4} {'acc':>6} {'FA':>3} {'FR':>3} {'unrd':>4}"


def _cells(outcomes: list[Outcome] | None, category: str) -> str:
    if outcomes is None:
        return f"{'-':>4} {'-':>6} {'-':>3} {'-':>3} {'-':>4}"
    t = tally(outcomes).get(category)
    if t is None:
        return f"{0:>4} {'-':>6} {'-':>3} {'-':>3} {'-':>4}"
    return f"{t.n:>4} {t.accuracy:>6.1%} {t.false_accepts:>3} {t.false_rejects:>3} {t.unreadable:>4}"


def print_table(title: str, ours: list[Outcome], theirs: list[Outcome] | None) -> None:
    """One row per category (and TOTAL): the grader's figures beside Math-Verify's."""
    print(f"\n{title}")
    print(f"{'':24} {'grader':^23}   {'math-verify 0.9':^23}")
    print(f"{'category':24} {HEADER}   {HEADER}")
    for category in tally(ours):
        print(f"{category:24} {_cells(ours, category)}   {_cells(theirs, category)}")


def _timing(name: str, outcomes: list[Outcome]) -> str:
    ms = sorted(1000 * o.seconds for o in outcomes)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"{name}: total {sum(ms) / 1000:.2f} s, median {statistics.median(ms):.2f} ms, p95 {p95:.1f} ms"


def print_failures(outcomes: list[Outcome], label: str) -> None:
    """Every case where the scorer's accept/reject differs from the label, or it could not read the case."""
    for o in outcomes:
        if o.accepted != o.case.expected or (o.case.expected and o.unreadable):
            want = "right" if o.case.expected else "wrong"
            print(f"  {label} {o.case.id} ({want}) -> {o.verdict}: {o.explanation[:140]}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; always 0 (the floors are asserted by tests/heldout/)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--claims", type=Path, default=CLAIMS)
    ap.add_argument("--budget", type=float, default=5.0, help="seconds per comparison (grader)")
    ap.add_argument("--no-math-verify", action="store_true", help="grader only")
    ap.add_argument("--failures", action="store_true", help="list every miss")
    ap.add_argument(
        "--split",
        choices=SPLITS,
        default="all",
        help="dev = even claim ids and even pair lines; heldout = the odd ones (measure once, at the end)",
    )
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")  # numpy overflow warnings on purpose-built overflow traps

    mv = None if args.no_math_verify else math_verify_scorer()
    if mv is None and not args.no_math_verify:
        print('math-verify is not installed (pip install -e ".[bench]"): grader only')

    def ours(case: Case) -> Outcome:
        return grade_equiv(case, args.budget)

    pairs = split(load_pairs(args.pairs), args.split)
    claims = split(load_claims(args.claims), args.split)
    targeted = [c for c in claims if c.target]
    t0 = time.perf_counter()
    results: dict[str, tuple[list[Outcome], list[Outcome] | None]] = {
        "pairs": (run(pairs, ours), run(pairs, mv) if mv else None),
        "claims": (run(claims, ours), run(claims, mv) if mv else None),
        "check": (run(targeted, grade_check), run(targeted, mv) if mv else None),
    }
    print(
        f"held-out set ({args.split}): {len(pairs)} equivalence pairs, {len(claims)} course claims ({len(targeted)} with a target)"
    )
    print("acc = accuracy (accepted exactly when right); FA = wrong answer accepted; FR = right answer")
    print("called incorrect/partial; unrd = unparseable, timeout or error (counted as not accepted)")
    print_table(f"Equivalence pairs ({args.pairs.name}), grader equiv", *results["pairs"])
    print_table(f"Course claims ({args.claims.name}), grader equiv CLAIM vs REFERENCE", *results["claims"])
    print_table("Course claims with a rubric target, grader check TARGET CLAIM", *results["check"])
    print()
    for key, (o, m) in results.items():
        print(_timing(f"grader {key}", o) + ("" if m is None else "   |   " + _timing("math-verify", m)))
    print(f"wall {time.perf_counter() - t0:.1f} s")
    if args.failures:
        for key, (o, m) in results.items():
            print(f"\nmisses, {key}:")
            print_failures(o, "grader")
            if m is not None:
                print_failures(m, "math-verify")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
