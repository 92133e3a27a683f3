"""grade(transcript, rubric) -> Report, as an ordered list of small steps.

1. align      which part each assistant turn (or section) answers        (grader.align)
2. extract    the final claims of each attempt, per answer               (grader.extract)
3. check      each claim against the executable reference                (grader.check, grader.judge)
4. steps      does each step of the working follow?                      (grader.steps)
5. score      answer outcomes -> attempt verdicts -> first/final/points  (grader.score)
6. hints      was the final attempt hinted?                               (grader.hints)
7. audit      the student's annotations against the verdicts             (grader.annotations)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from grader import deadline, judge
from grader.align import Alignment, Attempt, align, detect_variant
from grader.annotations import audit_annotations
from grader.check import check_value
from grader.claim import Claim
from grader.course.detect import content_warnings, detector
from grader.course.model import Course
from grader.course.rubricless import report_without_rubric
from grader.extract import extract_claims
from grader.hints import answer_leaks, was_hinted
from grader.latex import math_segments, split_top_level
from grader.models import AttemptResult, ClaimResult, Flag, PartResult, Report, Transcript
from grader.rubric import AnswerSpec, PartSpec, Rubric, get_rubric, rubrics
from grader.score import AnswerOutcome, attempt_verdict, outcome_of, part_score
from grader.steps import StepFinding, check_steps
from grader.transcripts import read_path


def _claim_result(
    claim: Claim, answer: AnswerSpec, part: PartSpec, rubric: Rubric, variant: str | None
) -> ClaimResult:
    return judge.to_claim_result(claim, answer.id, check_value(claim.value, answer, part, rubric, variant))


def _answer_outcomes(
    attempt: Attempt, part: PartSpec, rubric: Rubric, variant: str | None, previous: dict[str, AnswerOutcome]
) -> tuple[dict[str, AnswerOutcome], dict[str, list[Claim]]]:
    """Outcome per answer for one attempt, and the claims the attempt states."""
    claims = extract_claims(attempt, part, rubric)
    outcomes: dict[str, AnswerOutcome] = {}
    conditions = [a for a in part.answers if a.kind == "condition"]
    if conditions:
        outcomes.update(judge.condition_outcomes(claims, conditions, part, rubric))
    for answer in part.answers:
        if answer.kind == "condition":
            continue
        found = claims.get(answer.id, [])
        if answer.kind in ("free_text", "derivation"):
            if found:
                outcomes[answer.id] = judge.special_outcome(found, answer, part, rubric, attempt)
            continue
        if not found:
            continue
        results = [_claim_result(c, answer, part, rubric, variant) for c in found]
        outcome = AnswerOutcome(answer.id, outcome_of(results), results)
        if outcome.outcome == "inconsistent":
            outcome.flags.append("inconsistent_final")
        outcome.flags += judge.claim_flags(results, answer, rubric)
        if answer.kind == "concept" and any(r.evidence.get("confidence") == "low" for r in results):
            outcome.outcome = "needs_review"
        outcomes[answer.id] = outcome
    for outcome in outcomes.values():
        _distrust_lossy(outcome, attempt)
    # Answers this attempt does not restate keep the model's latest statement.
    for aid, prev in previous.items():
        if aid not in outcomes:
            outcomes[aid] = AnswerOutcome(aid, prev.outcome, [], [], carried=True)
    return outcomes, claims


def _stated_correctly(text: str, part: PartSpec, rubric: Rubric, variant: str | None) -> list[str]:
    """Formula answers of the part that a user's message states correctly (for answer leaks)."""
    found = []
    for answer in part.answers:
        if answer.kind not in ("expression", "vector", "count_formula"):
            continue
        for math in math_segments(text):
            value = split_top_level(math)[-1][1]
            if value and check_value(value, answer, part, rubric, variant).verdict == "correct":
                found.append(answer.id)
                break
    return found


def _step_claim(finding: StepFinding) -> ClaimResult:
    """A working step that does not follow, as a claim of the report (answer id ``step``)."""
    return ClaimResult(
        answer="step",
        text=finding.text,
        verdict="incorrect",
        explanation=finding.explanation,
        evidence={"flag": finding.flag, **finding.evidence},
        source="step",
        block=finding.block,
    )


def _lossy_blocks(attempt: Attempt) -> set[int]:
    return {bi for bi, b in attempt.blocks if b.fidelity != "exact"}


def _distrust_lossy(outcome: AnswerOutcome, attempt: Attempt) -> None:
    """An answer read from lossy text (math destroyed by a PDF's text layer, OCR) never earns a
    negative verdict: it goes to needs_review, saying why. A judgement that rests on no particular
    block (a proof's missing step) is distrusted when the attempt has lossy text at all."""
    lossy = _lossy_blocks(attempt)
    if not lossy or outcome.outcome in ("correct", "needs_review"):
        return
    if not any(r.block is None or r.block in lossy for r in outcome.claims):
        return
    outcome.outcome = "needs_review"
    for r in outcome.claims:
        if r.block is None or r.block in lossy:
            r.evidence["fidelity"] = "lossy"
            r.explanation = (r.explanation + " — read from lossy text; a person must check").strip(" —")


@dataclass
class _Progress:
    """What the attempts so far have established for a part."""

    state: dict[str, AnswerOutcome] = field(default_factory=dict)
    derived: bool = False
    correct_after: list[set[str]] = field(default_factory=list)


