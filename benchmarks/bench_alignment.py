"""Coverage of alignment on the development corpus: which model replies reach a part of their homework.

    .venv/bin/python benchmarks/bench_alignment.py --split dev0|dev2 [--hide-notes] [--no-questions]
        [--hide-cues] [--verbose]

Reads every file of the **even** threads of ``../shared/corpus/`` and grades it with the rubric of the
homework that thread answers (the table of ``../shared/corpus/README.md``, parsed at run time), with the
course's question PDFs (``../shared/course``) as a TA gives them (``grader grade --questions``). Prints per
file and in total: the model replies with substantive content (more than :data:`SUBSTANTIVE_WORDS` words of
text, math, tables or code), those aligned to at least one part, and the parts of the homework answered
(at least one attempt); for the files the gold labels (``../shared/gold/*_dev.yaml``), also the parts that
the gold gives a verdict and the grader calls ``unanswered``.

Splits: ``dev0`` (thread number = 0 mod 4, developed on) and ``dev2`` (2 mod 4, confirmation). Odd threads
are held out: no option reads them.

Ablations that imitate files unlike ours, each a switch read in one place (:func:`ablate`):

- ``--hide-notes``: the student's annotations are not available to alignment (annotation blocks dropped);
- ``--no-questions``: no question PDFs given;
- ``--hide-cues``: ``GRADER_HIDE_LAYOUT_CUES=1`` (the PDF reader ignores speaker labels and bubble geometry).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD_FILES = ("hw0_dev.yaml", "hw9_dev.yaml", "hw13_dev.yaml")
SUBSTANTIVE_WORDS = 20
"""A model reply of more words than this (text, math, tables, code) is expected to answer something."""
SPLITS = {"dev0": 0, "dev2": 2}


@dataclass
class Ablation:
    """The switches of one run."""

    hide_notes: bool = False
    no_questions: bool = False
    hide_cues: bool = False


@dataclass
class FileFigures:
    """The alignment figures of one corpus file."""

    file: str
    homework: str
    replies: int = 0
    aligned: int = 0
    parts: int = 0
    answered: int = 0
    gold_unanswered: int | None = None
    missed: list[str] = field(default_factory=list)
    """Turn indices (and opening words) of substantive replies that reach no part."""
    error: str | None = None


def thread_homeworks(readme: Path = CORPUS / "README.md") -> dict[int, str]:
    """Thread number -> homework id, from the corpus README's table (``| 106 | HW3 | ...``)."""
    table: dict[int, str] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d+)\s*\|\s*HW(\d+)\s*\|", line)
        if m:
            table[int(m.group(1))] = f"cs182-fa25-hw{int(m.group(2))}"
    return table


def split_threads(table: dict[int, str], split: str) -> list[int]:
    """The threads of a development split; odd (held-out) threads are refused."""
    if split not in SPLITS:
        raise SystemExit(f"unknown split {split!r}: one of {', '.join(SPLITS)} (odd threads are held out)")
    return sorted(n for n in table if n % 2 == 0 and n % 4 == SPLITS[split])


def ablate(transcript: Any, ablation: Ablation) -> None:
    """Apply ``--hide-notes`` to a transcript read from disk (``--no-questions`` is applied in
    :func:`measure`, ``--hide-cues`` by the reader, :func:`read`)."""
    if ablation.hide_notes:
        for turn in transcript.turns:
            turn.blocks = [b for b in turn.blocks if b.kind != "annotation"]


def _words(turn: Any) -> int:
    from grader.align_sections import turn_text

    return len(turn_text(turn).split())


def _gold_entries() -> dict[str, dict[str, Any]]:
    from grader.evaluation import load_gold

    entries: dict[str, dict[str, Any]] = {}
    for name in GOLD_FILES:
        if (SHARED / "gold" / name).exists():
            entries.update({e["file"]: e for e in load_gold(SHARED / "gold" / name)})
    return entries


def _unanswered(state: Any, part_id: str) -> bool:
    """The grader's verdict on a part is ``unanswered``: from the report when graded, else the rule of
    :func:`grader.pipeline.grade_part` (a part with no attempt is ``unanswered``, and only such a part)."""
    if state.parts:
        return any(p.id == part_id and p.final == "unanswered" for p in state.parts)
    return not state.alignment.attempts.get(part_id)


def read(path: Path, hide_cues: bool) -> Any:
    """The transcript of a corpus file (a GraderError refusing it is returned, not raised), read with the
    layout cues hidden or not (the reader's switch, :data:`HIDE_LAYOUT_CUES_ENV`, set only here)."""
    from grader.errors import GraderError
    from grader.transcripts import read_path
    from grader.transcripts.role_evidence import HIDE_LAYOUT_CUES_ENV

    os.environ[HIDE_LAYOUT_CUES_ENV] = "1" if hide_cues else ""
    try:
        return read_path(path)
    except GraderError as exc:
        return exc
    finally:
        os.environ.pop(HIDE_LAYOUT_CUES_ENV, None)


