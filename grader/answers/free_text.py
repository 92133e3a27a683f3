"""``kind: free_text``: open text with no single answer (a summary, "what did you find most
interesting"). No checker settles it: the outcome is always ``needs_review``, with what can be
checked attached as flags: numbers the reading does not contain (``hallucinated_fact``, against the
rubric's ``sources``) and the part's ``word_limit``.

Rubric fields: ``check_facts`` (true: compare every time, percentage and ratio of the text with the
facts of the rubric's ``sources``).
"""

from __future__ import annotations

from typing import Any

from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context, Problem
from grader.answers.concept import word_limit_flag
from grader.answers.quantity import source_facts
from grader.answers.registry import register
from grader.checkers import quantity as q
from grader.claim import Claim
from grader.extract_text import free_claims
from grader.models import ClaimResult
from grader.rubric import AnswerSpec
from grader.score import AnswerOutcome
from grader.verdicts import CheckResult
from reference_solutions.types import Reference


@register
class FreeTextKind(AnswerKind):
    """Open text: always needs review; facts and length checked."""

    name = "free_text"
    summary = "open text with no key: needs review; numbers checked against the sources, word limit"
    fields = frozenset({"check_facts"})
    needs_reference = False

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        if spec.examples is not None:
            return [
                ("examples", "free text has no right or wrong answers to give as examples (use kind concept)")
            ]
        return []

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        return Reference(ctx.target, self.name, str(value), method="guidance in the rubric")

    def derived_references(self, ctx: Context) -> list[Accepted]:
        """Free text has no reference: what the reader checks is said in the verdict."""
        return [Accepted(Reference(ctx.target, self.name, "free text: judged by a person"))]

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        return free_claims(attempt, ctx.answer)

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        evidence: dict[str, Any] = {"confidence": "low"}
        notes = ["free text: no key to check it against; a person must read it"]
        if ctx.answer.check_facts:
            bad = q.unsupported_numbers(value, source_facts(ctx.rubric))
            if bad:
                evidence["unsupported"] = [f"{x.text}: {why}" for x, why in bad]
                notes.append(
                    "states numbers the source does not contain: " + "; ".join(evidence["unsupported"])
                )
        return CheckResult("unparseable", None, accepted.reference.display, "; ".join(notes), evidence)

    def outcome(
        self, claims: list[Claim], attempt: Attempt, refs: list[Accepted], ctx: Context
    ) -> AnswerOutcome:
        res = self.compare(claims[0].value, refs[0] if refs else self.derived_references(ctx)[0], ctx)
        result = ClaimResult(
            answer=ctx.answer.id,
            text=claims[0].text,
            verdict=res.verdict,
            explanation=res.explanation,
            evidence=res.evidence,
            source="text",
            block=claims[0].block,
        )
        outcome = AnswerOutcome(ctx.answer.id, "needs_review", [result], confidence="low")
        if res.evidence.get("unsupported"):
            outcome.flags.append("hallucinated_fact")
        word_limit_flag(claims[0].value, ctx, outcome)
        return outcome
