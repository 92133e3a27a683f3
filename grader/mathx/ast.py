"""Typed AST of the math engine: small frozen dataclasses, one per construct.

Every node is immutable and hashable, so sub-trees can be compared and cached. ``children``
yields the sub-nodes for generic walks (:func:`walk`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Node:
    """Base class of all nodes."""

    def children(self) -> Iterator[Node]:
        """The direct sub-nodes, in order."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, Node):
                        yield item
                    elif isinstance(item, tuple):
                        yield from (x for x in item if isinstance(x, Node))


@dataclass(frozen=True, slots=True)
class Num(Node):
    """A number written in the input.

    ``value`` is exact (decimals are exact fractions: ``0.1`` is 1/10); ``places`` is the number of
    decimal places written (None for integers and exact forms such as repeating decimals); ``text``
    is the spelling.
    """

    value: Fraction
    text: str = ""
    places: int | None = None


@dataclass(frozen=True, slots=True)
class Sym(Node):
    """A symbol by canonical name (``alpha``, ``g``, ``W1``, ``U_k``)."""

    name: str


@dataclass(frozen=True, slots=True)
class Const(Node):
    """A named constant: ``pi``, ``e``, ``inf``, ``ones`` (the all-ones vector), ``I`` (identity)."""

    name: str


@dataclass(frozen=True, slots=True)
class Add(Node):
    """A sum of terms (subtraction is ``Neg`` inside)."""

    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Mul(Node):
    """An ordered product; matrix products do not commute. ``explicit`` marks ``\\cdot`` joins."""

    factors: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Div(Node):
    """A quotient ``num / den`` (``den`` must be scalar)."""

    num: Node
    den: Node


@dataclass(frozen=True, slots=True)
class Neg(Node):
    """Unary minus."""

    arg: Node


@dataclass(frozen=True, slots=True)
class Pow(Node):
    """``base ^ exp``."""

    base: Node
    exp: Node


@dataclass(frozen=True, slots=True)
class Transpose(Node):
    """``arg^T``."""

    arg: Node


