"""Subsets of the real line: intervals, finite sets, unions, intersections and differences.

A :class:`RealSet` is a canonical, sorted list of disjoint spans (a point is the closed span
``[a, a]``), so two sets written differently (``(-\\infty, 2) \\cup (3, \\infty)`` and
``\\mathbb{R} \\setminus [2, 3]``) compare equal exactly when they are the same set. Endpoints are
evaluated by :mod:`grader.mathx.precise` at ``DPS`` digits on one instance of the free symbols, and
compared with relative tolerance ``ENDPOINT_RTOL``.

:func:`real_set` reads an AST as a set when it is one: ``Interval``, ``Set`` of scalars, ``Union``,
``SetOp`` (``\\cap``, ``\\setminus``), ``\\mathbb{R}``, ``\\emptyset``, ``x \\in S``, a chain of
inequalities in one unknown (``-1 \\le x < 3``, ``|x| \\le 2``), or alternatives ``x = 1`` or ``x = 4``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from grader.errors import BudgetExceeded, GraderError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.numeric import EvalError
from grader.mathx.precise import Evaluator, Undefined

DPS = 50
ENDPOINT_RTOL = 1e-30


class NotASet(Exception):
    """The node is not a subset of the real line that this module can build."""


@dataclass(frozen=True)
class Span:
    """One interval of the line; ``lo``/``hi`` are mpmath numbers (``±inf`` allowed)."""

    lo: Any
    hi: Any
    lo_closed: bool
    hi_closed: bool


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    if abs(a) == abs(a) + 1 or abs(b) == abs(b) + 1:  # an infinite end equals only itself
        return False
    scale = max(abs(a), abs(b), 1)
    return bool(abs(a - b) <= ENDPOINT_RTOL * scale)


class RealSet:
    """A finite union of disjoint, sorted spans (see module notes)."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = _canonical(spans)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RealSet) or len(self.spans) != len(other.spans):
            return False
        return all(
            _same(a.lo, b.lo)
            and _same(a.hi, b.hi)
            and a.lo_closed == b.lo_closed
            and a.hi_closed == b.hi_closed
            for a, b in zip(self.spans, other.spans, strict=True)
        )

    __hash__ = None  # type: ignore[assignment]

    def union(self, other: RealSet) -> RealSet:
        """Points in either set."""
        return RealSet(self.spans + other.spans)

    def complement(self, inf: Any) -> RealSet:
        """The points of the line not in this set (``inf`` is the context's infinity)."""
        out: list[Span] = []
        lo, lo_closed = -inf, False
        for s in self.spans:
            out.append(Span(lo, s.lo, lo_closed, not s.lo_closed))
            lo, lo_closed = s.hi, not s.hi_closed
        out.append(Span(lo, inf, lo_closed, False))
        return RealSet(out)

    def intersect(self, other: RealSet, inf: Any) -> RealSet:
        """Points in both sets."""
        return self.complement(inf).union(other.complement(inf)).complement(inf)

    def minus(self, other: RealSet, inf: Any) -> RealSet:
        """Points in this set and not in ``other``."""
        return self.intersect(other.complement(inf), inf)

    def contains(self, x: Any) -> bool:
        """Whether the number ``x`` is in the set."""
        for s in self.spans:
            if (s.lo < x or (s.lo_closed and _same(s.lo, x))) and (
                x < s.hi or (s.hi_closed and _same(s.hi, x))
            ):
                return True
        return False

    def describe(self) -> str:
        """The set written back as intervals, for evidence."""
        import mpmath

        if not self.spans:
            return "\\emptyset"
        parts = []
        for s in self.spans:
            if _same(s.lo, s.hi):
                parts.append(f"\\{{{mpmath.nstr(s.lo, 8)}\\}}")
            else:
                lo = "-\\infty" if s.lo == -mpmath.inf else mpmath.nstr(s.lo, 8)
                hi = "\\infty" if s.hi == mpmath.inf else mpmath.nstr(s.hi, 8)
                parts.append(f"{'[' if s.lo_closed else '('}{lo}, {hi}{']' if s.hi_closed else ')'}")
        return " \\cup ".join(parts)


def _empty(s: Span) -> bool:
    return s.lo > s.hi or (_same(s.lo, s.hi) and not (s.lo_closed and s.hi_closed))


def _open_at_infinity(s: Span) -> Span:
    lo_inf = s.lo == s.lo - 1 and s.lo < 0
    hi_inf = s.hi == s.hi + 1 and s.hi > 0
    return Span(s.lo, s.hi, s.lo_closed and not lo_inf, s.hi_closed and not hi_inf)