def _grade_attempt(
    attempt: Attempt, part: PartSpec, rubric: Rubric, variant: str | None, progress: _Progress
) -> AttemptResult:
    """Check one attempt's claims and working; update ``progress``."""
    progress.state, stated = _answer_outcomes(attempt, part, rubric, variant, progress.state)
    findings = [] if deadline.out_of_time() else check_steps(attempt, part, rubric, variant)
    verdict = attempt_verdict(part, progress.state)
    if verdict in ("unanswered", "incorrect") and _lossy_blocks(attempt) and not any(stated.values()):
        verdict = "needs_review"  # an answer is there but its math could not be read
    fresh = [o for o in progress.state.values() if not o.carried]
    claim_texts = [c.text for cs in stated.values() for c in cs if c.source != "text"]
    flags: list[Flag] = [f for o in fresh for f in o.flags]
    flags += judge.attempt_flags(attempt, part, claim_texts, progress.derived)
    flags += [cast(Flag, f.flag) for f in findings]
    progress.derived = progress.derived or judge.shows_working(attempt, claim_texts, part)
    progress.correct_after.append({aid for aid, o in progress.state.items() if o.outcome == "correct"})
    claims = [c for o in fresh for c in o.claims] + [_step_claim(f) for f in findings]
    return AttemptResult(turn=attempt.turn, verdict=verdict, claims=claims, flags=sorted(set(flags)))


def grade_part(transcript: Transcript, alignment: Alignment, part: PartSpec) -> PartResult:
    """Grade every attempt at one part, in order."""
    rubric = alignment.rubric
    attempts = alignment.attempts.get(part.id, [])
    variant = detect_variant(part, alignment.question_text.get(part.id, ""))
    if not attempts:
        return PartResult(
            id=part.id,
            first="unanswered",
            final="unanswered",
            max_score=part.points,
            variant=variant,
            reason="no answer to this part found in the transcript",
        )
    progress = _Progress()
    results = [_grade_attempt(attempt, part, rubric, variant, progress) for attempt in attempts]
    flags = list(dict.fromkeys(f for r in results for f in r.flags))
    final = results[-1].verdict
    leaks = answer_leaks(
        transcript,
        attempts,
        progress.correct_after,
        lambda text: _stated_correctly(text, part, rubric, variant),
    )
    return PartResult(
        id=part.id,
        first=results[0].verdict,
        final=final,
        hinted=was_hinted(transcript, attempts) or bool(leaks),
        leaks=leaks,
        flags=flags,
        score=part_score(part, progress.state, final),
        max_score=part.points,
        reason=judge.reason(part, progress.state, final),
        variant=variant,
        attempts=results,
    )


def grade(
    transcript: Transcript,
    rubric: Rubric | None,
    budget_s: float | None = None,
    questions: Course | None = None,
    homework: str | None = None,
) -> Report:
    """Grade a transcript against a rubric, within a total time budget (see :mod:`grader.deadline`).

    Without a rubric (``None``: the homework has none, or cannot be told), the rubric-less report of
    :mod:`grader.course.rubricless` (``homework``: the one the user named). ``questions``: the course's
    question files, read by alignment and homework detection.
    """
    if rubric is None:
        return report_without_rubric(transcript, rubrics().values(), questions, homework, budget_s)
    alignment = align(transcript, rubric, questions.get(rubric.id) if questions is not None else None)
    with deadline.transcript_budget(budget_s):
        parts = [grade_part(transcript, alignment, part) for part in rubric.parts]
        spent = deadline.out_of_time()
    warnings = list(transcript.warnings)
    warnings += content_warnings(transcript, rubric, rubrics().values(), questions)
    if spent:
        warnings.append(deadline.reason().replace("not checked: ", "some claims were not checked: "))
    answered = [p for p in parts if p.final != "unanswered"]
    if not answered:
        warnings.append(f"no part of {rubric.id} was recognised in this transcript")
    report = Report(
        source=transcript.source,
        format=transcript.format,
        model=transcript.model,
        homework=rubric.id,
        score=round(sum(p.score for p in parts), 3),
        max_score=rubric.max_score,
        parts=parts,
        warnings=warnings,
        transcript=transcript,
    )
    report.annotations = audit_annotations(transcript, alignment, report)
    return report


def choose_rubric(
    transcript: Transcript,
    homework: str | None = None,
    directory: Path | None = None,
    questions: Course | None = None,
) -> Rubric | None:
    """The rubric named by ``homework``, or the one of the homework the transcript's content answers;
    None when that homework has no rubric or none can be told (:func:`grade` then reports without one).

    Raises:
        TargetError: ``homework`` is neither a rubric nor a homework of ``questions``.
    """
    known = rubrics(directory)
    if homework:
        if homework not in known and questions is not None and questions.get(homework) is not None:
            return None
        return get_rubric(homework, directory)
    found = detector(known.values(), questions).detect(transcript)
    return known.get(found.homework) if found.homework else None


def grade_transcript(
    transcript: Transcript,
    homework: str | None = None,
    questions: Course | None = None,
    budget_s: float | None = None,
) -> Report:
    """Choose the rubric (or none) and grade: the one call for the CLI, the web app and batch jobs."""
    rubric = choose_rubric(transcript, homework, questions=questions)
    return grade(transcript, rubric, budget_s, questions=questions, homework=homework)


def grade_file(path: Path, homework: str | None = None, questions: Course | None = None) -> Report:
    """Read one transcript file and grade it (raises GraderError subclasses on bad input)."""
    return grade_transcript(read_path(path), homework, questions)
