"""Is a parsed answer the same mathematical object as the reference? One dispatcher over every form.

:func:`compare_nodes` reads what each side *is* and compares like with like::

    ± expanded, "or" alternatives ─▶ unordered alternatives (x = ±2 ≡ x = 2 or x = -2 ≡ {-2, 2})
    label = value (u = ..., x = 3)  ─▶ the value
    equation vs equation            ─▶ relations.compare_equations (proportional sides, solution sets)
    inequality / set / interval     ─▶ relations.compare_inequalities / realsets (the same subset of ℝ)
    tuple, vector, matrix           ─▶ ordered, entry by entry; a bare list against a set: unordered
    values                          ─▶ exact rationals, else high precision (precise), else floats

The answer is a :class:`Decision`: ``equal`` True (correct), False (incorrect: a separating
instance or a contradiction in form, with the evidence) or None (cannot be decided: the reason).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.errors import GraderError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.compare import numeric_compare
from grader.mathx.numbers import exact_entries, exact_value, matches_written, written_unit
from grader.mathx.numeric import EvalError, evaluate
from grader.mathx.precise import precise_equal
from grader.mathx.realsets import NotASet, SetReader, is_set_form
from grader.mathx.shapes import DimensionError, shape_of
from grader.mathx.symbols import SymbolTable


@dataclass
class Decision:
    """Outcome of a comparison: ``equal`` (None when undecided), why, and the evidence."""

    equal: bool | None
    reason: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What a comparison needs: the symbol table (declared, inferred and the reference's own
    symbols), whether vectors are around (then ``[a, b]`` is a vector, not an interval), and the
    names whose values no draw determines."""

    table: SymbolTable
    typed: bool = False
    free: frozenset[str] = frozenset()
    seed: int = 0

    def envs(self) -> Iterator[dict[str, Any]]:
        """Random instances of the table (smallest integers first)."""
        from grader.mathx.compare import instance_envs

        return instance_envs(self.table, np.random.default_rng(self.seed))


def unwrap(node: A.Node) -> A.Node:
    """A value without its unit or a one-entry matrix around it."""
    while True:
        if isinstance(node, A.Quantity):
            node = node.value
        elif (
            isinstance(node, A.Matrix) and len(node.rows) == 1 and len(node.rows[0]) == 1 and not node.bracket
        ):
            node = node.rows[0][0]
        else:
            return node


def is_label(node: A.Node) -> bool:
    """A left-hand side that names a value: ``u``, ``u_i``, ``\\theta^*``, ``\\mathrm{Var}(w)``,
    ``\\frac{\\partial L}{\\partial W}``, ``f(x)``."""
    from grader.mathx.claims import is_label as claim_label

    return claim_label(node)


def label_value(node: A.Node) -> A.Node | None:
    """The value of ``label = ... = value``, or None when ``node`` is not such an equation."""
    if isinstance(node, A.Equation) and is_label(node.sides[0]):
        from grader.mathx.claims import stated_side

        return stated_side(node)
    return None


def statement_unknowns(node: A.Node) -> set[str]:
    """Names a statement introduces rather than uses: the label of ``x = 5``, the unknown of
    ``x \\ge 3`` or ``|x| \\le 2``, the element of ``x \\in S`` (also inside "or" and lists)."""
    if isinstance(node, A.Or | A.Tuple):
        return set().union(*(statement_unknowns(x) for x in node.items))
    if isinstance(node, A.Equation) and is_label(node.sides[0]):
        return A.free_symbols(node.sides[0])
    if isinstance(node, A.Inequality):
        names = A.free_symbols(node)
        if len(names) == 1:
            return names
        subjects = {s.name for s in node.sides if isinstance(s, A.Sym)}
        return subjects if len(subjects) == 1 else set()  # 0 < \eta < 2/L: about \eta
    if isinstance(node, A.Member) and isinstance(node.element, A.Sym):
        return {node.element.name}
    return set()


def alternatives(node: A.Node) -> list[A.Node]:
    """The values a node offers at once: ``\\pm`` expanded, "or" flattened; ``[node]`` otherwise."""
    items = list(node.items) if isinstance(node, A.Or) else [node]
    out: list[A.Node] = []
    for item in items:
        out.extend(A.expand_pm(item))
    return out


