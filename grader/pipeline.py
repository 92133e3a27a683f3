"""grade(transcript, rubric) -> Report, as explicit ordered lists of small steps.

Per transcript (:data:`TRANSCRIPT_STEPS`)::

    align         which part each assistant turn (or section) answers         grader.align
    grade parts   every part's attempts, in order (below)
    warn          what the reader should know (budget spent, nothing recognised)
    audit         the student's annotations against the verdicts             grader.annotations

Per attempt of a part (:data:`ATTEMPT_STEPS`), each a function of an :class:`AttemptState`::

    extract       the claims stating each answer             answer kind .extract (grader.answers)
    check         each answer's outcome from its claims       answer kind .outcome
    distrust      answers read from lossy text: needs_review, never a negative verdict
    carry         answers not restated keep the model's latest statement
    working       does each step of the working follow?      grader.steps
    flags         answer and claim flags, no_derivation, steps  grader.flags_claims, grader.steps_working
    verdict       attempt verdict and confidence from the outcomes   grader.score

Per part: first/final verdicts, points, ``hinted`` and answer leaks (grader.hints), the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from grader import deadline
from grader.align import Alignment, Attempt, align
from grader.annotations import audit_annotations
from grader.answers import Context, kind_of
from grader.check import check_value
from grader.claim import Claim
from grader.course.detect import content_warnings, detector
from grader.course.model import Course
from grader.course.rubricless import report_without_rubric
from grader.errors import GraderError
from grader.extract_assign import bare_statements
from grader.flags_claims import claim_flags
from grader.hints import answer_leaks, was_hinted
from grader.latex import math_segments, split_top_level
from grader.models import (
    AttemptResult,
    ClaimResult,
    Confidence,
    Flag,
    PartResult,
    PartVerdict,
    Report,
    Transcript,
)
from grader.references import accepted_references
from grader.rubric import PartSpec, Rubric, get_rubric, rubrics
from grader.score import AnswerOutcome, attempt_verdict, part_confidence, part_score, reason
from grader.steps import StepFinding, check_steps
from grader.steps_working import no_derivation, shows_working
from grader.transcripts import read_path
from grader.transcripts.question_turns import mark_question_turns


@dataclass
class PartState:
    """What the attempts so far have established for a part."""

    rubric: Rubric
    part: PartSpec
    variant: str | None
    outcomes: dict[str, AnswerOutcome] = field(default_factory=dict)
    derived: bool = False
    correct_after: list[set[str]] = field(default_factory=list)


@dataclass
class AttemptState:
    """One attempt as it goes through :data:`ATTEMPT_STEPS`."""

    attempt: Attempt
    part: PartState
    claims: dict[str, list[Claim]] = field(default_factory=dict)
    outcomes: dict[str, AnswerOutcome] = field(default_factory=dict)
    findings: list[StepFinding] = field(default_factory=list)
    unjudged: list[tuple[StepFinding, str]] = field(default_factory=list)
    """Steps found not to follow but read from text that may not be what was written, and why."""
    flags: list[Flag] = field(default_factory=list)
    verdict: PartVerdict = "unanswered"
    confidence: Confidence = "high"

    def context(self, answer_id: str) -> Context:
        """The answer kind's context for one answer of the part."""
        answer = self.part.part.answer(answer_id)
        assert answer is not None
        return Context(self.part.rubric, self.part.part, answer, self.part.variant)


# --------------------------------------------------------------------------- attempt steps


def extract(state: AttemptState) -> None:
    """The claims stating each answer (an answer the attempt does not state is absent). Once the
    transcript's budget is spent, the attempt is recorded as not read (``timeout``), never skipped."""
    for answer in state.part.part.answers:
        if deadline.out_of_time():
            claim = ClaimResult(
                answer=answer.id, text="(not read)", verdict="timeout", explanation=deadline.reason()
            )
            state.outcomes[answer.id] = AnswerOutcome(answer.id, "needs_review", [claim], confidence="low")
            continue
        found = kind_of(answer.kind).extract(state.attempt, state.context(answer.id))
        if found:
            state.claims[answer.id] = found


