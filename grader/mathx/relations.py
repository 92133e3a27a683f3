"""Equations, inequalities and alternatives compared as statements, not as the numbers in them.

* **Equations** ``L = R`` and ``L' = R'``: the same label on the left compares the values; else the
  differences ``L - R`` and ``L' - R'`` proportional by a constant (``2x = 4`` ≡ ``x = 2``,
  ``x = y`` ≡ ``y = x``; vectors: proportional on each instance) are the same equation; else the
  solution sets are compared: exactly with sympy for one unknown, otherwise by points found on
  each zero set (a point of one that is not on the other is a separating instance).
* **Inequalities** in one unknown are subsets of ℝ (:mod:`grader.mathx.realsets`), also against an
  interval; chains in several symbols compare link by link (``a < b`` ≡ ``b > a``, a single link up
  to a positive factor); a random point where one holds and the other does not separates them.
* **Alternatives** (``x = \\pm 2``, ``x = 2 \\text{ or } x = -2``, ``\\{-2, 2\\}``, ``x^2 = 4``) are
  the same set of values, in any order.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from grader.errors import BudgetExceeded, GraderError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.compare import numeric_compare
from grader.mathx.display import interpret
from grader.mathx.equivalence import (
    Context,
    Decision,
    compare_nodes,
    compare_sets,
    is_scalar,
    label_value,
    statement_unknowns,
    unordered,
)
from grader.mathx.numeric import EvalError, evaluate
from grader.mathx.precise import HIGH_DPS, Evaluator, Undefined, mentions_imaginary, precise_ratio
from grader.mathx.realsets import NotASet, RealSet, SetReader, Span

_FLIP = {">": "<", "≥": "≤", "<": ">", "≤": "≥", "≠": "≠"}
ZERO_RTOL = 1e-30
"""A point found on a zero set satisfies another equation when its sides agree to this (relative)."""


def difference(eq: A.Equation) -> A.Node:
    """``L - R`` of an equation (its first and last sides); ``L`` when ``R`` is 0."""
    lhs, rhs = eq.sides[0], eq.sides[-1]
    if isinstance(rhs, A.Num) and rhs.value == 0:
        return lhs
    if isinstance(lhs, A.Num) and lhs.value == 0:
        return rhs
    return A.Add((lhs, A.Neg(rhs)))


def _unknowns(ctx: Context, *nodes: A.Node) -> list[str]:
    names = set().union(*(A.free_symbols(n) for n in nodes))
    return sorted(
        n for n in names if (s := ctx.table.get(n)) is not None and s.kind == "scalar" and s.value is None
    )


# ---------------------------------------------------------------------------------------------- equations


def compare_equations(ref: A.Equation, ans: A.Equation, ctx: Context) -> Decision:
    """Two equations (module notes)."""
    rl, al = ref.sides[0], ans.sides[0]
    rv, av = label_value(ref), label_value(ans)
    if rv is not None and av is not None and rl == al:
        return compare_nodes(rv, av, ctx)
    dr, da = difference(ref), difference(ans)
    if not (is_scalar(dr, ctx) and is_scalar(da, ctx)):
        return _array_equations(dr, da, ctx)
    same, c = precise_ratio(da, dr, ctx.envs())
    if same:
        return Decision(True, "the same equation up to a constant factor", {"method": "proportional"})
    unknowns = _unknowns(ctx, dr, da)
    if len(unknowns) == 1:
        solved = _solution_sets(ref, ans, unknowns[0], ctx)
        if solved is not None:
            return solved
    return _zero_sets(ref, ans, unknowns, ctx)


def _array_equations(dr: A.Node, da: A.Node, ctx: Context) -> Decision:
    try:
        outcome = numeric_compare(
            da, lambda env: evaluate(dr, env), ctx.table, mode="nonzero_scale", constant_scale=False
        )
    except (EvalError, GraderError, ValueError, ArithmeticError) as exc:
        return Decision(None, f"could not evaluate: {exc}")
    if outcome.evidence.get("degenerate") or outcome.reason.startswith("cannot evaluate"):
        return Decision(None, outcome.reason or "could not evaluate")
    if outcome.reason.startswith("shape"):
        return Decision(False, outcome.reason)
    return Decision(outcome.equal, "" if outcome.equal else "not the same equation", outcome.evidence)


def solve_set(eq: A.Equation, var: str) -> RealSet | None:
    """The real solutions of an equation in one unknown, with sympy on the tree (bounded), or None."""
    import sympy as sp

    from grader.mathx.symbols import SymbolTable
    from grader.mathx.to_sympy import NotScalar, to_sympy

    try:
        expr = to_sympy(difference(eq), SymbolTable())
    except BudgetExceeded:
        raise
    except (NotScalar, GraderError, ValueError, TypeError, ArithmeticError, KeyError):
        return None
    x = sp.Symbol(var, real=True)
    try:
        solved = budget.bounded_call(partial(sp.solveset, expr, x, sp.S.Reals), 1.0)
    except BudgetExceeded:
        if budget.expired():
            raise
        return None
    except Exception:  # noqa: BLE001 - sympy failing to solve means "unknown"
        return None
    if not isinstance(solved, sp.FiniteSet | sp.Interval | sp.Union) and solved is not sp.S.EmptySet:
        return None
    try:
        return SetReader({})._from_sympy(solved)
    except NotASet:
        return None


def _solution_sets(ref: A.Equation, ans: A.Equation, var: str, ctx: Context) -> Decision | None:
    r_set, a_set = solve_set(ref, var), solve_set(ans, var)
    if r_set is None or a_set is None:
        return None
    if r_set == a_set:
        return Decision(True, f"the same solutions: {var} ∈ {r_set.describe()}", {"method": "solution set"})
    return Decision(
        False,
        f"different solutions: {var} ∈ {a_set.describe()} vs {var} ∈ {r_set.describe()}",
        {"answer_set": a_set.describe(), "reference_set": r_set.describe()},
    )


def _on_zero_set(eq: A.Equation, var: str, env: dict[str, Any], ev: Evaluator) -> dict[str, Any] | None:
    """A point of the zero set of ``eq`` near ``env``, moving ``var`` only (mpmath.findroot)."""
    ctx = ev.ctx
    d = difference(eq)

    def f(t: Any) -> Any:
        return ev.value(d, {**env, var: t})

    try:
        root = ctx.findroot(f, ctx.mpf(env[var]), tol=ctx.mpf(10) ** (-HIGH_DPS + 10), maxsteps=60)
    except (ValueError, ZeroDivisionError, EvalError, TypeError, OverflowError):
        return None
    if isinstance(root, ctx.mpc):
        if abs(root.imag) > ctx.mpf(10) ** -20:
            return None
        root = root.real
    return {**env, var: root}


def _satisfies(eq: A.Equation, point: dict[str, Any], ev: Evaluator) -> bool | None:
    try:
        lhs, rhs = ev.value(eq.sides[0], point), ev.value(eq.sides[-1], point)
    except Undefined:
        return None
    scale = max(abs(lhs), abs(rhs), ev.ctx.mpf(10) ** -20)
    return bool(abs(lhs - rhs) <= ZERO_RTOL * scale)


def _zero_sets(ref: A.Equation, ans: A.Equation, unknowns: list[str], ctx: Context) -> Decision:
    """Points on each equation's zero set checked against the other equation (module notes)."""
    if not unknowns:
        return Decision(None, "cannot decide whether these equations have the same solutions")
    ev = Evaluator(HIGH_DPS, mentions_imaginary(ref, ans))
    found = {"reference": 0, "answer": 0}
    for k, env in enumerate(ctx.envs()):
        if k >= 24 or min(found.values()) >= 3:
            break
        var = unknowns[k % len(unknowns)]
        for src, dst, name in ((ref, ans, "reference"), (ans, ref, "answer")):
            try:
                point = _on_zero_set(src, var, dict(env), ev)
                if point is None:
                    continue
                ok = _satisfies(dst, point, ev)
            except EvalError:
                continue
            if ok is None:
                continue
            if not ok:
                shown = {n: str(ev.ctx.nstr(v, 8)) for n, v in point.items() if not n.startswith("__")}
                where = "a solution of the reference" if name == "reference" else "a solution of the answer"
                return Decision(
                    False,
                    f"{where} that the other equation does not satisfy: "
                    + ", ".join(f"{n} = {v}" for n, v in shown.items()),
                    {"instance": shown},
                )
            found[name] += 1
    if min(found.values()) >= 3:
        return Decision(True, "the same solutions (checked at points of each)", {"method": "zero sets"})
    return Decision(None, "cannot decide whether these equations have the same solutions")