def is_scalar(node: A.Node, ctx: Context) -> bool:
    """Whether ``node`` is scalar under the context's table (an ill-shaped node is not)."""
    try:
        return shape_of(node, ctx.table).is_scalar
    except (DimensionError, GraderError):
        return False


# ---------------------------------------------------------------------------------------------- values


def _shapes(ref: A.Node, ans: A.Node, ctx: Context) -> Decision | None:
    """A contradiction in shape (a scalar for a vector), or None."""
    try:
        rs, as_ = shape_of(ref, ctx.table), shape_of(ans, ctx.table)
    except DimensionError as exc:
        return Decision(False, str(exc), {"dimension_error": str(exc)})
    except GraderError:
        return None
    if rs.is_scalar != as_.is_scalar or rs.is_vector != as_.is_vector:
        return Decision(False, f"shape {as_} vs {rs}", {"shape_mismatch": True})
    return None


def compare_values(ref: A.Node, ans: A.Node, ctx: Context) -> Decision:
    """Two values: exact rationals (with the written-precision rule for decimals), else high
    precision on random instances for scalar formulas, else floats (vectors, matrices)."""
    shape = _shapes(ref, ans, ctx)
    if shape is not None:
        return shape
    ea, er = exact_value(ans), exact_value(ref)
    if ea is not None and er is not None:
        if ea == er:
            return Decision(True, "equal (exact)", {"method": "exact"})
        unit = written_unit(ans)
        if unit is not None:
            ok = matches_written(float(ea), float(er), unit)
            return Decision(
                ok, "" if ok else f"value {_num(ea)} vs {_num(er)}", {"method": "written precision"}
            )
        ref_unit = written_unit(ref)
        if ref_unit is not None:
            ok = matches_written(float(er), float(ea), ref_unit)
            return Decision(
                ok, "" if ok else f"value {_num(ea)} vs {_num(er)}", {"method": "written precision"}
            )
        return Decision(False, f"value {_num(ea)} vs {_num(er)}", {"method": "exact"})
    scalar = is_scalar(ref, ctx) and is_scalar(ans, ctx)
    if scalar and written_unit(ans) is None:
        out = precise_equal(ref, ans, ctx.envs())
        if out.equal:
            return Decision(True, f"equal on {out.points} instance(s) (high precision)", out.evidence)
        if out.equal is False:
            return Decision(False, _precise_reason(ref, ans, ctx, out.evidence), out.evidence)
        if not out.evidence.get("not_evaluable"):
            return Decision(None, f"could not evaluate: {out.reason}", out.evidence)
    exact = _exact_arrays(ref, ans)
    if exact is not None:
        return exact
    return _float_compare(ref, ans, ctx)


def _precise_reason(ref: A.Node, ans: A.Node, ctx: Context, evidence: dict[str, Any]) -> str:
    """Why two scalar formulas differ: a constant factor when there is one, else the instance."""
    from grader.mathx.compare import ratio_reason
    from grader.mathx.precise import precise_ratio

    same, c = precise_ratio(ans, ref, ctx.envs())
    if same and c is not None and getattr(c, "imag", 0) == 0 and 1e-12 < abs(c) < 1e12:
        return ratio_reason(float(getattr(c, "real", c)))
    where = ", ".join(f"{k} = {v}" for k, v in evidence.get("instance", {}).items())
    values = f"answer {evidence.get('answer_value')}, reference {evidence.get('reference_value')}"
    return f"differs at {where}: {values}" if where else f"differs: {values}"


def _exact_arrays(ref: A.Node, ans: A.Node) -> Decision | None:
    """Constant vectors: exact entries, decimals at their written precision."""
    from grader.mathx.compare import answer_units

    if A.free_symbols(ref) or A.free_symbols(ans):
        return None
    ea, er = exact_entries(ans), exact_entries(ref)
    if ea is None or er is None or len(ea) != len(er):
        return None
    if ea == er:
        return Decision(True, "equal (exact)", {"method": "exact"})
    units = answer_units(ans)
    if units is None:
        return Decision(
            False, f"value {[_num(x) for x in ea]} vs {[_num(x) for x in er]}", {"method": "exact"}
        )
    ok = all(
        (x == y) if u is None else matches_written(float(x), float(y), u)
        for x, y, u in zip(ea, er, units + [None] * (len(ea) - len(units)), strict=False)
    )
    return Decision(ok, "" if ok else "differs at the written precision", {"method": "written precision"})


