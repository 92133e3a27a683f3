"""``kind: number``: one number, exact or within a tolerance (``0.198``, ``346 iterations``, ``$0.42``).

Rubric fields: ``reference`` (a number, or a LaTeX formula with a constant value such as
``"\\frac{1}{5.05}"``, or ``{compute: ...}``), ``tolerance`` (absolute, ``0.5``, or relative,
``"2%"``; without it a decimal must round to the reference at the precision it is written with),
``unit`` (a word the claim may carry: ``iterations``, ``GB``, ``$``), ``defines`` (the symbol the
answer defines, ``\\eta^*``), ``context`` (phrases that introduce the value in prose: "learning
rate", "iterations"). Scale words are read: "1.2 trillion" is 1.2e12, "3k" is 3000.

Claims: boxed / "Answer:" values and equations defining ``defines``; else lines where a ``context``
phrase is followed by a number (the last such line).
"""

from __future__ import annotations

import math
import re
from typing import Any

from grader import mathx
from grader.align import Attempt
from grader.answers.base import Accepted, Context, Problem
from grader.answers.expression import ExpressionKind
from grader.answers.formula import guarded, no_positive_evidence
from grader.answers.registry import register
from grader.claim import Claim
from grader.extract import defining_claims, final_claims, symbol_names
from grader.extract_text import lines_of
from grader.phrases import search_any
from grader.rubric import AnswerSpec
from grader.verdicts import CheckResult
from reference_solutions.types import Reference

_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "t": 1e12,
    "quadrillion": 1e15,
}
_SCALED = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|trillion|quadrillion|bn|[kKMBT])\b"
)
_NUMBER = re.compile(r"(?<![\w.])[-−]?\d[\d,]*(?:\.\d+)?(?:\s*(?:\\times|×|x)\s*10\^\{?-?\d+\}?)?")


def tolerance_of(spec: AnswerSpec) -> tuple[str, float] | None:
    """(``abs`` | ``rel``, amount) from the rubric's ``tolerance`` (None: the written-precision rule)."""
    tol = spec.tolerance
    if tol is None:
        return None
    if isinstance(tol, str):
        text = tol.strip()
        if text.endswith("%"):
            return "rel", float(text[:-1]) / 100.0
        return "abs", float(text)
    return "abs", float(tol)


def read_scale_words(text: str) -> str:
    """Numbers written with scale words as LaTeX products: ``1.2 trillion`` -> ``1.2 \\times 10^{12}``."""

    def repl(m: re.Match[str]) -> str:
        word = m.group(2)
        factor = _SCALE.get(word.lower() if len(word) > 1 else word.lower())
        if factor is None:
            return m.group(0)
        return f"{m.group(1).replace(',', '')} \\times 10^{{{int(round(math.log10(factor)))}}}"

    return _SCALED.sub(repl, text)


def _strip_unit(text: str, unit: str | None) -> str:
    s = text.replace("\\$", "").replace("$", " ") if unit in ("$", "dollars", "USD") else text
    if unit and unit not in ("$",):
        s = re.sub(r"(?<=[\d}\s])\\?(?:\\text\{)?\s*" + re.escape(unit) + r"s?\}?(?!\w)", " ", s, flags=re.I)
    return s.strip()


@register
class NumberKind(ExpressionKind):
    """A single number, compared exactly, at the written precision, or within a tolerance."""

    name = "number"
    summary = "a number, exact, at the precision written, or within a tolerance"
    fields = frozenset({"defines", "tolerance", "unit", "context", "verify"})

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return [
                "a number reference is a number, a LaTeX formula with a constant value, or {compute: ...}"
            ]
        return []

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        try:
            tolerance_of(spec)
        except ValueError:
            return [
                (
                    "tolerance",
                    f"tolerance is a number (absolute) or a percentage such as '2%', got {spec.tolerance!r}",
                )
            ]
        return []

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        latex = repr(value) if isinstance(value, float) else str(value).strip()
        return Reference(
            ctx.target,
            self.name,
            latex,
            method="number given in the rubric",
            evidence={"rubric_formula": latex},
        )

    def audit(self, ctx: Context, refs: list[Accepted]) -> list[Problem]:
        problems = super().audit(ctx, refs)
        for acc in refs:
            latex = acc.reference.evidence.get("rubric_formula")
            if latex and not problems and _constant(str(latex), ctx) is None:
                problems.append(("reference", f"{latex!r} does not have a constant numeric value"))
        return problems

    def prepare(self, value: str, ctx: Context) -> str:
        return super().prepare(read_scale_words(value), ctx)

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        text = _strip_unit(read_scale_words(value), ctx.answer.unit)
        tol = tolerance_of(ctx.answer)
        if tol is None:
            return super().compare(text, accepted, ctx)
        ref = accepted.reference
        latex = ref.evidence.get("rubric_formula")
        want = _constant(str(latex), ctx) if latex is not None else _as_float(ref.value)
        if want is None:
            return CheckResult(
                "unparseable", reference=ref.display, explanation="the reference has no numeric value"
            )
        return guarded(lambda: _within(text, want, tol, ref.display, ctx), ref.display)

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        names = symbol_names(ctx.answer.defines or ctx.answer.id, ctx.rubric)
        found = final_claims(defining_claims(attempt, ctx.answer, names, bare_ok=True), ctx.rubric)
        if found or not ctx.answer.context:
            return found
        hits = []
        for bi, line in lines_of(attempt):
            m = search_any(ctx.answer.context, line)
            if m and _NUMBER.search(line[m.end() :]):
                hits.append(Claim(ctx.answer.id, line.strip(), line[m.end() :].strip(" :=*"), "text", bi))
        return hits[-1:]


def _as_float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _constant(latex: str, ctx: Context) -> float | None:
    try:
        node = mathx.parse(latex, ctx.rubric.symbol_table())
        if mathx.free_symbols(node):
            return None
        v = mathx.evaluate(node, {})
        return float(v)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a reference without a value is reported by the caller
        return None


def _within(text: str, want: float, tol: tuple[str, float], display: str, ctx: Context) -> CheckResult:
    label, value = mathx.split_label(text)
    got = _constant(value, ctx)
    if got is None:  # prose around a number: only when it states exactly one
        found = _NUMBER.findall(value)
        got = _constant(found[0].replace(",", "").replace("−", "-"), ctx) if len(found) == 1 else None
    if got is None or not math.isfinite(got):
        return CheckResult("unparseable", reference=display, explanation=f"no number read in {text[:80]!r}")
    kind, amount = tol
    slack = amount * abs(want) if kind == "rel" else amount
    ok = abs(got - want) <= slack * (1 + 1e-9) + 1e-12
    where = f"{got:g} vs {want:g} (tolerance {'±' + format(amount * 100, 'g') + '%' if kind == 'rel' else '±' + format(amount, 'g')})"
    result = CheckResult(
        "correct" if ok else "incorrect",
        interpreted=f"{got:g}",
        reference=display,
        explanation=("within tolerance: " if ok else "outside tolerance: ") + where,
        evidence={"value": got, "reference_value": want},
    )
    return no_positive_evidence(result) if ok else result


__all__ = ["NumberKind", "read_scale_words", "tolerance_of"]
