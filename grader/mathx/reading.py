"""Reading a claim as the value it states: prose, labels, definitions, components and bounds.

:func:`read_claim` turns what a model wrote for one answer into the node to compare:

* a bare formula is parsed as it is; prose (words, several formulas, ``$..$``) goes through
  :mod:`grader.mathx.prose`, which picks the formula that answers (a box, else the last formula
  whose form fits the reference, preferring one that names a declared symbol);
* definitions written after "where"/"with"/"let" in the formula, or as separate ``name = ...``
  formulas of the text, are substituted (``-\\eta g \\text{ where } \\eta = \\alpha/2``);
* ``label = ... = value`` gives the value; ``A \\implies B`` gives B;
* a value written by components (``u_i = -\\alpha g_i / 2``, ``\\frac{\\partial J}{\\partial u_i} = ...``)
  is the vector it defines;
* an inequality about a named quantity (``0 < \\eta < \\frac{2}{\\lambda_{\\max}}``) states its bound: the
  one side that is not a plain number (the answer to "the largest stable step").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from grader.errors import GraderError, MathParseError
from grader.mathx import ast as A
from grader.mathx import prose
from grader.mathx.claims import is_label, parse_claim, stated_side, substitute_node
from grader.mathx.symbols import SymbolTable


@dataclass
class Reading:
    """A claim as read: the statement, the value compared, and how it was found."""

    node: A.Node
    value: A.Node
    text: str
    how: str = "whole"
    definitions: dict[str, A.Node] = field(default_factory=dict)
    others: list[A.Node] = field(default_factory=list)
    """The other statements of the text that have the reference's form (not chosen)."""


def statement(node: A.Node) -> A.Node:
    """What a claim states: the conclusion of ``\\implies``; ``label = value`` for a chain
    ``label = ... = value``; a vector for its components (``u_i = -\\alpha g_i / 2`` is
    ``u = (-\\alpha g_i / 2)_i``)."""
    if isinstance(node, A.Implies):
        node = node.items[-1]
    if isinstance(node, A.Equation) and is_label(node.sides[0]):
        label, value = node.sides[0], stated_side(node)
        op = "=" if "=" in node.ops else node.ops[-1]
        if isinstance(label, A.Index):
            return A.Equation((label.base, A.Components(label.index, value)), (op,))
        return A.Equation((label, A.componentwise(value)), (op,))
    if isinstance(node, A.Equation | A.Inequality | A.Or | A.Tuple | A.Set):
        return node
    return A.componentwise(node)


def bound(node: A.Inequality) -> A.Node | None:
    """The bound an inequality states about a named quantity: ``0 < \\eta < 2/L`` gives ``2/L``.

    The quantity is a side that is a label (a symbol); the bound is the one other side that is not
    a plain number (or the only other side). None when that is ambiguous.
    """
    subjects = [k for k, s in enumerate(node.sides) if isinstance(s, A.Sym | A.Index)]
    if len(subjects) != 1:
        return None
    others = [s for k, s in enumerate(node.sides) if k != subjects[0]]
    if len(others) == 1:
        return others[0]
    symbolic = [s for s in others if A.free_symbols(s)]
    return symbolic[0] if len(symbolic) == 1 else None


def value_of(node: A.Node) -> A.Node:
    """The value a statement gives: the last side of an equation (``u = ...``, and also
    ``\\alpha_{s+1}/\\alpha_s = 1 - \\eta\\lambda``), an inequality's bound, else the node."""
    if isinstance(node, A.Equation):
        return stated_side(node)
    if isinstance(node, A.Inequality):
        b = bound(node)
        if b is not None:
            return b
    return node


def form_of(node: A.Node) -> str:
    """The coarse form of an answer: ``value``, ``set`` (intervals, inequalities, ``x \\in S``),
    ``equation`` or ``list``; ``label = value`` has the value's form.

    Example:
        >>> form_of(parse(r"u = -\\frac{\\alpha}{2} g")), form_of(parse("0 < x < 1"))
        ('value', 'set')
    """
    if isinstance(node, A.Implies):
        return form_of(node.items[-1])
    if isinstance(node, A.Equation) and _names_value(node.sides[0]):
        return form_of(node.sides[-1])
    if isinstance(node, A.Inequality | A.Interval | A.Union | A.SetOp | A.Set | A.Member | A.NamedSet):
        return "set"
    if isinstance(node, A.Pow) and isinstance(node.base, A.NamedSet):
        return "set"  # \mathbb{R}^{d \times k}: a space
    if isinstance(node, A.Equation):
        return "equation"
    if isinstance(node, A.Tuple | A.Or):
        return "list"
    return "value"


def answer_form(node: A.Node) -> str:
    """:func:`form_of`, with a bracketed list (``(0.99, 0.099)``, ``[a, b]``) read as a value: a vector
    written as a tuple is a value like a column vector.

    Example:
        >>> answer_form(parse("K = (1, 0.5)")), form_of(parse("K = (1, 0.5)"))
        ('value', 'list')
    """
    form = form_of(node)
    value = value_of(node)
    if form == "list" and isinstance(value, A.Tuple) and value.bracket:
        return "value"
    return form


