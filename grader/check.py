"""Check one claim against its reference: dispatch by answer kind to the math engine or a text checker.

Every entry point returns a :class:`~grader.verdicts.CheckResult`; nothing here raises on bad input.
A claim that cannot be parsed is ``unparseable``, one that runs out of budget is ``timeout``: never
``incorrect``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from grader import deadline, mathx
from grader.checkers import choices as choice_checker
from grader.checkers import concept, names, quantity, tokens
from grader.errors import BudgetExceeded, GraderError
from grader.latex import split_top_level
from grader.references import reference_for
from grader.rubric import AnswerSpec, PartSpec, Rubric, parse_target
from grader.verdicts import CheckResult
from reference_solutions.types import Reference

DEFAULT_BUDGET_S = 3.0


def _guard(fn: Callable[[], CheckResult], reference: str | None = None) -> CheckResult:
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


def _mode(ref: Reference) -> str:
    return str(ref.evidence.get("mode", "value"))


def check_math(value: str, ref: Reference, rubric: Rubric, budget_s: float = DEFAULT_BUDGET_S) -> CheckResult:
    """A formula or vector claim against an executable (or constant) reference."""
    table = rubric.symbol_table()
    ref_value: Any = ref.value
    if isinstance(ref_value, list | tuple):
        ref_value = np.asarray(ref_value, dtype=float)

    def run() -> CheckResult:
        return mathx.check_against(
            value,
            ref.evaluate,
            ref_value=ref_value if ref.evaluate is None else None,
            ref_display=ref.display,
            symbols=table,
            budget_s=budget_s,
            mode=_mode(ref),
        )

    result = _guard(run, ref.display)
    if ref.method:
        result.evidence.setdefault("reference_method", ref.method)
    return result


def _with_reproduction(
    result: CheckResult, rubric: Rubric, part: PartSpec, answer: AnswerSpec
) -> CheckResult:
    """Cite the (cached) numeric reproduction of the reference as evidence, when there is one."""
    from grader.reproductions import cached_evidence

    rep = cached_evidence(rubric, part.id, answer.id)
    if rep:
        keep = ("device", "instances", "result", "max_rel_error", "note")
        result.evidence["reproduction"] = {k: rep[k] for k in keep if k in rep}
    return result


def _accepted_names(ref: Reference) -> list[str]:
    value = ref.value
    if isinstance(value, str):
        return [value]
    return [str(v) for v in (value or [])]


def _options(answer: AnswerSpec, ref: Reference) -> list[str]:
    return list(answer.options or ref.evidence.get("options", []))


def check_text(value: str, answer: AnswerSpec, ref: Reference) -> CheckResult:
    """A non-formula claim (name, tokens, choice, quantity, yes/no, concept) against its reference."""
    kind = answer.kind
    if kind == "name":
        return _guard(lambda: names.check_name(value, _accepted_names(ref), display=ref.display), ref.display)
    if kind == "tokens":
        return _guard(lambda: tokens.check_tokens(value, list(ref.value)), ref.display)
    if kind in ("choice", "choices"):
        correct = [ref.value] if isinstance(ref.value, str) else list(ref.value)
        options = _options(answer, ref)
        result = _guard(
            lambda: choice_checker.check_choice(value, options, correct, multi=kind == "choices"), ref.display
        )
        bold = _bold_selection(value, options)
        if result.verdict == "unparseable" and bold:
            # Prose answers select options by naming them in bold ("**Weight Decay** and **SGD optimizer**").
            result = _guard(
                lambda: choice_checker.check_choice(
                    "Answer: " + ", ".join(bold), options, correct, multi=kind == "choices"
                ),
                ref.display,
            )
            result.evidence["read_from"] = "options named in bold"
        return result
    if kind == "quantity":
        spec = ref.value if isinstance(ref.value, dict) else {"value": float(ref.value), "unit": answer.unit}
        return _guard(lambda: _check_quantity(value, spec, answer, ref), ref.display)
    if kind == "yes_no":
        return _guard(lambda: _check_yes_no(value, str(ref.value)), ref.display)
    if kind == "concept":
        ideas = concept.ideas_from_config([i.model_dump() for i in answer.ideas])
        wrong = concept.ideas_from_config([i.model_dump() for i in answer.misconceptions])
        return _guard(lambda: concept.check_concept(value, ideas, wrong), ref.display)
    return CheckResult("unparseable", reference=ref.display, explanation=f"no checker for kind {kind!r}")


def base_value(value: float, unit: str) -> float:
    """A reference value in the checkers' base unit (percentages as fractions: 94 -> 0.94)."""
    return value / 100.0 if unit == "percent" and value > 1.0 else value


