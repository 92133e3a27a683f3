"""Check the steps of a model's derivation: does each equation follow from the problem or the step before?

Rules (each on random instances of the rubric's typed symbols; a step the engine cannot read is
skipped, never flagged; a step is flagged only when it fails on every instance drawn):

* **R1 restated objective**: ``J(\\Delta\\theta) = ...`` (a name of the part's objective) whose right
  side differs from the rubric's objective (an added constant is allowed: it does not move the
  minimiser).
* **R2 solved step**: an equation in an unknown ``x`` followed by ``x = expr`` (after
  ``\\implies``, "Solving for x:", ...): ``expr`` must satisfy that equation.
* **R3 stated gradient**: ``\\nabla_x J = B`` / ``\\frac{\\partial J}{\\partial x} = B`` against central
  finite differences of the objective as the attempt last stated it (the rubric's, unless R1 found a
  restatement); also ``\\frac{\\partial}{\\partial x} A = B``.
* **R4 prose derivative**: "The derivative of $A$ with respect to $W$ is $B$"; a ``B`` whose
  product is undefined counts as wrong.
* **R5 geometric series**: ``r_{t+1} = r_t Q`` earlier and ``\\sum_{i=0}^{\\infty} r_i = S``: ``S`` must be
  ``r_0 / (1 - Q)``.

Everything runs under one time budget; on overrun the findings so far are returned.

Example::

    findings = check_steps(attempt, rubric.part("q1a"), rubric)
    [(f.block, f.explanation) for f in findings]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from grader.align import Attempt
from grader.errors import BudgetExceeded, MathParseError
from grader.mathx import ast as A
from grader.mathx import budget, interpret, parse
from grader.rubric import PartSpec, Rubric
from grader.steps_numeric import (
    INSTANCES,
    Unusable,
    close,
    dimension_error,
    gradient,
    has_index,
    instances,
    ratio_of,
    rounded,
    shape_text,
    summary,
    transposed_match,
    unknowns,
    value,
)
from grader.steps_prose import derivative_statements
from grader.steps_scan import Classifier, Side, Statement, statements

__all__ = ["StepFinding", "check_steps"]

_ASSUME_RE = re.compile(
    r"\b(?:assum|suppos|let|substitut|plug|guess|try|consider|if|ansatz|denote|defin)", re.I
)
_DEFINE_RE = re.compile(r"\b(?:let|define|denote|where|with|set)\b", re.I)
_SUM_RE = re.compile(
    r"^\\sum_\{?\s*([a-z])\s*=\s*0\s*\}?\s*\^\s*\{?\s*\\infty\s*\}?\s*(?:\\left\s*)?\(?\s*([A-Za-z])_\{?\s*\1\s*\}?\s*(?:\\right\s*)?\)?$"
)
_NEXT_RE = re.compile(r"^([A-Za-z])_\{\s*([a-z])\s*\+\s*1\s*\}$")
_DECORATION_RE = re.compile(r"_(?:star|infty|opt|new)$")


@dataclass
class StepFinding:
    """A step of the working that does not follow."""

    block: int
    """Index of the block within its turn."""
    text: str
    """The offending line / equation as written."""
    flag: str
    """``derivation_error`` (R1-R5)."""
    explanation: str
    """Why, e.g. "objective restated as ... differs from the problem's ..."."""
    evidence: dict[str, Any] = field(default_factory=dict)
    """The rule, the instance that separates the two sides and both values."""


def check_steps(
    attempt: Attempt, part: PartSpec, rubric: Rubric, variant: str | None = None, budget_s: float = 3.0
) -> list[StepFinding]:
    """The derivation steps of ``attempt`` that do not follow (rules R1-R5 of the module notes).

    Never raises on bad input: unreadable steps are skipped and a time overrun returns what was found.

    Example::

        >>> [f.evidence["rule"] for f in check_steps(attempt, rubric.part("q1a"), rubric)]
        ['R1', 'R2']
    """
    findings: list[StepFinding] = []
    try:
        with budget.time_budget(budget_s):
            _Checker(attempt, part, rubric, variant, findings).run()
    except BudgetExceeded:
        pass
    except RecursionError:
        pass
    return findings


class _Checker:
    def __init__(
        self, attempt: Attempt, part: PartSpec, rubric: Rubric, variant: str | None, out: list[StepFinding]
    ) -> None:
        self.attempt, self.out = attempt, out
        self.table = rubric.symbol_table(part.id)
        spec = part.objective(variant or part.default_variant)
        self.objective: A.Node | None = None
        self.objective_text = spec.expression if spec else ""
        if spec is not None:
            try:
                self.objective = parse(spec.expression, self.table)
            except MathParseError:
                spec = None
        self.variables = list(spec.variables) if spec else []
        self.classifier = Classifier(self.table, list(spec.names) if spec else [], self.variables)
        self.defs: dict[str, A.Node] = {}
        self.restated: tuple[A.Node, Statement] | None = None
        self.recurrences: dict[str, A.Node] = {}
        self.seed = 0

    # ------------------------------------------------------------------ plumbing

    def run(self) -> None:
        last_eq: Statement | None = None
        for st in statements(self.attempt, self.classifier):
            self._definition(st)
            if st.sides[0].kind == "name":
                self._objective_restated(st)
            if any(s.kind in ("grad", "dop") for s in st.sides):
                self._stated_gradient(st)
            self._geometric(st)
            solved = self._solved_form(st)
            if solved is not None:
                if last_eq is not None:
                    self._solves(last_eq, st, *solved)
                last_eq = None
            else:
                parsed = [x for x in st.sides if x.kind in ("expr", "zero") and x.node is not None]
                last_eq = st if len(parsed) >= 2 else None
        for block, text, a, w, b in derivative_statements(self.attempt, self.table):
            self._prose_derivative(block, text, a, w, b)

    def usable(self, node: A.Node | None, allowed: AbstractSet[str] = frozenset()) -> bool:
        return (
            node is not None
            and not has_index(node)
            and not unknowns(node, self.table, set(self.defs) | allowed)
        )

    def _usable_sides(self, st: Statement) -> list[Side]:
        return [s for s in st.sides if s.kind in ("expr", "zero") and self.usable(s.node)]

    def envs(self, extra: AbstractSet[str] = frozenset()) -> list[dict[str, Any]]:
        self.seed += 1
        return instances(self.table, set(extra), self.seed)

    def expand(self, node: A.Node) -> A.Node:
        """``node`` with the attempt's definitions (``Let E = ...``) substituted."""
        return A.substitute(node, self.defs)

    def flag(self, block: int, text: str, explanation: str, **evidence: Any) -> None:
        self.out.append(StepFinding(block, text, "derivation_error", explanation, evidence))

    def _all_fail(
        self,
        compare: Callable[[dict[str, Any]], tuple[bool, dict[str, Any]]],
        extra: AbstractSet[str] = frozenset(),
    ) -> dict[str, Any] | None:
        """Evidence of the first instance when ``compare`` fails on every instance, else None."""
        first: dict[str, Any] | None = None
        envs = self.envs(extra)
        if len(envs) < INSTANCES - 1:
            return None
        for env in envs:
            budget.check()
            try:
                ok, ev = compare(env)
            except Unusable:
                return None
            if ok:
                return None
            first = first or ev
        return first

    # ------------------------------------------------------------------ definitions

    def _definition(self, st: Statement) -> None:
        """``Let E = X - W_2 W_1 X``: a new name for an expression in the problem's symbols."""
        lhs = st.sides[0]
        if len(st.sides) != 2 or not isinstance(lhs.node, A.Sym) or not _DEFINE_RE.search(st.prose[-80:]):
            return
        name, rhs = lhs.node.name, st.sides[1].node
        if name in self.table.symbols or name in self.variables or name in self.defs:
            return
        if rhs is not None and self.usable(rhs) and name not in A.free_symbols(rhs):
            self.defs[name] = A.substitute(rhs, self.defs)

    # ------------------------------------------------------------------ R1

    def _objective_restated(self, st: Statement) -> None:
        if self.objective is None:
            return
        objective = self.objective
        for side in st.sides[1:]:
            if side.kind != "expr" or not self.usable(side.node):
                continue
            assert side.node is not None
            node = self.expand(side.node)
            if dimension_error(node, self.table):
                continue
            self._differs_from_objective(node, objective, st)
            self.restated = (node, st)  # later gradients are checked against the objective as written
            return

    def _differs_from_objective(self, node: A.Node, objective: A.Node, st: Statement) -> bool:
        rng = np.random.default_rng(7)

        def compare(env: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
            a, b = value(node, env), value(objective, env)
            if close(a, b):
                return True, {}
            # An added constant does not change the minimiser: compare differences at other variables.
            moved = {**env, **{v: rng.standard_normal(np.shape(env[v])) for v in self.variables if v in env}}
            a2, b2 = value(node, moved), value(objective, moved)
            if close(np.asarray(a) - np.asarray(b), np.asarray(a2) - np.asarray(b2)):
                return True, {}
            return False, {"instance": rounded(env), "stated": summary(a), "objective_value": summary(b)}

        evidence = self._all_fail(compare)
        if evidence is None:
            return False
        self.flag(
            st.block,
            st.text,
            f"objective restated as {interpret(node)}, which differs from the problem's objective "
            f"{interpret(objective)} (by more than a constant)",
            rule="R1",
            objective=self.objective_text,
            **evidence,
        )
        return True

    # ------------------------------------------------------------------ R3

    def _stated_gradient(self, st: Statement) -> None:
        claims = [s for s in st.sides if s.kind == "expr" and s.node is not None]
        for d in (s for s in st.sides if s.kind in ("grad", "dop")):
            if d.kind == "grad":
                target = self.restated[0] if self.restated else self.objective
                of = "the objective" + (" as restated" if self.restated else "")
            else:
                target, of = d.node, interpret(d.node) if d.node is not None else ""
            if target is None or d.var is None or not self.usable(target):
                continue
            target = self.expand(target)
            for claim in claims:
                if self._check_derivative(st.block, st.text, target, d.var, claim.node, of, "R3"):
                    return

    def _check_derivative(
        self, block: int, text: str, target: A.Node, var: str, claim: A.Node | None, of: str, rule: str
    ) -> bool:
        """Flag ``claim`` when it is not d target / d var; True when a finding was added."""
        if claim is None or not self.usable(claim) or var in self.defs:
            return False
        claim = self.expand(claim)
        wrt = self._latex_name(var)
        problem = dimension_error(claim, self.table)
        if problem:
            self.flag(block, text, f"{interpret(claim)} is not the derivative of {of} with respect to {wrt}: "
                      f"{problem}", rule=rule, dimension_error=problem)  # fmt: skip
            return True

        def compare(env: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
            want = gradient(lambda e: value(target, e), env, var)
            got = value(claim, env)
            if close(got, want) or transposed_match(got, want):
                return True, {}
            return False, {"instance": rounded(env), "stated": summary(got), "numeric_gradient": summary(want),
                           "stated_shape": shape_text(got), "gradient_shape": shape_text(want)}  # fmt: skip

        evidence = self._all_fail(compare)
        if evidence is None:
            return False
        why = (
            f"shape {evidence['stated_shape']} but the gradient has shape {evidence['gradient_shape']}"
            if evidence["stated_shape"] != evidence["gradient_shape"]
            else "differs from the numeric gradient (central differences)"
        )
        self.flag(block, text, f"{interpret(claim)} is not the derivative of {of} with respect to {wrt}: {why}",
                  rule=rule, **evidence)  # fmt: skip
        return True

    def _latex_name(self, var: str) -> str:
        spec = self.table.get(var)
        return spec.aliases[0] if spec and spec.aliases else var

    # ------------------------------------------------------------------ R4

    def _prose_derivative(self, block: int, text: str, a: A.Node, w: str, b: A.Node) -> None:
        spec = self.table.get(w)
        if spec is None or spec.value is not None or not self.usable(a):
            return
        self._check_derivative(block, text, self.expand(a), w, b, interpret(a), "R4")

    # ------------------------------------------------------------------ R2

    def _solved_form(self, st: Statement) -> tuple[str, A.Node] | None:
        """``x = expr`` with ``x`` an unknown of the part and ``expr`` free of it, else None."""
        lhs = st.sides[0].node
        if not isinstance(lhs, A.Sym):
            return None
        name = _DECORATION_RE.sub("", lhs.name)
        if name in self.table.symbols and name not in self.variables:
            return None
        for side in st.sides[1:]:
            if side.kind == "expr" and side.node is not None and name not in A.free_symbols(side.node):
                return name, side.node
        return None

    def _solves(self, previous: Statement, st: Statement, x: str, expr: A.Node) -> None:
        if _ASSUME_RE.search(st.prose) or x in self.defs:
            return
        sides = self._usable_sides(previous) if x in self.table.symbols else [
            s for s in previous.sides if s.kind in ("expr", "zero") and self.usable(s.node, {x})
        ]  # fmt: skip
        if len(sides) < 2 or not self.usable(expr):
            return
        assert sides[-2].node is not None and sides[-1].node is not None
        lhs, rhs, expr = self.expand(sides[-2].node), self.expand(sides[-1].node), self.expand(expr)
        if x not in A.free_symbols(lhs) | A.free_symbols(rhs):
            return
        spec = self.table.get(x)

        def compare(env: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
            v = value(expr, env)
            if spec is not None and np.shape(v) != np.shape(env[x]):
                raise Unusable("the solution has another shape than the unknown")
            sub = {**env, x: v}
            a, b = value(lhs, sub), value(rhs, sub)
            return close(a, b), {
                "instance": rounded(env),
                x: summary(v),
                "lhs": summary(a),
                "rhs": summary(b),
            }

        evidence = self._all_fail(compare, set() if spec else {x})
        if evidence is not None:
            self.flag(st.block, st.text, f"{interpret(_eq(x, expr))} does not solve {previous.text}",
                      rule="R2", previous=previous.text, previous_block=previous.block, **evidence)  # fmt: skip

    # ------------------------------------------------------------------ R5

    def _geometric(self, st: Statement) -> None:
        head = st.sides[0].text.strip()
        if m := _NEXT_RE.match(head):
            current = _parse_or_none(f"{m.group(1)}_{m.group(2)}", self.table)
            for side in st.sides[1:]:
                ratio = ratio_of(side.node, current) if side.kind == "expr" and current is not None else None
                if ratio is not None and self.usable(ratio):
                    self.recurrences[m.group(1)] = self.expand(ratio)
                    return
            return
        m = _SUM_RE.match(head)
        if not m or m.group(2) not in self.recurrences:
            return
        q = self.recurrences[m.group(2)]
        first = _parse_or_none(f"{m.group(2)}_0", self.table)
        if not isinstance(first, A.Sym):
            return
        r0 = first.name
        expected = A.Div(first, A.Add((A.Num(Fraction(1)), A.Neg(q))))
        for side in st.sides[1:]:
            node = side.node
            if side.kind != "expr" or node is None or r0 not in A.free_symbols(node):
                continue
            if not self.usable(node, {r0}):
                continue
            node = self.expand(node)

            def compare(env: dict[str, Any], node: A.Node = node) -> tuple[bool, dict[str, Any]]:
                a, b = value(node, env), value(expected, env)
                return close(a, b), {"instance": rounded(env), "stated": summary(a), "expected": summary(b)}

            evidence = self._all_fail(compare, {r0})
            if evidence is not None:
                self.flag(st.block, st.text, f"with ratio q = {interpret(q)} the series sums to "
                          f"{interpret(expected)}, not {interpret(node)}", rule="R5", ratio=interpret(q),
                          **evidence)  # fmt: skip
                return


def _eq(x: str, expr: A.Node) -> A.Node:
    return A.Equation((A.Sym(x), expr), ("=",))


def _parse_or_none(text: str, table: Any) -> A.Node | None:
    try:
        return parse(text, table, budget_s=0.3)
    except MathParseError:
        return None
