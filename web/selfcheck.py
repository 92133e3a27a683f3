"""The self-check: one answer against one target, within the course's rules.

Students check only the homeworks of their courses, at most ``GRADER_CHECK_RATE`` times a minute,
and see the reference answer (and the evidence that would reveal it) only where their course
allows it; staff always see it.
"""

from __future__ import annotations

import json
from typing import Any

from grader.check import check_target
from grader.reports.mathml import latex_to_mathml
from grader.rubric import rubrics
from web.accounts import Accounts
from web.auth import Principal
from web.errors import NotFoundError, RateLimitedError
from web.ratelimit import RateLimiter
from web.schemas import CheckResponse, TargetInfo

HIDDEN = "the course does not show reference answers to students"


def user_homeworks(principal: Principal, accounts: Accounts) -> dict[str, bool]:
    """Homework id -> whether the user may see its references, over all the user's courses."""
    out: dict[str, bool] = {}
    for course_id in principal.courses:
        course = accounts.course(course_id)
        if course is None:
            continue
        allowed = principal.is_staff(course_id) or course.allow_reference
        for homework in course.homeworks:
            out[homework] = out.get(homework, False) or allowed
    return out


def targets_for(principal: Principal, accounts: Accounts) -> list[TargetInfo]:
    """Every checkable target of the user's courses' homeworks."""
    mine = user_homeworks(principal, accounts)
    return [
        TargetInfo(
            target=f"{r.id}.{p.id}.{a.id}",
            homework=r.id,
            part=p.id,
            answer=a.id,
            kind=a.kind,
            prompt=(a.label or p.label or p.title or "").strip(),
        )
        for r in rubrics().values()
        if r.id in mine
        for p in r.parts
        for a in p.answers
    ]


def self_check(
    principal: Principal, accounts: Accounts, limiter: RateLimiter, target: str, answer: str
) -> CheckResponse:
    """Check ``answer`` against ``target`` for this user (raises 404 for another course's homework, 429)."""
    mine = user_homeworks(principal, accounts)
    target = target.strip()
    homework = target.split(".", 1)[0]
    if homework in rubrics() and homework not in mine:
        raise NotFoundError(f"{homework} is not a homework of your courses", target[:200])
    wait = limiter.hit(f"user:{principal.user.id}")
    if wait:
        raise RateLimitedError(f"too many self-checks; try again in {wait} s", "answer", retry_after=wait)
    resolved, result = check_target(target, answer)
    data = result.to_dict()
    evidence: dict[str, Any] = json.loads(json.dumps(data.get("evidence") or {}, default=str))
    shown = mine.get(homework, False)
    explanation = data["explanation"]
    reference = data["reference"]
    notes = evidence.get("slide_note")
    if not shown:
        reference, notes, evidence = None, None, {}
        if data["verdict"] in ("incorrect", "partial"):
            # the explanation of a wrong answer names what was expected
            explanation = f"this does not match the expected answer ({HIDDEN})"
    return CheckResponse(
        target=resolved,
        verdict=data["verdict"],
        interpreted=data["interpreted"],
        explanation=explanation,
        reference=reference,
        reference_shown=shown,
        evidence=evidence,
        interpreted_mathml=latex_to_mathml(data["interpreted"]) if data["interpreted"] else None,
        reference_mathml=latex_to_mathml(reference) if reference else None,
        course_notes=notes,
    )
