"""The held-out test set of issue 11: equivalence pairs and course claims, and how they are scored.

The cases live in ``tests/heldout/data/`` (``equivalence_pairs.jsonl``, ``course_claims.jsonl``; their
README says how they were written). This module loads and validates them, runs one case through the
grader (the library call behind ``grader equiv --batch``, and ``grader check`` where the claim names a
rubric target) or through Math-Verify 0.9 on the same strings, and tallies accuracy, false accepts,
false rejects and unreadable results per category. ``benchmarks/bench_equivalence.py`` prints the
tables; ``tests/heldout/`` asserts the schema and the floors.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "heldout" / "data"
PAIRS = DATA / "equivalence_pairs.jsonl"
CLAIMS = DATA / "course_claims.jsonl"

PAIR_CATEGORIES = (
    "algebra", "fractions", "powers_roots", "logs_exps", "trig", "factorials_binomials", "equations",
    "inequalities", "intervals", "sets_tuples_vectors", "matrices", "norms", "complex", "sums_products",
    "calculus", "numbers_units", "prose", "overflow_traps",
)  # fmt: skip
PROVENANCES = (
    "authored", "STACK answer tests", "Khan Academy KAS", "sympy LaTeX parser tests", "NeMo-Skills",
    "Qwen2.5-Math", "MATH", "WeBWorK",
)  # fmt: skip
HOMEWORKS = tuple(f"cs182-fa25-hw{n}" for n in range(14))
UNREADABLE = ("unparseable", "timeout", "error")


@dataclass(frozen=True)
class Case:
    """One held-out case in the form every scorer takes.

    Attributes:
        id: unique id (``alg-01``, ``hw7-03``).
        category: the pair's category, or the claim's homework.
        reference: the reference answer (LaTeX).
        answer: the answer to judge (a pair's answer, or a claim as an LLM wrote it).
        symbols: typed symbols in ``grader equiv --symbols`` syntax, or None.
        expected: True when the answer is mathematically equivalent to (or as right as) the reference.
        target: ``homework.part.answer`` when a rubric target exists for the claim, else None.
        position: the case's line number in its file (1-based); 0 when not loaded from a file.
    """

    id: str
    category: str
    reference: str
    answer: str
    symbols: str | None
    expected: bool
    target: str | None = None
    position: int = 0


@dataclass(frozen=True)
class Outcome:
    """What one scorer said about one case."""

    case: Case
    verdict: str
    seconds: float
    explanation: str = ""

    @property
    def accepted(self) -> bool:
        """The scorer called the answer right."""
        return self.verdict == "correct"

    @property
    def unreadable(self) -> bool:
        """The scorer could not read or finish the case (unparseable, timeout, error)."""
        return self.verdict in UNREADABLE


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSONL file, one per non-blank line; a bad line raises ValueError with its number."""
    return [obj for _, obj in _numbered_jsonl(path)]


def _numbered_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name} line {n}: invalid JSON: {exc.msg}") from exc
        if not isinstance(obj, dict):
            raise ValueError(f"{path.name} line {n}: not a JSON object")
        rows.append((n, obj))
    return rows


def _common_errors(rows: list[dict[str, Any]], required: Mapping[str, type]) -> list[str]:
    errors, seen = [], set()
    for i, row in enumerate(rows, 1):
        where = f"row {i} ({row.get('id', '?')})"
        for key, kind in required.items():
            if not isinstance(row.get(key), kind) or (kind is str and not row[key].strip()):
                errors.append(f"{where}: field {key!r} missing or not a non-empty {kind.__name__}")
        if "symbols" in row and not (isinstance(row["symbols"], str) and row["symbols"].strip()):
            errors.append(f"{where}: 'symbols' must be a non-empty string when present")
        if row.get("id") in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(row.get("id"))
    return errors