# ---------------------------------------------------------------------------------------------- inequalities


def _ascending(node: A.Inequality) -> tuple[tuple[A.Node, ...], tuple[str, ...]]:
    if any(op in (">", "≥") for op in node.ops):
        return tuple(reversed(node.sides)), tuple(_FLIP.get(op, op) for op in reversed(node.ops))
    return node.sides, node.ops


def _single_unknown(node: A.Node, ctx: Context) -> str | None:
    names = A.free_symbols(node)
    unknowns = [n for n in names if n not in ctx.table.symbols or ctx.table.symbols[n].value is None]
    return unknowns[0] if len(unknowns) == 1 and len(names) == 1 else None


def compare_inequalities(ref: A.Node, ans: A.Node, ctx: Context) -> Decision:
    """Inequalities, or an inequality against a set (module notes)."""
    if not (isinstance(ref, A.Inequality) and isinstance(ans, A.Inequality)):
        ineq = ref if isinstance(ref, A.Inequality) else ans
        other = ans if ineq is ref else ref
        if _single_unknown(ineq, ctx) is not None or len(A.free_symbols(ineq) - A.free_symbols(other)) == 1:
            return compare_sets(ref, ans, ctx)
        if isinstance(other, A.SetOp | A.Union | A.Or) and statement_unknowns(ineq):
            return compare_sets(ref, ans, ctx)  # 0 < \eta < 2/L against (\eta > 0) ∩ (\eta < 2/L)
        return Decision(False, f"{interpret(ineq)} is an inequality; the other side is not")
    var_r, var_a = _single_unknown(ref, ctx), _single_unknown(ans, ctx)
    if var_r is not None and var_r == var_a:
        return compare_sets(ref, ans, ctx)
    (rs, ro), (as_, ao) = _ascending(ref), _ascending(ans)
    if ro == ao and len(ro) > 1:
        pairs = [compare_nodes(x, y, ctx) for x, y in zip(rs, as_, strict=True)]
        if all(p.equal for p in pairs):
            return Decision(True, "the same chain")
    if ro == ao and len(ro) == 1:
        dr = A.Add((rs[1], A.Neg(rs[0])))
        da = A.Add((as_[1], A.Neg(as_[0])))
        same, c = precise_ratio(da, dr, ctx.envs())
        if same and (ro[0] == "≠" or c > 0):
            return Decision(True, "the same inequality up to a positive factor")
        if _positive_ratio(da, dr, ctx):
            return Decision(True, "the same inequality up to a positive factor (symbolic)")
    return _separate_inequalities(ref, ans, ctx)