def measure(
    name: str,
    read_out: Any,
    homework: str,
    ablation: Ablation,
    questions: Any,
    gold: dict[str, Any] | None,
    grade: bool = False,
) -> FileFigures:
    """Align one file (a copy of its transcript) with its homework's rubric (``grade``: and grade it, as
    ``grader grade`` does); count its replies and the parts they reach."""
    from grader.align_sections import turn_text
    from grader.errors import GraderError
    from grader.pipeline import TRANSCRIPT_STEPS, GradeState
    from grader.rubric import get_rubric
    from grader.transcripts.question_turns import mark_question_turns

    figures = FileFigures(name, homework)
    if isinstance(read_out, GraderError):
        figures.error = str(read_out)
        return figures
    transcript = read_out.model_copy(deep=True)
    questions = None if ablation.no_questions else questions
    try:
        ablate(transcript, ablation)
        if questions is not None:
            mark_question_turns(transcript, questions)
        rubric = get_rubric(homework)
        state = GradeState(transcript, rubric, None, questions)
        for step in TRANSCRIPT_STEPS if grade else TRANSCRIPT_STEPS[:1]:
            step(state)
    except GraderError as exc:
        figures.error = str(exc)
        return figures
    assert state.alignment is not None
    reached = {a.turn for atts in state.alignment.attempts.values() for a in atts if a.sections}
    for turn in transcript.turns:
        if turn.role == "assistant" and _words(turn) > SUBSTANTIVE_WORDS:
            figures.replies += 1
            if turn.index in reached:
                figures.aligned += 1
            else:
                figures.missed.append(f"turn {turn.index}: {' '.join(turn_text(turn).split()[:12])}")
    figures.parts = len(rubric.parts)
    figures.answered = sum(any(a.sections for a in atts) for atts in state.alignment.attempts.values())
    if gold is not None:
        figures.gold_unanswered = 0
        for gpart in gold.get("parts", []):
            has = any(gpart.get(k) not in (None, "unanswered") for k in ("first", "final"))
            figures.gold_unanswered += has and _unanswered(state, gpart["id"])
    return figures


def summary(rows: list[FileFigures]) -> str:
    """The totals of one run."""
    ok = [r for r in rows if not r.error]
    replies, aligned = sum(r.replies for r in ok), sum(r.aligned for r in ok)
    answered, parts = sum(r.answered for r in ok), sum(r.parts for r in ok)
    gold_rows = [r for r in ok if r.gold_unanswered is not None]
    return (
        f"{len(ok)} files ({len(rows) - len(ok)} not graded): replies aligned {aligned}/{replies}"
        f" = {100 * aligned / max(replies, 1):.1f}%; parts answered {answered}/{parts}"
        f" = {100 * answered / max(parts, 1):.1f}%; gold has a verdict, grader unanswered: "
        f"{sum(r.gold_unanswered or 0 for r in gold_rows)} ({len(gold_rows)} gold files)"
    )


def print_rows(rows: list[FileFigures], verbose: bool) -> None:
    """One line per file (and, ``verbose``, its replies that reach no part)."""
    print(f"{'file':60} {'replies':>8} {'aligned':>8} {'parts':>9} {'gold-unans':>10}")
    for r in rows:
        if r.error:
            print(f"{r.file[:60]:60} not graded: {r.error}")
            continue
        gu = "" if r.gold_unanswered is None else str(r.gold_unanswered)
        print(f"{r.file[:60]:60} {r.replies:>8} {r.aligned:>8} {f'{r.answered}/{r.parts}':>9} {gu:>10}")
        if verbose:
            for m in r.missed:
                print(f"    no part: {m}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns a process exit code (0; 2 when the data is absent)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--split", choices=tuple(SPLITS), required=True)
    ap.add_argument("--hide-notes", action="store_true", help="drop the student's annotations")
    ap.add_argument("--no-questions", action="store_true", help="give no question PDFs")
    ap.add_argument("--hide-cues", action="store_true", help="GRADER_HIDE_LAYOUT_CUES=1 for the reader")
    ap.add_argument(
        "--all",
        action="store_true",
        help="no ablation, then each one alone (each file read twice, not four times)",
    )
    ap.add_argument("--verbose", action="store_true", help="list the replies that reach no part")
    ap.add_argument(
        "--grade", action="store_true", help="grade every file too (same figures: unanswered = no attempt)"
    )
    args = ap.parse_args(argv)
    if not (CORPUS / "README.md").exists():
        print("../shared/corpus not found: nothing to measure")
        return 2
    runs = (
        [Ablation(), Ablation(hide_notes=True), Ablation(no_questions=True), Ablation(hide_cues=True)]
        if args.all
        else [Ablation(args.hide_notes, args.no_questions, args.hide_cues)]
    )
    questions = None
    if not all(r.no_questions for r in runs):
        from grader.course.loader import load_course
        from grader.rubric import rubrics

        questions = load_course(SHARED / "course", rubrics().keys())
    table = thread_homeworks()
    gold = _gold_entries()
    files = [
        (path, table[thread])
        for thread in split_threads(table, args.split)
        for path in sorted((CORPUS / f"thread_{thread}").iterdir())
        if path.is_file()
    ]
    start = time.perf_counter()
    results: list[list[FileFigures]] = [[] for _ in runs]
    for path, homework in files:
        name = str(path.relative_to(CORPUS))
        cached: dict[bool, Any] = {}
        for i, ablation in enumerate(runs):
            if ablation.hide_cues not in cached:
                cached[ablation.hide_cues] = read(path, ablation.hide_cues)
            got = cached[ablation.hide_cues]
            results[i].append(measure(name, got, homework, ablation, questions, gold.get(name), args.grade))
    totals = []
    for ablation, rows in zip(runs, results, strict=True):
        on = ", ".join(k for k, v in vars(ablation).items() if v) or "none"
        print(f"\n## alignment, split {args.split}, ablation: {on}")
        print_rows(rows, args.verbose)
        totals.append(f"{args.split} [{on}]: {summary(rows)}")
    print(f"\n## totals ({time.perf_counter() - start:.0f} s)")
    print("\n".join(totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
