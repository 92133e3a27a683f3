"""``kind: expression``: a formula in the problem's typed symbols (``u = -\\frac{\\alpha}{2} g``).

Rubric fields: ``reference`` (LaTeX, or ``{compute: ...}``), ``defines`` (the symbol the answer
defines, ``u``; or ``"\\partial W2"`` for a derivative with respect to W2), ``mode`` (``value``;
``positive_scale``: any positive multiple; ``nonzero_scale``: an equation up to a nonzero factor),
``verify`` (``module:function`` re-computing the formula, run by ``grader rubric check``).

Claims: boxed and "Answer:" formulas that name the symbol or are about this answer (in a part with
several answers, by their words or their order: :mod:`grader.extract_assign`), else the last equation
defining the symbol (preferring one in the problem's own symbols); for a derivative, the last equation
whose left side is that derivative.
"""

from __future__ import annotations

from grader.align import Attempt
from grader.answers.base import Accepted, Context
from grader.answers.formula import FormulaKind
from grader.answers.registry import register
from grader.claim import Claim
from grader.extract import answer_names, defining_claims, final_claims, gradient_claims
from grader.extract_assign import assigned_bare_claims
from grader.extract_definitions import with_definitions
from grader.rubric import AnswerSpec
from grader.score import AnswerOutcome


def derivative_variable(defines: str | None) -> str | None:
    """``"\\partial W2"`` -> ``"W2"`` (the variable of a derivative answer), else None."""
    if defines and defines.startswith("\\partial"):
        return defines[len("\\partial") :].strip() or None
    return None


def takes_bare_values(answer: AnswerSpec) -> bool:
    """Whether an answer may be stated as a bare boxed or "Answer:" value (formula and number answers,
    derivatives included; not a condition or a table cell, which say what they are)."""
    from grader.answers.registry import kind_of

    return kind_of(answer.kind).formula and answer.kind not in ("condition", "count_formula")


def own_claims(attempt: Attempt, answer: AnswerSpec, ctx: Context) -> list[Claim]:
    """The statements of an attempt that name ``answer`` (its symbol or an alias on the left; for a
    derivative, the derivative on the left)."""
    variable = derivative_variable(answer.defines)
    if variable:
        return gradient_claims(attempt, answer, variable, ctx.rubric, ctx.symbol_table())
    names = answer_names(answer, ctx.rubric)
    return defining_claims(attempt, answer, names)


def labelled_claims(attempt: Attempt, ctx: Context, *, computed: bool = False) -> list[Claim]:
    """Statements that name the answer, and the bare final values that are about it
    (:func:`grader.extract_assign.assigned_bare_claims`: by their words, else by order)."""
    found = own_claims(attempt, ctx.answer, ctx)
    found += assigned_bare_claims(
        attempt,
        ctx.part,
        ctx.answer,
        takes_bare_values,
        lambda a: bool(own_claims(attempt, a, ctx)),
        computed=computed,
    )
    return found


@register
class ExpressionKind(FormulaKind):
    """A closed form in the problem's symbols."""

    name = "expression"
    summary = "a formula in the problem's typed symbols, compared on random instances"

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        table = ctx.symbol_table()
        return with_definitions(
            final_claims(labelled_claims(attempt, ctx), ctx.rubric, table), attempt, table
        )

    def outcome(
        self, claims: list[Claim], attempt: Attempt, refs: list[Accepted], ctx: Context
    ) -> AnswerOutcome:
        """As :meth:`AnswerKind.outcome`; when every final statement was read from a PDF layout that
        set its scripts or rows apart (so it may not say what was written), the attempt's statement of
        the answer just before it speaks for it if that one is found right, else a radical the text
        layer lost may be restored (:mod:`grader.answers.lost_radical`). Either can only show the
        answer right: an earlier wrong statement may be working that the last one corrected."""
        outcome = super().outcome(claims, attempt, refs, ctx)
        if not outcome.claims or not all(r.evidence.get("layout_lossy") for r in outcome.claims):
            return outcome
        return self._statement_before(claims, outcome, attempt, refs, ctx) or self._radical(
            claims, outcome, attempt, refs, ctx
        )

    def _statement_before(
        self,
        claims: list[Claim],
        outcome: AnswerOutcome,
        attempt: Attempt,
        refs: list[Accepted],
        ctx: Context,
    ) -> AnswerOutcome | None:
        finals = {(c.block, c.text) for c in claims}
        earlier = [c for c in labelled_claims(attempt, ctx) if (c.block, c.text) not in finals]
        group = final_claims(earlier, ctx.rubric, ctx.symbol_table())
        if not group:
            return None
        before = super().outcome(group, attempt, refs, ctx)
        if before.outcome != "correct":
            return None
        why = (
            "the last statement was read from a PDF layout that sets scripts or rows apart; the one before it"
        )
        for r in before.claims:
            r.explanation = f"{why}: {r.explanation}"
        before.claims = outcome.claims + before.claims
        before.confidence = "medium"
        return before

    def _radical(
        self,
        claims: list[Claim],
        outcome: AnswerOutcome,
        attempt: Attempt,
        refs: list[Accepted],
        ctx: Context,
    ) -> AnswerOutcome:
        from grader.answers.lost_radical import restore_radical

        if len({c.value.strip() for c in claims}) != 1:
            return outcome
        found = restore_radical(self, claims[-1], attempt, refs, ctx)
        if found is None:
            return outcome
        restored, support = found
        for r in outcome.claims:
            r.verdict = "correct"
            r.interpreted = restored
            r.explanation = (
                f"read as {claims[-1].value.strip()!r} from a PDF whose text layer may drop a radical sign; "
                f"{restored} is the reference, and the working's {support} holds for it and not for what was "
                "read"
            )
            r.evidence["restored_radical"] = restored
        outcome.outcome = "correct"
        outcome.confidence = "medium"
        return outcome