def pair_schema_errors(rows: list[dict[str, Any]]) -> list[str]:
    """Every way the equivalence pairs break their schema (empty when valid)."""
    required = {
        "id": str,
        "category": str,
        "reference": str,
        "answer": str,
        "expected": bool,
        "provenance": str,
    }
    errors = _common_errors(rows, required)
    for row in rows:
        if row.get("category") not in PAIR_CATEGORIES:
            errors.append(f"{row.get('id')}: unknown category {row.get('category')!r}")
        if row.get("provenance") not in PROVENANCES:
            errors.append(f"{row.get('id')}: unknown provenance {row.get('provenance')!r}")
    return errors


def claim_schema_errors(rows: list[dict[str, Any]]) -> list[str]:
    """Every way the course claims break their schema (empty when valid)."""
    required = {
        "id": str, "homework": str, "part": str, "question_gist": str, "reference": str, "claim": str,
        "expected": str, "provenance": str,
    }  # fmt: skip
    errors = _common_errors(rows, required)
    for row in rows:
        rid = row.get("id")
        if row.get("homework") not in HOMEWORKS:
            errors.append(f"{rid}: unknown homework {row.get('homework')!r}")
        if row.get("expected") not in ("correct", "incorrect"):
            errors.append(f"{rid}: expected must be 'correct' or 'incorrect'")
        if row.get("expected") == "incorrect" and not str(row.get("why") or "").strip():
            errors.append(f"{rid}: an incorrect claim needs 'why' (what is subtly wrong)")
        target = row.get("target")
        if target is not None and not (
            isinstance(target, str) and target.startswith(f"{row.get('homework')}.")
        ):
            errors.append(f"{rid}: target {target!r} is not <homework>.<part>.<answer> of its homework")
    return errors


def load_pairs(path: Path = PAIRS) -> list[Case]:
    """The equivalence pairs as cases (category = the pair's category)."""
    return [
        Case(
            r["id"],
            r["category"],
            r["reference"],
            r["answer"],
            r.get("symbols"),
            bool(r["expected"]),
            position=n,
        )  # fmt: skip
        for n, r in _numbered_jsonl(path)
    ]


def load_claims(path: Path = CLAIMS) -> list[Case]:
    """The course claims as cases (category = the homework, expected = the claim is correct)."""
    return [
        Case(
            r["id"],
            r["homework"],
            r["reference"],
            r["claim"],
            r.get("symbols"),
            r["expected"] == "correct",
            r.get("target"),
            n,
        )  # fmt: skip
        for n, r in _numbered_jsonl(path)
    ]


SPLITS = ("all", "dev", "heldout")


def split(cases: Iterable[Case], which: str) -> list[Case]:
    """The development half (``dev``), the held-out half (``heldout``) or ``all`` of the cases.

    A case whose id ends in a number (the course claims: ``hw2-08``) is split by that number's parity;
    the others (the equivalence pairs) by their line's parity in the file. Even is development, odd is
    held out: engine work develops on the even half and measures the odd half once, at the end.
    """
    if which not in SPLITS:
        raise ValueError(f"unknown split {which!r}: one of {', '.join(SPLITS)}")
    if which == "all":
        return list(cases)
    want = 0 if which == "dev" else 1
    return [c for c in cases if _split_number(c) % 2 == want]


def _split_number(case: Case) -> int:
    digits = re.search(r"(\d+)$", case.id)
    if case.category in HOMEWORKS and digits:
        return int(digits.group(1))
    return case.position


# --------------------------------------------------------------------------- scorers


def grade_equiv(case: Case, budget_s: float = 5.0) -> Outcome:
    """The grader's verdict as ``grader equiv --batch`` gives it: the case's symbols, then equiv_text."""
    from grader.cli_check import parse_symbols
    from grader.errors import GraderError
    from grader.mathx.freeform import equiv_text

    t0 = time.perf_counter()
    try:
        result = equiv_text(case.reference, case.answer, parse_symbols(case.symbols), budget_s)
    except GraderError as exc:  # a symbol spec the CLI would refuse: reported, not scored as a verdict
        return Outcome(case, "error", time.perf_counter() - t0, str(exc))
    return Outcome(case, result.verdict, time.perf_counter() - t0, result.explanation)


