"""Scalar AST -> sympy expression, built node by node (never from strings). sympy is imported lazily.

Symbols carry their declared assumptions (positive, integer); undeclared ones are real. Vectors,
matrices, norms, sign of vectors, sums over components are not converted (:class:`NotScalar`):
those are compared on random instances instead. Huge exact powers and factorials are refused
before sympy computes them (BudgetExceeded).
"""

from __future__ import annotations

import math
from typing import Any

from grader.errors import BudgetExceeded
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.display import interpret
from grader.mathx.symbols import SymbolTable


class NotScalar(Exception):
    """The expression has no scalar sympy form (vectors, matrices, norms...)."""


def _symbol(sp: Any, name: str, symbols: SymbolTable) -> Any:
    spec = symbols.get(name)
    if spec is not None and spec.kind != "scalar":
        raise NotScalar(name)
    kwargs: dict[str, bool] = {"real": True}
    if spec is not None and spec.positive:
        kwargs["positive"] = True
    if spec is not None and spec.integer:
        kwargs["integer"] = True
    return sp.Symbol(name, **kwargs)


def _guard_pow(sp: Any, base: Any, exp: Any, node: A.Node) -> None:
    if base.is_number and exp.is_number:
        try:
            b = abs(complex(base.evalf(15)))
            e = abs(complex(exp.evalf(15)))
        except (TypeError, ValueError, OverflowError):
            raise BudgetExceeded(f"number too large: {interpret(node)[:60]}") from None
        if b > 1 and (math.isinf(e) or e * math.log2(b) > budget.MAX_EXPONENT_BITS):
            raise BudgetExceeded(f"number too large: {interpret(node)[:60]}")


def to_sympy(node: A.Node, symbols: SymbolTable) -> Any:
    """The sympy expression of a scalar AST; raises NotScalar for non-scalar constructs.

    Example:
        >>> to_sympy(parse("n(n-1)"), SymbolTable())
        n*(n - 1)
    """
    import sympy as sp

    def conv(n: A.Node) -> Any:
        budget.check()
        match n:
            case A.Num(value=v):
                return sp.Rational(v.numerator, v.denominator)
            case A.Sym(name=name):
                return _symbol(sp, name, symbols)
            case A.Const(name=name):
                consts = {"pi": sp.pi, "e": sp.E, "inf": sp.oo, "i": sp.I}
                if name not in consts:
                    raise NotScalar(name)
                return consts[name]
            case A.Add(terms=terms):
                return sp.Add(*[conv(t) for t in terms])
            case A.Neg(arg=arg):
                return -conv(arg)
            case A.Mul(factors=factors):
                return sp.Mul(*[conv(f) for f in factors])
            case A.Div(num=num, den=den):
                return conv(num) / conv(den)
            case A.Pow(base=base, exp=exp):
                b, e = conv(base), conv(exp)
                _guard_pow(sp, b, e, n)
                return sp.Pow(b, e)
            case A.Abs(arg=arg):
                return sp.Abs(conv(arg))
            case A.Quantity(value=value):
                return conv(value)
            case A.Func(name=name, args=args):
                return _func(sp, name, [conv(a) for a in args], n)
        raise NotScalar(type(n).__name__)

    return conv(node)


_SIMPLE = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc", "exp": "exp",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "sqrt": "sqrt", "sign": "sign", "abs": "Abs", "arccot": "acot", "arcsec": "asec", "arccsc": "acsc",
    "arsinh": "asinh", "arcosh": "acosh", "artanh": "atanh", "conj": "conjugate", "Re": "re", "Im": "im",
    "arg": "arg", "ln": "log",
}  # fmt: skip


def _func(sp: Any, name: str, args: list[Any], node: A.Node) -> Any:
    if name in _SIMPLE and len(args) == 1:
        return getattr(sp, _SIMPLE[name])(args[0])
    if name in ("log", "ln"):
        return sp.log(args[0], args[1]) if len(args) == 2 else sp.log(args[0])
    if name == "lg":
        return sp.log(args[0], 10)
    if name == "root":
        return sp.root(args[0], args[1])
    if name == "factorial":
        if args[0].is_number and abs(complex(args[0])) > budget.MAX_FACTORIAL:
            raise BudgetExceeded(f"factorial too large: {interpret(node)[:60]}")
        return sp.factorial(args[0])
    if name == "binom":
        if args[0].is_number and abs(complex(args[0])) > 10 * budget.MAX_FACTORIAL:
            raise BudgetExceeded(f"binomial too large: {interpret(node)[:60]}")
        return sp.binomial(args[0], args[1])
    if name in ("max", "min"):
        return (sp.Max if name == "max" else sp.Min)(*args)
    if name == "relu":
        return sp.Max(0, args[0])
    if name == "step":
        return sp.Heaviside(args[0], sp.Rational(1, 2))
    if name in ("tr", "det") and len(args) == 1:
        return args[0]
    raise NotScalar(name)
