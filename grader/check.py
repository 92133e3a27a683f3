"""Check one answer value against a target: the answer kind compares it with every accepted reference.

Every entry point returns a :class:`~grader.verdicts.CheckResult`; nothing here raises on bad input.
A claim that cannot be parsed is ``unparseable``, one that runs out of budget is ``timeout``: never
``incorrect``.
"""

from __future__ import annotations

from grader.answers import Context, kind_of
from grader.errors import GraderError
from grader.references import accepted_references
from grader.rubric import AnswerSpec, PartSpec, Rubric, parse_target
from grader.verdicts import CheckResult


def _with_reproduction(
    result: CheckResult, rubric: Rubric, part: PartSpec, answer: AnswerSpec
) -> CheckResult:
    """Cite the (cached) numeric reproduction of the reference as evidence, when there is one."""
    from grader.reproductions import cached_evidence

    rep = cached_evidence(rubric, part.id, answer.id)
    if rep:
        keep = ("device", "instances", "result", "max_rel_error", "note")
        result.evidence["reproduction"] = {k: rep[k] for k in keep if k in rep}
    return result


def check_value(
    value: str, answer: AnswerSpec, part: PartSpec, rubric: Rubric, variant: str | None = None
) -> CheckResult:
    """Check one stated value of ``rubric.part.answer`` (as extracted from a transcript)."""
    ctx = Context(rubric, part, answer, variant)
    kind = kind_of(answer.kind)
    try:
        refs = accepted_references(ctx)
    except GraderError as exc:
        return CheckResult("unparseable", explanation=f"no reference: {exc}")
    result = kind.check(value, refs, ctx)
    if kind.formula and result.verdict in ("correct", "incorrect"):
        result = _with_reproduction(result, rubric, part, answer)
    return result


def check_target(target: str, answer_text: str, variant: str | None = None) -> tuple[str, CheckResult]:
    """Check an answer typed by a user for a target ``homework.part.answer``.

    Returns the canonical target and the result. An unknown target raises TargetError.
    """
    rubric, part, answer = parse_target(target)
    ctx = Context(rubric, part, answer, variant)
    text = kind_of(answer.kind).prepare(answer_text, ctx)
    result = check_value(text, answer, part, rubric, variant)
    if answer.slide_note:
        result.evidence["slide_note"] = answer.slide_note
    return target, result
