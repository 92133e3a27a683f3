"""Generic comparison of parsed answers: numbers and scalar formulas, sets (unordered), tuples
(ordered), intervals, unions, equations and inequalities. Used by the school-math benchmark."""

from __future__ import annotations

from grader.errors import BudgetExceeded, GraderError
from grader.mathx import ast as A
from grader.mathx.compare import numeric_compare, with_scalars
from grader.mathx.numbers import exact_value, matches_written, written_unit
from grader.mathx.numeric import EvalError, evaluate
from grader.mathx.symbols import SymbolTable

_FLIP = {">": "<", "≥": "≤", "<": ">", "≤": "≥"}


def _unwrap(node: A.Node) -> A.Node:
    return node.value if isinstance(node, A.Quantity) else node


def _all_equal(xs: tuple[A.Node, ...], ys: tuple[A.Node, ...], table: SymbolTable) -> bool | None:
    if len(xs) != len(ys):
        return False
    results = [scalar_equal(x, y, table) for x, y in zip(xs, ys, strict=True)]
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def _unordered_equal(xs: tuple[A.Node, ...], ys: tuple[A.Node, ...], table: SymbolTable) -> bool | None:
    remaining = list(ys)
    for x in xs:
        for k, y in enumerate(remaining):
            if scalar_equal(x, y, table):
                del remaining[k]
                break
        else:
            return False
    return not remaining


def _normalize_inequality(node: A.Inequality) -> tuple[tuple[A.Node, ...], tuple[str, ...]]:
    if any(op in (">", "≥") for op in node.ops):
        return tuple(reversed(node.sides)), tuple(_FLIP.get(op, op) for op in reversed(node.ops))
    return node.sides, node.ops


def scalar_equal(a: A.Node, b: A.Node, symbols: SymbolTable | None = None) -> bool | None:
    """Whether two parsed answers are equal; None when it cannot be decided.

    Numbers compare exactly, or at the written precision when one side is a decimal literal;
    formulas compare on random instances of their (real) free symbols; sets are unordered, tuples
    ordered; an interval also matches ``[a, b]`` (closed) or ``(a, b)`` (open).

    Example:
        >>> scalar_equal(parse(r"\\{1, 2\\}"), parse(r"\\{2, 1\\}"))
        True
    """
    table = symbols or SymbolTable()
    a, b = _unwrap(a), _unwrap(b)
    if a == b:
        return True
    if isinstance(a, A.Interval) or isinstance(b, A.Interval):
        a, b = A.as_interval(a), A.as_interval(b)
    if type(a) is not type(b) and not (_is_scalar_like(a) and _is_scalar_like(b)):
        return False
    match a:
        case A.Set(items=items):
            assert isinstance(b, A.Set)
            return _unordered_equal(items, b.items, table) if len(set(items)) == len(set(b.items)) else False
        case A.Union(items=items):
            assert isinstance(b, A.Union)
            return _unordered_equal(items, b.items, table) if len(items) == len(b.items) else False
        case A.Tuple(items=items):
            assert isinstance(b, A.Tuple)
            return _all_equal(items, b.items, table)
        case A.Interval():
            assert isinstance(b, A.Interval)
            if (a.left_closed, a.right_closed) != (b.left_closed, b.right_closed):
                return False
            return _all_equal((a.left, a.right), (b.left, b.right), table)
        case A.Matrix(rows=rows):
            assert isinstance(b, A.Matrix)
            if len(rows) != len(b.rows) or any(len(r) != len(s) for r, s in zip(rows, b.rows, strict=True)):
                return False
            return _all_equal(tuple(x for r in rows for x in r), tuple(x for r in b.rows for x in r), table)
        case A.Equation(sides=sides):
            assert isinstance(b, A.Equation)
            if isinstance(sides[0], A.Sym) and sides[0] == b.sides[0]:
                return scalar_equal(sides[-1], b.sides[-1], table)
            diff_a = A.Add((sides[0], A.Neg(sides[-1])))
            diff_b = A.Add((b.sides[0], A.Neg(b.sides[-1])))
            return _numeric_equal(diff_a, diff_b, table, mode="nonzero_scale")
        case A.Inequality():
            assert isinstance(b, A.Inequality)
            sa, oa = _normalize_inequality(a)
            sb, ob = _normalize_inequality(b)
            return False if oa != ob else _all_equal(sa, sb, table)
    return _value_equal(a, b, table)


def _is_scalar_like(node: A.Node) -> bool:
    return not isinstance(
        node, A.Set | A.Union | A.Tuple | A.Interval | A.Matrix | A.Equation | A.Inequality | A.Implies
    )


def _value_equal(a: A.Node, b: A.Node, table: SymbolTable) -> bool | None:
    ua, ub = written_unit(a), written_unit(b)
    ea, eb = exact_value(a), exact_value(b)
    if ea is not None and eb is not None:
        if ea == eb:
            return True
        if ua is not None:
            return matches_written(float(ea), float(eb), ua)
        if ub is not None:
            return matches_written(float(eb), float(ea), ub)
        return False
    return _numeric_equal(a, b, table)


def _numeric_equal(a: A.Node, b: A.Node, table: SymbolTable, mode: str = "value") -> bool | None:
    names = (A.free_symbols(a) | A.free_symbols(b)) - set(table.symbols)
    local = with_scalars(table, names, positive=False)
    units = None
    if written_unit(a) is not None:
        units = [written_unit(a)]
    try:
        outcome = numeric_compare(a, lambda env: evaluate(b, env), local, mode=mode, units=units)
    except BudgetExceeded:
        raise
    except (EvalError, GraderError, ValueError, ArithmeticError):
        return None
    if outcome.evidence.get("degenerate"):
        return None
    return outcome.equal
