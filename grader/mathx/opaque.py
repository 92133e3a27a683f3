"""Functions nobody declared, applied to arguments: the same application on both sides is one value.

A reference may itself use a function it does not define: ``\\beta \\log \\frac{\\pi^*(y \\mid x)}{
\\pi_{\\mathrm{ref}}(y \\mid x)}``, ``\\mathbb{E}_{x \\sim p_\\mu}[f(x)(x - \\mu)/\\sigma^2]``. Nothing is known
about such a function, but an answer that applies it to the same arguments uses the same value, so
:func:`name_applications` replaces every application by a fresh symbol (an *opaque value*): the
reference's applications first, then each of the answer's is matched with one of the reference's
with the same name and equal arguments (compared by the engine, so ``f(x)(x-\\mu)/\\sigma^2`` and
``\\frac{f(x)(x-\\mu)}{\\sigma^2}`` are the same argument).

The opaque values are drawn at random like any symbol (positive scalars, so ``\\log \\pi(y \\mid x)``
is defined; an expectation of a vector is a vector of its argument's shape). Equal on every draw
means equal for every such function: the answer is right. Different on a draw is *not* evidence
against it: the function may have properties nobody stated (an expectation is linear; a density
integrates to 1), so the caller reports such a difference as undecided, never ``incorrect``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from grader.errors import GraderError
from grader.mathx import ast as A
from grader.mathx.piecewise import GUARDS
from grader.mathx.resolve import DISTRIBUTIONS, FUNCTIONS
from grader.mathx.shapes import DimensionError, shape_of
from grader.mathx.symbols import SymbolSpec, SymbolTable

_BUILT_BY_PARSER = frozenset(
    {"inner", "factorial", "binom", "root", "sqrt", "conj", "norm", "pinv", "step", "piecewise", *GUARDS}
)
MAX_APPLICATIONS = 16
"""More applications than this on one side are not matched (the matching is quadratic)."""


@dataclass
class Named:
    """The outcome of :func:`name_applications`.

    Attributes:
        ref, ans: the two sides with every undeclared application replaced by its opaque value.
        table: the table with the opaque values declared.
        names: opaque value -> the application it stands for (for evidence).
        unmatched: an application of the answer with no equal in the reference (None when all match).
        guessed: some function of a vector or matrix was given a shape by guess (``guess``).
    """

    ref: A.Node
    ans: A.Node
    table: SymbolTable
    names: dict[str, str] = field(default_factory=dict)
    unmatched: str | None = None
    guessed: bool = False


def is_undeclared_application(node: A.Node, table: SymbolTable) -> bool:
    """An application of a function the engine cannot evaluate: neither its own nor one the parser
    builds (a function declared by name only, such as the loss ``f``, counts: it has no definition)."""
    return (
        isinstance(node, A.Func)
        and node.name not in FUNCTIONS
        and node.name not in _BUILT_BY_PARSER
        and node.name not in DISTRIBUTIONS
    )


def applications(node: A.Node, table: SymbolTable) -> list[A.Func]:
    """The outermost undeclared applications of ``node``, in order (not those inside their arguments)."""
    found: list[A.Func] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if is_undeclared_application(n, table):
            assert isinstance(n, A.Func)
            found.append(n)
            continue
        stack.extend(reversed(list(n.children())))
    return found


def name_applications(
    ref: A.Node,
    ans: A.Node,
    table: SymbolTable,
    same: Callable[[A.Node, A.Node, SymbolTable], bool],
    *,
    scopes: tuple[A.Node, A.Node] | None = None,
    guess: str = "scalar",
) -> Named | None:
    """Replace the undeclared applications of both sides by opaque values (module notes).

    ``same(a, b, table)`` decides whether two arguments are equal; ``scopes`` are the parts of the two
    sides whose applications count (a label such as ``\\mathrm{sim}(q, k) = ...`` names the value
    and is no application to match). An expectation of a vector is a vector; any other function
    of a vector or matrix has a value of unknown shape, read as ``guess`` (``scalar``, or ``vector``:
    of its argument's size), and the result says it guessed: the caller tries both. None when
    neither side applies an undeclared function, or one has no shape at all.
    """
    ref_scope, ans_scope = scopes or (ref, ans)
    ref_apps, ans_apps = applications(ref_scope, table), applications(ans_scope, table)
    if not ref_apps and not ans_apps:
        return None
    if len(ref_apps) > MAX_APPLICATIONS or len(ans_apps) > MAX_APPLICATIONS:
        return None
    specs: dict[str, SymbolSpec] = {}
    names: dict[str, str] = {}
    values: list[tuple[A.Func, str]] = []
    guessed = False
    for app in ref_apps:
        if any(app == known for known, _ in values):
            continue
        spec, by_guess = _opaque_spec(f"opaque{len(values) + 1}", app, table, guess)
        guessed = guessed or by_guess
        if spec is None:
            return None
        specs[spec.name] = spec
        values.append((app, spec.name))
        from grader.mathx.display import interpret

        names[spec.name] = interpret(app)
    new_table = table.merged(SymbolTable(symbols=specs)) if specs else table
    mapping: list[tuple[A.Func, str]] = list(values)
    for app in ans_apps:
        match = next((name for known, name in values if _same_application(known, app, table, same)), None)
        if match is None:
            from grader.mathx.display import interpret

            return Named(ref, ans, table, names, unmatched=interpret(app))
        mapping.append((app, match))
    return Named(_replace(ref, mapping), _replace(ans, mapping), new_table, names, guessed=guessed)


def _same_application(
    known: A.Func, app: A.Func, table: SymbolTable, same: Callable[[A.Node, A.Node, SymbolTable], bool]
) -> bool:
    if known == app:
        return True
    if known.name != app.name or len(known.args) != len(app.args):
        return False
    return all(a == b or same(a, b, table) for a, b in zip(known.args, app.args, strict=True))


def _opaque_spec(name: str, app: A.Func, table: SymbolTable, guess: str) -> tuple[SymbolSpec | None, bool]:
    """The opaque value's type (module notes) and whether it was guessed."""
    try:
        shapes = [shape_of(a, _with_inner(a, table)) for a in app.args]
    except (DimensionError, GraderError):  # an argument of unknown shape: no opaque value
        return None, False
    if all(s.is_scalar for s in shapes) or app.name in table.functions:  # declared: scalar-valued
        return SymbolSpec(name, positive=True, inferred=True), False
    expectation = app.name == "E" or app.name.startswith("E_")
    if expectation:
        if len(shapes) == 1 and shapes[0].is_vector:
            return SymbolSpec(name, "vector", (shapes[0].dims[0],), inferred=True), False
        return None, False
    if guess == "vector":
        size = next((s.dims[0] for s in shapes if s.is_vector), None)
        if size is None:
            return None, True
        return SymbolSpec(name, "vector", (size,), inferred=True), True
    return SymbolSpec(name, positive=True, inferred=True), True


def _with_inner(arg: A.Node, table: SymbolTable) -> SymbolTable:
    """The table plus scalars for the undeclared names and applications inside an argument."""
    from grader.mathx.compare import with_scalars

    names = A.free_symbols(arg) - set(table.symbols)
    inner = {a.name for a in applications(arg, table)} - set(table.functions)
    return with_scalars(table.merged(SymbolTable(functions=tuple(inner))), names, positive=True)


def _replace(node: A.Node, mapping: list[tuple[A.Func, str]]) -> A.Node:
    from grader.mathx.claims import substitute_node

    for app, name in mapping:
        node = substitute_node(node, app, A.Sym(name))
    return node
