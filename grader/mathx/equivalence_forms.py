"""Forms with rules of their own, for :func:`~grader.mathx.equivalence.compare_nodes`: angles in
degrees, spaces ``\\mathbb{R}^{d \\times k}``, laws of named families (``\\mathcal{N}(0, \\sigma^2)``),
quantities with units, and chains of equal expressions against a value. Each returns a Decision, or
None when the pair is not of its form."""

from __future__ import annotations

from fractions import Fraction

from grader.mathx import ast as A
from grader.mathx.equivalence import Context, Decision, compare_nodes, ordered, unwrap


def degrees(ref: A.Node, ans: A.Node, ctx: Context) -> Decision | None:
    """``30^\\circ`` against a value without the unit: the same number, or the same angle in radians."""
    r_deg = isinstance(ref, A.Quantity) and ref.unit == "deg"
    a_deg = isinstance(ans, A.Quantity) and ans.unit == "deg"
    if r_deg == a_deg:
        return None
    plain = compare_nodes(unwrap(ref), unwrap(ans), ctx)
    if plain.equal:
        return plain
    to_rad = A.Div(A.Mul((A.Const("pi"),)), A.Num(Fraction(180)))
    r2 = A.Mul((unwrap(ref), to_rad)) if r_deg else ref
    a2 = A.Mul((unwrap(ans), to_rad)) if a_deg else ans
    radians = compare_nodes(r2, a2, ctx)
    return radians if radians.equal else plain


def spaces(ref: A.Node, ans: A.Node) -> Decision | None:
    """Two spaces ``\\mathbb{R}^{d \\times k}``: the same when written with the same sizes in the same
    order; another order of the same sizes (a transposed shape) or other numbers is another space;
    other names may be the same sizes named differently (undecided)."""
    if not (
        isinstance(ref, A.Pow)
        and isinstance(ans, A.Pow)
        and isinstance(ref.base, A.NamedSet)
        and isinstance(ans.base, A.NamedSet)
    ):
        return None
    if ref.base != ans.base:
        return Decision(False, "another number set")
    r_dims = ref.exp.factors if isinstance(ref.exp, A.Mul) else (ref.exp,)
    a_dims = ans.exp.factors if isinstance(ans.exp, A.Mul) else (ans.exp,)
    if r_dims == a_dims:
        return Decision(True, "the same space")
    constant = all(isinstance(x, A.Num) for x in (*r_dims, *a_dims))
    if constant or (len(r_dims) == len(a_dims) and sorted(map(repr, r_dims)) == sorted(map(repr, a_dims))):
        return Decision(False, "another shape (the sizes differ or are in another order)")
    return Decision(None, "spaces of sizes named differently")


def distributions(ref: A.Node, ans: A.Node, ctx: Context) -> Decision | None:
    """Two laws of named families (``\\mathcal{N}(0, \\sigma^2)``): equal exactly when of one family with
    equal parameters (the families are identified by their parameters)."""
    from grader.mathx.resolve import DISTRIBUTIONS

    known = set(DISTRIBUTIONS) - set(ctx.table.symbols)
    r_law = isinstance(ref, A.Func) and ref.name in known
    a_law = isinstance(ans, A.Func) and ans.name in known
    if not (r_law and a_law):
        return None
    assert isinstance(ref, A.Func) and isinstance(ans, A.Func)
    if ref.name != ans.name or len(ref.args) != len(ans.args):
        return Decision(False, f"a {ans.name} law where a {ref.name} law is expected")
    d = ordered(list(ref.args), list(ans.args), ctx)
    if d.equal is False:
        d.reason = f"another parameter: {d.reason}"
    return d


def units(ref: A.Node, ans: A.Node, ctx: Context) -> Decision | None:
    """Two quantities with known units (:mod:`grader.mathx.units`): ``1.5 km`` is ``1500 m``, ``341 ms``
    is not ``341 s``, a length is not a time. The reference is converted into the answer's unit, so
    the answer's written precision still applies. None when either unit is missing or unknown."""
    from grader.mathx.units import convert, unit_of

    if not (isinstance(ref, A.Quantity) and isinstance(ans, A.Quantity)):
        return None
    r_unit, a_unit = unit_of(ref.unit), unit_of(ans.unit)
    if r_unit is None or a_unit is None:
        return None
    factor = convert(r_unit, a_unit)
    if factor is None:
        return Decision(False, f"a {a_unit.dimension} ({ans.unit}) where a {r_unit.dimension} is asked for")
    scaled = ref.value if factor == 1 else A.Mul((A.Num(factor, str(factor)), ref.value))
    d = compare_nodes(scaled, ans.value, ctx)
    if factor != 1:
        d.reason = f"in {ans.unit}: {d.reason}" if d.reason else f"the same amount in {ans.unit}"
    return d


def chain_against_value(ref: A.Node, ans: A.Equation, ctx: Context) -> Decision:
    """An answer written as a chain of equal expressions (``1 + D + \\binom{D+1}{2} = \\binom{D+2}{2}``)
    against a value: right when every side equals the reference, wrong when its conclusion (the
    last side) differs; an equation in an unknown the reference does not have (``x^2 = 4``) is not
    a value at all, and a chain whose conclusion is right but an earlier side is not is left to a
    person."""
    from grader.mathx.display import interpret

    foreign = A.free_symbols(ans) - A.free_symbols(ref)
    if foreign or "≈" in ans.ops:
        names = ", ".join(sorted(foreign))
        what = f"an equation in {names}" if foreign else "an approximation"
        return Decision(None, f"{interpret(ans)} is {what}; the reference is a value")
    last = compare_nodes(ref, ans.sides[-1], ctx)
    if not last.equal:
        if last.equal is False:
            last.reason = f"the chain concludes {interpret(ans.sides[-1])}: {last.reason}".rstrip(": ")
        return last
    for side in ans.sides[:-1]:
        d = compare_nodes(ref, side, ctx)
        if not d.equal:
            return Decision(None, f"the chain's conclusion matches, but {interpret(side)} does not")
    return Decision(True, "every side of the chain equals the reference", last.evidence)
