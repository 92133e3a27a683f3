"""Shape inference: scalars, column vectors (d×1), rows (1×d) and matrices with symbolic sizes.

Sizes are dimension names from the SymbolTable (``"k"``), integers (literal vectors), or ``ANY``
for objects that adapt (``\\mathbf{1}``, ``I``). Products are checked factor by factor and the
error names the product and the factor shapes, e.g.
``W_1 X X^T W_2^T: (k×m)·(m×N)·(N×m)·(k×m) — inner sizes m and k differ``.
A product of two column vectors of the same size reads as a dot product (``g \\cdot u``).
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.errors import MathParseError
from grader.mathx import ast as A
from grader.mathx.blocks import BlockSizeError, Cell, solve
from grader.mathx.display import interpret
from grader.mathx.piecewise import GUARDS
from grader.mathx.resolve import DISTRIBUTIONS, FUNCTIONS
from grader.mathx.symbols import SymbolTable

Dim = int | str
ANY = "*"


class DimensionError(MathParseError):
    """An ill-shaped product, sum or equation; the message names the failing part and the shapes."""


@dataclass(frozen=True, slots=True)
class Shape:
    """``dims == ()`` for a scalar, else ``(rows, cols)``; a column vector is ``(d, 1)``."""

    dims: tuple[Dim, ...] = ()

    @property
    def is_scalar(self) -> bool:
        """True for scalars."""
        return not self.dims

    @property
    def is_vector(self) -> bool:
        """True for column vectors."""
        return len(self.dims) == 2 and self.dims[1] == 1 and self.dims[0] != 1

    def __str__(self) -> str:
        if not self.dims:
            return "scalar"
        r, c = self.dims
        if c == 1 and r != 1:
            return f"({r},)"
        return f"({r}×{c})"


SCALAR = Shape()


def same_dim(a: Dim, b: Dim) -> bool:
    """Whether two sizes can be equal: equal, either adaptive, or a name against an integer."""
    if a == b or a == ANY or b == ANY:
        return True
    return isinstance(a, int) != isinstance(b, int) and 1 not in (a, b)


def _pick(a: Dim, b: Dim) -> Dim:
    return b if a == ANY or (isinstance(a, int) and isinstance(b, str) and b != ANY) else a


def _unify(s1: Shape, s2: Shape) -> Shape | None:
    if s1.is_scalar or s2.is_scalar:
        return s1 if s1.dims == s2.dims else None
    if all(same_dim(a, b) for a, b in zip(s1.dims, s2.dims, strict=True)):
        return Shape(tuple(_pick(a, b) for a, b in zip(s1.dims, s2.dims, strict=True)))
    return None


def _sym_shape(name: str, symbols: SymbolTable) -> Shape:
    spec = symbols.get(name)
    if spec is None or spec.kind == "scalar":
        return SCALAR
    if spec.kind == "vector":
        return Shape((spec.shape[0] if spec.shape else "d", 1))
    rows, cols = (spec.shape + ("?", "?"))[:2]
    return Shape((rows, cols))


def _product(node: A.Mul, shapes: list[Shape]) -> Shape:
    acc = shapes[0]
    for k, s in enumerate(shapes[1:], start=1):
        if acc.is_scalar:
            acc = s
            continue
        if s.is_scalar:
            continue
        (a, b), (c, d) = acc.dims, s.dims
        if acc.is_vector and s.is_vector and same_dim(a, c):
            acc = SCALAR  # g · u read as the dot product
            continue
        if not same_dim(b, c):
            chain = "·".join(str(x) if not x.is_vector else f"({x.dims[0]}×1)" for x in shapes[: k + 1])
            raise DimensionError(f"{interpret(node)}: {chain} — inner sizes {b} and {c} differ")
        acc = SCALAR if (a == 1 and d == 1) else Shape((a, d))
    return acc


def shape_of(node: A.Node, symbols: SymbolTable) -> Shape:
    """Infer the shape of ``node``; raise DimensionError naming the failing product or sum.

    Example:
        >>> str(shape_of(parse("g^T u", t), t))
        'scalar'
    """
    match node:
        case A.Reduce(body=body, index=index) | A.Series(body=body, index=index):
            # terms that index a vector and carry another vector (\sum_j |g_j| sign(g)) sum to a vector
            s = shape_of(body, symbols)
            return s if _indexes(body, index) else SCALAR
        case A.Num() | A.Index():
            return SCALAR
        case A.Deriv(body=body, var=var):
            # matrix calculus (a derivative by a vector or matrix, or of one) is not evaluated here:
            # no evidence either way, so no shape to hold against the other side
            spec = symbols.symbols.get(var)
            if (spec is not None and spec.kind != "scalar") or not shape_of(body, symbols).is_scalar:
                raise MathParseError(
                    f"{interpret(node)}: a derivative by or of a vector or matrix is not evaluated; "
                    "a person checks it"
                )
            return SCALAR
        case A.Integral() | A.Limit():
            return SCALAR
        case A.Components(body=body):
            if not shape_of(body, symbols).is_scalar:
                # u_i = (vector): a sequence of vectors, or a component misread; not a contradiction
                raise MathParseError(f"{interpret(node)}: a component that is not a scalar is not compared")
            size = _indexed_dim(body, node.index, symbols)
            return Shape((size, 1))
        case A.PlusMinus(arg=arg):
            return shape_of(arg, symbols)
        case A.Const(name="ones"):
            return Shape((ANY, 1))
        case A.Const(name="I"):
            return Shape((ANY, ANY))
        case A.Const():
            return SCALAR
        case A.Sym(name=name):
            return _sym_shape(name, symbols)
        case A.Add(terms=terms):
            terms = tuple(t for t in terms if not _is_zero(t)) or terms[:1]
            acc = shape_of(terms[0], symbols)
            for t in terms[1:]:
                s = shape_of(t, symbols)
                u = _unify(acc, s)
                if u is None:
                    raise DimensionError(f"{interpret(node)}: cannot add {acc} and {s}")
                acc = u
            return acc
        case A.Neg(arg=arg) | A.Quantity(value=arg):
            return shape_of(arg, symbols)
        case A.Mul(factors=factors):
            return _product(node, [shape_of(f, symbols) for f in factors])
        case A.Div(num=num, den=den):
            s_den = shape_of(den, symbols)
            if not s_den.is_scalar:
                raise DimensionError(f"{interpret(node)}: division by a non-scalar {s_den}")
            return shape_of(num, symbols)
        case A.Pow(base=base, exp=exp):
            sb, se = shape_of(base, symbols), shape_of(exp, symbols)
            if not se.is_scalar:
                raise DimensionError(f"{interpret(node)}: exponent of shape {se}")
            if sb.is_scalar or (not sb.is_vector and same_dim(sb.dims[0], sb.dims[1])):
                return sb
            if sb.is_vector:
                # s^{\ell-1}, h^{(t)}: a layer or time index written as a superscript; g^2: an
                # element-wise square. Neither is a contradiction, and neither is compared.
                raise MathParseError(
                    f"{interpret(node)}: a superscript on a vector (an index, or element-wise) is not "
                    "compared; a person checks it"
                )
            raise DimensionError(f"{interpret(node)}: power of a non-square {sb}")
        case A.Transpose(arg=arg):
            s = shape_of(arg, symbols)
            return s if s.is_scalar else Shape((s.dims[1], s.dims[0]))
        case A.Norm(arg=arg):
            shape_of(arg, symbols)
            return SCALAR
        case A.Abs(arg=arg, as_norm=as_norm):
            s = shape_of(arg, symbols)
            return SCALAR if as_norm and s.is_vector else s
        case A.Func():
            return _func_shape(node, symbols)
        case A.Matrix(rows=rows, bracket=bracket, stacked=stacked):
            entries = [[shape_of(x, symbols) for x in row] for row in rows]
            if any(not s.is_scalar for row in entries for s in row):
                if bracket and not stacked:
                    # [u, v]: a pair, side by side or stacked, or prose in brackets read as math:
                    # unsupported, not wrong
                    raise MathParseError(
                        f"{interpret(node)}: a bracketed list of non-scalars is not compared; a person checks it"
                    )
                return _block_shape(node, entries)
            if len(rows) == 1 and len(rows[0]) == 1:
                return SCALAR
            return Shape((len(rows), len(rows[0])))
        case A.Tuple(items=items):
            if all(shape_of(x, symbols).is_scalar for x in items):
                return Shape((len(items), 1))
            # a pair of vectors is a legitimate answer, and prose in parentheses read as math looks like
            # one: neither is evidence against the claim
            raise MathParseError(
                f"{interpret(node)}: a tuple of non-scalars is not compared; a person checks it"
            )
        case A.Equation(sides=sides) | A.Inequality(sides=sides):
            sides = tuple(s for s in sides if not _is_zero(s)) or sides[:1]
            shapes = [shape_of(s, symbols) for s in sides]
            for k in range(1, len(sides)):
                if _unify(shapes[0], shapes[k]) is None:
                    raise DimensionError(
                        f"the two sides differ in shape: {interpret(sides[0])} is {shapes[0]}, "
                        f"{interpret(sides[k])} is {shapes[k]}"
                    )
            return shapes[0]
        case A.Implies(items=items):
            for x in items:
                shape_of(x, symbols)
            return shape_of(items[-1], symbols)
    raise DimensionError(f"{interpret(node)} is not an array value")


def _cell(entry: A.Node, s: Shape) -> Cell[Dim]:
    if _is_zero(entry):
        return Cell(None, None)  # a zero block
    if s.is_scalar:
        return Cell(1, 1)
    rows, cols = s.dims
    if rows == ANY and cols == ANY:
        return Cell(None, None, square=True)  # I, \\sqrt{\\lambda} I: an identity block
    return Cell(None if rows == ANY else rows, None if cols == ANY else cols)


def _total(sizes: list[Dim | None]) -> Dim:
    """The size of the whole block: the sum of integer sizes; a sum with a name (n + d) is not a
    dimension name of the table, so it adapts (numeric evaluation checks it on every instance)."""
    if len(sizes) == 1 and sizes[0] is not None:
        return sizes[0]
    if all(isinstance(x, int) for x in sizes):
        return sum(x for x in sizes if isinstance(x, int))
    return ANY


def _block_shape(node: A.Matrix, shapes: list[list[Shape]]) -> Shape:
    """The shape of a block matrix (:mod:`grader.mathx.blocks`). Blocks that do not fit (two heights in
    a row, two widths in a column) raise a MathParseError, not a DimensionError: a block matrix read
    from a PDF's text layer often lost an entry or a row break, so a misfit is no evidence that the
    model wrote something ill-shaped (never ``incorrect``; a person checks it)."""
    grid = [
        [_cell(x, s) for x, s in zip(row, srow, strict=True)]
        for row, srow in zip(node.rows, shapes, strict=True)
    ]
    try:
        sizes = solve(grid, same_dim)
    except BlockSizeError as exc:
        raise MathParseError(f"{interpret(node)}: {exc}; a person checks it") from None
    rows, cols = _total(sizes.heights), _total(sizes.widths)
    return SCALAR if (rows == 1 and cols == 1) else Shape((rows, cols))


def _indexes(body: A.Node, index: str) -> bool:
    return any(isinstance(n, A.Index) and n.index == index for n in A.walk(body))


def _indexed_dim(body: A.Node, index: str, symbols: SymbolTable) -> Dim:
    """The size of the vector a component index runs over (``g_i`` with ``g ∈ R^d``: ``d``)."""
    for n in A.walk(body):
        if isinstance(n, A.Index) and n.index == index:
            s = shape_of(n.base, symbols)
            if s.is_vector:
                return s.dims[0]
    return ANY


def _is_zero(node: A.Node) -> bool:
    """A literal 0 adapts to any shape (``\\nabla L = 0``, ``2u + \\alpha g = 0``)."""
    if isinstance(node, A.Neg):
        node = node.arg
    return isinstance(node, A.Num) and node.value == 0


_INTERNAL = frozenset(
    {"inner", "factorial", "binom", "root", "sqrt", "conj", "norm", "pinv", "step", "piecewise", *GUARDS}
)
"""Functions the parser itself builds (binomials, n-th roots, conjugates, inner products)."""


def _func_shape(node: A.Func, symbols: SymbolTable) -> Shape:
    shapes = [shape_of(a, symbols) for a in node.args]
    name = node.name
    if name in symbols.functions and name not in FUNCTIONS:
        return SCALAR  # a declared function (f(θ): the loss) is scalar-valued, whatever its argument
    if name in DISTRIBUTIONS and name not in symbols.symbols:
        if all(s.is_scalar for s in shapes):
            return SCALAR  # the law of a scalar, N(0, σ²): compared by its parameters
        raise MathParseError(
            f"{interpret(node)}: a distribution of vectors is not compared; a person checks it"
        )
    if name == "piecewise" or name in GUARDS:
        if any(not s.is_scalar for s in shapes):  # not compared, which is no evidence against it
            raise MathParseError(f"{interpret(node)}: a piecewise definition of non-scalars is not compared")
        return SCALAR
    if name not in FUNCTIONS and name not in _INTERNAL:
        raise MathParseError(f"{interpret(node)}: {name} is a function nobody declared; a person checks it")
    if name in ("tr", "det"):
        s = shapes[0]
        if s.is_scalar or (not s.is_vector and same_dim(s.dims[0], s.dims[1])):
            return SCALAR
        raise DimensionError(f"{interpret(node)}: {name} of a non-square {s}")
    if name == "pinv":
        s = shapes[0]  # the pseudo-inverse of an m x n matrix is n x m
        if s.is_scalar:
            # x^{+} of a number is as often its positive part max(x, 0): not guessed
            raise MathParseError(
                f"{interpret(node)}: a superscript + or dagger on a scalar (positive part, pseudo-inverse "
                "or adjoint) is not compared; a person checks it"
            )
        return Shape((s.dims[1], s.dims[0]))
    if name == "diag":
        s = shapes[0]
        if s.is_vector:
            return Shape((s.dims[0], s.dims[0]))
        return SCALAR if s.is_scalar else Shape((s.dims[0], 1))
    if name == "inner":
        if _unify(shapes[0], shapes[1]) is None:
            raise DimensionError(f"{interpret(node)}: inner product of {shapes[0]} and {shapes[1]}")
        return SCALAR
    if (
        name in ("sign", "abs", "exp", "sqrt", "sin", "cos", "tan", "log", "ln", "tanh", "relu", "step")
        and len(shapes) == 1
    ):
        return shapes[0]  # element-wise
    if name in ("max", "min") and len(shapes) > 1:
        acc = shapes[0]  # \max(Wx + b, 0): element-wise, scalars broadcast
        for s in shapes[1:]:
            u = acc if s.is_scalar else s if acc.is_scalar else _unify(acc, s)
            if u is None:
                raise DimensionError(f"{interpret(node)}: {name} of {acc} and {s}")
            acc = u
        return acc
    if name in ("max", "min") and len(shapes) == 1:
        return SCALAR  # \max(g): over the entries
    for s in shapes:
        if not s.is_scalar:
            raise DimensionError(f"{interpret(node)}: {name} of a non-scalar {s}")
    return SCALAR
