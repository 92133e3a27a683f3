"""Numbers as written: exact constants and the written-precision rule for decimals.

Precision rule: a decimal written with k places (``0.9901``: unit 1e-4; ``2.8\\times10^{9}``: unit
10^8; ``94\\%``: unit 0.01) matches a reference r when r rounds to it at that place, i.e.
|x − r| ≤ half a unit (0.99 for 10000/10101 = 0.990001; 0.333 for 1/3; 0.91 for 100/111 = 0.9009
is rejected, as DESIGN.md asks). A long decimal — three or more significant digits written — may also
be one whole unit off, so that a truncated or slightly mis-rounded long decimal passes: 0.9901 and
0.009901 for 0.990001 and 0.00990001 (benchmark claim c024). A 1e-9 relative slack absorbs float noise.
Everything else (integers, fractions, repeating decimals, decimals inside larger expressions such as
``\\frac{1}{1.0101}``) is exact.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from grader.mathx import ast as A
from grader.mathx import budget


def written_unit(node: A.Node) -> float | None:
    """The value of one unit in the last written place when ``node`` is a plain decimal literal.

    Example:
        >>> written_unit(parse("0.9901"))
        0.0001
    """
    if isinstance(node, A.Neg):
        return written_unit(node.arg)
    if isinstance(node, A.Quantity):
        return written_unit(node.value)
    if isinstance(node, A.Num):
        return None if node.places is None else 10.0 ** (-node.places)
    if isinstance(node, A.Mul) and len(node.factors) == 2:
        mant, power = node.factors
        if isinstance(mant, A.Num) and mant.places is not None and isinstance(power, A.Pow):
            if isinstance(power.base, A.Num) and power.base.value == 10:
                exp = power.exp.arg if isinstance(power.exp, A.Neg) else power.exp
                if isinstance(exp, A.Num) and exp.value.denominator == 1 and abs(exp.value) < 400:
                    k = int(exp.value) * (-1 if isinstance(power.exp, A.Neg) else 1)
                    return 10.0 ** (k - mant.places)
    return None


def significant_digits(x: float, unit: float) -> int:
    """How many significant digits a decimal ``x`` written down to ``unit`` shows.

    Example:
        >>> significant_digits(0.9901, 1e-4), significant_digits(0.91, 0.01)
        (4, 2)
    """
    if x == 0 or unit <= 0:
        return 0
    return int(math.floor(math.log10(abs(x)) + 1e-12)) - int(round(math.log10(unit))) + 1


def matches_written(x: float, ref: float, unit: float) -> bool:
    """The precision rule (module notes): ``ref`` rounds to ``x`` at the written place, or, for a
    decimal with three or more significant digits, is within one unit of it.

    Example:
        >>> matches_written(0.0099, 0.009901, 0.0001), matches_written(0.9, 0.92, 0.1)
        (True, True)
        >>> matches_written(0.91, 100 / 111, 0.01), matches_written(0.9901, 10000 / 10101, 0.0001)
        (False, True)
    """
    diff = abs(x - ref)
    slack = unit * 1e-9 + 1e-12 * max(abs(x), abs(ref))
    if diff <= unit / 2 + slack:
        return True
    return significant_digits(x, unit) >= 3 and diff <= unit + slack


def exact_value(node: A.Node) -> Fraction | None:
    """The exact rational value of a constant expression of + − × ÷ and small integer powers, or None.

    Example:
        >>> exact_value(parse(r"\\frac{1}{1.0101}"))
        Fraction(10000, 10101)
    """
    match node:
        case A.Num(value=value):
            return value
        case A.Neg(arg=arg):
            v = exact_value(arg)
            return None if v is None else -v
        case A.Add(terms=terms):
            total = Fraction(0)
            for t in terms:
                v = exact_value(t)
                if v is None:
                    return None
                total += v
            return total
        case A.Mul(factors=factors):
            prod = Fraction(1)
            for f in factors:
                v = exact_value(f)
                if v is None:
                    return None
                prod *= v
            return prod
        case A.Div(num=num, den=den):
            n, d = exact_value(num), exact_value(den)
            return None if n is None or d is None or d == 0 else n / d
        case A.Pow(base=base, exp=exp):
            b, e = exact_value(base), exact_value(exp)
            if b is None or e is None or e.denominator != 1 or (b == 0 and e < 0):
                return None
            if abs(e) > budget.MAX_EXPONENT_BITS and abs(b) != 1:
                return None
            bits = abs(int(e)) * max(math.log2(max(abs(b.numerator), 1)), math.log2(max(b.denominator, 1)), 1)
            if bits > budget.MAX_EXPONENT_BITS:
                return None
            return b ** int(e)
        case A.Quantity(value=value):
            return exact_value(value)
    return None


def exact_entries(node: A.Node) -> list[Any] | None:
    """Exact entries of a constant scalar or (scaled) vector literal, else None.

    Example:
        >>> exact_entries(parse(r"\\frac{1}{2}[1, 2]"))
        [Fraction(1, 2), Fraction(1, 1)]
    """
    scalar = exact_value(node)
    if scalar is not None:
        return [scalar]
    if isinstance(node, A.Neg):
        inner = exact_entries(node.arg)
        return None if inner is None else [-x for x in inner]
    if isinstance(node, A.Matrix | A.Tuple):
        items = [x for r in node.rows for x in r] if isinstance(node, A.Matrix) else list(node.items)
        values = [exact_value(x) for x in items]
        return None if any(v is None for v in values) else values
    if isinstance(node, A.Div):
        inner, den = exact_entries(node.num), exact_value(node.den)
        return None if inner is None or not den else [x / den for x in inner]
    if isinstance(node, A.Mul):
        scale: Fraction = Fraction(1)
        vec: list[Any] | None = None
        for f in node.factors:
            v = exact_value(f)
            if v is not None:
                scale *= v
            elif vec is None:
                vec = exact_entries(f)
                if vec is None:
                    return None
            else:
                return None
        return None if vec is None else [scale * x for x in vec]
    return None