def _positive_ratio(da: A.Node, dr: A.Node, ctx: Context) -> bool:
    """Whether ``da / dr`` simplifies to an expression sympy proves positive under the symbols'
    assumptions (``\\eta < 1/\\sigma^2`` against ``\\eta\\sigma^2 < 1`` for σ > 0: the ratio is 1/σ²)."""
    from grader.mathx.to_sympy import NotScalar, to_sympy

    try:
        import sympy as sp

        ratio = sp.cancel(to_sympy(da, ctx.table) / to_sympy(dr, ctx.table))
        return bool(ratio.is_positive is True)
    except (NotScalar, GraderError, ValueError, TypeError, ArithmeticError, RecursionError):
        return False


def _holds(node: A.Inequality, env: dict[str, Any], ev: Evaluator) -> bool | None:
    try:
        values = [ev.value(s, env) for s in node.sides]
    except (Undefined, EvalError):
        return None
    if any(isinstance(v, ev.ctx.mpc) for v in values):
        return None
    tests = {"<": lambda a, b: a < b, "≤": lambda a, b: a <= b, ">": lambda a, b: a > b,
             "≥": lambda a, b: a >= b, "≠": lambda a, b: a != b, "=": lambda a, b: a == b,
             "≈": lambda a, b: a == b}  # fmt: skip
    return all(tests[op](values[k], values[k + 1]) for k, op in enumerate(node.ops))


