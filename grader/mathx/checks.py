"""The public checks: ``equiv`` (claim vs reference formula), ``check_against`` (claim vs executable
reference) and ``check_equation`` (is a stated equation true?). Each runs under a time budget and
returns a CheckResult; parse failures are ``unparseable``, budget overruns ``timeout``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from grader.errors import BudgetExceeded, GraderError, MathParseError, ReferenceError_
from grader.mathx import ast as A
from grader.mathx.claim_equiv import MAX_OTHERS, equiv_value
from grader.mathx.claims import parse_claim
from grader.mathx.compare import (
    MODES,
    answer_units,
    explain_difference,
    numeric_compare,
    undeclared,
    with_scalars,
)
from grader.mathx.display import interpret
from grader.mathx.infer import infer_symbols
from grader.mathx.numeric import evaluate, sample_env
from grader.mathx.reading import read_claim, statement, value_of
from grader.mathx.results import ResultBuilder, bounded
from grader.mathx.shapes import DimensionError, shape_of
from grader.mathx.symbols import SymbolTable
from grader.verdicts import CheckResult

__all__ = ["ResultBuilder", "bounded", "check_against", "equiv"]


def _difference(node: A.Node) -> A.Node:
    if isinstance(node, A.Equation):
        lhs, rhs = node.sides[0], node.sides[-1]
        if isinstance(rhs, A.Num) and rhs.value == 0:
            return lhs
        if isinstance(lhs, A.Num) and lhs.value == 0:
            return rhs
        return A.Add((lhs, A.Neg(rhs)))
    return node


def equiv(
    reference: str | A.Node,
    answer: str,
    symbols: SymbolTable | None = None,
    *,
    budget_s: float = 2.0,
    mode: str = "value",
) -> CheckResult:
    """Is the claimed ``answer`` equivalent to ``reference`` (see package notes for the modes)?

    Example:
        >>> equiv(r"-\\frac{\\alpha}{2} g", r"u = -\\frac{\\alpha g}{2}", table).verdict
        'correct'
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    table = symbols or SymbolTable()
    res = ResultBuilder(reference if isinstance(reference, str) else interpret(reference))
    out: list[CheckResult] = []
    with bounded(res, budget_s, out):
        if mode == "value":
            out.append(equiv_value(reference, answer, table, res))
        else:
            out.append(_equiv_scaled(reference, answer, table, mode, res))
    return out[-1]


def _equiv_scaled(
    reference: str | A.Node, answer: str, table: SymbolTable, mode: str, res: ResultBuilder
) -> CheckResult:
    """``positive_scale`` / ``nonzero_scale``: the answer is a multiple of the reference (conditions)."""
    try:
        ref_claim = parse_claim(reference, table, keep_equations=True) if isinstance(reference, str) else None
    except MathParseError as exc:
        return res.make("unparseable", f"the reference does not parse: {exc}")
    ref_node = ref_claim.node if ref_claim else reference
    assert isinstance(ref_node, A.Node)
    try:
        claim = parse_claim(answer, table, keep_equations=True)
    except MathParseError as exc:
        return res.make("unparseable", str(exc))
    res.interpreted = interpret(claim.node)
    ans = statement(claim.node)
    if mode == "nonzero_scale":
        ans = _difference(ans)
        ref_node = _difference(statement(ref_node))
    else:
        ans = claim.value
        ref_node = ref_claim.value if ref_claim else ref_node
    ref_names = A.free_symbols(ref_node) - set(table.symbols)
    extra = undeclared(ans, table, ref_names)
    local = with_scalars(with_scalars(table, ref_names, positive=False), extra, positive=True)
    try:
        shape_of(ref_node, local)
    except DimensionError as exc:
        return res.make("unparseable", f"the reference is ill-shaped: {exc}")
    try:
        shape_of(ans, local)
    except DimensionError as exc:
        return res.make("incorrect", str(exc), dimension_error=str(exc))

    def ref_fn(env: Mapping[str, Any]) -> Any:
        return evaluate(ref_node, env)

    outcome = numeric_compare(ans, ref_fn, local, mode=mode, constant_scale=not extra)
    if outcome.evidence.get("degenerate"):
        return res.make("unparseable", f"could not evaluate: {outcome.reason}", **outcome.evidence)
    if not outcome.equal:
        return res.make(
            "incorrect", outcome.reason or "not a scaled copy of the reference", **outcome.evidence
        )
    return res.make("correct", f"equal on {outcome.instances} instances (up to scale)", **outcome.evidence)


def _normalize_ref(value: Any) -> Any:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    if arr.ndim == 2 and arr.shape[1] == 1:
        return arr.ravel()
    return arr


def check_against(
    answer: str,
    evaluate_ref: Callable[[Mapping[str, Any]], Any] | None,
    *,
    ref_value: Any = None,
    ref_display: str,
    symbols: SymbolTable,
    budget_s: float = 2.0,
    mode: str = "value",
) -> CheckResult:
    """Compare a claim with an executable reference ``evaluate_ref(env)`` on random instances drawn by
    ``sample_env``, or with the constant ``ref_value`` when ``evaluate_ref`` is None.

    Example:
        >>> check_against("[0.99, 0.099, 0.0099]", None, ref_value=np.array([1, .1, .01]) / 1.0101,
        ...               ref_display="a/‖a‖²", symbols=table).verdict
        'correct'
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    res = ResultBuilder(ref_display)
    out: list[CheckResult] = []
    with bounded(res, budget_s, out):
        out.append(_check_against(answer, evaluate_ref, ref_value, symbols, mode, res))
    return out[-1]


def _reference_kind(
    evaluate_ref: Callable[[Mapping[str, Any]], Any] | None, ref_value: Any, table: SymbolTable
) -> tuple[int, ...] | None:
    """The shape of the reference's value on one instance (None when it cannot be computed)."""
    try:
        value = (
            ref_value if evaluate_ref is None else evaluate_ref(sample_env(table, np.random.default_rng(0)))
        )
        return tuple(np.shape(_normalize_ref(value)))
    except BudgetExceeded:
        raise
    except Exception:  # noqa: BLE001 - the comparison itself reports a failing reference
        return None


