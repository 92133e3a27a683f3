"""The public checks: ``equiv`` (claim vs reference formula), ``check_against`` (claim vs executable
reference) and ``check_equation`` (is a stated equation true?). Each runs under a time budget and
returns a CheckResult; parse failures are ``unparseable``, budget overruns ``timeout``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from grader.errors import BudgetExceeded, GraderError, MathParseError, ReferenceError_
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.claims import is_label, parse_claim
from grader.mathx.compare import (
    MODES,
    answer_units,
    explain_difference,
    numeric_compare,
    undeclared,
    with_scalars,
)
from grader.mathx.display import interpret
from grader.mathx.equivalence import (
    Context,
    antiderivative,
    compare_nodes,
    statement_unknowns,
    unknown_against,
)
from grader.mathx.infer import infer_symbols
from grader.mathx.numeric import evaluate, sample_env
from grader.mathx.opaque import name_applications
from grader.mathx.reading import form_of, read_claim, statement, value_of
from grader.mathx.shapes import DimensionError, shape_of
from grader.mathx.symbols import SymbolTable
from grader.verdicts import CheckResult


class ResultBuilder:
    """Builds a check's CheckResult; mutable so that a timeout still reports what was interpreted."""

    def __init__(self, reference: str | None) -> None:
        self.interpreted: str | None = None
        self.reference = reference

    def make(self, verdict: str, explanation: str = "", **evidence: Any) -> CheckResult:
        return CheckResult(verdict, self.interpreted, self.reference, explanation, evidence)  # type: ignore[arg-type]


@contextmanager
def bounded(res: ResultBuilder, budget_s: float, out: list[CheckResult]) -> Iterator[None]:
    try:
        with budget.time_budget(budget_s):
            yield
    except BudgetExceeded as exc:
        out.append(res.make("timeout", f"{exc.message} (budget {budget_s:g} s)"))
    except RecursionError:
        out.append(res.make("unparseable", "expression nested too deeply"))
    except MemoryError:
        out.append(res.make("timeout", f"ran out of memory (budget {budget_s:g} s)"))
    except ReferenceError_:
        raise  # the reference's failure, not the claim's: the caller reports it
    except GraderError as exc:
        out.append(res.make("unparseable", str(exc)))
    except Exception as exc:  # noqa: BLE001 - the engine's boundary: nothing escapes a check
        out.append(res.make("unparseable", f"internal error: {type(exc).__name__}: {str(exc)[:200]}"))


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
        out.append(_equiv(reference, answer, table, mode, res))
    return out[-1]


def _unlabelled(node: A.Node) -> A.Node:
    """A statement without the label it names (``w^* = (X^\\top X)^{-1} X^\\top y`` is checked for shape
    as its value): a label is a name the claim introduces, it has no shape of its own to contradict."""
    if isinstance(node, A.Equation) and is_label(node.sides[0]):
        rest = node.sides[1:]
        return rest[0] if len(rest) == 1 else A.Equation(rest, node.ops[1:])
    return node


def _typed(table: SymbolTable) -> bool:
    return any(s.kind != "scalar" for s in table.symbols.values())


def _equiv(
    reference: str | A.Node, answer: str, table: SymbolTable, mode: str, res: ResultBuilder
) -> CheckResult:
    if mode != "value":
        return _equiv_scaled(reference, answer, table, mode, res)
    try:
        ref_node = (
            statement(parse_claim(reference, table, keep_equations=True).node)
            if isinstance(reference, str)
            else reference
        )
    except MathParseError as exc:
        return res.make("unparseable", f"the reference does not parse: {exc}")
    try:
        reading = read_claim(
            answer, table, _fits_reference(ref_node, table), wants_set=form_of(ref_node) == "set",
            fits_statement=True,
        )  # fmt: skip
    except MathParseError as exc:
        return res.make("unparseable", str(exc))
    res.interpreted = interpret(reading.node)
    ans_node = reading.node
    introduced = statement_unknowns(ans_node) | unknown_against(ans_node, ref_node)
    if antiderivative(ref_node) is not None:  # F + C: the constant of integration is the answer's own
        introduced |= A.free_symbols(ans_node) - A.free_symbols(ref_node)
    ref_names = (A.free_symbols(ref_node) | introduced) - set(table.symbols)
    inference = infer_symbols([ref_node, ans_node], table, known=ref_names)
    ref_node, ans_node = inference.apply(ref_node), inference.apply(ans_node)
    local = with_scalars(inference.table, ref_names - set(inference.table.symbols), positive=False)
    evidence: dict[str, Any] = {"inferred": inference.inferred} if inference.inferred else {}
    written = (ref_node, ans_node, local)
    opaque = name_applications(
        *written, _same_argument, scopes=(_unlabelled(ref_node), _unlabelled(ans_node))
    )
    if opaque is not None:
        if opaque.unmatched is not None:
            return res.make(
                "unparseable",
                f"{opaque.unmatched} applies a function nobody declared, to arguments the reference does "
                "not use it with; a person checks it",
                **evidence,
            )
        ref_node, ans_node, local = opaque.ref, opaque.ans, opaque.table
        evidence["opaque"] = opaque.names
    if _typed(table):
        try:
            shape_of(_unlabelled(ans_node), with_scalars(local, inference.unknown, positive=True))
        except DimensionError as exc:
            if opaque is not None and opaque.guessed:
                return res.make("unparseable", f"{exc}, reading a function of a vector as scalar-valued")
            return res.make("incorrect", str(exc), dimension_error=str(exc), **evidence)
    if inference.unknown:
        names = ", ".join(inference.unknown)
        return res.make(
            "unparseable",
            f"uses undeclared symbol {names}: neither the reference nor a definition alongside gives it",
            undeclared=inference.unknown,
            **evidence,
        )
    decision = compare_nodes(
        ref_node, ans_node, Context(local, typed=_typed(table), free=frozenset(inference.free))
    )
    evidence.update(decision.evidence)
    if decision.equal and opaque is not None and opaque.guessed and not _also_as_vectors(*written, table):
        return res.make(
            "unparseable",
            "equal when the undeclared functions of vectors are scalar-valued, not when they are "
            "vector-valued: a person checks it",
            **evidence,
        )
    if decision.equal is False and opaque is not None and opaque.names:
        used = ", ".join(sorted(opaque.names.values()))
        return res.make(
            "unparseable",
            f"differs when {used} is given an arbitrary value ({decision.reason}); these functions are "
            "nobody's declared ones and may have properties that make the two equal: a person checks it",
            **evidence,
        )
    if decision.equal is None:
        return res.make("unparseable", decision.reason or "cannot compare these forms", **evidence)
    if decision.equal:
        return res.make("correct", decision.reason or "equal", **evidence)
    return res.make("incorrect", decision.reason or "differs from the reference", **evidence)


