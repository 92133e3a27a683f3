"""A report without a rubric: a submission is never refused.

When the transcript's homework has no rubric (or the homework cannot be told at all), the report
still gives, with every part ``needs_review`` and a warning saying why:

* the transcript as read (the report carries it for rendering) and the student's annotations, each
  attached to the part it comments on;
* the questions and parts found: from the homework's question PDF when the TA supplied it, else from
  the transcript's own numbering (:mod:`grader.course.numbering`);
* per part and attempt, the model's final answers (boxed, "Final answer:", "Answer:", the last display
  formula) and two final answers of one response that contradict each other (flag
  ``inconsistent_final``);
* derivation steps that do not follow, from the step checker, which needs no reference
  (flag ``derivation_error``).

Nothing is compared with a reference, so no verdict here is ``correct`` or ``incorrect``: answers and
findings are notes and flags for the person who reviews the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from grader import deadline
from grader.align import Alignment, Attempt, Section, align
from grader.annotations import audit_annotations
from grader.course.answers import contradictions, final_answers
from grader.course.detect import detector
from grader.course.model import Course, QuestionSet
from grader.course.numbering import parts_in_transcript
from grader.course.synthetic import (
    UNKNOWN_HOMEWORK,
    attempt_symbols,
    parts_of_numbering,
    parts_of_questions,
    stand_in_rubric,
)
from grader.hints import was_hinted
from grader.models import AttemptResult, Flag, PartResult, Report, Transcript
from grader.rubric import Rubric
from grader.steps import StepFinding, check_steps

__all__ = ["grade_without_rubric", "report_without_rubric"]

_NOT_CHECKED = "not checked: no rubric"


_DEFINITION_RE = re.compile(r"^\s*\\?[A-Za-z]+(?:_\{?[^={}]*\}?)?\s*(?:\([^=]*\))?\s*(?:=|\\approx)")


_UNIT_RE = re.compile(
    r"\d(?:[\s\u00a0~]|\\[,;:! ])+(?:\\(?:text|mathrm)\{\s*)?[A-Za-zµ%]{1,4}\b|\d\s*\\(?:text|mathrm)\{"
)


def _trustworthy(finding: StepFinding, attempt: Attempt) -> bool:
    """A step finding worth showing without a rubric: read from exact text, with no number set with a
    unit (untyped symbols would read "50 ns" as 50·n·s), and for a "solved" step
    (rule R2) one whose previous equation is not itself a definition (``g(x, t) = ...`` followed by
    ``x = ...`` defines two things; it solves nothing)."""
    lossy = {bi for bi, b in attempt.blocks if b.fidelity != "exact"}
    if finding.block in lossy or finding.evidence.get("previous_block") in lossy:
        return False
    if _UNIT_RE.search(finding.text) or _UNIT_RE.search(str(finding.evidence.get("previous", ""))):
        return False  # "50 ns", "16 GB": a number with a unit, which untyped symbols would misread
    if finding.evidence.get("rule") == "R2":
        previous = str(finding.evidence.get("previous", ""))
        return _DEFINITION_RE.match(previous) is None
    return True


def _attempt_result(attempt: Attempt, homework: str, check_working: bool) -> AttemptResult:
    answers = final_answers(attempt)
    notes = [f"final answer ({a.source}, block {a.block}): {a.text}" for a in answers]
    flags: list[Flag] = []
    for c in contradictions(answers):
        notes.append(c.explanation)
        flags.append("inconsistent_final")
    if check_working and not deadline.out_of_time():
        symbols = attempt_symbols(attempt)
        if symbols is not None:
            stand_in = stand_in_rubric(homework, [(attempt.part, "1", "", "")], symbols)
            for f in check_steps(attempt, stand_in.parts[0], stand_in, budget_s=2.0):
                if not _trustworthy(f, attempt):
                    continue
                notes.append(
                    f"step does not follow (block {f.block}): {f.explanation} "
                    "(checked with every symbol a positive scalar)"
                )
                flags.append("derivation_error")
    if not answers:
        notes.append("no final answer marked (no box, 'Answer:' line or display formula)")
    return AttemptResult(turn=attempt.turn, verdict="needs_review", notes=notes, flags=sorted(set(flags)))


def _part_result(transcript: Transcript, pid: str, attempts: list[Attempt], homework: str) -> PartResult:
    if not attempts:
        return PartResult(
            id=pid,
            first="unanswered",
            final="unanswered",
            reason="no answer to this part found in the transcript",
        )
    results = [_attempt_result(a, homework, check_working=True) for a in attempts]
    last = final_answers(attempts[-1])
    reason = (
        f"{_NOT_CHECKED}; final answer: {last[-1].text}"
        if last
        else f"{_NOT_CHECKED}; no final answer marked"
    )
    return PartResult(
        id=pid,
        first="needs_review",
        final="needs_review",
        hinted=was_hinted(transcript, attempts),
        flags=sorted({f for r in results for f in r.flags}),
        reason=reason[:300],
        attempts=results,
    )


def grade_without_rubric(
    transcript: Transcript,
    questions: QuestionSet | None = None,
    *,
    homework: str | None = None,
    why: str | None = None,
    budget_s: float | None = None,
) -> Report:
    """The rubric-less report of a transcript (see the module notes).

    ``questions``: the homework's question text, whose parts then structure the report; without it,
    the transcript's numbering does. ``homework``: the homework id to report (default: the question
    set's, else ``unknown``). ``why``: the reason there is no rubric, put first in the warnings.
    """
    hw = homework or (questions.homework if questions is not None else UNKNOWN_HOMEWORK)
    warnings = [why] if why else []
    if questions is not None and questions.parts():
        rows = parts_of_questions(questions)
        origin = f"parts from the question file {questions.source.split('/')[-1]}"
    else:
        rows = parts_of_numbering(parts_in_transcript(transcript))
        origin = (
            "parts from the transcript's own numbering"
            if rows
            else "no question numbering found: the whole transcript is reported as one part, q1"
        )
    warnings.append(
        f"no rubric for {hw}: every part is needs_review ({origin}); final answers, contradictions and "
        "derivation steps are shown, nothing was checked against a reference"
    )
    stand_in = stand_in_rubric(hw, rows)
    alignment = align(transcript, stand_in, questions)
    if not rows:
        _whole_transcript_attempts(transcript, alignment)
    with deadline.transcript_budget(budget_s):
        parts = [_part_result(transcript, p.id, alignment.attempts.get(p.id, []), hw) for p in stand_in.parts]
        if deadline.out_of_time():
            warnings.append(deadline.reason().replace("not checked: ", "some steps were not checked: "))
    report = Report(
        source=transcript.source,
        format=transcript.format,
        model=transcript.model,
        homework=hw,
        score=0.0,
        max_score=0.0,
        parts=parts,
        warnings=[*warnings, *transcript.warnings],
        transcript=transcript,
    )
    report.annotations = audit_annotations(transcript, alignment, report)
    return report


def _whole_transcript_attempts(transcript: Transcript, alignment: Alignment) -> None:
    """With no part found, every assistant turn that says something is an attempt at ``q1``."""
    attempts = alignment.attempts.setdefault("q1", [])
    if attempts:
        return
    pending: list[int] = []
    for turn in transcript.turns:
        if turn.role == "user":
            pending.append(turn.index)
        elif turn.role == "assistant" and any(
            b.kind in ("text", "math", "table", "code") for b in turn.blocks
        ):
            blocks = [(i, b) for i, b in enumerate(turn.blocks) if b.kind != "residue"]
            attempts.append(Attempt("q1", turn.index, [Section("q1", turn.index, blocks)], pending))
            pending = []


def report_without_rubric(
    transcript: Transcript,
    rubrics: Iterable[Rubric],
    course: Course | None = None,
    homework: str | None = None,
    budget_s: float | None = None,
) -> Report:
    """The rubric-less report of a transcript whose homework has no rubric among ``rubrics``.

    ``homework``: the homework the user named, if any; otherwise it is detected from the content
    among the rubrics and the course's question files, and the warning says what was found.
    """
    rubrics = list(rubrics)
    if homework:
        qs = course.get(homework) if course is not None else None
        why = f"{homework} has no rubric"
        return grade_without_rubric(transcript, qs, homework=homework, why=why, budget_s=budget_s)
    found = detector(rubrics, course).detect(transcript)
    if found.homework is None:
        why = f"cannot tell which homework this transcript answers: {found.reason}"
        return grade_without_rubric(transcript, None, why=why, budget_s=budget_s)
    qs = course.get(found.homework) if course is not None else None
    why = f"detected {found.homework} ({found.reason}), which has no rubric"
    return grade_without_rubric(transcript, qs, homework=found.homework, why=why, budget_s=budget_s)