def _fits(
    evaluate_ref: Callable[[Mapping[str, Any]], Any] | None, ref_value: Any, table: SymbolTable
) -> Callable[[A.Node], bool]:
    """Whether a candidate value has the reference's form: scalar, vector or matrix (the reference
    is evaluated once, and only when prose offers several formulas)."""
    cache: list[tuple[int, ...] | None] = []

    def fits(node: A.Node) -> bool:
        if isinstance(node, A.Equation | A.Inequality | A.Or | A.Set | A.Interval | A.Union):
            return False
        if not cache:
            cache.append(_reference_kind(evaluate_ref, ref_value, table))
        kind = cache[0]
        if kind is None:
            return True
        try:
            shape = shape_of(
                node, with_scalars(table, A.free_symbols(node) - set(table.symbols), positive=True)
            )
        except (DimensionError, GraderError):
            return True  # a wrong shape is the comparison's finding, not a reason to skip the formula
        if len(kind) == 0:
            return shape.is_scalar
        if len(kind) == 1:
            return shape.is_vector
        return not shape.is_scalar and not shape.is_vector

    return fits


def _check_against(
    answer: str,
    evaluate_ref: Callable[[Mapping[str, Any]], Any] | None,
    ref_value: Any,
    table: SymbolTable,
    mode: str,
    res: ResultBuilder,
) -> CheckResult:
    try:
        reading = read_claim(answer, table, _fits(evaluate_ref, ref_value, table))
    except MathParseError as exc:
        return res.make("unparseable", str(exc))
    res.interpreted = interpret(reading.node)
    evidence: dict[str, Any] = (
        {} if reading.how == "whole" else {"read": reading.how, "formula": reading.text}
    )
    result = _value_against(reading.value, evaluate_ref, ref_value, table, mode, res, evidence)
    if result.verdict != "incorrect" or mode != "value":
        return result
    for other in reading.others[-MAX_OTHERS:]:  # another formula of the claim that is right
        alt = _value_against(
            value_of(other), evaluate_ref, ref_value, table, mode, ResultBuilder(res.reference), {}
        )
        if alt.verdict == "correct":
            return res.make(
                "unparseable",
                f"{result.explanation}; but {interpret(other)}, also in the answer, equals the reference: "
                "which one answers is left to a person",
                read_instead=interpret(other),
                **evidence,
            )
    return result


def _value_against(
    value: A.Node,
    evaluate_ref: Callable[[Mapping[str, Any]], Any] | None,
    ref_value: Any,
    table: SymbolTable,
    mode: str,
    res: ResultBuilder,
    evidence: dict[str, Any],
) -> CheckResult:
    """One value read from a claim against the executable reference (or its constant value)."""
    inference = infer_symbols([value], table)
    ans = inference.apply(value)
    if inference.inferred:
        evidence["inferred"] = inference.inferred
    extra = inference.unknown
    local = with_scalars(inference.table, extra, positive=True)
    try:
        shape_of(ans, local)
    except DimensionError as exc:
        return res.make("incorrect", str(exc), dimension_error=str(exc), **evidence)
    if extra and mode == "value":
        return res.make(
            "unparseable",
            f"uses undeclared symbol {', '.join(extra)}: no definition is given with the answer",
            undeclared=extra,
            **evidence,
        )
    if isinstance(ans, A.Equation | A.Inequality | A.Or | A.Set | A.Interval | A.Union | A.Member):
        return res.make("unparseable", f"expected a value, read {type(ans).__name__.lower()}", **evidence)

    def ref_fn(env: Mapping[str, Any]) -> Any:
        if evaluate_ref is None:
            return _normalize_ref(ref_value)
        try:
            return _normalize_ref(evaluate_ref(env))
        except BudgetExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - a failing reference is reported, not the claim's fault
            raise ReferenceError_(f"reference failed: {exc}", res.reference or "") from exc

    units = answer_units(ans) if mode == "value" else None
    outcome = numeric_compare(ans, ref_fn, local, mode=mode, units=units, constant_scale=not extra)
    if outcome.evidence.get("degenerate"):
        return res.make(
            "unparseable", f"could not evaluate: {outcome.reason}", **evidence, **outcome.evidence
        )
    if outcome.reason.startswith("cannot evaluate"):
        return res.make("unparseable", outcome.reason, **evidence, **outcome.evidence)
    if not outcome.equal:
        reason = explain_difference(ans, ref_fn, local, outcome) if mode == "value" else outcome.reason
        return res.make(
            "incorrect", reason or "not a scaled copy of the reference", **evidence, **outcome.evidence
        )
    return res.make(
        "correct", f"equal on {outcome.instances} instances", method="numeric", **evidence, **outcome.evidence
    )
