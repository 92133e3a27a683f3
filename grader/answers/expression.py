"""``kind: expression``: a formula in the problem's typed symbols (``u = -\\frac{\\alpha}{2} g``).

Rubric fields: ``reference`` (LaTeX, or ``{compute: ...}``), ``defines`` (the symbol the answer
defines, ``u``; or ``"\\partial W2"`` for a derivative with respect to W2), ``mode`` (``value``;
``positive_scale``: any positive multiple; ``nonzero_scale``: an equation up to a nonzero factor),
``verify`` (``module:function`` re-computing the formula, run by ``grader rubric check``).

Claims: boxed and "Answer:" formulas, else the last equation defining the symbol (preferring one in
the problem's own symbols); for a derivative, the last equation whose left side is that derivative.
"""

from __future__ import annotations

from grader.align import Attempt
from grader.answers.base import Context
from grader.answers.formula import FormulaKind
from grader.answers.registry import register
from grader.claim import Claim
from grader.extract import defining_claims, final_claims, gradient_claims, symbol_names


def derivative_variable(defines: str | None) -> str | None:
    """``"\\partial W2"`` -> ``"W2"`` (the variable of a derivative answer), else None."""
    if defines and defines.startswith("\\partial"):
        return defines[len("\\partial") :].strip() or None
    return None


def formula_answers(ctx: Context) -> int:
    """How many answers of the part are stated as formulas (a lone one may stand unlabelled)."""
    from grader.answers.registry import kind_of

    return sum(1 for a in ctx.part.answers if kind_of(a.kind).formula and a.kind not in ("condition",))


@register
class ExpressionKind(FormulaKind):
    """A closed form in the problem's symbols."""

    name = "expression"
    summary = "a formula in the problem's typed symbols, compared on random instances"

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        variable = derivative_variable(ctx.answer.defines)
        if variable:
            return gradient_claims(attempt, ctx.answer, variable, ctx.rubric)
        names = symbol_names(ctx.answer.defines or ctx.answer.id, ctx.rubric)
        found = defining_claims(attempt, ctx.answer, names, bare_ok=formula_answers(ctx) == 1)
        return final_claims(found, ctx.rubric)
