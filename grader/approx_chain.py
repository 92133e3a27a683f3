"""Approximation chains: is a value between two ``≈`` a step towards the chain's last value?

``Var ≈ \\frac{s^2}{s^2+1} ≈ s^2(1 - s^2) ≈ s^2`` narrows, for a small ``s``, to its last value: each middle
value agrees with the last one to leading order in a limit of one of its symbols (their ratio tends to
1 as ``s → 0``). ``u ≈ -α g ≈ -\\frac{α}{2} g`` does not (the ratio is 2 whatever the symbols): there the
middle value is a second statement of the answer. Formulas are parsed by :mod:`grader.mathx` (never
``sympify``), under a time budget; anything that cannot be decided is not a step.
"""

from __future__ import annotations

import random

from grader.errors import BudgetExceeded, GraderError

_SMALL, _LARGE = 1e-7, 1e7
_TOLERANCE = 1e-3
_BUDGET_S = 1.0


def leading_order_agree(value: str, final: str) -> bool:
    """Whether ``value`` and ``final`` agree to leading order as one of their symbols tends to 0 or to
    infinity (the others held at a generic point): ``value / final → 1`` there.

    >>> leading_order_agree("s^2/(s^2+1)", "s^2"), leading_order_agree("-a g", "-a g/2")
    (True, False)
    """
    import sympy  # noqa: F401  (imported outside the budget: the first import alone can take longer)

    from grader import mathx
    from grader.mathx.budget import time_budget
    from grader.mathx.symbols import SymbolTable
    from grader.mathx.to_sympy import NotScalar, to_sympy

    table = SymbolTable()
    try:
        with time_budget(_BUDGET_S):
            a = to_sympy(mathx.parse(value, table), table)
            b = to_sympy(mathx.parse(final, table), table)
            ratio = a / b
            names = sorted(ratio.free_symbols, key=str)
            if not names:
                return abs(complex(ratio.evalf(15)) - 1) < _TOLERANCE
            rng = random.Random(0)
            point = {s: 0.5 + rng.random() for s in names}
            for s in names:
                for extreme in (_SMALL, _LARGE):
                    got = complex(ratio.subs({**point, s: extreme}).evalf(15))
                    if abs(got - 1) < _TOLERANCE:
                        return True
    except (GraderError, BudgetExceeded, NotScalar, ValueError, TypeError, ArithmeticError, RecursionError):
        return False
    return False
