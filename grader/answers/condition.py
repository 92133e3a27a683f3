"""``kind: condition``: an equation equivalent to a gradient being zero (an optimality condition).

Rubric fields: ``of`` (the id of the part's derivative answer whose vanishing the condition states;
its references are used up to a nonzero factor), or a ``reference`` equation ``"A = B"`` of its own;
``mode`` defaults to ``nonzero_scale`` (``A - B`` is a nonzero multiple of the reference).

Claims: the attempt's equations between non-scalar expressions of the part's objective symbols
(``W_2 W_1 X X^T W_1^T = X X^T W_1^T``) and gradients set to zero. With several conditions in a
part, each equation goes to the condition it states (its reference matches), else to the one whose
matrix factors it most resembles; each condition's outcome is that of its last statement.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from grader.align import Attempt
from grader.answers.base import Accepted, Context, Problem, claim_result
from grader.answers.expression import derivative_variable
from grader.answers.formula import FormulaKind
from grader.answers.registry import register
from grader.claim import Claim
from grader.extract import condition_equations
from grader.latex import split_top_level
from grader.models import ClaimResult, Flag
from grader.rubric import AnswerSpec
from grader.score import AnswerOutcome, outcome_of
from grader.verdicts import CheckResult


def equation_difference(equation: str) -> str:
    """``A = B`` -> ``(A) - (B)``: the condition holds where this vanishes (compared up to scale)."""
    chain = split_top_level(equation)
    if len(chain) != 2:
        return equation
    return f"\\left({chain[0][1]}\\right) - \\left({chain[1][1]}\\right)"


_FACTOR_RE = re.compile(r"([A-Za-z])(?:_\{?(\w)\}?)?(\^\{?(?:T|\\top|\\intercal)\}?)?")


def _factors(latex: str) -> Counter[str]:
    """The factors of a formula as a multiset: W_2^\\top X X^T -> {W2T, X, XT}."""
    text = re.sub(r"\\(?:mathbf|boldsymbol|mathrm)\{([^{}]*)\}", r"\1", latex)
    text = re.sub(r"\\[A-Za-z]+", " ", text.replace("\\top", "T"))
    return Counter(
        f"{m.group(1)}{m.group(2) or ''}{'T' if m.group(3) else ''}" for m in _FACTOR_RE.finditer(text)
    )


def resemblance(a: str, b: str) -> float:
    """Share of matrix factors two formulas have in common (0..1)."""
    fa, fb = _factors(a), _factors(b)
    union = sum((fa | fb).values())
    return sum((fa & fb).values()) / union if union else 0.0


@register
class ConditionKind(FormulaKind):
    """An optimality condition, compared with a gradient up to a nonzero factor."""

    name = "condition"
    summary = "an equation equivalent to a gradient being zero (up to a nonzero factor)"
    fields = FormulaKind.fields | {"of"}
    needs_reference = False

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        if spec.reference is None and not spec.of:
            return [("of", "a condition needs 'of' (the derivative answer it sets to zero) or a reference")]
        return []

    def derived_references(self, ctx: Context) -> list[Accepted]:
        """The references of the ``of`` answer, compared up to a nonzero factor."""
        from grader.references import accepted_references

        of = ctx.part.answer(ctx.answer.of or "")
        if of is None:
            return []
        refs = accepted_references(Context(ctx.rubric, ctx.part, of, ctx.variant))
        return [
            Accepted(a.reference, a.note, f"of:{a.origin}", ctx.answer.mode or "nonzero_scale") for a in refs
        ]

    def audit(self, ctx: Context, refs: list[Accepted]) -> list[Problem]:
        if ctx.answer.of and ctx.part.answer(ctx.answer.of) is None:
            return [("of", f"part {ctx.part.id} has no answer {ctx.answer.of!r}")]
        return super().audit(ctx, refs)

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        latex = str(accepted.reference.evidence.get("rubric_formula") or "")
        mode = accepted.mode if accepted.mode != "value" else "nonzero_scale"
        acc = Accepted(accepted.reference, accepted.note, accepted.origin, mode)
        if "=" in latex:  # a condition written as an equation: equations compared up to scale
            return super().compare(value, acc, ctx)
        return super().compare(equation_difference(value), acc, ctx)

    def prepare(self, value: str, ctx: Context) -> str:
        return value.strip()

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        conditions = [a for a in ctx.part.answers if a.kind == self.name]
        variables = [v for a in conditions for v in [derivative_variable(_of_defines(a, ctx))] if v]
        allowed = _objective_symbols(ctx)
        eqs = condition_equations(attempt, variables, allowed, ctx.rubric, ctx.symbol_table())
        return [Claim(ctx.answer.id, eq, eq, "equation", bi) for bi, eq in eqs]

    def outcome(
        self, claims: list[Claim], attempt: Attempt, refs: list[Accepted], ctx: Context
    ) -> AnswerOutcome:
        assigned = _assign(tuple((c.text, c.block) for c in claims), _Frozen(ctx))
        stated = assigned.get(ctx.answer.id, [])
        if not stated:
            return AnswerOutcome(ctx.answer.id, "unanswered", [])
        last = [max(stated, key=lambda ir: ir[0])[1]]
        flags: list[Flag] = ["dimension_error"] if any("dimension_error" in r.evidence for r in last) else []
        return AnswerOutcome(ctx.answer.id, outcome_of(last), last, flags)


def _of_defines(answer: AnswerSpec, ctx: Context) -> str | None:
    of = ctx.part.answer(answer.of or "")
    return of.defines if of else None


def _objective_symbols(ctx: Context) -> set[str]:
    from grader import mathx

    objective = ctx.part.objective(ctx.variant)
    table = ctx.symbol_table()
    if objective is None:
        return set(table.symbols)
    try:
        return mathx.free_symbols(mathx.parse(objective.expression, table))
    except Exception:  # noqa: BLE001 - a rubric objective that does not parse widens, never narrows
        return set(table.symbols)


class _Frozen:
    """A hashable handle on a context, for caching the assignment of one attempt's equations."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def __hash__(self) -> int:
        return hash((id(self.ctx.rubric), self.ctx.part.id, self.ctx.variant))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _Frozen) and hash(self) == hash(other)


@lru_cache(maxsize=16)
def _assign(
    equations: tuple[tuple[str, int | None], ...], frozen: _Frozen
) -> dict[str, list[tuple[int, ClaimResult]]]:
    """Each equation of an attempt goes to the condition it states (or most resembles)."""
    from grader.references import accepted_references

    ctx = frozen.ctx
    kind = ConditionKind()
    conditions = [a for a in ctx.part.answers if a.kind == ConditionKind.name]
    contexts = {c.id: Context(ctx.rubric, ctx.part, c, ctx.variant) for c in conditions}
    refs = {cid: accepted_references(c) for cid, c in contexts.items()}
    shown = {cid: (r[0].reference.display if r else "") for cid, r in refs.items()}
    assigned: dict[str, list[tuple[int, ClaimResult]]] = {c.id: [] for c in conditions}
    for index, (text, block) in enumerate(equations):
        results = {cid: kind.check(text, refs[cid], contexts[cid]) for cid in contexts}
        hit = next((cid for cid, r in results.items() if r.verdict == "correct"), None)
        cid = hit or max(shown, key=lambda k: resemblance(text, shown[k]))
        claim = Claim(cid, text, text, "equation", block)
        assigned[cid].append((index, claim_result(claim, cid, results[cid])))
    return assigned