def _separate_inequalities(ref: A.Inequality, ans: A.Inequality, ctx: Context) -> Decision:
    """A random point where one inequality holds and the other does not, else undecided."""
    ev = Evaluator(40)
    rng = np.random.default_rng(ctx.seed)
    names = sorted(A.free_symbols(ref) | A.free_symbols(ans))
    for k, env in enumerate(ctx.envs()):
        if k >= 200:
            break
        point = dict(env)
        for n in names:  # also points beyond the table's ranges, where bounds bite
            if n in point and (k % 2):
                point[n] = float(point[n]) * float(rng.uniform(-4, 4))
        a, b = _holds(ref, point, ev), _holds(ans, point, ev)
        if a is None or b is None or a == b:
            continue
        shown = {n: f"{float(v):.6g}" for n, v in point.items() if n in names}
        which = (
            "the answer holds and the reference does not"
            if b
            else "the reference holds and the answer does not"
        )
        return Decision(False, f"at {shown}, {which}", {"instance": shown})
    return Decision(None, "cannot decide whether these inequalities are the same")


# ---------------------------------------------------------------------------------------------- alternatives


def _as_values(items: list[A.Node]) -> tuple[list[A.Node], str | None] | None:
    """``x = 2 or x = -2`` → the values and the unknown; plain values → themselves."""
    if all(isinstance(x, A.Equation) for x in items):
        labels = {x.sides[0] for x in items if isinstance(x, A.Equation)}
        if len(labels) == 1 and all(label_value(x) is not None for x in items):
            label = next(iter(labels))
            name = label.name if isinstance(label, A.Sym) else None
            return [x.sides[-1] for x in items if isinstance(x, A.Equation)], name
        return None
    if any(isinstance(x, A.Equation | A.Inequality) for x in items):
        return None
    return items, None


def _expand_side(node_items: list[A.Node]) -> list[A.Node]:
    if len(node_items) == 1:
        node = node_items[0]
        if isinstance(node, A.Set):
            return list(node.items)
        if isinstance(node, A.Member) and isinstance(node.collection, A.Set):
            return [A.Equation((node.element, x), ("=",)) for x in node.collection.items]
        if isinstance(node, A.Tuple) and not node.bracket:
            return list(node.items)
    return node_items


def compare_alternatives(refs: list[A.Node], answers: list[A.Node], ctx: Context) -> Decision:
    """Two lists of alternatives (``\\pm``, "or", a set, the roots of an equation), in any order."""
    refs, answers = _expand_side(refs), _expand_side(answers)
    r_vals, a_vals = _as_values(refs), _as_values(answers)
    if r_vals is None and len(refs) == 1 and isinstance(refs[0], A.Equation) and a_vals and a_vals[1]:
        solved = solve_set(refs[0], a_vals[1])
        if solved is not None:
            return _values_vs_set(a_vals[0], solved, ctx)
    if a_vals is None and len(answers) == 1 and isinstance(answers[0], A.Equation) and r_vals and r_vals[1]:
        solved = solve_set(answers[0], r_vals[1])
        if solved is not None:
            return _values_vs_set(r_vals[0], solved, ctx)
    if r_vals is not None and a_vals is not None:
        if r_vals[1] and a_vals[1] and r_vals[1] != a_vals[1]:
            return Decision(False, f"values of {a_vals[1]}, expected values of {r_vals[1]}")
        return unordered(r_vals[0], a_vals[0], ctx)
    return unordered(refs, answers, ctx)


def _values_vs_set(values: list[A.Node], solved: RealSet, ctx: Context) -> Decision:
    reader = SetReader({})
    try:
        points = RealSet([Span(p, p, True, True) for p in (reader.number(v) for v in values)])
    except NotASet as exc:
        return Decision(None, f"cannot compare: {exc}")
    if points == solved:
        return Decision(True, "the same solutions")
    return Decision(False, f"the solutions are {solved.describe()}, not {points.describe()}")