def _bold_selection(text: str, options: list[str]) -> list[str]:
    """Options named in bold in a prose answer, in order, without repeats."""
    picked: list[str] = []
    for span in re.findall(r"\*\*([^*]+)\*\*", text):
        opt = choice_checker.match_option(span.strip(" .:"), options)
        if opt and opt not in picked:
            picked.append(opt)
    return picked


def _check_quantity(value: str, spec: dict[str, Any], answer: AnswerSpec, ref: Reference) -> CheckResult:
    unit = str(spec.get("unit") or answer.unit)
    main = quantity.check_quantity(value, base_value(float(spec["value"]), unit), unit, display=ref.display)
    if main.verdict == "correct":
        return main
    for alt in spec.get("also", []) or []:
        other = quantity.check_quantity(value, base_value(float(alt), unit), unit, display=ref.display)
        if other.verdict == "correct":
            other.explanation = (other.explanation + " " + str(spec.get("also_reason", ""))).strip()
            return other
    return main


def _check_yes_no(value: str, expected: str) -> CheckResult:
    m = re.search(r"\b(yes|no)\b", value, re.I)
    if not m:
        return CheckResult("unparseable", reference=expected, explanation="no yes/no conclusion found")
    said = m.group(1).lower()
    ok = said == expected.strip().lower()
    return CheckResult(
        "correct" if ok else "incorrect",
        interpreted=said,
        reference=expected,
        explanation=f"concludes {said!r}; expected {expected!r}",
    )


def check_value(
    value: str, answer: AnswerSpec, part: PartSpec, rubric: Rubric, variant: str | None = None
) -> CheckResult:
    """Check one answer value for ``rubric.part.answer`` (the CLI's ``grader check``)."""
    try:
        ref = reference_for(rubric, part.id, answer.id, variant or part.default_variant)
    except GraderError as exc:
        return CheckResult("unparseable", explanation=f"no reference: {exc}")
    if answer.kind in ("expression", "vector", "count_formula"):
        return _with_reproduction(check_math(value, ref, rubric), rubric, part, answer)
    if answer.kind == "condition":
        return check_math(_condition_difference(value), ref, rubric)
    return check_text(value, answer, ref)


def _condition_difference(equation: str) -> str:
    """``A = B`` -> ``(A) - (B)``: the condition holds where this vanishes (compared up to scale)."""
    chain = split_top_level(equation)
    if len(chain) != 2:
        return equation
    return f"\\left({chain[0][1]}\\right) - \\left({chain[1][1]}\\right)"


def check_target(target: str, answer_text: str, variant: str | None = None) -> tuple[str, CheckResult]:
    """Check an answer typed by a user for a target ``homework.part.answer``.

    Returns the canonical target and the result. An unknown target raises TargetError.
    """
    rubric, part, answer = parse_target(target)
    text = answer_text.strip()
    if answer.kind in ("expression", "vector", "count_formula"):
        text = mathx.split_label(text)[1] if "=" in text else text
    result = check_value(text, answer, part, rubric, variant)
    if answer.slide_note:
        result.evidence["slide_note"] = answer.slide_note
    return target, result
