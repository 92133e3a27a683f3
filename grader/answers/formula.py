"""What every formula answer shares: a LaTeX reference over the rubric's typed symbols, compared by
the math engine, and the rule that an undeclared symbol or an unreadable formula is never evidence
that the answer is wrong.

A formula reference is compared with :func:`grader.mathx.equiv` (exact where it can, random
instances otherwise, sympy for scalars); a computed one (``{compute: ...}``) with
:func:`grader.mathx.check_against` on its ``evaluate`` (or constant ``value``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader import deadline, mathx
from grader.answers.base import Accepted, AnswerKind, Context, Problem, unsure
from grader.errors import BudgetExceeded, GraderError
from grader.rubric import AnswerSpec
from grader.verdicts import CheckResult
from reference_solutions.types import Reference

DEFAULT_BUDGET_S = 3.0


def guarded(fn: Callable[[], CheckResult], reference: str | None = None) -> CheckResult:
    """Run a check; turn any failure into an explicit ``unparseable``/``timeout`` verdict."""
    if deadline.out_of_time():
        return CheckResult("timeout", reference=reference, explanation=deadline.reason())
    try:
        return fn()
    except BudgetExceeded as exc:
        return CheckResult(
            "timeout", reference=reference, explanation=f"check ran out of budget: {exc.message}"
        )
    except GraderError as exc:
        return CheckResult("unparseable", reference=reference, explanation=str(exc))
    except (ValueError, TypeError, ArithmeticError, IndexError, KeyError, RecursionError) as exc:
        return CheckResult(
            "unparseable", reference=reference, explanation=f"could not check: {type(exc).__name__}: {exc}"
        )


def no_positive_evidence(result: CheckResult) -> CheckResult:
    """An ``incorrect`` that rests on symbols the rubric does not declare becomes ``unparseable``."""
    if result.verdict == "incorrect" and result.evidence.get("undeclared"):
        names = ", ".join(str(x) for x in result.evidence["undeclared"])
        return unsure(result, f"uses symbols the rubric does not declare ({names}); a person must check")
    return result


def formula_problems(latex: str, ctx: Context, what: str) -> list[str]:
    """Why a rubric formula is unusable: it does not parse, uses undeclared symbols, or is ill-shaped."""
    table = ctx.rubric.symbol_table()
    try:
        node = mathx.parse(latex, table)
    except (GraderError, BudgetExceeded) as exc:
        return [f"{what} {latex!r} does not parse: {getattr(exc, 'message', exc)}"]
    claim_value = node.sides[-1] if isinstance(node, mathx.Equation) else node
    extra = sorted(mathx.free_symbols(claim_value) - set(table.symbols))
    if extra:
        return [f"{what} {latex!r} uses undeclared symbol(s) {', '.join(extra)}: declare them under symbols"]
    try:
        mathx.shape_of(node, table)
    except (mathx.DimensionError, GraderError) as exc:
        return [f"{what} {latex!r} is ill-shaped: {getattr(exc, 'message', exc)}"]
    return []


class FormulaKind(AnswerKind):
    """Base of the formula kinds (expression, vector, count formula, condition, number)."""

    formula = True
    fields = frozenset({"defines", "mode", "verify"})

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        if isinstance(value, str) and value.strip():
            return []
        return [f"a {self.name} reference is a LaTeX formula in quotes or {{compute: module:function}}"]

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        latex = str(value).strip()
        return Reference(
            target=ctx.target,
            kind=self.name,
            display=latex,
            method="formula given in the rubric",
            evidence={"rubric_formula": latex},
        )

    def audit(self, ctx: Context, refs: list[Accepted]) -> list[Problem]:
        problems: list[Problem] = []
        for acc in refs:
            latex = acc.reference.evidence.get("rubric_formula")
            key = (
                "reference"
                if acc.origin == "reference"
                else f"{acc.origin.replace('[', '.').rstrip(']')}.reference"
            )
            if latex:
                problems += [(key, m) for m in formula_problems(str(latex), ctx, "formula")]
        if ctx.answer.verify and not problems:
            problems += self._verify(ctx, refs)
        return problems

    def _verify(self, ctx: Context, refs: list[Accepted]) -> list[Problem]:
        """The formula against the ``verify`` computation on random instances."""
        from grader.references import load_function

        try:
            computed = load_function(str(ctx.answer.verify), ctx.target)(ctx.key, None)
        except GraderError as exc:
            return [("verify", exc.message)]
        except Exception as exc:  # noqa: BLE001 - a failing verification is a rubric problem to report
            return [("verify", f"{ctx.answer.verify} failed: {type(exc).__name__}: {exc}")]
        main = next((a for a in refs if a.origin == "reference"), None)
        if main is None or "rubric_formula" not in main.reference.evidence:
            return []
        acc = Accepted(computed, "", "verify", main.mode)
        res = self.compare(str(main.reference.evidence["rubric_formula"]), acc, ctx)
        if res.verdict != "correct":
            return [
                (
                    "verify",
                    f"the formula does not match {ctx.answer.verify}: {res.verdict}: {res.explanation}",
                )
            ]
        return []

    def prepare(self, value: str, ctx: Context) -> str:
        text = value.strip()
        return mathx.split_label(text)[1] if "=" in text else text

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        ref = accepted.reference
        table = ctx.rubric.symbol_table()
        latex = ref.evidence.get("rubric_formula")
        if latex is not None:
            result = guarded(
                lambda: mathx.equiv(str(latex), value, table, budget_s=DEFAULT_BUDGET_S, mode=accepted.mode),
                ref.display,
            )
        else:
            ref_value: Any = ref.value
            if isinstance(ref_value, list | tuple):
                ref_value = np.asarray(ref_value, dtype=float)
            result = guarded(
                lambda: mathx.check_against(
                    value,
                    ref.evaluate,
                    ref_value=ref_value if ref.evaluate is None else None,
                    ref_display=ref.display,
                    symbols=table,
                    budget_s=DEFAULT_BUDGET_S,
                    mode=accepted.mode,
                ),
                ref.display,
            )
        if ref.method:
            result.evidence.setdefault("reference_method", ref.method)
        return no_positive_evidence(result)
