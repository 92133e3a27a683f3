"""The typed math engine: parse the math LLMs write, infer shapes, evaluate, compare.

Pipeline: ``lexer`` (tokens; Unicode, spacing, fonts) -> ``resolve`` (words, aliases, subscripts)
-> ``parser`` (typed AST in ``ast``) -> ``shapes`` (dimension check) -> ``numeric`` (random
instances) / ``to_sympy`` (exact scalar comparison) -> ``compare``/``structural``/``checks``.

Design notes
------------
* **Bars on vectors.** ``|x|`` is the absolute value (element-wise on a vector). A vector inside
  single bars that is squared (``|\\mathbf{a}|^2``) or stands alone as a denominator
  (``\\frac{a}{|a|}``) is read as the 2-norm, as models write it. ``\\|x\\|`` is the 2-norm.
* **List literals.** ``[a, b, c]``, ``[a; b; c]``, ``(a, b, c)^T`` and a one-column ``bmatrix`` are
  column vectors; a trailing ``^T`` on a bracket list is taken as notation, not as a transpose.
  ``g \\cdot u`` of two same-size column vectors is their dot product.
* **Decimal precision.** A decimal literal written with k places matches a reference r when
  |x − r| ≤ 1 unit in the last written place, so truncation passes as well as rounding: 0.99,
  0.9901 and 0.0099-style entries match a/‖a‖² = 10000/10101 (= 0.990001), 0.333 matches 1/3.
  (The same rule accepts 0.91 for 100/111 = 0.9009.) Decimals inside larger expressions
  (``\\frac{1}{1.0101}``) are exact rationals. Scientific notation and percentages carry their
  unit (``2.8\\times10^{9}``: 10^8; ``94\\%`` is 0.94).
* **Modes.** ``value``: equal. ``positive_scale``: answer = c·reference with c > 0 on each
  instance. ``nonzero_scale``: for ``A = B``, A − B = c·R with c ≠ 0. Undeclared symbols are
  positive scalars in the scale modes, and make a ``value`` claim ``incorrect`` ("uses undeclared
  symbol C") unless defined alongside (``where \\eta = \\alpha/2``, substituted).
* **Equivalence.** Constants compare exactly (Fractions). Otherwise ≥ 6 random instances (integer
  symbols first at their smallest values), relative tolerance 1e-6, degenerate draws resampled;
  scalar formulas that agree are then confirmed with sympy (``expand``/``cancel``/``simplify``)
  under a sub-budget, built from the AST (never from strings). Evidence says ``method``.
* **Budgets.** Every public entry point runs under ``budget.time_budget``: on the main thread an
  ``ITIMER_REAL`` signal raises ``BudgetExceeded`` (a BaseException); off the main thread,
  cooperative deadline checks plus a daemon worker thread for sympy. Hard caps: 20,000 input
  characters, nesting depth 120, 20,000 nodes, exact powers over 20,000 bits and factorials over
  500 refused before computing. Over budget -> verdict ``timeout``; over a size cap ->
  ``unparseable``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.errors import BudgetExceeded, MathParseError
from grader.mathx import budget
from grader.mathx.ast import (
    Abs,
    Add,
    Const,
    Div,
    Equation,
    Func,
    Implies,
    Index,
    Inequality,
    Interval,
    Matrix,
    Mul,
    Neg,
    Node,
    Norm,
    Num,
    Pow,
    Quantity,
    Reduce,
    Set,
    Sym,
    Transpose,
    Tuple,
    Union,
    free_symbols,
)
from grader.mathx.checks import check_against, check_equation, equiv
from grader.mathx.claims import Claim, parse_claim, split_label
from grader.mathx.display import interpret
from grader.mathx.numeric import EvalError, sample_env
from grader.mathx.numeric import evaluate as _evaluate
from grader.mathx.parser import parse as _parse
from grader.mathx.shapes import DimensionError, Shape
from grader.mathx.shapes import shape_of as _shape_of
from grader.mathx.structural import scalar_equal
from grader.mathx.symbols import SymbolSpec, SymbolTable

__all__ = [
    "Abs", "Add", "BudgetExceeded", "Claim", "Const", "DimensionError", "Div", "Equation", "EvalError",
    "Func", "Implies", "Index", "Inequality", "Interval", "MathParseError", "Matrix", "Mul", "Neg", "Node",
    "Norm", "Num", "Pow", "Quantity", "Reduce", "Set", "Shape", "Sym", "SymbolSpec", "SymbolTable",
    "Transpose", "Tuple", "Union", "check_against", "check_equation", "equiv", "evaluate", "free_symbols",
    "interpret", "parse", "parse_claim", "sample_env", "scalar_equal", "shape_of", "split_label",
]  # fmt: skip

DEFAULT_BUDGET_S = 2.0


def parse(text: str, symbols: SymbolTable | None = None, *, budget_s: float = DEFAULT_BUDGET_S) -> Node:
    """Parse LaTeX or plain-text math into a typed AST.

    Raises MathParseError (what and where, e.g. "unexpected '}' at 14") or BudgetExceeded.

    Example:
        >>> interpret(parse(r"-\\tfrac12 \\alpha g"))
        '-\\\\frac{1}{2} \\\\alpha g'
    """
    with budget.time_budget(budget_s):
        return _parse(text, symbols)


def shape_of(node: Node, symbols: SymbolTable) -> Shape:
    """The shape of ``node``; raises DimensionError naming the failing product or sum.

    Example:
        >>> str(shape_of(parse("W_1 X", hw7), hw7))
        '(k×N)'
    """
    return _shape_of(node, symbols)


def evaluate(node: Node, env: Any, *, budget_s: float = DEFAULT_BUDGET_S) -> np.ndarray | float:
    """Evaluate ``node`` on one instance (vectors 1-D, matrices 2-D, scalars float).

    Example:
        >>> evaluate(parse("g^T g"), {"g": np.array([3.0, 4.0])})
        25.0
    """
    with budget.time_budget(budget_s):
        return _evaluate(node, env)