def check(state: AttemptState) -> None:
    """Each stated answer's outcome, from its kind."""
    for answer_id, claims in state.claims.items():
        if deadline.out_of_time():
            results = [
                ClaimResult(
                    answer=answer_id,
                    text=c.text,
                    verdict="timeout",
                    explanation=deadline.reason(),
                    source=c.source,
                    block=c.block,
                )
                for c in claims
            ]
            state.outcomes[answer_id] = AnswerOutcome(answer_id, "needs_review", results, confidence="low")
            continue
        ctx = state.context(answer_id)
        kind = kind_of(ctx.answer.kind)
        try:
            refs = accepted_references(ctx)
        except GraderError as exc:
            results = [
                ClaimResult(
                    answer=answer_id,
                    text=c.text,
                    verdict="unparseable",
                    explanation=f"no reference: {exc}",
                    source=c.source,
                    block=c.block,
                )
                for c in claims
            ]
            state.outcomes[answer_id] = AnswerOutcome(answer_id, "needs_review", results, confidence="low")
            continue
        outcome = kind.outcome(claims, state.attempt, refs, ctx)
        if outcome.outcome != "unanswered":
            state.outcomes[answer_id] = outcome


def distrust(state: AttemptState) -> None:
    """An answer read from lossy text (math destroyed by a PDF's text layer, OCR) never earns a
    negative verdict: it goes to needs_review, saying why. A judgement that rests on no particular
    block (a proof's missing step) is distrusted when the attempt has lossy text at all."""
    lossy = {bi for bi, b in state.attempt.blocks if b.fidelity != "exact"}
    if not lossy:
        return
    for outcome in state.outcomes.values():
        if outcome.outcome in ("correct", "needs_review"):
            continue
        if not any(r.block is None or r.block in lossy for r in outcome.claims):
            continue
        if _lossy_dissent_only(outcome, lossy):
            continue
        outcome.outcome = "needs_review"
        outcome.confidence = "low"
        for r in outcome.claims:
            if r.block is None or r.block in lossy:
                r.evidence["fidelity"] = "lossy"
                r.explanation = (r.explanation + " — read from lossy text; a person must check").strip(" —")


def _lossy_dissent_only(outcome: AnswerOutcome, lossy: set[int]) -> bool:
    """An answer stated right and, elsewhere, "wrong" only in lossy text: the lossy claims are no
    evidence (what was read is not what was written), so the right ones decide it; its
    ``inconsistent_final`` flag goes and each lossy claim says why it was set aside. True when so."""
    if outcome.outcome != "inconsistent":
        return False
    dissent = [r for r in outcome.claims if r.verdict == "incorrect"]
    agree = [r for r in outcome.claims if r.verdict == "correct"]
    if not agree or not dissent or not all(r.block is not None and r.block in lossy for r in dissent):
        return False
    outcome.outcome = "correct"
    outcome.confidence = "medium" if outcome.confidence == "high" else outcome.confidence
    outcome.flags = [f for f in outcome.flags if f != "inconsistent_final"]
    for r in dissent:
        r.evidence["fidelity"] = "lossy"
        r.explanation = (
            r.explanation + " — read from lossy text: not counted against the answer stated right"
        ).strip(" —")
    return True


def carry(state: AttemptState) -> None:
    """Answers this attempt does not restate keep the model's latest statement."""
    for aid, prev in state.part.outcomes.items():
        if aid not in state.outcomes:
            state.outcomes[aid] = AnswerOutcome(
                aid, prev.outcome, [], [], carried=True, confidence=prev.confidence
            )


def working(state: AttemptState) -> None:
    """Does each step of the working follow? (skipped once the budget is spent). A step read from lossy
    text, or from a line whose scripts the PDF set apart, is not judged: what was read is not what was
    written, so its finding is kept as a note of the report, never a flag."""
    if not deadline.out_of_time():
        p = state.part
        findings = check_steps(state.attempt, p.part, p.rubric, p.variant)
        for f in findings:
            why = _unreadable_step(state.attempt, f)
            if why:
                state.unjudged.append((f, why))
            else:
                state.findings.append(f)


def _unreadable_step(attempt: Attempt, finding: StepFinding) -> str | None:
    """Why a step found not to follow may have been misread (lossy text, scripts set apart), or None."""
    from grader.answers.layout_marks import scripts_set_apart

    block = next((b for bi, b in attempt.blocks if bi == finding.block), None)
    if block is not None and block.fidelity != "exact":
        return "read from lossy text"
    why = scripts_set_apart(attempt, Claim("step", finding.text, finding.text, "step", finding.block))
    return f"read from a PDF layout that sets scripts apart ({why})" if why else None


