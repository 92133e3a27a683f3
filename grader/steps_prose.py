"""Find derivative statements written in prose: "The derivative of $A$ with respect to $W$ is $B$".

Also "the gradient of $A$ w.r.t. $W$ is $B$", "d/dW of $A$ is $B$" and
"$\\frac{\\partial}{\\partial W}$ of $A$ is $B$". Used by rule R4 of :mod:`grader.steps`; this module
only finds and parses, it evaluates nothing.
"""

from __future__ import annotations

import re

from grader.align import Attempt
from grader.errors import BudgetExceeded, MathParseError
from grader.mathx import ast as A
from grader.mathx import parse
from grader.mathx.symbols import SymbolTable

_M = r"\$([^$]+)\$"
_IS = r"\s*(?:is|equals|=|gives|becomes)\s*:?\s*"
_WRT = r"\s+(?:with\s+respect\s+to|w\.\s*r\.\s*t\.?|wrt)\s+"
_PROSE_RES = (
    # The derivative of $A$ with respect to $W$ is $B$
    re.compile(r"(?:partial\s+)?(?:derivative|gradient)\s+of\s+" + _M + _WRT + _M + _IS + _M, re.I),
    # d/dW of $A$ is $B$ ; $\frac{\partial}{\partial W}$ of $A$ is $B$
    re.compile(r"\bd\s*/\s*d\s*\$?([^\s$]+?)\$?\s+of\s+" + _M + _IS + _M, re.I),
    re.compile(
        r"\$\\frac\s*\{\s*(?:\\partial|d)\s*\}\s*\{\s*(?:\\partial|d)\s*([^$]+?)\}\s*\$\s+of\s+"
        + _M
        + _IS
        + _M
    ),
)


def _parse(text: str, table: SymbolTable) -> A.Node | None:
    try:
        node = parse(text.strip().rstrip(".,;"), table, budget_s=0.4)
    except (MathParseError, BudgetExceeded, RecursionError, ValueError, TypeError, KeyError, IndexError):
        return None
    return None if isinstance(node, A.Equation | A.Inequality | A.Implies) else node


def derivative_statements(attempt: Attempt, table: SymbolTable) -> list[tuple[int, str, A.Node, str, A.Node]]:
    """``(block, sentence, A, W, B)`` for each prose derivative statement of an attempt's text blocks.

    ``W`` is the canonical name of a declared symbol; statements about undeclared symbols (the
    textbook rule "the derivative of tr(AWB) with respect to W is AᵀBᵀ") are left out.

    Example::

        derivative_statements(attempt, hw7)
        # [(17, 'derivative of $\\text{tr}(...)$ with respect to $W_1$ is $2W_1 ...$', Func(...), 'W1', Mul(...))]
    """
    out: list[tuple[int, str, A.Node, str, A.Node]] = []
    for bi, block in attempt.blocks:
        if block.kind != "text":
            continue
        for k, pattern in enumerate(_PROSE_RES):
            for m in pattern.finditer(block.text):
                a_text, w_text, b_text = (m.group(1), m.group(2), m.group(3)) if k == 0 else (
                    m.group(2), m.group(1), m.group(3))  # fmt: skip
                w = _parse(w_text, table)
                if not isinstance(w, A.Sym) or w.name not in table.symbols:
                    continue
                a, b = _parse(a_text, table), _parse(b_text, table)
                if a is not None and b is not None:
                    out.append((bi, m.group(0), a, w.name, b))
    return out
