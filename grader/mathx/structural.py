"""``scalar_equal``: the boolean face of :func:`grader.mathx.equivalence.compare_nodes` for callers
that compare two parsed answers without a reference formula's symbol table (sets, tuples,
intervals, unions, equations, inequalities, numbers)."""

from __future__ import annotations

from grader.mathx import ast as A
from grader.mathx.compare import with_scalars
from grader.mathx.equivalence import Context, compare_nodes
from grader.mathx.infer import infer_symbols
from grader.mathx.symbols import SymbolTable


def scalar_equal(a: A.Node, b: A.Node, symbols: SymbolTable | None = None) -> bool | None:
    """Whether two parsed answers are equal; None when it cannot be decided.

    Free symbols the table does not declare are real scalars; see :mod:`grader.mathx.equivalence`
    for the rules (sets unordered, tuples ordered, intervals by their ends, equations by their
    solutions).

    Example:
        >>> scalar_equal(parse(r"\\{1, 2\\}"), parse(r"\\{2, 1\\}"))
        True
    """
    table = symbols or SymbolTable()
    names = (A.free_symbols(a) | A.free_symbols(b)) - set(table.symbols)
    inference = infer_symbols([a, b], table, known=names)
    local = with_scalars(inference.table, names - set(inference.table.symbols), positive=False)
    typed = any(s.kind != "scalar" for s in table.symbols.values())
    return compare_nodes(inference.apply(a), inference.apply(b), Context(local, typed=typed)).equal
