"""``kind: quantity``: a number with a unit (``341 s``, ``94%``, ``3x``), often a fact of a reading.

Rubric fields: ``reference`` (``{value: 341, unit: s}``, or a number with ``unit`` beside it),
``unit`` (``s`` for times in any unit: 5.68 min = 341 s; ``percent``: 94% = 0.94; ``ratio``: 3x),
``tolerance`` (absolute in the base unit, or ``"2%"`` relative; without it the precision rule of
:mod:`grader.checkers.quantity` applies), ``context`` (phrases that open the section stating the
value in prose: "baseline"), ``source`` (the sentence of the reading the fact comes from, cited).

A wrong number that no fact of the rubric's ``sources`` contains also raises ``hallucinated_fact``.
"""

from __future__ import annotations

from typing import Any

from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context, Problem
from grader.answers.formula import guarded
from grader.answers.number import tolerance_of
from grader.answers.registry import register
from grader.checkers import quantity as q
from grader.claim import Claim
from grader.extract_text import quantity_claims
from grader.rubric import AnswerSpec, Rubric
from grader.score import AnswerOutcome
from grader.verdicts import CheckResult
from reference_solutions.types import Reference

UNITS = ("s", "percent", "ratio")


def base_value(value: float, unit: str) -> float:
    """A value in the checkers' base unit (percentages as fractions: 94 -> 0.94)."""
    return value / 100.0 if unit == "percent" and value > 1.0 else value


def source_facts(rubric: Rubric) -> list[q.Fact]:
    """The facts of the rubric's sources in the checkers' base units."""
    return [q.Fact(base_value(f.value, f.unit), f.unit, f.sentence) for f in rubric.facts()]


def _spec(value: Any, answer: AnswerSpec) -> tuple[float, str]:
    if isinstance(value, dict):
        return float(value["value"]), str(value.get("unit") or answer.unit)
    return float(value), str(answer.unit)


@register
class QuantityKind(AnswerKind):
    """A number with a unit (time, percentage, ratio)."""

    name = "quantity"
    summary = "a number with a unit (time, percent, ratio), at the precision written or a tolerance"
    fields = frozenset({"unit", "tolerance", "context", "source"})

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        try:
            _, unit = _spec(value, spec)
        except (TypeError, ValueError, KeyError):
            return ["a quantity reference is {value: 341, unit: s} or a number with 'unit' beside it"]
        return (
            []
            if unit in UNITS
            else [f"unit {unit!r} is not one of {', '.join(UNITS)} (use kind number for others)"]
        )

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        try:
            tolerance_of(spec)
        except ValueError:
            return [
                ("tolerance", f"tolerance is a number or a percentage such as '2%', got {spec.tolerance!r}")
            ]
        return []

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        amount, unit = _spec(value, ctx.answer)
        shown = f"{amount:g}" + {"s": "\\,s", "percent": "\\,\\%", "ratio": "\\times"}[unit]
        evidence = {"sentence": ctx.answer.source} if ctx.answer.source else {}
        return Reference(
            ctx.target,
            self.name,
            shown,
            value={"value": amount, "unit": unit},
            method="fact of the source" if ctx.answer.source else "value given in the rubric",
            evidence=evidence,
        )

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        from grader.references import accepted_references

        refs = accepted_references(ctx)
        unit = _spec(refs[0].reference.value, ctx.answer)[1] if refs else str(ctx.answer.unit)
        others = [
            p
            for a in ctx.part.answers
            if a.id != ctx.answer.id
            for p in a.context
            if p not in ctx.answer.context
        ]
        return quantity_claims(attempt, ctx.answer, unit, others)

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        ref = accepted.reference
        amount, unit = _spec(ref.value, ctx.answer)
        want = base_value(amount, unit)
        tol = tolerance_of(ctx.answer)

        def run() -> CheckResult:
            result = q.check_quantity(value, want, unit, display=ref.display)
            if tol is not None and result.verdict in ("incorrect", "partial"):
                found = q.parse_quantities(value, bare=True)
                got = next((x.value for x in found if x.unit in (unit, "number")), None)
                slack = tol[1] * abs(want) if tol[0] == "rel" else tol[1]
                if got is not None and abs(got - want) <= slack:
                    result = CheckResult(
                        "correct",
                        result.interpreted,
                        ref.display,
                        f"within the tolerance of {ref.display}",
                        result.evidence,
                    )
            return result

        result = guarded(run, ref.display)
        if ref.evidence.get("sentence"):
            result.evidence.setdefault("source_sentence", ref.evidence["sentence"])
        return result

    def outcome(
        self, claims: list[Claim], attempt: Attempt, refs: list[Accepted], ctx: Context
    ) -> AnswerOutcome:
        outcome = super().outcome(claims, attempt, refs, ctx)
        facts = source_facts(ctx.rubric)
        if facts and any(
            r.verdict == "incorrect" and q.unsupported_numbers(r.text, facts) for r in outcome.claims
        ):
            outcome.flags.append("hallucinated_fact")
        return outcome