@dataclass(frozen=True, slots=True)
class Func(Node):
    """A named function applied to arguments: sin cos tan log ln exp sqrt sign tr diag inner
    factorial binom root, or a declared function. ``base`` is the log base when written."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Norm(Node):
    """A vector/matrix norm; ``p`` is ``"1"``, ``"2"``, ``"inf"`` or ``"F"``."""

    arg: Node
    p: str = "2"


@dataclass(frozen=True, slots=True)
class Abs(Node):
    """``|arg|``: absolute value (element-wise on vectors) unless ``as_norm`` (see package notes)."""

    arg: Node
    as_norm: bool = False


@dataclass(frozen=True, slots=True)
class Index(Node):
    """A component ``g_i`` of a vector with an index variable."""

    base: Node
    index: str


@dataclass(frozen=True, slots=True)
class Reduce(Node):
    """``\\sum_i body`` or ``\\max_i body`` / ``\\min_i`` over the components indexed by ``index``."""

    op: str
    index: str
    body: Node


@dataclass(frozen=True, slots=True)
class Matrix(Node):
    """A literal matrix; a column vector has one entry per row. ``bracket`` is ``[`` for a list written
    in square brackets (``[a, b]``: also a closed interval), else empty; ``stacked`` when that list's
    entries are separated by semicolons only (``[y; 0]``: stacked, as in Matlab)."""

    rows: tuple[tuple[Node, ...], ...]
    bracket: str = ""
    stacked: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Tuple(Node):
    """An ordered tuple ``(a, b, c)``; numeric tuples also act as column vectors. ``bracket`` is ``(``
    when written in parentheses (``(a, b)``: also an open interval), empty for a bare list ``a, b``."""

    items: tuple[Node, ...]
    bracket: str = "("


@dataclass(frozen=True, slots=True)
class Set(Node):
    """An unordered set ``\\{a, b\\}``."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Interval(Node):
    """An interval with open/closed ends."""

    left: Node
    right: Node
    left_closed: bool
    right_closed: bool


@dataclass(frozen=True, slots=True)
class Union(Node):
    """A union of intervals or sets."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Equation(Node):
    """A chain ``A = B ≈ C``; ``ops[i]`` joins ``sides[i]`` and ``sides[i+1]`` (``=`` or ``≈``)."""

    sides: tuple[Node, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Inequality(Node):
    """A chain with at least one of ``< > ≤ ≥ ≠`` (``=``/``≈`` links allowed)."""

    sides: tuple[Node, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Implies(Node):
    """Statements joined by ``\\implies`` / ``\\Rightarrow``; the last one is the conclusion."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class PlusMinus(Node):
    """``\\pm arg`` (``minus_first`` for ``\\mp``): two values at once, expanded by :func:`expand_pm`."""

    arg: Node
    minus_first: bool = False


@dataclass(frozen=True, slots=True)
class SetOp(Node):
    """``A \\cap B`` (op ``∩``) or ``A \\setminus B`` (op ``∖``), left to right."""

    op: str
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class NamedSet(Node):
    """A number set: ``R`` (``\\mathbb{R}``), ``N``, ``Z``, ``Q``, ``C``, or ``empty`` (``\\emptyset``)."""

    name: str


@dataclass(frozen=True, slots=True)
class Member(Node):
    """``element \\in collection`` (``negated`` for ``\\notin``)."""

    element: Node
    collection: Node
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Or(Node):
    """Alternatives written with "or" (``x = 2 \\text{ or } x = -2``)."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Series(Node):
    """``\\sum_{index=lower}^{upper} body`` or ``\\prod`` (op ``sum``/``prod``); ``upper`` may be ``\\infty``."""

    op: str
    index: str
    lower: Node
    upper: Node
    body: Node


@dataclass(frozen=True, slots=True)
class Deriv(Node):
    """``\\frac{d^order}{d var^order} body`` (also ``\\partial``), evaluated at the instance's ``var``."""

    body: Node
    var: str
    order: int = 1


@dataclass(frozen=True, slots=True)
class Integral(Node):
    """``\\int_lower^upper body \\, d var``; ``lower``/``upper`` are None for an antiderivative."""

    body: Node
    var: str
    lower: Node | None = None
    upper: Node | None = None


@dataclass(frozen=True, slots=True)
class Limit(Node):
    """``\\lim_{var \\to point} body``; ``side`` is ``+``, ``-`` or ``""``."""

    body: Node
    var: str
    point: Node
    side: str = ""


@dataclass(frozen=True, slots=True)
class Components(Node):
    """A vector written by its components: ``u_i = -\\alpha g_i / 2`` is ``Components("i", ...)``."""

    index: str
    body: Node


@dataclass(frozen=True, slots=True)
class Quantity(Node):
    """A value with a unit written after it (``5 \\text{ cm}``, ``30^\\circ`` has unit ``deg``)."""

    value: Node
    unit: str


def walk(node: Node) -> Iterator[Node]:
    """All nodes of the tree, pre-order (iterative: safe on deep trees)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.children())))


def free_symbols(node: Node) -> set[str]:
    """Canonical names of the symbols used (index variables of sums excluded)."""
    bound: set[str] = set()
    names: set[str] = set()
    for n in walk(node):
        if isinstance(n, Sym):
            names.add(n.name)
        elif isinstance(n, Reduce | Series | Components):
            bound.add(n.index)
        elif isinstance(n, Limit) or (isinstance(n, Integral) and n.lower is not None):
            bound.add(n.var)
    return names - bound


def free_indices(node: Node) -> set[str]:
    """Component indices used outside any sum that binds them (``i`` in ``-\\alpha g_i / 2``)."""
    found: set[str] = set()
    stack: list[tuple[Node, frozenset[str]]] = [(node, frozenset())]
    while stack:
        current, bound = stack.pop()
        if isinstance(current, Index) and current.index not in bound:
            found.add(current.index)
        if isinstance(current, Reduce | Series | Components):
            bound = bound | {current.index}
        stack.extend((child, bound) for child in current.children())
    return found


def componentwise(node: Node) -> Node:
    """A value written by components (``-\\alpha g_i / 2``) as the vector it defines; else ``node``."""
    free = free_indices(node)
    if len(free) == 1:
        return Components(next(iter(free)), node)
    return node


def has_pm(node: Node) -> bool:
    """Whether ``node`` contains a ``\\pm``."""
    return any(isinstance(n, PlusMinus) for n in walk(node))


def expand_pm(node: Node) -> list[Node]:
    """The values of an expression with ``\\pm``: every ``\\pm`` takes ``+`` together, then ``-``
    together (``\\frac{-b \\pm \\sqrt{D}}{2a}`` gives the two roots); without one, ``[node]``.

    Example: ``expand_pm(parse(r"1 \\pm 2"))`` → ``[1 + 2, 1 - 2]`` (as trees).
    """
    if not has_pm(node):
        return [node]
    return [_pick_sign(node, plus=True), _pick_sign(node, plus=False)]


def _pick_sign(node: Node, plus: bool) -> Node:
    if isinstance(node, PlusMinus):
        arg = _pick_sign(node.arg, plus)
        positive = plus != node.minus_first
        return arg if positive else Neg(arg)
    changes: dict[str, object] = {}
    for f in fields(node):
        old = getattr(node, f.name)
        if isinstance(old, Node):
            new: object = _pick_sign(old, plus)
        elif isinstance(old, tuple):
            new = tuple(
                _pick_sign(x, plus)
                if isinstance(x, Node)
                else tuple(_pick_sign(y, plus) if isinstance(y, Node) else y for y in x)
                if isinstance(x, tuple)
                else x
                for x in old
            )
        else:
            continue
        if new != old:
            changes[f.name] = new
    return replace(node, **changes) if changes else node  # type: ignore[arg-type]


def final_value(node: Node) -> Node:
    """The value a claim states: the last side of an equation chain, the conclusion of ``\\implies``."""
    while True:
        if isinstance(node, Implies):
            node = node.items[-1]
        elif isinstance(node, Equation):
            node = node.sides[-1]
        elif isinstance(node, Quantity):
            return node
        else:
            return node


def substitute(node: Node, mapping: Mapping[str, Node]) -> Node:
    """``node`` with each symbol named in ``mapping`` replaced by its expression; unchanged sub-trees
    are kept as they are (the same objects).

    Example: ``substitute(parse("-\\eta g"), {"eta": parse("\\alpha/2")})`` is ``-(\\alpha/2) g``.
    """
    if not mapping:
        return node
    if isinstance(node, Sym):
        return mapping.get(node.name, node)
    changes: dict[str, object] = {}
    for f in fields(node):
        old = getattr(node, f.name)
        new = _substitute_value(old, mapping)
        if new is not old:
            changes[f.name] = new
    return replace(node, **changes) if changes else node  # type: ignore[arg-type]


def _substitute_value(old: object, mapping: Mapping[str, Node]) -> object:
    if isinstance(old, Node):
        new = substitute(old, mapping)
        return old if new == old else new
    if isinstance(old, tuple):
        items = tuple(_substitute_value(x, mapping) for x in old)
        return old if all(a is b for a, b in zip(items, old, strict=True)) else items
    return old


def as_interval(node: Node) -> Node:
    """A pair read as an interval where a union or an interval comparison needs one: ``(a, b)`` is
    open, ``[a, b]`` (a two-row column) is closed; anything else is returned as it is."""
    if isinstance(node, Tuple) and len(node.items) == 2 and node.bracket == "(":
        return Interval(node.items[0], node.items[1], False, False)
    if (
        isinstance(node, Matrix)
        and node.bracket == "["
        and len(node.rows) == 2
        and all(len(r) == 1 for r in node.rows)
    ):
        return Interval(node.rows[0][0], node.rows[1][0], True, True)
    return node