def _num(value: Any) -> str:
    from grader.mathx.display import short_number

    return short_number(value)


def _float_compare(ref: A.Node, ans: A.Node, ctx: Context) -> Decision:
    from grader.mathx.compare import answer_units, explain_difference

    units = answer_units(ans)

    def ref_fn(env: Any) -> Any:
        return evaluate(ref, env)

    try:
        outcome = numeric_compare(ans, ref_fn, ctx.table, units=units)
        if outcome.evidence.get("degenerate") or outcome.reason.startswith("cannot evaluate"):
            return Decision(None, outcome.reason or "could not evaluate", outcome.evidence)
        if outcome.reason.startswith("shape"):
            return Decision(False, outcome.reason, outcome.evidence)
        if outcome.equal:
            return Decision(
                True, f"equal on {outcome.instances} instances", {**outcome.evidence, "method": "numeric"}
            )
        return Decision(False, explain_difference(ans, ref_fn, ctx.table, outcome), outcome.evidence)
    except (EvalError, GraderError, ValueError, ArithmeticError) as exc:
        return Decision(None, f"could not evaluate: {exc}")


# ---------------------------------------------------------------------------------------------- collections


def unordered(refs: list[A.Node], answers: list[A.Node], ctx: Context) -> Decision:
    """Every reference item matched by an answer item and vice versa (duplicates collapse)."""
    undecided = ""
    for side, other, name in ((refs, answers, "reference"), (answers, refs, "answer")):
        for x in side:
            found = False
            for y in other:
                d = compare_nodes(x, y, ctx) if name == "reference" else compare_nodes(y, x, ctx)
                if d.equal:
                    found = True
                    break
                if d.equal is None:
                    undecided = d.reason
            if not found:
                if undecided:
                    return Decision(None, undecided)
                what = "missing" if name == "reference" else "not in the reference"
                from grader.mathx.display import interpret

                return Decision(False, f"{interpret(x)} is {what}")
    return Decision(True, "the same items")


def ordered(refs: list[A.Node], answers: list[A.Node], ctx: Context) -> Decision:
    """Two sequences entry by entry, in order."""
    if len(refs) != len(answers):
        return Decision(False, f"{len(answers)} entries, expected {len(refs)}")
    for k, (x, y) in enumerate(zip(refs, answers, strict=True)):
        d = compare_nodes(x, y, ctx)
        if not d.equal:
            if d.equal is False:
                d.reason = f"entry {k + 1}: {d.reason}".rstrip(": ")
            return d
    return Decision(True, "every entry equal")


def _entries(node: A.Node) -> list[A.Node] | None:
    if isinstance(node, A.Tuple):
        return list(node.items)
    if isinstance(node, A.Matrix) and all(len(r) == 1 for r in node.rows):
        return [r[0] for r in node.rows]
    return None


def _labelled(items: list[A.Node]) -> list[tuple[A.Node, A.Node]] | None:
    """``x = 2, y = -1``: the (label, value) pairs, when every item is a label equation."""
    pairs = []
    for it in items:
        v = label_value(it)
        if v is None or not isinstance(it, A.Equation):
            return None
        pairs.append((it.sides[0], v))
    return pairs