def _canonical(spans: list[Span]) -> list[Span]:
    spans = [_open_at_infinity(s) for s in spans]
    items = sorted((s for s in spans if not _empty(s)), key=lambda s: (s.lo, not s.lo_closed))
    out: list[Span] = []
    for s in items:
        if out:
            last = out[-1]
            touching = s.lo < last.hi or (_same(s.lo, last.hi) and (s.lo_closed or last.hi_closed))
            if touching:
                if s.hi > last.hi and not _same(s.hi, last.hi):
                    out[-1] = Span(last.lo, s.hi, last.lo_closed, s.hi_closed)
                elif _same(s.hi, last.hi):
                    out[-1] = Span(last.lo, last.hi, last.lo_closed, last.hi_closed or s.hi_closed)
                continue
        out.append(s)
    return out


# ---------------------------------------------------------------------------------------------- reading


def is_set_form(node: A.Node) -> bool:
    """Whether ``node`` is written as a set (an interval, a set, a union, ``\\mathbb{R}``, ``x \\in S``)."""
    return isinstance(node, A.Interval | A.Union | A.SetOp | A.NamedSet | A.Member | A.Set)


class SetReader:
    """Builds RealSets from ASTs at one instance ``env`` of the free symbols."""

    def __init__(self, env: Mapping[str, Any], interval_pairs: bool = True) -> None:
        self.ev = Evaluator(DPS, complex_mode=False)
        self.inf = self.ev.ctx.inf
        self.env = env
        self.interval_pairs = interval_pairs

    def number(self, node: A.Node) -> Any:
        try:
            v = self.ev.value(node, self.env)
        except Undefined as exc:
            raise NotASet(f"an end is undefined: {exc.message}") from None
        except EvalError as exc:
            raise NotASet(exc.message) from None
        if isinstance(v, self.ev.ctx.mpc):
            raise NotASet("a complex end")
        return v

    def read(self, node: A.Node, var: str | None = None) -> RealSet:
        """The set ``node`` denotes (``var``: the unknown of an inequality or of ``x = 1`` alternatives)."""
        budget.check()
        match node:
            case A.Interval(left=left, right=right, left_closed=lc, right_closed=rc):
                return RealSet([Span(self.number(left), self.number(right), lc, rc)])
            case A.Tuple(items=items) if self.interval_pairs and len(items) == 2:
                return RealSet([Span(self.number(items[0]), self.number(items[1]), False, False)])
            case A.Matrix(rows=rows) if (
                self.interval_pairs and len(rows) == 2 and all(len(r) == 1 for r in rows)
            ):
                return RealSet([Span(self.number(rows[0][0]), self.number(rows[1][0]), True, True)])
            case A.Set(items=items):
                points = [self.number(x) for x in items]
                return RealSet([Span(p, p, True, True) for p in points])
            case A.Union(items=items):
                acc = RealSet([])
                for x in items:
                    acc = acc.union(self.read(x, var))
                return acc
            case A.SetOp(op=op, items=items):
                acc = self.read(items[0], var)
                for x in items[1:]:
                    other = self.read(x, var)
                    acc = acc.intersect(other, self.inf) if op == "∩" else acc.minus(other, self.inf)
                return acc
            case A.NamedSet(name="R"):
                return RealSet([Span(-self.inf, self.inf, False, False)])
            case A.NamedSet(name="empty"):
                return RealSet([])
            case A.Member(collection=collection, negated=negated):
                inner = self.read(collection, var)
                return inner.complement(self.inf) if negated else inner
            case A.Inequality(sides=sides, ops=ops):
                return self.inequality(sides, ops, var)
            case A.Or(items=items):
                acc = RealSet([])
                for x in items:
                    acc = acc.union(self.read(x, var))
                return acc
            case A.Equation(sides=sides) if len(sides) == 2 and isinstance(sides[0], A.Sym):
                if var is not None and sides[0].name != var:
                    raise NotASet("another unknown")
                p = self.number(sides[1])
                return RealSet([Span(p, p, True, True)])
            case A.Num() | A.Neg() | A.Div() | A.Const() | A.Func() | A.Add() | A.Mul() | A.Pow():
                if var is None or var not in A.free_symbols(node):
                    p = self.number(node)
                    return RealSet([Span(p, p, True, True)])
        raise NotASet(f"{type(node).__name__} is not a set of real numbers")

    def inequality(self, sides: tuple[A.Node, ...], ops: tuple[str, ...], var: str | None) -> RealSet:
        """The solutions of a chain of inequalities in one unknown."""
        names = set().union(*(A.free_symbols(s) for s in sides)) - set(self.env)
        if var is None:
            if len(names) != 1:
                raise NotASet("not an inequality in one unknown")
            var = next(iter(names))
        elif names - {var}:
            raise NotASet("more than one unknown")
        acc = RealSet([Span(-self.inf, self.inf, False, False)])
        for k, op in enumerate(ops):
            link = self.link(sides[k], op, sides[k + 1], var)
            acc = acc.intersect(link, self.inf)
        return acc

    def link(self, lhs: A.Node, op: str, rhs: A.Node, var: str) -> RealSet:
        """Solutions of ``lhs op rhs`` in ``var``: directly when affine, else with sympy."""
        if op in ("=", "≈"):
            raise NotASet("an equation inside an inequality chain")
        diff = A.Add((lhs, A.Neg(rhs)))
        affine = self._affine(diff, var)
        if affine is not None:
            a, b = affine  # diff = a x + b
            ctx = self.ev.ctx
            if a == 0:
                holds = _holds(b, op)
                return RealSet([Span(-self.inf, self.inf, False, False)] if holds else [])
            root = -b / a
            below = _holds(-a, op)  # diff left of the root: a (root - 1) + b = -a
            at = _holds(ctx.mpf(0), op)
            if op == "≠":
                return RealSet([Span(-self.inf, root, False, False), Span(root, self.inf, False, False)])
            if below:
                return RealSet([Span(-self.inf, root, False, at)])
            return RealSet([Span(root, self.inf, at, False)])
        return self._sympy_link(lhs, op, rhs, var)

    def _affine(self, diff: A.Node, var: str) -> tuple[Any, Any] | None:
        ctx = self.ev.ctx
        try:
            vals = [self.ev.value(diff, {**self.env, var: ctx.mpf(t)}) for t in (-1, 0, 1, 2)]
        except EvalError:
            return None
        if any(isinstance(v, ctx.mpc) for v in vals):
            return None
        a = vals[2] - vals[1]
        b = vals[1]
        scale = max(max(abs(v) for v in vals), 1)
        if all(
            abs(vals[k] - (a * t + b)) <= ctx.mpf(10) ** (-DPS + 10) * scale
            for k, t in enumerate((-1, 0, 1, 2))
        ):
            return a, b
        return None

    def _sympy_link(self, lhs: A.Node, op: str, rhs: A.Node, var: str) -> RealSet:
        import sympy as sp

        from grader.mathx.symbols import SymbolTable
        from grader.mathx.to_sympy import NotScalar, to_sympy

        try:
            table = SymbolTable()
            left, right = to_sympy(lhs, table), to_sympy(rhs, table)
            x = sp.Symbol(var, real=True)
            subs = {sp.Symbol(k, real=True): sp.Float(float(v)) for k, v in self.env.items() if k != var}
            rel = {"<": sp.Lt, "≤": sp.Le, ">": sp.Gt, "≥": sp.Ge, "≠": sp.Ne}[op](
                left.subs(subs), right.subs(subs)
            )
        except BudgetExceeded:
            raise
        except (NotScalar, GraderError) as exc:
            raise NotASet(f"cannot solve: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - sympy refusing (a complex side in <) means "not a set"
            raise NotASet(f"cannot solve: {type(exc).__name__}") from None
        try:
            solved = budget.bounded_call(
                partial(sp.solve_univariate_inequality, rel, x, relational=False), 1.0
            )
        except BudgetExceeded:
            if budget.expired():
                raise
            raise NotASet("solving the inequality took too long") from None
        except Exception as exc:  # noqa: BLE001 - sympy failing to solve means "cannot read as a set"
            raise NotASet(f"cannot solve: {type(exc).__name__}") from None
        return self._from_sympy(solved)

    def _from_sympy(self, s: Any) -> RealSet:
        import sympy as sp

        ctx = self.ev.ctx

        def num(v: Any) -> Any:
            if v is sp.oo:
                return self.inf
            if v is sp.S.NegativeInfinity:
                return -self.inf
            try:
                return ctx.mpf(str(sp.N(v, DPS)))
            except (ValueError, TypeError) as exc:
                raise NotASet(f"an end that is not a real number: {v}") from exc

        if isinstance(s, sp.Interval):
            return RealSet([Span(num(s.start), num(s.end), not s.left_open, not s.right_open)])
        if isinstance(s, sp.Union):
            acc = RealSet([])
            for part in s.args:
                acc = acc.union(self._from_sympy(part))
            return acc
        if isinstance(s, sp.FiniteSet):
            return RealSet([Span(num(p), num(p), True, True) for p in s])
        if s is sp.S.EmptySet:
            return RealSet([])
        if s is sp.S.Reals:
            return RealSet([Span(-self.inf, self.inf, False, False)])
        if isinstance(s, sp.Complement) and s.args[0] is sp.S.Reals:
            return self._from_sympy(s.args[1]).complement(self.inf)
        raise NotASet(f"cannot read the solution set {type(s).__name__}")


def _holds(value: Any, op: str) -> bool:
    return bool({"<": value < 0, "≤": value <= 0, ">": value > 0, "≥": value >= 0, "≠": value != 0}[op])