def _also_as_vectors(ref: A.Node, ans: A.Node, local: SymbolTable, table: SymbolTable) -> bool:
    """An answer found equal with the undeclared functions of vectors read as scalar-valued: is it
    also right when they are vector-valued (of their argument's size)? Yes when the reference cannot
    be read that way (it would be ill-shaped), or when the two are equal that way too."""
    alt = name_applications(
        ref, ans, local, _same_argument, scopes=(_unlabelled(ref), _unlabelled(ans)), guess="vector"
    )
    if alt is None or alt.unmatched is not None:
        return False
    try:
        shape_of(_unlabelled(alt.ref), alt.table)
    except DimensionError:
        return True  # the reference only makes sense with scalar values
    except GraderError:
        return False
    try:
        return compare_nodes(alt.ref, alt.ans, Context(alt.table, typed=_typed(table))).equal is True
    except (GraderError, ValueError, ArithmeticError):
        return False


def _same_argument(a: A.Node, b: A.Node, table: SymbolTable) -> bool:
    """Whether two arguments of the same undeclared function are equal (the engine decides; their
    own undeclared names are scalars, and undeclared functions inside them opaque values)."""
    names = (A.free_symbols(a) | A.free_symbols(b)) - set(table.symbols)
    local = with_scalars(table, names, positive=True)
    written = (a, b, local)
    inner = name_applications(a, b, local, _same_argument)  # f(x) inside E[f(x)(x - \mu)]
    if inner is not None:
        if inner.unmatched is not None:
            return False
        a, b, local = inner.ref, inner.ans, inner.table
    try:
        same = compare_nodes(a, b, Context(local, typed=_typed(table))).equal is True
    except (GraderError, ValueError, ArithmeticError):
        return False
    return same and (inner is None or not inner.guessed or _also_as_vectors(*written, table))


def _shape_class(node: A.Node, table: SymbolTable) -> str | None:
    """``scalar``, ``vector`` or ``matrix`` for a value (unknown names read as scalars, applications
    of undeclared functions as their opaque values); None when its shape cannot be worked out."""
    named = name_applications(node, node, table, lambda a, b, t: False)
    if named is not None:
        node, table = named.ref, named.table
    try:
        shape = shape_of(node, with_scalars(table, A.free_symbols(node) - set(table.symbols), positive=True))
    except (DimensionError, GraderError):
        return None
    return "scalar" if shape.is_scalar else "vector" if shape.is_vector else "matrix"


def _answer_form(node: A.Node) -> str:
    """:func:`form_of`, with a bracketed list (``(0.99, 0.099)``, ``[a, b]``) read as a value: with
    declared symbols it is a vector like any other."""
    form = form_of(node)
    value = value_of(node)
    if form == "list" and isinstance(value, A.Tuple) and value.bracket:
        return "value"
    return form


def _fits_reference(ref_node: A.Node, table: SymbolTable) -> Callable[[A.Node], bool]:
    """Whether a statement read from prose has the reference's form (a value for a value, a set or
    an inequality for a set, an equation for an equation) and, for a value, its shape class."""
    want = _answer_form(ref_node)
    ref_value = value_of(ref_node) if want == "value" else ref_node
    cache: list[str | None] = []

    ref_names = A.free_symbols(ref_node)

    def fits(node: A.Node) -> bool:
        form = _answer_form(node)
        if form == "equation" and want == "value" and A.free_symbols(node) <= ref_names:
            return True  # a chain of equal expressions in the reference's own symbols
        if form != want:
            return False
        if want != "value":
            return True
        if not cache:
            cache.append(_shape_class(ref_value, table))
        kind = _shape_class(value_of(node), table)
        return cache[0] is None or kind is None or kind == cache[0]

    return fits


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
    inference = infer_symbols([reading.value], table)
    ans = inference.apply(reading.value)
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