def compare_sequences(ref: A.Node, ans: A.Node, ctx: Context) -> Decision:
    """Tuples, lists, vectors and matrices (module notes)."""
    if isinstance(ref, A.Matrix) and isinstance(ans, A.Matrix) and not (_entries(ref) and _entries(ans)):
        if [len(r) for r in ref.rows] != [len(r) for r in ans.rows]:
            return Decision(False, "the matrices differ in size")
        return ordered([x for r in ref.rows for x in r], [x for r in ans.rows for x in r], ctx)
    r_items, a_items = _entries(ref), _entries(ans)
    if r_items is None or a_items is None:
        return compare_values(ref, ans, ctx)
    r_pairs, a_pairs = _labelled(r_items), _labelled(a_items)
    if r_pairs and a_pairs and {p[0] for p in r_pairs} == {p[0] for p in a_pairs}:
        by_label = dict(a_pairs)
        return ordered([v for _, v in r_pairs], [by_label[k] for k, _ in r_pairs], ctx)
    if a_pairs and not r_pairs:
        a_items = [v for _, v in a_pairs]  # (2, -1) against "x = 2, y = -1": the values in order
    elif r_pairs and not a_pairs:
        r_items = [v for _, v in r_pairs]
    bare = (isinstance(ref, A.Tuple) and not ref.bracket) and (isinstance(ans, A.Tuple) and not ans.bracket)
    if bare:
        return unordered(r_items, a_items, ctx)  # two bare lists: answers listed in any order
    return ordered(r_items, a_items, ctx)


# ---------------------------------------------------------------------------------------------- sets


def _set_items(node: A.Node) -> list[A.Node] | None:
    if isinstance(node, A.Set):
        return list(node.items)
    if isinstance(node, A.Tuple) and not node.bracket:
        return list(node.items)
    if isinstance(node, A.Or):
        return alternatives(node)
    return None


def compare_sets(ref: A.Node, ans: A.Node, ctx: Context) -> Decision:
    """Two sets: as subsets of ℝ when both are (intervals, unions, inequalities in one unknown),
    else item by item without order (finite sets of other things)."""
    reader_pairs = not ctx.typed
    unknowns = (
        statement_unknowns(ref)
        | statement_unknowns(ans)
        | unknown_against(ref, ans)
        | unknown_against(ans, ref)
    )
    names = sorted(((A.free_symbols(ref) | A.free_symbols(ans)) & set(ctx.table.symbols)) - unknowns)
    envs = ctx.envs() if names else iter([{}])
    seen = 0
    for env in envs:
        reader = SetReader({k: v for k, v in env.items() if k not in unknowns}, interval_pairs=reader_pairs)
        try:
            a_set, r_set = reader.read(ans), reader.read(ref)
        except NotASet as exc:
            return _finite_sets(ref, ans, ctx, str(exc))
        if a_set != r_set:
            return Decision(
                False,
                f"the sets differ: {a_set.describe()} vs {r_set.describe()}",
                {"answer_set": a_set.describe(), "reference_set": r_set.describe()},
            )
        seen += 1
        if seen >= (3 if names else 1):
            break
    return Decision(True, "the same set", {"method": "sets"})


def unknown_against(node: A.Node, other: A.Node) -> set[str]:
    """The unknown of an inequality with symbolic bounds against a set: ``a \\le x < b`` against
    ``[a, b)`` is about x, the one symbol the other side does not use."""
    if not isinstance(node, A.Inequality):
        return set()
    left = A.free_symbols(node) - A.free_symbols(other)
    return left if len(left) == 1 else set()


def _finite_sets(ref: A.Node, ans: A.Node, ctx: Context, why: str) -> Decision:
    r_items, a_items = _set_items(ref), _set_items(ans)
    if r_items is not None and a_items is not None:
        return unordered(r_items, a_items, ctx)
    from grader.mathx.display import interpret

    if (
        is_set_form(ref) != is_set_form(ans)
        and not isinstance(ref, A.Inequality | A.Or)
        and not isinstance(ans, A.Inequality | A.Or)
    ):
        return Decision(False, f"{interpret(ans)} is not a set like {interpret(ref)}")
    return Decision(None, f"cannot compare these sets: {why}")


# ---------------------------------------------------------------------------------------------- dispatch


def interval_pair(node: A.Node) -> bool:
    """``(a, b)`` or ``[a, b]``: an interval when no vector is declared."""
    return (isinstance(node, A.Tuple) and node.bracket == "(" and len(node.items) == 2) or (
        isinstance(node, A.Matrix) and node.bracket == "[" and len(node.rows) == 2 and len(node.rows[0]) == 1
    )


def _conditions(node: A.Node) -> bool:
    """A condition or alternatives of conditions on the reals (``x < 2 \\text{ or } x > 2``)."""
    items = node.items if isinstance(node, A.Or) else (node,)
    return all(isinstance(x, A.Inequality | A.Member) for x in items)


