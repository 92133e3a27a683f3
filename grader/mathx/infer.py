"""Symbols nobody declared: their kind and shape inferred from how they are written and used.

:func:`infer_symbols` looks at the free symbols of a claim (and its reference) that the table does
not declare, and adds what conventions make plain:

* **Identities.** ``I_k``, ``I_{k}``, ``I_3``, ``\\mathbf{I}_n``: the identity matrix of the size the
  subscript names (a dimension of the table or a number); a size nobody declared leaves the
  adaptive ``I``. An identity is fully determined, so statements about it can be refuted.
* **Declared bases.** ``U_k`` when the table declares ``U`` (or ``U`` when it declares exactly one
  ``U_<sub>``) is that symbol.
* **Diagonal matrices.** ``\\Lambda``/``\\Sigma`` with a dimension subscript (``\\Lambda_k``) are
  diagonal ``k×k`` matrices. Their entries are not given, so they are marked ``inferred``: a
  statement that fails for a random diagonal matrix is not thereby wrong (``X X^\\top U_k = U_k
  \\Lambda_k`` holds for the right Λ_k only), see :mod:`grader.mathx.checks`.
* **Integers.** A symbol in a bound of ``\\sum``/``\\prod`` is a positive integer.

Anything else stays unknown; the caller reports it (``unparseable``, never ``incorrect``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from grader.mathx import ast as A
from grader.mathx.symbols import SymbolSpec, SymbolTable

_IDENTITY = re.compile(r"^I_?\{?([A-Za-z]\w*|\d+)\}?$")
_DIAGONAL_BASES = ("Lambda", "Sigma")
INTEGER_RANGE = (1, 12)
"""Range of an integer inferred from a sum bound (small: sums are evaluated term by term)."""


@dataclass
class Inference:
    """What :func:`infer_symbols` found.

    Attributes:
        table: the table with the inferred symbols added.
        substitutions: names replaced by another node (``I_n`` of an undeclared size by ``I``,
            ``U`` by the declared ``U_k``).
        inferred: name -> how it was inferred (for evidence).
        free: inferred symbols whose value is not determined (a random draw cannot refute them).
        unknown: undeclared names nothing could be inferred for.
    """

    table: SymbolTable
    substitutions: dict[str, A.Node] = field(default_factory=dict)
    inferred: dict[str, str] = field(default_factory=dict)
    free: set[str] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)

    def apply(self, node: A.Node) -> A.Node:
        """``node`` with the substitutions made."""
        return A.substitute(node, self.substitutions)


def _identity(name: str, table: SymbolTable) -> tuple[SymbolSpec | None, A.Node | None, str]:
    m = _IDENTITY.match(name)
    if not m:
        return None, None, ""
    size = m.group(1)
    if size.isdigit():
        n = int(size)
        if 1 <= n <= 64:
            return SymbolSpec(name, "matrix", (n, n), identity=True), None, f"identity {n}×{n}"
        return None, None, ""
    if size in table.dims or any(size in s.shape for s in table.symbols.values()):
        return SymbolSpec(name, "matrix", (size, size), identity=True), None, f"identity {size}×{size}"
    return None, A.Const("I"), "identity (size from context)"


_DECORATIONS = {"hat", "bar", "tilde", "dot", "star", "prime"}


def _declared_base(name: str, table: SymbolTable) -> str | None:
    """``U_k`` for a declared ``U`` (a one-letter or dimension subscript); ``\\hat m`` is not ``m``."""
    base, sep, sub = name.partition("_")
    if sep and base in table.symbols:
        dims = set(table.dims) | {d for s in table.symbols.values() for d in s.shape if isinstance(d, str)}
        if sub in _DECORATIONS or not (len(sub) == 1 or sub in dims):
            return None
        return base
    if not sep:
        family = [
            n
            for n in table.symbols
            if n.partition("_")[0] == name and n.partition("_")[2] not in _DECORATIONS
        ]
        if len(family) == 1:
            return family[0]
    return None


def _diagonal(name: str, table: SymbolTable) -> SymbolSpec | None:
    base, sep, sub = name.partition("_")
    if base not in _DIAGONAL_BASES or not sep:
        return None
    if sub in table.dims or any(sub in s.shape for s in table.symbols.values()):
        return SymbolSpec(name, "matrix", (sub, sub), diagonal=True, inferred=True)
    return None


def _series_bound_names(nodes: Iterable[A.Node]) -> set[str]:
    names: set[str] = set()
    for node in nodes:
        for n in A.walk(node):
            if isinstance(n, A.Series):
                names |= A.free_symbols(n.lower) | A.free_symbols(n.upper)
    return names


def infer_symbols(nodes: Iterable[A.Node], table: SymbolTable, *, known: Iterable[str] = ()) -> Inference:
    """Infer kinds and shapes of the undeclared free symbols of ``nodes`` (module notes).

    ``known`` are names the caller declares itself (the reference's own symbols, read as scalars).

    Example:
        >>> inf = infer_symbols([parse(r"U_k^\\top U_k = I_k", hw7)], hw7)
        >>> inf.table.get("I_k").identity
        True
    """
    nodes = list(nodes)
    known_set = set(known)
    specs: dict[str, SymbolSpec] = {}
    out = Inference(table)
    integers = _series_bound_names(nodes)
    dims = set(table.dims) | {d for s in table.symbols.values() for d in s.shape if isinstance(d, str)}
    # a dimension name (the d of \sum_{j=1}^{d} g_j) is a size, not a symbol: the evaluator reads it
    names = sorted(set().union(*(A.free_symbols(n) for n in nodes)) - set(table.symbols) - dims)
    for name in names:
        if name in integers:
            lo, hi = INTEGER_RANGE
            specs[name] = SymbolSpec(name, integer=True, positive=True, min=lo, max=hi)
            out.inferred[name] = "integer (bound of a sum)"
            continue
        if name in known_set:
            continue
        spec, node, why = _identity(name, table)
        if spec is not None:
            specs[name] = spec
            out.inferred[name] = why
            continue
        if node is not None:
            out.substitutions[name] = node
            out.inferred[name] = why
            continue
        base = _declared_base(name, table)
        if base is not None:
            out.substitutions[name] = A.Sym(base)
            out.inferred[name] = f"the declared {base}"
            continue
        diag = _diagonal(name, table)
        if diag is not None:
            specs[name] = diag
            out.inferred[name] = f"diagonal {diag.shape[0]}×{diag.shape[1]} (entries not given)"
            out.free.add(name)
            continue
        out.unknown.append(name)
    if specs:
        out.table = table.merged(SymbolTable(symbols=specs))
    return out
