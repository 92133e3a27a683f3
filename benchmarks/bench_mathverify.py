"""Run compare_freeform over the Math-Verify comparison suite (../shared/bench/mathverify_suite.json).

Prints accuracy, each failure (id, gold, pred, expected, got, explanation), wall time and the
per-check median and p95. ``--side-by-side`` also runs Math-Verify itself (``math-verify==0.9.0``,
``verify(parse(gold), parse(pred))`` with the options the upstream test used) on the same cases.

Usage::

    .venv/bin/python -m benchmarks.bench_mathverify [--suite PATH] [--side-by-side] [--budget 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.mathx.freeform import FreeformOptions, compare_freeform

DEFAULT_SUITE = Path(__file__).resolve().parents[1] / ".." / "shared" / "bench" / "mathverify_suite.json"


@dataclass
class Outcome:
    """One case's result: what was expected, what came out, and how long it took."""

    case_id: str
    gold: str
    pred: str
    expected: bool
    got: bool
    verdict: str
    explanation: str
    seconds: float


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The suite's cases (each with ``id``, ``gold``, ``pred``, ``expected``, ``upstream_options``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["cases"])


def options_for(case: dict[str, Any]) -> FreeformOptions:
    """Map the upstream test's options (precision, strict, allow_set_relation_comp) onto ours."""
    up = case.get("upstream_options") or {}
    return FreeformOptions(
        precision=up.get("precision"),
        strict=up.get("strict", True),
        allow_set_relation_comp=up.get("allow_set_relation_comp", False),
    )


def run_ours(cases: list[dict[str, Any]], budget_s: float) -> list[Outcome]:
    """compare_freeform on every case."""
    out = []
    for case in cases:
        t0 = time.perf_counter()
        res = compare_freeform(case["gold"], case["pred"], budget_s, options=options_for(case))
        dt = time.perf_counter() - t0
        got = res.verdict == "correct"
        out.append(
            Outcome(
                case["id"],
                case["gold"],
                case["pred"],
                case["expected"],
                got,
                res.verdict,
                res.explanation,
                dt,
            )
        )
    return out


def _math_verify_checker() -> Callable[[dict[str, Any]], bool] | None:
    try:
        from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify
    except ImportError:
        return None

    def run(case: dict[str, Any]) -> bool:
        up = case.get("upstream_options") or {}
        kinds = up.get("match_types", ["latex", "expr"])
        targets = [LatexExtractionConfig() if k == "latex" else ExprExtractionConfig() for k in kinds]
        try:
            g = parse(case["gold"], extraction_config=targets)
            p = parse(case["pred"], extraction_config=targets)
            if not g or not p:
                return False
            return bool(
                verify(
                    g,
                    p,
                    float_rounding=up.get("precision", 6),
                    strict=up.get("strict", True),
                    allow_set_relation_comp=up.get("allow_set_relation_comp", False),
                )
            )
        except Exception:  # noqa: BLE001 - the other library's failures count as "no match"
            return False

    return run


def run_math_verify(cases: list[dict[str, Any]]) -> list[Outcome] | None:
    """Math-Verify on every case, or None when it is not installed."""
    checker = _math_verify_checker()
    if checker is None:
        return None
    out = []
    for case in cases:
        t0 = time.perf_counter()
        got = checker(case)
        dt = time.perf_counter() - t0
        out.append(Outcome(case["id"], case["gold"], case["pred"], case["expected"], got, str(got), "", dt))
    return out


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    """Accuracy, wall time and per-check median / p95 in milliseconds."""
    times = sorted(o.seconds for o in outcomes)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] if times else 0.0
    return {
        "accuracy": sum(o.got == o.expected for o in outcomes) / max(len(outcomes), 1),
        "wall_s": sum(times),
        "median_ms": 1000 * statistics.median(times) if times else 0.0,
        "p95_ms": 1000 * p95,
    }


def _short(text: str, n: int = 100) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= n else "…" + text[-n:]


def print_failures(outcomes: list[Outcome]) -> None:
    """One block per failure: id, gold, pred, expected, got, explanation."""
    for o in outcomes:
        if o.got != o.expected:
            print(f"FAIL {o.case_id}: expected={o.expected} got={o.got} ({o.verdict})")
            print(f"    gold: {_short(o.gold)}")
            print(f"    pred: {_short(o.pred)}")
            print(f"    why:  {o.explanation}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 0 when accuracy reaches the target."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    ap.add_argument("--side-by-side", action="store_true", help="also run Math-Verify 0.9.0")
    ap.add_argument("--budget", type=float, default=5.0, help="seconds per comparison")
    ap.add_argument("--target", type=float, default=0.97)
    args = ap.parse_args(argv)
    if not args.suite.exists():
        print(f"suite not found: {args.suite}", file=sys.stderr)
        return 2
    cases = load_cases(args.suite)
    t0 = time.perf_counter()
    ours = run_ours(cases, args.budget)
    wall = time.perf_counter() - t0
    print_failures(ours)
    s = summary(ours)
    n_ok = sum(o.got == o.expected for o in ours)
    print(
        f"\ncompare_freeform: {n_ok}/{len(ours)} = {s['accuracy']:.1%}  wall {wall:.2f}s  "
        f"median {s['median_ms']:.2f} ms  p95 {s['p95_ms']:.2f} ms"
    )
    if args.side_by_side:
        theirs = run_math_verify(cases)
        if theirs is None:
            print('math-verify is not installed: pip install "math-verify[antlr4_13_2]==0.9.0"')
        else:
            t = summary(theirs)
            m_ok = sum(o.got == o.expected for o in theirs)
            print(f"{'':18}{'accuracy':>12}{'wall s':>10}{'median ms':>12}{'p95 ms':>10}")
            for name, x, k in (("compare_freeform", s, n_ok), ("math-verify 0.9.0", t, m_ok)):
                print(
                    f"{name:18}{k:>5}/{len(cases)} {x['accuracy']:>5.1%}{x['wall_s']:>10.2f}"
                    f"{x['median_ms']:>12.2f}{x['p95_ms']:>10.2f}"
                )
            only_theirs = [
                o.case_id for o, m in zip(ours, theirs, strict=True) if m.got == m.expected != o.got
            ]
            only_ours = [o.case_id for o, m in zip(ours, theirs, strict=True) if o.got == o.expected != m.got]
            print(f"right only for math-verify: {' '.join(only_theirs) or '-'}")
            print(f"right only for compare_freeform: {' '.join(only_ours) or '-'}")
    return 0 if s["accuracy"] >= args.target else 1


if __name__ == "__main__":
    raise SystemExit(main())