def flags(state: AttemptState) -> None:
    """The answers' flags, those their claims' evidence establishes (a known misconception stated:
    ``false_statement``), ``no_derivation``, and the flags of steps that do not follow."""
    fresh = [o for o in state.outcomes.values() if not o.carried]
    claim_texts = [c.text for cs in state.claims.values() for c in cs if c.source != "text"]
    found: list[Flag] = [f for o in fresh for f in o.flags]
    found += claim_flags([c for o in fresh for c in o.claims], dict(state.attempt.blocks))
    found += no_derivation(state.attempt, state.part.part, claim_texts, state.part.derived)
    found += [cast(Flag, f.flag) for f in state.findings]
    state.flags = sorted(set(found))
    state.part.derived = state.part.derived or shows_working(state.attempt, claim_texts, state.part.part)


def verdict(state: AttemptState) -> None:
    """The attempt's verdict and confidence; the part's state moves on."""
    state.verdict = attempt_verdict(state.part.part, state.outcomes)
    lossy = any(b.fidelity != "exact" for _, b in state.attempt.blocks)
    if state.verdict in ("unanswered", "incorrect") and lossy and not any(state.claims.values()):
        state.verdict = "needs_review"  # an answer is there but its math could not be read
    elif state.verdict == "unanswered" and not state.part.outcomes and bare_statements(state.attempt):
        state.verdict = "needs_review"  # a final value is stated, but not which answer it is
    state.confidence = part_confidence(state.verdict, state.outcomes)
    state.part.outcomes = state.outcomes
    state.part.correct_after.append({aid for aid, o in state.outcomes.items() if o.outcome == "correct"})


ATTEMPT_STEPS: tuple[Callable[[AttemptState], None], ...] = (
    extract,
    check,
    distrust,
    carry,
    working,
    flags,
    verdict,
)
"""What happens to each attempt, in order."""


def _step_claim(finding: StepFinding, unjudged: str | None = None) -> ClaimResult:
    """A working step that does not follow, as a claim of the report (answer id ``step``); with
    ``unjudged`` (why it may have been misread), a step a person must check."""
    return ClaimResult(
        answer="step",
        text=finding.text,
        verdict="unparseable" if unjudged else "incorrect",
        explanation=f"step not judged: {unjudged}; {finding.explanation}"
        if unjudged
        else finding.explanation,
        evidence={"flag": finding.flag, **finding.evidence},
        source="step",
        block=finding.block,
    )


def grade_attempt(attempt: Attempt, part: PartState) -> AttemptResult:
    """Run :data:`ATTEMPT_STEPS` on one attempt; ``part`` carries over to the next attempt."""
    state = AttemptState(attempt, part)
    for step in ATTEMPT_STEPS:
        step(state)
    fresh = [o for o in state.outcomes.values() if not o.carried]
    claims = [c for o in fresh for c in o.claims] + [_step_claim(f) for f in state.findings]
    claims += [_step_claim(f, why) for f, why in state.unjudged]
    return AttemptResult(
        turn=attempt.turn,
        verdict=state.verdict,
        confidence=state.confidence,
        claims=claims,
        flags=state.flags,
        aligned_by=list(attempt.evidence),
    )


# --------------------------------------------------------------------------- parts


def _stated_correctly(text: str, part: PartSpec, rubric: Rubric, variant: str | None) -> list[str]:
    """Formula answers of the part that a user's message states correctly (for answer leaks)."""
    found = []
    for answer in part.answers:
        if not kind_of(answer.kind).formula or answer.kind == "condition":
            continue
        for math in math_segments(text):
            value = split_top_level(math)[-1][1]
            if value and check_value(value, answer, part, rubric, variant).verdict == "correct":
                found.append(answer.id)
                break
    return found


