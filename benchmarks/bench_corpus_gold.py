"""Agreement of the grader with the held-out gold of real corpus submissions, per split.

    .venv/bin/python benchmarks/bench_corpus_gold.py [--split even|odd|all] [--out DIR] [--verbose]

Grades every file that ``../shared/gold/hw0_dev.yaml``, ``hw9_dev.yaml`` and ``hw13_dev.yaml`` label
(files of ``../shared/corpus/``), the way ``grader grade`` does (homework detected, not forced), and
compares each report with its gold entry (:func:`grader.evaluation.compare`: pairs whose gold is
``needs_review`` excluded). The files are split by the parity of their thread number: the **even**
threads are the development split, the **odd** ones are held out (measured once, never developed on).
Prints, per split, verdict agreement, right answers graded ``incorrect`` and wrong ones graded
``correct``, flag precision and recall, the homework detected, every disagreement (``--verbose``) and the
wall time. ``--questions`` gives the course's question PDFs (``../shared/course``) to the grader, as
``grader grade --questions`` does. ``--out DIR`` also writes the ``<stem>.report.json`` files, so that
``python ../shared/tools/agreement.py ../shared/gold/hw9_dev.yaml DIR`` can be run on them.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.evaluation import Agreement, compare, load_gold  # noqa: E402

SHARED = ROOT.parent / "shared"
GOLD_FILES = ("hw0_dev.yaml", "hw9_dev.yaml", "hw13_dev.yaml")


@dataclass
class Split:
    """The figures of one split."""

    name: str
    agreement: Agreement = field(default_factory=Agreement)
    files: int = 0
    detected: int = 0
    false_fail: int = 0
    """Parts the gold calls correct that the grader calls incorrect."""
    false_pass: int = 0
    """Parts the gold calls incorrect that the grader calls correct."""
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)


def thread_number(file: str) -> int | None:
    """The thread number of a corpus path (``thread_346/x.pdf`` -> 346)."""
    m = re.match(r"thread_(\d+)/", file)
    return int(m.group(1)) if m else None


def split_of(file: str) -> str:
    """``even`` (development) or ``odd`` (held out), by the thread number's parity."""
    n = thread_number(file)
    return "even" if n is not None and n % 2 == 0 else "odd"


def _errors(report: Any, entry: dict[str, Any], split: Split) -> None:
    for gpart in entry.get("parts", []):
        part = report.part(gpart["id"])
        for key in ("first", "final"):
            want, got = gpart.get(key), getattr(part, key) if part else None
            split.false_fail += want == "correct" and got == "incorrect"
            split.false_pass += want == "incorrect" and got == "correct"


def grade_entry(entry: dict[str, Any], split: Split, out: Path | None, questions: Any = None) -> None:
    """Grade one gold-labelled corpus file and add its agreement to ``split``."""
    from grader.errors import GraderError
    from grader.pipeline import grade_file

    path = SHARED / "corpus" / entry["file"]
    split.files += 1
    start = time.perf_counter()
    try:
        report = grade_file(path, questions=questions)
    except GraderError as exc:
        # a file the grader refuses still counts: each labelled verdict is a disagreement
        split.lines.append(f"{entry['file']}: not graded: {exc}")
        for gpart in entry.get("parts", []):
            for key in ("first", "final"):
                if gpart.get(key) not in (None, "needs_review"):
                    split.agreement.verdict_pairs += 1
                    split.agreement.disagreements.append(
                        f"{entry['file']} {gpart['id']}.{key}: gold {gpart[key]}, grader not graded"
                    )
        return
    split.seconds += time.perf_counter() - start
    split.detected += report.homework == entry.get("homework")
    before = len(split.agreement.disagreements)
    compare(report, entry, split.agreement)
    _errors(report, entry, split)
    split.lines.append(
        f"{entry['file']}: {report.homework} ({time.perf_counter() - start:.1f} s), "
        f"{len(split.agreement.disagreements) - before} disagreement(s)"
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        from grader.reports import report_json

        (out / f"{path.stem}.report.json").write_text(report_json(report), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns a process exit code (0; 2 when the data is absent)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("even", "odd", "all"), default="all")
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON reports here")
    ap.add_argument("--verbose", action="store_true", help="print every disagreement")
    ap.add_argument(
        "--questions",
        action="store_true",
        help="give the course's question PDFs (../shared/course), as `grader grade --questions` does",
    )
    args = ap.parse_args(argv)
    if not (SHARED / "gold" / GOLD_FILES[0]).exists():
        print("../shared/gold not found: nothing to measure")
        return 2
    questions = None
    if args.questions:
        from grader.course.loader import load_course
        from grader.rubric import rubrics

        questions = load_course(SHARED / "course", rubrics().keys())
    splits = {name: Split(name) for name in ("even", "odd")}
    for gold in GOLD_FILES:
        for entry in load_gold(SHARED / "gold" / gold):
            name = split_of(entry["file"])
            if args.split in (name, "all"):
                grade_entry(entry, splits[name], args.out, questions)
    for split in splits.values():
        if not split.files:
            continue
        role = "development" if split.name == "even" else "held out"
        agg = split.agreement
        print(f"\n## {split.name} threads ({role}): {split.files} files, {split.seconds:.1f} s")
        for line in split.lines:
            print("  " + line)
        print(f"homework detected: {split.detected}/{split.files}")
        print(f"right graded incorrect: {split.false_fail}; wrong graded correct: {split.false_pass}")
        print(agg.summary())
        if args.verbose:
            for line in agg.disagreements:
                print("  -", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
