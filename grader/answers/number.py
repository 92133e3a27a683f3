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
from grader.answers.expression import ExpressionKind, labelled_claims
from grader.answers.formula import chain_result, guarded, no_positive_evidence, own_label_value
from grader.answers.registry import register
from grader.checkers.quantity import exponent_superscripts
from grader.claim import Claim
from grader.extract import final_claims
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
_NUMBER = re.compile(
    r"(?<![\w.^])[-−]?\d[\d,]*(?:\.\d+)?(?:\s*(?:\\times|×|x|\\cdot)\s*10\s*\^\s*\{?[-−]?\d+\}?)?(?![\d^])"
)


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
        stated = stated_number(text, ctx)
        ref = accepted.reference
        free = _symbols_in(stated, ctx)
        if free:
            return CheckResult(
                "unparseable",
                interpreted=stated,
                reference=ref.display,
                explanation=f"states {stated!r}, a formula in {', '.join(free)}, not a number",
                evidence={"not_incorrect_because": "a number answer is a constant"},
            )
        tol = tolerance_of(ctx.answer)
        if tol is None:
            return super().compare(stated, accepted, ctx)
        latex = ref.evidence.get("rubric_formula")
        want = _constant(str(latex), ctx) if latex is not None else _as_float(ref.value)
        if want is None:
            return CheckResult(
                "unparseable", reference=ref.display, explanation="the reference has no numeric value"
            )
        return guarded(lambda: _within(stated, text, want, tol, ref.display, ctx), ref.display)

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        found = final_claims(labelled_claims(attempt, ctx, computed=True), ctx.rubric, ctx.symbol_table())
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
        node = mathx.parse(latex, ctx.symbol_table())
        if mathx.free_symbols(node):
            return None
        v = mathx.evaluate(node, {})
        return float(v)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a reference without a value is reported by the caller
        return None


_UNIT_WORDS = re.compile(
    rf"\s*({_NUMBER.pattern})\s*(?:\\(?:text|mathrm)\s*\{{[^{{}}]*\}}|\\?[A-Za-z$€£%][A-Za-z]*\.?)"
    r"(?:\s+[A-Za-z]+)*\s*"
)
_DELIMITERS = re.compile(r"\$\$?|\\[()\[\]]|\*\*|`")
_CLAUSE_END = re.compile(
    r";|[,.](?=\s+[A-Za-z])|\s+(?:so|which|i\.e\.|compared|versus|vs\.?|while|but)\s", re.I
)


def stated_number(text: str, ctx: Context) -> str:
    """The part of a claim that states the number: the result of its first statement, never an operand.

    The statement is the claim up to the first clause break after its first digit ("39, compared with
    108" states 39); a label (``Total =``, ``Words:``, the answer's own symbol) is dropped, and of a
    chain (``10^{15}/1.4 \\approx 7.14\\times10^{14}``, ``10+0+10 = 20``) the last side is the result.
    When that side is prose around one number outside parentheses, that number is taken; several
    numbers with no relation between them ("between 300 and 400") state no single value.

    >>> stated_number(r"Total = 10+0+10 = 20", None), stated_number("39, compared with 108", None)
    ('20', '39')
    """
    body = exponent_superscripts(_DELIMITERS.sub(" ", text)).strip()
    digit = re.search(r"\d", body)
    if digit:
        cut = _CLAUSE_END.search(body, digit.end())
        if cut:
            body = body[: cut.start()]
    if ctx is not None:
        own = own_label_value(body, ctx)
        if own is not None:
            body = own
    result = chain_result(body.strip(" :=*"))
    result = re.sub(r"^[^\d\\({\[.\-−]*[:=]\s*", "", result).strip()  # "Words: 7.1e14" -> "7.1e14"
    unit_words = _UNIT_WORDS.fullmatch(result)
    if unit_words:  # "200,000 GB", "0.42 USD", "16 unique colors": the words name what is counted
        return unit_words.group(1).replace(",", "").replace("−", "-")
    if ctx is None or _constant(result, ctx) is not None or _symbols_in(result, ctx):
        return result
    # prose around one number ("about 39 (27 + 12) in all"); several numbers with no relation between
    # them ("between 300 and 400") state no single value
    found = [m for m in _NUMBER.finditer(result) if not _in_parens(result, m.start())]
    if len(found) != 1:
        return result
    return found[0].group(0).replace(",", "").replace("−", "-").strip()


def _in_parens(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.count("(") > before.count(")")


_PROSE_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")


def _symbols_in(latex: str, ctx: Context) -> list[str]:
    """Declared symbols without a fixed value that a formula uses ([] when it has none or does not parse)."""
    if _PROSE_WORD.search(latex):
        return []  # prose ("about 7.1e14 words"): its letters are not symbols
    table = ctx.symbol_table()
    try:
        node = mathx.parse(latex, table, budget_s=0.5)
    except Exception:  # noqa: BLE001 - an unreadable claim is judged by the checks that follow
        return []
    fixed = {name for name, spec in table.symbols.items() if spec.value is not None}
    return sorted(mathx.free_symbols(node) & (set(table.symbols) - fixed))


def _within(
    stated: str, text: str, want: float, tol: tuple[str, float], display: str, ctx: Context
) -> CheckResult:
    """The stated number against ``want`` within the tolerance, relative to the numbers' magnitude."""
    got = _constant(stated, ctx)
    if got is None or not math.isfinite(got):
        return CheckResult("unparseable", reference=display, explanation=f"no number read in {text[:80]!r}")
    kind, amount = tol
    slack = amount * abs(want) if kind == "rel" else amount
    # rounding noise only, relative to the magnitude (never a fixed absolute slack: 3e-21 is not 9.6e-20)
    ok = abs(got - want) <= slack * (1 + 1e-9) + 1e-12 * max(abs(got), abs(want))
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
