"""The typed math engine: parse the math LLMs write, infer shapes, evaluate, compare.

Pipeline: ``lexer`` (tokens; Unicode, spacing, fonts) -> ``resolve`` (words, aliases, subscripts)
-> ``parser`` (+ ``parser_groups``, ``parser_calculus``: typed AST in ``ast``) -> ``reading`` (the
value a claim states: prose, labels, components, bounds, definitions; ``prose`` finds and picks
formulas) -> ``infer`` (undeclared symbols) -> ``opaque`` (applications of undeclared functions as
opaque values) -> ``shapes`` (dimension check) -> ``equivalence`` (one dispatcher over every form;
``equivalence_forms`` for units, degrees, spaces, laws and chains; ``relations`` for equations,
inequalities and alternatives, ``realsets`` for subsets of ℝ) -> values by ``numbers`` (exact),
``precise`` (mpmath, two precisions) or ``numeric``/``compare`` (float instances, vectors and
matrices) -> ``claim_equiv`` (a claim against a reference formula) and ``checks`` (the public checks).
Free-form text (no declared symbols): ``extract`` -> ``freeform_pick`` (which part answers; ``units``
for quantities) -> ``freeform`` / ``freeform_items`` / ``freeform_leaves``.

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
  positive scalars in the scale modes. In ``value`` mode a symbol nobody declared, inferred or
  defined alongside (``where \\eta = \\alpha/2``, substituted) makes the claim ``unparseable``
  ("uses undeclared symbol C"), never ``incorrect``: it is no evidence against the answer.
* **Forms.** Equations compare as equations (``x = y`` ≡ ``y = x``, ``2x = 4`` ≡ ``x = 2``: sides
  proportional, else the same solutions), sets as sets (``\\{1, 2\\}`` unordered, intervals by
  their ends, ``\\cup``/``\\cap``/``\\setminus``, inequalities in one unknown), tuples in order,
  ``\\pm`` and "or" as alternatives. ``(0, 1)`` against ``[0, 1]`` are intervals (open vs closed)
  unless vectors are declared. ``i`` is the imaginary unit unless declared or bound by a sum.
* **Equivalence.** Constants compare exactly (Fractions). Scalar formulas are evaluated on ≥ 6
  random instances (integer symbols first at their smallest values) in mpmath at 30 and 60 digits:
  equal to 1e-45, or a difference that shrinks with precision (cancellation), is equal; a difference
  that stays is a separating instance, however small. Floats cannot be fooled by saturation
  (``(x-a)^{5999}`` vs ``(x-a)^{6000}``). Vectors and matrices use float instances with relative
  tolerance 1e-6, redrawing instances whose values leave 1e±100. Evidence says ``method``.
* **Budgets.** Every public entry point runs under ``budget.time_budget``: on the main thread an
  ``ITIMER_REAL`` signal raises ``BudgetExceeded`` (a BaseException); off the main thread,
  cooperative deadline checks plus a daemon worker thread for sympy. Hard caps: 20,000 input
  characters, nesting depth 120, 20,000 nodes, exact powers over 20,000 bits and factorials over
  500 refused before computing. Over budget -> verdict ``timeout``; over a size cap ->
  ``unparseable``. No exception escapes a check: anything unexpected is ``unparseable`` with the
  error named.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.errors import BudgetExceeded, MathParseError
from grader.mathx import budget
from grader.mathx.ast import (
    Abs,
    Add,
    Components,
    Const,
    Deriv,
    Div,
    Equation,
    Func,
    Implies,
    Index,
    Inequality,
    Integral,
    Interval,
    Limit,
    Matrix,
    Member,
    Mul,
    NamedSet,
    Neg,
    Node,
    Norm,
    Num,
    Or,
    PlusMinus,
    Pow,
    Quantity,
    Reduce,
    Series,
    Set,
    SetOp,
    Sym,
    Transpose,
    Tuple,
    Union,
    free_symbols,
)
from grader.mathx.checks import check_against, equiv
from grader.mathx.claims import Claim, parse_claim, split_label
from grader.mathx.display import interpret
from grader.mathx.equation_check import check_equation
from grader.mathx.numeric import EvalError, sample_env
from grader.mathx.numeric import evaluate as _evaluate
from grader.mathx.parser import parse as _parse
from grader.mathx.reading import Reading, read_claim
from grader.mathx.shapes import DimensionError, Shape
from grader.mathx.shapes import shape_of as _shape_of
from grader.mathx.structural import scalar_equal
from grader.mathx.symbols import SymbolSpec, SymbolTable

__all__ = [
    "Abs", "Add", "BudgetExceeded", "Claim", "Components", "Const", "Deriv", "DimensionError", "Div",
    "Equation", "EvalError", "Func", "Implies", "Index", "Inequality", "Integral", "Interval", "Limit",
    "MathParseError", "Matrix", "Member", "Mul", "NamedSet", "Neg", "Node", "Norm", "Num", "Or", "PlusMinus",
    "Pow", "Quantity", "Reading", "Reduce", "Series", "Set", "SetOp", "Shape", "Sym", "SymbolSpec",
    "SymbolTable", "Transpose", "Tuple", "Union", "check_against", "check_equation", "equiv", "evaluate",
    "free_symbols", "interpret", "parse", "parse_claim", "read_claim", "sample_env", "scalar_equal",
    "shape_of", "split_label",
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
