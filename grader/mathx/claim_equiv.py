"""A claim against a reference formula (``grader equiv``, ``value`` mode), as models write claims.

:func:`equiv_value` reads the claim (:func:`~grader.mathx.reading.read_claim`: prose, labels,
definitions alongside) looking for a statement of the reference's form and shape, infers the
symbols nobody declared, names the applications of undeclared functions
(:mod:`~grader.mathx.opaque`), checks shapes, and compares (:func:`~grader.mathx.equivalence.compare_nodes`).

``incorrect`` needs positive evidence: a label's own "shape" is none (``w^* = ...`` names the value),
a difference that rests on an undeclared function is none, and a formula read as the answer that
differs while another formula of the same claim equals the reference is none either (the reading
may have picked the wrong one): those are ``unparseable`` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grader.errors import GraderError, MathParseError
from grader.mathx import ast as A
from grader.mathx.claims import is_label, parse_claim
from grader.mathx.compare import with_scalars
from grader.mathx.display import interpret
from grader.mathx.equivalence import (
    Context,
    antiderivative,
    compare_nodes,
    interval_pair,
    statement_unknowns,
    unknown_against,
)
from grader.mathx.infer import infer_symbols
from grader.mathx.opaque import name_applications
from grader.mathx.reading import answer_form, form_of, read_claim, statement, value_of
from grader.mathx.results import ResultBuilder
from grader.mathx.shapes import DimensionError, shape_of
from grader.mathx.symbols import SymbolTable
from grader.verdicts import CheckResult

MAX_OTHERS = 8
"""Other formulas of a claim compared with the reference before an ``incorrect`` is given."""


def equiv_value(reference: str | A.Node, answer: str, table: SymbolTable, res: ResultBuilder) -> CheckResult:
    """A claim against a reference formula, in ``value`` mode (module notes)."""
    if isinstance(reference, str):
        from grader.mathx.freeform_pick import quantity_answer

        quantity = quantity_answer(reference, answer)  # 50\,\text{ns}: the quantity the claim states
        if quantity is not None:
            res.interpreted = quantity.interpreted
            return res.make(quantity.verdict, quantity.explanation, **quantity.evidence)
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
            answer, table, _fits_reference(ref_node, table), wants_set=form_of(ref_node) == "set" or (not typed(table) and interval_pair(ref_node)),
            fits_statement=True,
        )  # fmt: skip
    except MathParseError as exc:
        return res.make("unparseable", str(exc))
    res.interpreted = interpret(reading.node)
    result = judge(ref_node, reading.node, table, res)
    if result.verdict != "incorrect":
        return result
    for other in reading.others[-MAX_OTHERS:]:
        if judge(ref_node, other, table, ResultBuilder(res.reference)).verdict == "correct":
            return res.make(
                "unparseable",
                f"{result.explanation}; but {interpret(other)}, also in the answer, equals the reference: "
                "which one answers is left to a person",
                read_instead=interpret(other),
            )
    return result


def judge(ref_node: A.Node, ans_node: A.Node, table: SymbolTable, res: ResultBuilder) -> CheckResult:
    """One statement read from a claim against the reference statement (module notes)."""
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
    if typed(table):
        try:
            shape_of(_unlabelled(ans_node), with_scalars(local, inference.unknown, positive=True))
        except DimensionError as exc:
            if opaque is not None and opaque.guessed:
                return res.make("unparseable", f"{exc}, reading a function of a vector as scalar-valued")
            if inference.unknown:  # its shape was a guess: no evidence against the answer
                return res.make(
                    "unparseable",
                    f"{exc}, reading the undeclared symbol {', '.join(inference.unknown)} as a scalar; "
                    "neither the reference nor a definition alongside gives it",
                    undeclared=inference.unknown,
                    **evidence,
                )
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
        ref_node, ans_node, Context(local, typed=typed(table), free=frozenset(inference.free))
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
        return compare_nodes(alt.ref, alt.ans, Context(alt.table, typed=typed(table))).equal is True
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
        same = compare_nodes(a, b, Context(local, typed=typed(table))).equal is True
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


def _fits_reference(ref_node: A.Node, table: SymbolTable) -> Callable[[A.Node], bool]:
    """Whether a statement read from prose has the reference's form (a value for a value, a set or
    an inequality for a set, an equation for an equation) and, for a value, its shape class."""
    untyped = not typed(table)

    def form(node: A.Node) -> str:
        """With no vector declared, ``[1, 4]`` and ``(0, 1)`` are intervals: sets."""
        if untyped and interval_pair(value_of(node)):
            return "set"
        return answer_form(node)

    want = form(ref_node)
    ref_value = value_of(ref_node) if want == "value" else ref_node
    cache: list[str | None] = []
    ref_names = A.free_symbols(ref_node)

    def fits(node: A.Node) -> bool:
        label = node.sides[0] if isinstance(node, A.Equation) and is_label(node.sides[0]) else None
        if (
            isinstance(label, A.Sym)
            and label.name in ref_names
            and not A.free_symbols(value_of(node)) & ref_names
        ):
            return False  # "w = 1" solves for the reference's own variable; "w ← w - η g" may answer
        form_ = form(node)
        if form_ == "equation" and want == "value" and A.free_symbols(node) <= ref_names:
            return True  # a chain of equal expressions in the reference's own symbols
        if form_ != want:
            return False
        if want != "value":
            return True
        if not cache:
            cache.append(_shape_class(ref_value, table))
        kind = _shape_class(value_of(node), table)
        return cache[0] is None or kind is None or kind == cache[0]

    return fits


def _unlabelled(node: A.Node) -> A.Node:
    """A statement without the label it names (``w^* = (X^\\top X)^{-1} X^\\top y`` is checked for shape
    as its value): a label is a name the claim introduces, it has no shape of its own to contradict."""
    if isinstance(node, A.Equation) and is_label(node.sides[0]):
        rest = node.sides[1:]
        return rest[0] if len(rest) == 1 else A.Equation(rest, node.ops[1:])
    return node


def typed(table: SymbolTable) -> bool:
    """Whether the table declares vectors or matrices (then brackets are vectors, not intervals)."""
    return any(s.kind != "scalar" for s in table.symbols.values())