def _set_like(node: A.Node) -> bool:
    return is_set_form(node) or isinstance(node, A.Interval)


def antiderivative(node: A.Node) -> A.Integral | None:
    """``node`` when it is an indefinite integral ``\\int f \\, dx``, else None."""
    return node if isinstance(node, A.Integral) and node.lower is None else None


def _antiderivatives(ref: A.Node, ans: A.Node, ctx: Context) -> Decision | None:
    """``\\int f \\, dx`` against ``F + C``: equal when ``F' = f`` (the constant's derivative vanishes)."""
    integral, other = (ref, ans) if antiderivative(ref) else (ans, ref)
    if not isinstance(integral, A.Integral) or antiderivative(other):
        return None
    d = compare_nodes(integral.body, A.Deriv(other, integral.var), ctx)
    if d.equal:
        return Decision(True, "an antiderivative: its derivative is the integrand", d.evidence)
    if d.equal is False:
        d.reason = f"not an antiderivative: compared with its derivative, {d.reason}"
    return d


def compare_nodes(ref: A.Node, ans: A.Node, ctx: Context) -> Decision:
    """Compare an answer with the reference (module notes for the rules, in order)."""
    from grader.mathx import equivalence_forms as forms
    from grader.mathx import relations

    budget.check()
    degrees = forms.degrees(ref, ans, ctx)
    if degrees is not None:
        return degrees
    units = forms.units(ref, ans, ctx)
    if units is not None:
        return units
    ref, ans = unwrap(ref), unwrap(ans)
    if antiderivative(ref) or antiderivative(ans):
        anti = _antiderivatives(ref, ans, ctx)
        if anti is not None:
            return anti
    if ref == ans:
        return Decision(True, "identical")
    if (isinstance(ref, A.Or) or isinstance(ans, A.Or)) and all(
        _conditions(x) or _set_like(x) for x in (ref, ans)
    ):
        return compare_sets(ref, ans, ctx)  # x < 2 or x > 2 against x \ne 2: one subset of ℝ each
    r_alts, a_alts = alternatives(ref), alternatives(ans)
    if len(r_alts) > 1 or len(a_alts) > 1:
        return relations.compare_alternatives(r_alts, a_alts, ctx)
    if isinstance(ans, A.Member) and not ans.negated and not isinstance(ref, A.Member | A.Inequality):
        return compare_nodes(ref, ans.collection, ctx)  # W \in \mathbb{R}^{d \times k} against the space
    spaces = forms.spaces(ref, ans)
    if spaces is not None:
        return spaces
    laws = forms.distributions(ref, ans, ctx)
    if laws is not None:
        return laws
    rv, av = label_value(ref), label_value(ans)
    if rv is not None and not isinstance(ans, A.Equation):
        return compare_nodes(rv, ans, ctx)
    if av is not None and not isinstance(ref, A.Equation):
        return compare_nodes(ref, av, ctx)
    if isinstance(ref, A.Equation) and isinstance(ans, A.Equation):
        return relations.compare_equations(ref, ans, ctx)
    if isinstance(ref, A.Inequality) or isinstance(ans, A.Inequality):
        return relations.compare_inequalities(ref, ans, ctx)
    if isinstance(ref, A.Member) and isinstance(ans, A.Member) and ref.element != ans.element:
        return Decision(False, "about another unknown")
    if _set_like(ref) or _set_like(ans):
        return compare_sets(ref, ans, ctx)
    if not ctx.typed and interval_pair(ref) and interval_pair(ans):
        return compare_sets(ref, ans, ctx)  # (0, 1) against [0, 1]: the brackets say intervals
    if isinstance(ans, A.Equation) and not isinstance(ref, A.Equation):
        return forms.chain_against_value(ref, ans, ctx)
    if isinstance(ref, A.Equation) != isinstance(ans, A.Equation):
        from grader.mathx.display import interpret

        eq = ref if isinstance(ref, A.Equation) else ans
        return Decision(False, f"{interpret(eq)} is an equation; the other side is a value")
    if isinstance(ref, A.Tuple | A.Matrix) or isinstance(ans, A.Tuple | A.Matrix):
        return compare_sequences(ref, ans, ctx)
    return compare_values(ref, ans, ctx)
