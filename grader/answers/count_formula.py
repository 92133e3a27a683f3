"""``kind: count_formula``: a formula in integer parameters, often a table cell (``n(n-1)`` messages).

Rubric fields: as ``expression``, plus ``table: {row: [phrases], column: [phrases], not_column:
[phrases]}`` saying where the answer sits in a table ("All-to-All" row, "messages" column) or in a
section headed by the row's phrase ("**Total messages:** $n(n-1)$"). A reference computed by a
simulation (``{compute: ...}``) makes the check a property test on random integers.

Claims: every cell of the row and column in every table, and the last such line in the body: a
summary table that contradicts the body makes the outcome ``inconsistent``.
"""

from __future__ import annotations

from grader.align import Attempt
from grader.answers.base import Accepted, Context, Problem
from grader.answers.formula import FormulaKind, chain_result
from grader.answers.registry import register
from grader.claim import Claim
from grader.extract_tables import body_row_claims, table_claims
from grader.rubric import AnswerSpec
from grader.verdicts import CheckResult


@register
class CountFormulaKind(FormulaKind):
    """A formula in integer parameters, found in a table or per-row section."""

    name = "count_formula"
    summary = "a formula in integer parameters (a table cell), tested on random integers"
    fields = FormulaKind.fields | {"table"}

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        return (
            []
            if spec.table
            else [("table", "a count_formula answer needs table: {row: [...], column: [...]}")]
        )

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        """A cell or line that shows its computation (``\\|I\\|_F^2 = 2``) states its last side."""
        return super().compare(chain_result(value), accepted, ctx)

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        table = ctx.answer.table
        if table is None:
            return []
        rows = [a.table.row for a in ctx.part.answers if a.table is not None]
        return body_row_claims(attempt, ctx.answer.id, table, rows) + table_claims(
            attempt, ctx.answer.id, table
        )