def grade_part(transcript: Transcript, alignment: Alignment, part: PartSpec) -> PartResult:
    """Grade every attempt at one part, in order."""
    rubric = alignment.rubric
    attempts = alignment.attempts.get(part.id, [])
    variant = part.variant_in(alignment.question_text.get(part.id, ""))
    if not attempts:
        return PartResult(
            id=part.id,
            first="unanswered",
            final="unanswered",
            max_score=part.points,
            variant=variant,
            reason="no answer to this part found in the transcript",
        )
    state = PartState(rubric, part, variant)
    results = [grade_attempt(attempt, state) for attempt in attempts]
    final = results[-1].verdict
    leaks = answer_leaks(
        transcript, attempts, state.correct_after, lambda text: _stated_correctly(text, part, rubric, variant)
    )
    return PartResult(
        id=part.id,
        first=results[0].verdict,
        final=final,
        confidence=results[-1].confidence,
        hinted=was_hinted(transcript, attempts) or bool(leaks),
        leaks=leaks,
        flags=list(dict.fromkeys(f for r in results for f in r.flags)),
        score=part_score(part, state.outcomes, final),
        max_score=part.points,
        reason=reason(part, state.outcomes, final),
        variant=variant,
        attempts=results,
    )


# --------------------------------------------------------------------------- transcript


@dataclass
class GradeState:
    """One transcript as it goes through :data:`TRANSCRIPT_STEPS`."""

    transcript: Transcript
    rubric: Rubric
    budget_s: float | None
    questions: Course | None = None
    alignment: Alignment | None = None
    parts: list[PartResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    spent: bool = False
    report: Report | None = None


def align_step(state: GradeState) -> None:
    """Which part each assistant turn (or section of one) answers."""
    questions = state.questions.get(state.rubric.id) if state.questions is not None else None
    state.alignment = align(state.transcript, state.rubric, questions)


def grade_parts(state: GradeState) -> None:
    """Every part, within the transcript's time budget."""
    assert state.alignment is not None
    with deadline.transcript_budget(state.budget_s):
        state.parts = [grade_part(state.transcript, state.alignment, p) for p in state.rubric.parts]
        state.spent = deadline.out_of_time()


def warn(state: GradeState) -> None:
    """What the reader should know beyond the verdicts."""
    state.warnings = list(state.transcript.warnings)
    state.warnings += content_warnings(state.transcript, state.rubric, rubrics().values(), state.questions)
    if state.spent:
        state.warnings.append(deadline.reason().replace("not checked: ", "some claims were not checked: "))
    if not any(p.final != "unanswered" for p in state.parts):
        state.warnings.append(f"no part of {state.rubric.id} was recognised in this transcript")


def report_step(state: GradeState) -> None:
    """The report, with the student's annotations audited against the verdicts."""
    assert state.alignment is not None
    parts = state.parts
    report = Report(
        source=state.transcript.source,
        format=state.transcript.format,
        model=state.transcript.model,
        homework=state.rubric.id,
        score=round(sum(p.score for p in parts), 3),
        max_score=state.rubric.max_score,
        needs_review=sum(p.final == "needs_review" for p in parts),
        parts=parts,
        warnings=state.warnings,
        transcript=state.transcript,
    )
    report.annotations = audit_annotations(state.transcript, state.alignment, report)
    state.report = report


TRANSCRIPT_STEPS: tuple[Callable[[GradeState], None], ...] = (align_step, grade_parts, warn, report_step)
"""What happens to a transcript, in order."""


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
    state = GradeState(transcript, rubric, budget_s, questions)
    for step in TRANSCRIPT_STEPS:
        step(state)
    assert state.report is not None
    return state.report


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
    """Choose the rubric (or none) and grade: the one call for the CLI, the web app and batch jobs.

    With ``questions``, model-attributed paragraphs that copy the course's question text are first made
    the user's turns (:mod:`grader.transcripts.question_turns`; no change where the layout decided).
    """
    if questions is not None:
        mark_question_turns(transcript, questions)
    rubric = choose_rubric(transcript, homework, questions=questions)
    return grade(transcript, rubric, budget_s, questions=questions, homework=homework)


def grade_file(path: Path, homework: str | None = None, questions: Course | None = None) -> Report:
    """Read one transcript file and grade it (raises GraderError subclasses on bad input)."""
    return grade_transcript(read_path(path), homework, questions)


__all__ = [
    "ATTEMPT_STEPS",
    "TRANSCRIPT_STEPS",
    "choose_rubric",
    "grade",
    "grade_attempt",
    "grade_file",
    "grade_part",
    "grade_transcript",
]
