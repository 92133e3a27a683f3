"""``check_equation``: is an equation, a chain or an inequality a model wrote true?

Dimensions are checked first (a product whose inner sizes differ is a ``dimension_error``); then each
link of the chain is compared on random instances of the rubric's symbols (or at a given instance).
Symbols nobody declared are inferred (:mod:`grader.mathx.infer`): an identity ``I_k`` is exact, so a
false statement about it is refuted; a diagonal ``\\Lambda_k`` whose entries are not given is not, so
a link that fails only for a random one is ``unparseable`` with the reason, never ``incorrect``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from grader.errors import MathParseError
from grader.mathx import ast as A
from grader.mathx.checks import ResultBuilder, bounded
from grader.mathx.claims import parse_claim
from grader.mathx.compare import answer_units, numeric_compare, rounded_env
from grader.mathx.display import interpret
from grader.mathx.infer import infer_symbols
from grader.mathx.numeric import EvalError, evaluate, sample_env
from grader.mathx.shapes import DimensionError, shape_of
from grader.mathx.symbols import SymbolTable
from grader.verdicts import CheckResult


def _fixed_dims(table: SymbolTable, env: Mapping[str, Any]) -> dict[str, int]:
    dims: dict[str, int] = {}
    for name, value in env.items():
        spec = table.get(name)
        if spec is None or not isinstance(value, np.ndarray):
            continue
        for dim, size in zip(spec.shape, value.shape, strict=False):
            if isinstance(dim, str):
                dims[dim] = int(size)
    return dims


def check_equation(
    text: str,
    symbols: SymbolTable,
    *,
    env: Mapping[str, Any] | None = None,
    budget_s: float = 2.0,
) -> CheckResult:
    """Is the equation or chain ``A = B = C`` (or ``≈``, ``≤``) true? Dimensions are checked first.

    With ``env`` the chain is checked at that instance (missing symbols are drawn with consistent
    sizes), else on random instances; a false link reports the separating instance.

    Example:
        >>> check_equation(r"W_2 W_1 X X^\\top = X X^\\top W_1^\\top", hw7).evidence["dimension_error"]
        'the two sides differ in shape: ...'
    """
    res = ResultBuilder(None)
    out: list[CheckResult] = []
    with bounded(res, budget_s, out):
        out.append(_check_equation(text, symbols, env, res))
    return out[-1]


def _check_equation(
    text: str, table: SymbolTable, env: Mapping[str, Any] | None, res: ResultBuilder
) -> CheckResult:
    try:
        claim = parse_claim(text, table)
    except MathParseError as exc:
        return res.make("unparseable", str(exc))
    res.interpreted = interpret(claim.node)
    statements = list(claim.node.items) if isinstance(claim.node, A.Implies) else [claim.node]
    statements = [s for s in statements if isinstance(s, A.Equation | A.Inequality)]
    if not statements:
        return res.make("unparseable", "not an equation")
    inference = infer_symbols(statements, table)
    statements = [inference.apply(s) for s in statements]
    local = inference.table
    evidence: dict[str, Any] = {"inferred": inference.inferred} if inference.inferred else {}
    if inference.unknown:
        return res.make(
            "unparseable",
            f"uses undeclared symbol {', '.join(inference.unknown)}: nothing says what it is",
            undeclared=inference.unknown,
            **evidence,
        )
    for st in statements:
        try:
            shape_of(st, local)
        except DimensionError as exc:
            return res.make("incorrect", f"dimension error: {exc}", dimension_error=str(exc), **evidence)
    fixed = None
    if env is not None:
        fixed = sample_env(local, np.random.default_rng(0), fixed_dims=_fixed_dims(local, env))
        fixed.update(env)
    checked = 0
    for st in statements:
        assert isinstance(st, A.Equation | A.Inequality)
        for k, op in enumerate(st.ops):
            lhs, rhs = st.sides[k], st.sides[k + 1]
            verdict = _check_link(lhs, rhs, op, local, fixed)
            if verdict is None:
                checked += 1
                continue
            link = f"{interpret(lhs)} {op} {interpret(rhs)}"
            free = sorted((A.free_symbols(lhs) | A.free_symbols(rhs)) & inference.free)
            if free:
                # Λ_k is inferred (diagonal k×k) but its entries are not given: a random one proves nothing
                return res.make(
                    "unparseable",
                    f"{link} depends on {', '.join(free)}, whose values are not given "
                    f"({'; '.join(inference.inferred[n] for n in free)}): cannot refute it with a random one",
                    link=link,
                    **evidence,
                )
            return res.make("incorrect", verdict[0], link=link, **evidence, **verdict[1])
    where = "at the given instance" if env is not None else "on random instances"
    return res.make("correct", f"all {checked} link(s) hold {where}", **evidence)


def _check_link(
    lhs: A.Node, rhs: A.Node, op: str, table: SymbolTable, fixed: Mapping[str, Any] | None
) -> tuple[str, dict[str, Any]] | None:
    def rhs_fn(e: Mapping[str, Any]) -> Any:
        return evaluate(rhs, e)

    if op in ("=", "≈"):
        units = answer_units(rhs) if op == "≈" else None
        outcome = (
            numeric_compare(rhs, lambda e: evaluate(lhs, e), table, units=units, fixed_env=fixed)
            if units
            else numeric_compare(lhs, rhs_fn, table, fixed_env=fixed)
        )
        if outcome.equal:
            return None
        reason = outcome.reason or f"{interpret(lhs)} {op} {interpret(rhs)} is false"
        if outcome.evidence.get("degenerate"):
            return None
        return reason, outcome.evidence
    rng = np.random.default_rng(0)
    for _ in range(8 if fixed is None else 1):
        e = fixed if fixed is not None else sample_env(table, rng)
        try:
            a, b = evaluate(lhs, e), evaluate(rhs, e)
        except EvalError as exc:
            return exc.message, {}
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return "an inequality between non-scalars", {}
        tol = 1e-9 * max(1.0, abs(a), abs(b))
        ok = {
            "<": a < b + tol,
            "≤": a <= b + tol,
            ">": a > b - tol,
            "≥": a >= b - tol,
            "≠": abs(a - b) > tol,
        }[op]
        if not ok:
            return f"{interpret(lhs)} {op} {interpret(rhs)} is false", {
                "instance": rounded_env(e),
                "lhs_value": a,
                "rhs_value": b,
            }
    return None
