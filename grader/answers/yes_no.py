"""``kind: yes_no``: a yes/no conclusion.

Rubric fields: ``reference`` (``yes`` or ``no``; YAML's ``true``/``false`` read as yes/no). The
argument that usually goes with it is a separate ``concept`` answer of the same part.
"""

from __future__ import annotations

import re
from typing import Any

from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context
from grader.answers.formula import guarded
from grader.answers.registry import register
from grader.checkers.concept import detect_conclusion
from grader.claim import Claim
from grader.extract_text import yes_no_claims
from grader.rubric import AnswerSpec
from grader.verdicts import CheckResult
from reference_solutions.types import Reference


def yes_or_no(value: Any) -> str | None:
    """``yes`` / ``no`` from a rubric value (``True``, ``"Yes"``...), else None."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip().lower()
    return text if text in ("yes", "no") else None


def _check(value: str, expected: str) -> CheckResult:
    said = detect_conclusion(value)
    if said is None:  # a bare "Yes" / "**No.**": only a yes/no that opens the claim counts
        m = re.match(
            r"^[\s\-*>#]*(?:\*\*)?\s*(yes|no)\b(?!\s+(?:matter|one|longer|more|less|doubt)\b)", value, re.I
        )
        said = m.group(1).lower() if m else None
    if said is None:
        return CheckResult("unparseable", reference=expected, explanation="no yes/no conclusion found")
    ok = said == expected
    return CheckResult(
        "correct" if ok else "incorrect",
        interpreted=said,
        reference=expected,
        explanation=f"concludes {said!r}; expected {expected!r}",
    )


@register
class YesNoKind(AnswerKind):
    """A yes/no conclusion."""

    name = "yes_no"
    summary = "a yes/no conclusion"

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        return [] if yes_or_no(value) else ["a yes_no reference is yes or no"]

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        said = yes_or_no(value) or ""
        return Reference(ctx.target, self.name, said, value=said, method="conclusion given in the rubric")

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        return yes_no_claims(attempt, ctx.answer)

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        expected = yes_or_no(accepted.reference.value) or str(accepted.reference.value)
        return guarded(lambda: _check(value, expected), expected)
