"""What every formula answer shares: a LaTeX reference over the rubric's typed symbols, compared by
the math engine, and the rule that an undeclared symbol or an unreadable formula is never evidence
that the answer is wrong.

A formula reference is compared with :func:`grader.mathx.equiv` (exact where it can, random
instances otherwise, sympy for scalars); a computed one (``{compute: ...}``) with
:func:`grader.mathx.check_against` on its ``evaluate`` (or constant ``value``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from grader import deadline, mathx
from grader.answers.base import Accepted, AnswerKind, Context, Problem, combine, unsure
from grader.claim import Claim
from grader.errors import BudgetExceeded, GraderError
from grader.extract import answer_names, names_label
from grader.latex import normalize_name, split_top_level, strip_boxes
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


def chain_result(text: str) -> str:
    """The result a computation states: the last side of ``3 \\times 36 = 108`` or
    ``\\|I\\|_F^2 = 2`` (the earlier sides are how it was computed); other text unchanged.

    >>> chain_result(r"27 + 12 = 39"), chain_result("n(n-1)")
    ('39', 'n(n-1)')
    """
    chain = split_top_level(text)
    if len(chain) >= 2 and chain[-1][1] and "=" not in chain[-1][1]:
        return chain[-1][1]
    return text


def unrelated_symbols(value: str, refs: list[Accepted], ctx: Context) -> list[str]:
    """The symbols of ``value`` when none of them occurs in any formula reference ([] otherwise, or when
    a reference is computed and its symbols are unknown, or when ``value`` has no symbol)."""
    table = ctx.symbol_table()
    used: set[str] = set()
    for acc in refs:
        latex = acc.reference.evidence.get("rubric_formula")
        if latex is None:
            return []
        try:
            used |= mathx.free_symbols(mathx.parse(str(latex), table, budget_s=0.5))
        except (GraderError, BudgetExceeded, RecursionError, ValueError):
            return []
    try:
        mine = mathx.free_symbols(mathx.parse(value, table, budget_s=0.5))
    except (GraderError, BudgetExceeded, RecursionError, ValueError):
        return []
    return sorted(mine) if mine and not mine & used else []


def own_label_value(text: str, ctx: Context) -> str | None:
    """The value of ``<the answer's own name> = ... = value`` (its last side), else None.

    The name is the answer's ``defines`` (or id) or one of its aliases, possibly applied to arguments
    (``sim(q, k) = ...``). A label the answer itself declares is not part of the value: its shape or
    its reading as a constant (``e``) never decides the check. Definitions stated after the value
    ("where \\eta = ...") stay with it.
    """
    main = _DEFINITIONS.split(text, maxsplit=1)[0]
    chain = split_top_level(main, ("=",))
    if len(chain) < 2 or not chain[-1][1]:
        return None
    names = answer_names(ctx.answer, ctx.rubric)
    if not names_label(chain[0][1], names):
        return None
    return f"{chain[-1][1]} {text[len(main) :]}".strip()


_DEFINITIONS = re.compile(r"\\text\s*\{\s*(?:where|with|for)\b|\b(?:where|with)\b|,\s*\\quad|\\quad\s*\\text")
"""Where a stated value ends and the definitions of its symbols begin ("u = -\\eta g where \\eta = ...")."""


def scoped_label(text: str, accept: Any) -> tuple[str, ...] | None:
    """The names (``accept[i].names``) that the left side of ``text`` (``L = ... = value``) matches, or
    None when it has no left side or matches none. ``accept``: the answer's alternatives (specs or
    :class:`Accepted`), each with ``names``."""
    chain = split_top_level(strip_boxes(text).strip(), ("=",))
    if len(chain) < 2 or not chain[0][1].strip():
        return None
    for acc in accept:
        names = tuple(acc.names)
        if names and names_label(chain[0][1], {normalize_name(n) for n in names}):
            return names
    return None


def by_label(text: str, refs: list[Accepted]) -> tuple[list[Accepted], str]:
    """(the references that apply to ``text``, its value): a statement labelled by the name of another
    quantity (``accept[i].names``: the matrix ``(X^T X + \\lambda I)^{-1} X^T`` that maps y to w) is
    checked against the alternatives for that quantity only, with its last side as the value; any other
    text against the references that name no other quantity, unchanged.

    >>> ref = Accepted(Reference("t", "expression", "M y"))
    >>> alt = Accepted(Reference("t", "expression", "M"), "the map", "accept[0]", names=("P",))
    >>> [a.origin for a in by_label("P = M", [ref, alt])[0]], by_label("P = M", [ref, alt])[1]
    (['accept[0]'], 'M')
    >>> [a.origin for a in by_label("w = M y", [ref, alt])[0]], [a.origin for a in by_label("M y", [ref, alt])[0]]
    (['reference'], ['reference'])
    """
    if not any(a.names for a in refs):
        return refs, text
    names = scoped_label(text, refs)
    if names is None:
        return [a for a in refs if not a.names], text
    chain = split_top_level(strip_boxes(text).strip(), ("=",))
    return [a for a in refs if a.names == names], chain[-1][1].strip()


_FORMS: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("equation", (mathx.Equation,)),
    (
        "set",
        (mathx.Inequality, mathx.Interval, mathx.Set, mathx.Union, mathx.SetOp, mathx.Member, mathx.NamedSet),
    ),
)


def form_of(latex: str, ctx: Context) -> str | None:
    """``equation``, ``set`` (inequalities, intervals, sets) or ``value``; None when it does not parse."""
    try:
        node = mathx.parse(latex, ctx.symbol_table(), budget_s=0.5)
    except (GraderError, BudgetExceeded, RecursionError, ValueError):
        return None
    return next((name for name, types in _FORMS if isinstance(node, types)), "value")


def same_form(value: str, refs: list[Accepted], ctx: Context) -> list[Accepted]:
    """The accepted references written in the claim's form, when some are; else all of them.

    An alternative written as a constraint (``\\|\\Delta W\\|_2 \\le \\sqrt{d}``) is for claims written as
    constraints, and the bound of a range (``1/\\sigma^2``) for claims that state a bare value: a claim
    is judged against the references of its own form, so a reference of another form that the engine
    cannot compare with it does not leave a shown-wrong claim undecided.
    """
    if len(refs) < 2:
        return refs
    form = form_of(value, ctx)
    if form is None:
        return refs
    forms = [
        form_of(str(acc.reference.evidence["rubric_formula"]), ctx)
        if "rubric_formula" in acc.reference.evidence
        else "value"
        for acc in refs
    ]
    same = [acc for acc, f in zip(refs, forms, strict=True) if f == form]
    return same or refs


def formula_problems(latex: str, ctx: Context, what: str) -> list[str]:
    """Why a rubric formula is unusable: it does not parse, uses undeclared symbols, or is ill-shaped."""
    table = ctx.symbol_table()
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
    fields = frozenset({"defines", "names", "mode", "verify"})

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
        text = strip_boxes(value.strip())
        if scoped_label(text, ctx.answer.accept) is not None:
            return text  # the label says which alternative applies: check() reads it
        own = own_label_value(text, ctx)
        if own is not None:
            return own
        return mathx.split_label(text)[1] if "=" in text else text

    def check(self, value: str, refs: list[Accepted], ctx: Context) -> CheckResult:
        """The value against the accepted references written in its form (see :func:`same_form`); a
        value labelled by the name of another quantity (``accept[i].names``) against that alternative."""
        refs, value = by_label(value, refs)
        return self._check_value(value, refs, ctx)

    def _check_value(self, value: str, refs: list[Accepted], ctx: Context) -> CheckResult:
        return combine([(acc, self.compare(value, acc, ctx)) for acc in same_form(value, refs, ctx)])

    def check_claim(self, claim: Claim, refs: list[Accepted], ctx: Context) -> CheckResult:
        """As :meth:`check`, the claim's label choosing the alternatives that apply (:func:`by_label`); a
        bare final formula that shares no symbol with any reference is about something else (the value
        of another quantity), so it is no evidence against this answer."""
        refs, _ = by_label(claim.text, refs)
        result = self._check_value(claim.value, refs, ctx)
        if claim.bare and result.verdict == "incorrect":
            foreign = unrelated_symbols(claim.value, refs, ctx)
            if foreign:
                return unsure(
                    result,
                    f"a bare final formula in {', '.join(foreign)}, which no reference uses: it is about "
                    "something else",
                )
        return result

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        ref = accepted.reference
        table = ctx.symbol_table()
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