def entry_count(node: A.Node) -> int | None:
    """How many entries a value has: 1 for a scalar literal or symbol, n for a tuple or an n-entry
    matrix (also times a scalar: ``\\frac{1}{3}\\begin{pmatrix}...\\end{pmatrix}``); None when unknown."""
    node = value_of(node)
    if isinstance(node, A.Neg):
        node = node.arg
    if isinstance(node, A.Tuple):
        return len(node.items)
    if isinstance(node, A.Matrix):
        return sum(len(r) for r in node.rows)
    if isinstance(node, A.Mul | A.Div):
        parts = node.factors if isinstance(node, A.Mul) else (node.num, node.den)
        counts = [c for c in (entry_count(p) for p in parts) if c is not None and c > 1]
        return counts[0] if len(counts) == 1 else None
    if isinstance(node, A.Num | A.Const):
        return 1
    return None


def _names_value(lhs: A.Node) -> bool:
    """A left side that names the value: ``y``, ``\\mathrm{Var}(w)``, or ``f(x)`` (read as ``f·x``)."""
    if isinstance(lhs, A.Sym | A.Func) or is_label(lhs):
        return True
    return (
        isinstance(lhs, A.Mul)
        and len(lhs.factors) == 2
        and isinstance(lhs.factors[0], A.Sym)
        and isinstance(lhs.factors[1], A.Sym | A.Tuple)
    )


def _own_label(node: A.Node) -> str | None:
    if isinstance(node, A.Equation) and isinstance(node.sides[0], A.Sym):
        return node.sides[0].name
    return None


def _defs_except(defs: dict[str, A.Node], node: A.Node) -> dict[str, A.Node]:
    """The definitions of the other formulas: a formula does not define its own label."""
    own = _own_label(node)
    return {k: v for k, v in defs.items() if k != own}


def read_claim(
    text: str,
    symbols: SymbolTable,
    fits: Callable[[A.Node], bool] | None = None,
    *,
    wants_set: bool = False,
    fits_statement: bool = False,
) -> Reading:
    """Read one claim (module notes). ``fits`` says whether a candidate value has the reference's
    form (with ``fits_statement``, whether the candidate's whole statement has the reference's form:
    an inequality is then judged as an inequality, not by its bound). Raises MathParseError (with
    the first parse error) when nothing can be read.

    Example:
        >>> read_claim(r"so $u = -\\frac{\\alpha}{2} g$, a step of $\\alpha/2$.", hw2).value
        Neg(...)
    """
    first_error = MathParseError("no formula found in the answer")
    if not prose.looks_like_prose(text, symbols):
        try:
            claim = parse_claim(text, symbols, keep_equations=True)
            node = statement(claim.node)
            return Reading(node, value_of(node), text, "whole", claim.definitions)
        except MathParseError as exc:
            first_error = exc
    found = prose.formulas(text)
    parsed = prose.parse_all(found, symbols)
    defs = prose.definitions(parsed, symbols)
    rewrites = prose.rewrites(parsed, symbols)

    def defined(node: A.Node) -> A.Node:
        """``node`` with the definitions of the other formulas substituted."""
        for written, meant in rewrites:
            if not (isinstance(node, A.Equation) and node.sides[0] == written):
                node = substitute_node(node, written, meant)
        return A.substitute(node, _defs_except(defs, node))

    def candidate_fits(node: A.Node) -> bool:
        st = statement(defined(node))
        return fits is None or fits(st if fits_statement else value_of(st))

    declared = set(symbols.symbols)
    chosen = prose.pick(parsed, candidate_fits, wants_set=wants_set, declared=declared)
    if chosen is None or chosen.node is None:
        if not parsed:
            try:  # no formula stands out: the text as one formula, as a last resort
                claim = parse_claim(text, symbols, keep_equations=True)
                node = statement(claim.node)
                return Reading(node, value_of(node), text, "whole", claim.definitions)
            except MathParseError:
                pass
        raise first_error
    try:
        claim = parse_claim(chosen.formula.text, symbols, keep_equations=True)
    except GraderError:
        raise first_error from None
    node = statement(A.substitute(defined(claim.node), claim.definitions))
    if wants_set:
        node = _conjoined(node, chosen, parsed, text, defined)
    others = [
        statement(defined(p.node))
        for p in parsed
        if p is not chosen and p.node is not None and not p.formula.defining and candidate_fits(p.node)
    ]
    return Reading(
        node, value_of(node), chosen.formula.text, f"{chosen.formula.source} formula in prose", defs, others
    )


def _subject(node: A.Node) -> str | None:
    """The one named quantity an inequality is about (``\\eta`` in ``0 < \\eta < 2/L``)."""
    if not isinstance(node, A.Inequality):
        return None
    names = [s.name for s in node.sides if isinstance(s, A.Sym)]
    return names[0] if len(names) == 1 else None


def _conjoined(
    node: A.Node,
    chosen: prose.Parsed,
    parsed: list[prose.Parsed],
    text: str,
    defined: Callable[[A.Node], A.Node],
) -> A.Node:
    """Conditions on one quantity stated in separate formulas joined by "and" ("$\\eta < 2/L$ (and
    $\\eta > 0$)") are one condition: their intersection."""
    subject = _subject(node)
    if subject is None:
        return node
    parts = [(chosen.formula.start, node)]
    for p in parsed:
        if p is chosen or p.node is None or p.formula.defining:
            continue
        other = statement(defined(p.node))
        if _subject(other) != subject:
            continue
        lo, hi = sorted((p.formula, chosen.formula), key=lambda f: f.start)
        between = text[lo.start + len(lo.text) : hi.start]
        if re.search(r"\band\b", between) and not re.search(r"[.;!?](?:\s|$)", between):
            parts.append((p.formula.start, other))
    if len(parts) == 1:
        return node
    items = tuple(n for _, n in sorted(parts, key=lambda x: x[0]))
    return A.SetOp("∩", items)