def grade_check(case: Case) -> Outcome:
    """The grader's verdict as ``grader check TARGET CLAIM`` gives it (the case must have a target)."""
    from grader.check import check_target
    from grader.errors import GraderError

    if case.target is None:
        raise ValueError(f"{case.id} has no rubric target")
    t0 = time.perf_counter()
    try:
        _, result = check_target(case.target, case.answer)
    except GraderError as exc:
        return Outcome(case, "error", time.perf_counter() - t0, str(exc))
    return Outcome(case, result.verdict, time.perf_counter() - t0, result.explanation)


def math_verify_scorer() -> Callable[[Case], Outcome] | None:
    """Math-Verify 0.9 as a scorer (``verify(parse(reference), parse(answer))``), or None when not installed.

    A bare formula is wrapped in ``$...$`` (Math-Verify extracts LaTeX from delimited text); text that
    already has delimiters or ``\\boxed`` is passed as it is. An empty parse counts as unparseable.
    Symbols are not passed: Math-Verify has no typed symbols.
    """
    try:
        from math_verify import parse, verify
    except ImportError:
        return None
    logging.getLogger("math_verify").setLevel(logging.CRITICAL)

    def wrap(text: str) -> str:
        if any(mark in text for mark in ("$", "\\boxed", "\\(", "\\[")):
            return text
        return f"${text}$"

    def score(case: Case) -> Outcome:
        t0 = time.perf_counter()
        try:
            gold, pred = parse(wrap(case.reference)), parse(wrap(case.answer))
            if not gold or not pred:
                return Outcome(case, "unparseable", time.perf_counter() - t0, "empty parse")
            ok = bool(verify(gold, pred))
        except Exception as exc:  # noqa: BLE001 - the other library's failures are reported, not raised
            return Outcome(case, "error", time.perf_counter() - t0, f"{type(exc).__name__}: {exc}")
        return Outcome(case, "correct" if ok else "incorrect", time.perf_counter() - t0)

    return score


# --------------------------------------------------------------------------- tallies


@dataclass
class Tally:
    """Counts for one category (or the total).

    Attributes:
        n: cases.
        right: accepted exactly when expected (an unreadable false answer counts as right: not accepted).
        false_accepts: a wrong answer called correct.
        false_rejects: a right answer called incorrect or partial (the worst error a grader makes).
        unreadable: unparseable, timeout or error, whatever the expected label.
        missed: a right answer left unreadable (neither accepted nor rejected).
    """

    n: int = 0
    right: int = 0
    false_accepts: int = 0
    false_rejects: int = 0
    unreadable: int = 0
    missed: int = 0

    @property
    def accuracy(self) -> float:
        """right / n (0 for an empty tally)."""
        return self.right / self.n if self.n else 0.0

    def add(self, o: Outcome) -> None:
        """Count one outcome."""
        self.n += 1
        self.right += o.accepted == o.case.expected
        self.false_accepts += o.accepted and not o.case.expected
        self.false_rejects += o.case.expected and not o.accepted and not o.unreadable
        self.unreadable += o.unreadable
        self.missed += o.case.expected and o.unreadable


def tally(outcomes: Iterable[Outcome]) -> dict[str, Tally]:
    """Tallies per category, in first-seen order, plus ``TOTAL``."""
    out: dict[str, Tally] = {}
    total = Tally()
    for o in outcomes:
        out.setdefault(o.case.category, Tally()).add(o)
        total.add(o)
    out["TOTAL"] = total
    return out


def run(cases: Iterable[Case], scorer: Callable[[Case], Outcome]) -> list[Outcome]:
    """One scorer over the cases, in order."""
    return [scorer(c) for c in cases]
