"""Compare a free-form model output with a gold answer, as Math-Verify does, on the typed engine.

::

    gold, pred ─▶ extract_answers (boxed, answer line, last math, last number)
               ─▶ answer items (multiple boxes, top-level "," ";" "and" "or", ``\\pm`` expanded)
               ─▶ structure (text level): relations, ``x \\in S``, intervals, unions, sets, tuples
               ─▶ leaves ─▶ engine parse ─▶ numbers / expressions / matrices compared numerically

Math-Verify's asymmetries are kept: a gold equation ``x = 1`` whose left side is a name accepts
``1`` (``7 = 11a + c`` does not accept ``11a + c``); a predicted ``x = 1`` or ``x \\approx 1`` is
read as its last value; a gold inequality ``a < x < b`` accepts the interval ``(a, b)`` while a gold
interval accepts an inequality only with ``allow_set_relation_comp``. Two equations are equal when
one is a nonzero multiple of the other; two inequalities when one is a positive multiple.

Three modules: :mod:`~grader.mathx.freeform_items` (the text level: items, relations, brackets,
intervals, unions), :mod:`~grader.mathx.freeform_leaves` (single values on the engine:
:func:`leaf_equal`, :func:`proportional`) and this one (the comparison that walks the structure,
and :func:`compare_freeform`). ``split_top``, ``answer_items``, ``leaf_equal`` and
``proportional`` are re-exported here.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from grader.errors import BudgetExceeded, GraderError
from grader.mathx import ast as A
from grader.mathx.ast import free_symbols
from grader.mathx.budget import check, time_budget
from grader.mathx.extract import Candidate, extract_answers
from grader.mathx.freeform_items import (
    answer_items,
    brackets,
    canonical_text,
    drop_approx,
    inequality_interval,
    is_name,
    relation,
    split_cup,
    split_top,
    strip_wrapper,
)
from grader.mathx.freeform_leaves import leaf_equal, parse_leaf, proportional
from grader.mathx.freeform_pick import also_stated, prose_pick, quantity_answer, token_sequence
from grader.mathx.symbols import SymbolTable
from grader.verdicts import CheckResult

__all__ = [
    "equiv_text",
    "looks_free_form",
    "FreeformOptions",
    "MAX_ITEMS",
    "answer_items",
    "compare_freeform",
    "leaf_equal",
    "proportional",
    "split_top",
]

MAX_ITEMS = 64
"""Answers with more items than this are not matched item by item (the matching is quadratic)."""


@dataclass(frozen=True)
class FreeformOptions:
    """How strictly two free-form answers are compared (Math-Verify's ``verify`` options).

    Attributes:
        precision: decimal places to which numbers are rounded before comparing (None: only the
            places each decimal is written with count).
        strict: symbols must match by name (False: ``f(x)`` equals ``f(y)``).
        allow_set_relation_comp: a gold set or interval accepts an equivalent inequality.
    """

    precision: int | None = None
    strict: bool = True
    allow_set_relation_comp: bool = False


# ---------------------------------------------------------------- comparison


class _Cmp:
    """One comparison run: options plus the trace of what was compared."""

    def __init__(self, options: FreeformOptions) -> None:
        self.options = options

    # lists ------------------------------------------------------------
    def lists(self, gold: list[str], pred: list[str], ordered: bool = False) -> bool:
        check()
        if len(gold) == 1 and len(pred) == 1:
            return self.item(gold[0], pred[0])
        if len(gold) == 1 and (b := brackets(gold[0])) and len(b[1]) == len(pred):
            # gold tuple/set vs a bare list: a tuple keeps its order, a set does not
            return self.lists(b[1], pred, ordered=b[0] == "(")
        if len(pred) == 1 and (b := brackets(pred[0])) and b[0] == "\\{" and len(b[1]) == len(gold):
            return self.lists(gold, b[1])
        if len(gold) > MAX_ITEMS or len(pred) > MAX_ITEMS:
            return False
        if ordered:
            if len(gold) != len(pred):
                return False
            return all(self.item(g, p) for g, p in zip(gold, pred, strict=True))
        # as sets (Math-Verify): every item has an equal on the other side; duplicates collapse
        return all(any(self.item(g, p) for p in pred) for g in gold) and all(
            any(self.item(g, p) for g in gold) for p in pred
        )

    # items ------------------------------------------------------------
    def item(self, gold: str, pred: str) -> bool:
        check()
        gold, pred = strip_wrapper(gold), strip_wrapper(pred)
        if canonical_text(gold) == canonical_text(pred):
            return True
        typed = typed_item(gold, pred)
        if typed is not None:
            return typed
        g_rel, p_rel = relation(gold), relation(pred)
        if g_rel and p_rel:
            return self.relations(g_rel, p_rel)
        if g_rel:
            sides, ops = drop_approx(*g_rel)
            if ops == ["in"]:
                return self.item(sides[1], pred)
            if all(o == "=" for o in ops):
                return any(is_name(s) for s in sides[:-1]) and self.item(sides[-1], pred)
            return self.relation_vs_set(sides, ops, pred)
        if p_rel:
            sides, ops = drop_approx(*p_rel)
            if ops == ["in"] or all(o == "=" for o in ops):
                return self.item(gold, sides[-1])
            return self.options.allow_set_relation_comp and self.relation_vs_set(sides, ops, gold)
        return self.value(gold, pred)

    def relations(self, g: tuple[list[str], list[str]], p: tuple[list[str], list[str]]) -> bool:
        (gs, go), (ps, po) = drop_approx(*g), drop_approx(*p)
        if go == ["in"] and po == ["in"]:
            return self.item(gs[0], ps[0]) and self.item(gs[1], ps[1])
        if po == ["in"]:  # gold inequality, answer "x in S": always compared
            return self.relation_vs_set(gs, go, ps[1])
        if go == ["in"]:  # gold "x in S", answer an inequality: only when allowed
            return self.options.allow_set_relation_comp and self.relation_vs_set(ps, po, gs[1])
        if all(o == "=" for o in go) and all(o == "=" for o in po):
            gl, gr, pl, pr = gs[0], gs[-1], ps[0], ps[-1]
            if (self.item(gl, pl) and self.item(gr, pr)) or (self.item(gl, pr) and self.item(gr, pl)):
                return True
            return proportional(f"({gl})-({gr})", f"({pl})-({pr})", sign=0)
        return self.inequalities(gs, go, ps, po)

    def inequalities(self, gs: list[str], go: list[str], ps: list[str], po: list[str]) -> bool:
        flip = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "!=": "!=", "=": "="}
        if len(go) != len(po):
            return False
        if any(o not in flip for o in go + po):
            return False
        if go != po:
            ps, po = list(reversed(ps)), [flip[o] for o in reversed(po)]
        if go == po and len(go) > 1:
            return all(self.item(a, b) for a, b in zip(gs, ps, strict=True))
        if go == po:
            sign = 0 if go[0] == "!=" else 1
            return proportional(f"({gs[0]})-({gs[1]})", f"({ps[0]})-({ps[1]})", sign=sign)
        # single inequality written the other way round: 5 >= x vs x <= 5, -x > -1 vs x < 1
        if len(go) == 1 and flip[go[0]] == po[0]:
            return proportional(f"({gs[0]})-({gs[1]})", f"({ps[1]})-({ps[0]})", sign=1) or proportional(
                f"({gs[0]})-({gs[1]})", f"({ps[0]})-({ps[1]})", sign=-1
            )
        return False

    def relation_vs_set(self, sides: list[str], ops: list[str], other: str) -> bool:
        """An inequality chain in one unknown against an interval (``-2 <= x <= 7`` vs ``[-2, 7]``)."""
        interval = inequality_interval(sides, ops)
        other_rel = relation(other)
        if other_rel and other_rel[1] == ["in"]:
            other = other_rel[0][1]
        if interval is not None and self.value(interval, other):
            return True
        # |z| between bounds against a union of intervals: compare the two sets point by point
        return same_real_set(sides, ops, other) is True

    # values -----------------------------------------------------------
    def value(self, gold: str, pred: str) -> bool:
        check()
        if canonical_text(gold) == canonical_text(pred):
            return True
        g_union = split_cup(gold)
        p_union = split_cup(pred)
        if len(g_union) > 1 or len(p_union) > 1:
            return len(g_union) == len(p_union) and self.lists(g_union, p_union)
        gb, pb = brackets(gold), brackets(pred)
        if gb and pb:
            if gb[0] == "\\{" or pb[0] == "\\{":
                return gb[0] == pb[0] and self.lists(gb[1], pb[1])
            if len(gb[1]) != len(pb[1]):
                return False
            if len(gb[1]) == 1:  # plain parentheses around a value
                return gb[0] == pb[0] and gb[2] == pb[2] and self.item(gb[1][0], pb[1][0])
            if (gb[0], gb[2]) != (pb[0], pb[2]):
                return False
            return all(self.item(a, b) for a, b in zip(gb[1], pb[1], strict=True))
        if gb and len(gb[1]) == 1 and gb[0] == "(":
            return self.value(gb[1][0], pred)
        if pb and len(pb[1]) == 1 and pb[0] == "(":
            return self.value(gold, pb[1][0])
        if (gb and len(gb[1]) > 1) or (pb and len(pb[1]) > 1):
            # a list against a formula that is not written as one (``(0.99, 0.099)`` against
            # ``\frac{1}{1.01}\begin{pmatrix}1\\0.1\end{pmatrix}``): the engine reads both as vectors
            return engine_equal(gold, pred) is True
        return leaf_equal(gold, pred, self.options.precision, self.options.strict)


# ---------------------------------------------------------------- the typed engine on whole items

_ENGINE_ONLY = (A.Or, A.PlusMinus, A.SetOp, A.NamedSet, A.Series, A.Deriv, A.Integral, A.Limit)


def _needs_engine(node: A.Node) -> bool:
    """Constructs the text level does not take apart: alternatives, set algebra, calculus, complex."""
    return any(
        isinstance(n, _ENGINE_ONLY)
        or (isinstance(n, A.Const) and n.name == "i")
        or (isinstance(n, A.Func) and n.name in ("conj", "Re", "Im", "arg"))
        for n in A.walk(node)
    )


def typed_item(gold: str, pred: str) -> bool | None:
    """Compare two answer items with the typed engine when either uses a construct only the engine
    reads (:func:`_needs_engine`); None to leave them to the text level.

    Example: ``typed_item(r"x = \\pm 2", r"x = 2 \\text{ or } x = -2")`` → True.
    """
    try:
        g, p = parse_leaf(gold), parse_leaf(pred)
    except GraderError:
        return None
    if not (_needs_engine(g) or _needs_engine(p)):
        return None
    return _engine_nodes(g, p)


def engine_equal(gold: str, pred: str) -> bool | None:
    """Compare two answer items with the typed engine whatever they contain (None: undecided).

    Example: ``engine_equal(r"\\frac{1}{2}\\begin{pmatrix}1\\\\3\\end{pmatrix}", "(0.5, 1.5)")`` → True.
    """
    try:
        g, p = parse_leaf(gold), parse_leaf(pred)
    except GraderError:
        return None
    return _engine_nodes(g, p)


def _engine_nodes(g: A.Node, p: A.Node) -> bool | None:
    from grader.mathx.compare import with_scalars
    from grader.mathx.equivalence import Context, compare_nodes
    from grader.mathx.infer import infer_symbols

    names = free_symbols(g) | free_symbols(p)
    inference = infer_symbols([g, p], SymbolTable(), known=names)
    table = with_scalars(inference.table, names - set(inference.table.symbols), positive=True)
    try:
        return compare_nodes(inference.apply(g), inference.apply(p), Context(table)).equal
    except (GraderError, ValueError, ArithmeticError):
        return None


# ---------------------------------------------------------------- entry point


def _gold_candidates(gold: str) -> list[Candidate]:
    """A bare formula as the gold is the answer as a whole (``x + 1``, not its last number ``1``)."""
    if not looks_free_form(gold):
        from grader.mathx.extract import clean_answer

        text = clean_answer(gold)[0]
        if text:
            return [Candidate((text,), "whole")]
    return extract_answers(gold)


def _first_items(cands: list[Candidate]) -> tuple[Candidate, list[str]] | None:
    for cand in cands:
        items = answer_items(cand)
        if items:
            return cand, items
    return None


def compare_freeform(
    gold: str,
    pred: str,
    budget_s: float = 5.0,
    *,
    options: FreeformOptions | None = None,
) -> CheckResult:
    r"""Whether the final answer of a free-form ``pred`` matches the ``gold`` answer.

    Both sides are extracted (:func:`~grader.mathx.extract.extract_answers`), split into answer
    items and compared structurally; leaves go to the math engine. The whole comparison runs
    under ``budget_s`` seconds and yields ``timeout`` past it; ``unparseable`` when no answer can
    be found on one side.

    Example::

        >>> compare_freeform("$x^2/4 + y^2/3 = 1$", "$x^2/16 + y^2/12 = 1/4$").verdict
        'correct'
        >>> compare_freeform(r"\boxed{1} and \boxed{-2}", r"$\boxed{-2,1}$").verdict
        'correct'
    """
    opts = options or FreeformOptions()
    started = time.perf_counter()
    evidence: dict[str, object] = {}
    interpreted: str | None = None
    reference: str | None = None
    try:
        with time_budget(budget_s):  # extraction included: a pathological text cannot outrun it
            stated = quantity_answer(gold, pred) or token_sequence(gold, pred)
            if stated is not None:
                return stated
            g_cands, p_cands = _gold_candidates(gold), extract_answers(pred)
            g, p = _first_items(g_cands), _first_items(p_cands)
            evidence["gold_candidates"] = [(c.source, list(c.items)) for c in g_cands[:3]]
            evidence["pred_candidates"] = [(c.source, list(c.items)) for c in p_cands[:3]]
            if g is None or p is None:
                side = "gold" if g is None else "answer"
                return CheckResult(
                    "unparseable", explanation=f"no final answer found in the {side}", evidence=evidence
                )
            (g_cand, g_items), (p_cand, p_items) = g, prose_pick(pred, g, p)
            interpreted, reference = ", ".join(p_items), ", ".join(g_items)
            evidence.update(gold_source=g_cand.source, pred_source=p_cand.source)
            cmp = _Cmp(opts)
            same = cmp.lists(g_items, p_items)
            if not same and (p_cand.percent or g_cand.percent):  # 94% is 94 (as written) or 0.94
                g_pct = [f"{x}\\%" for x in g_items] if g_cand.percent else g_items
                p_pct = [f"{x}\\%" for x in p_items] if p_cand.percent else p_items
                same = cmp.lists(g_pct, p_pct)
            instead = None if same else also_stated(pred, p_cand, g_items, cmp.lists)
    except BudgetExceeded:
        return CheckResult(
            "timeout", interpreted, reference, f"comparison ran past its budget of {budget_s:g}s", evidence
        )
    except (GraderError, RecursionError, ValueError, ArithmeticError) as exc:
        return CheckResult("unparseable", interpreted, reference, f"could not compare: {exc}", evidence)
    evidence["seconds"] = round(time.perf_counter() - started, 4)
    if same:
        return CheckResult("correct", interpreted, reference, f"{p_cand.source} answer matches", evidence)
    if p_cand.source == "whole" and len(_WORD.findall(_MARKUP_WORDS.sub(" ", interpreted or ""))) >= 2:
        return CheckResult(  # prose with no formula, no number and no marked answer: nothing to judge
            "unparseable",
            interpreted,
            reference,
            "no formula, number or marked answer found in the answer's words",
            evidence,
        )
    if instead is not None:
        evidence["read_instead"] = instead
        return CheckResult(
            "unparseable",
            interpreted,
            reference,
            f"{p_cand.source} answer {interpreted!r} ≠ {reference!r}, but {instead!r}, also in the answer, "
            "matches: which one answers is left to a person",
            evidence,
        )
    return CheckResult(
        "incorrect",
        interpreted,
        reference,
        f"{p_cand.source} answer {interpreted!r} ≠ {reference!r}",
        evidence,
    )


_DELIMITED = re.compile(r"\$|\\boxed|\\fbox|\\\(|\\\[")
_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}\b")
_FORMATTED_NUMBER = re.compile(r"^\s*[-+]?\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?\s*$|^\s*[-+]?\d+,\d+\s*$")


_MARKUP_WORDS = re.compile(
    r"\\(?:begin|end)\s*\{[a-zA-Z*]*\}|\\(?:text|mathrm|operatorname|mathbb|mathbf|textrm)\s*\{\s*(?:or|and|[A-Za-z]{1,4})\s*\}"
)


def looks_free_form(text: str) -> bool:
    """Whether a text is a model's free-form answer (math delimiters, a box, words, a formatted
    number such as ``7,425,000`` or ``1000,99``) rather than a bare formula.

    Example:
        >>> looks_free_form(r"The answer is $\\boxed{9}$."), looks_free_form(r"-\\frac{\\alpha}{2} g")
        (True, False)
    """
    bare = _MARKUP_WORDS.sub(" ", text)  # \begin{bmatrix}, \text{ or }, \mathrm{Var}: markup, not prose
    return bool(_DELIMITED.search(text) or _WORD.search(bare) or _FORMATTED_NUMBER.match(text))


def equiv_text(
    reference: str, answer: str, symbols: SymbolTable | None = None, budget_s: float = 5.0
) -> CheckResult:
    """``grader equiv``: typed comparison when symbols are declared or both sides are bare formulas;
    free-form extraction and comparison (as Math-Verify) when either side is a model's text.

    Example:
        >>> equiv_text("9", "Thus the answer is $\\\\boxed{9}$.").verdict
        'correct'
    """
    if symbols is None and (looks_free_form(reference) or looks_free_form(answer)):
        return compare_freeform(reference, answer, budget_s)
    from grader.mathx.checks import equiv

    return equiv(reference, answer, symbols, budget_s=min(budget_s, 2.0))


_LATEX_OPS = {"<": "<", "<=": "\\le", ">": ">", ">=": "\\ge", "!=": "\\ne"}


def same_real_set(sides: list[str], ops: list[str], other: str) -> bool | None:
    """Whether an inequality chain in one unknown (``1 \\le |z| \\le \\frac32``) describes the same
    subset of ℝ as ``other`` (``[-\\frac32, -1] \\cup [1, \\frac32]``), with
    :mod:`grader.mathx.realsets`. None when either side is not such a set.

    Example:
        >>> same_real_set(["1", "|z|", "2"], ["<=", "<="], "[-2, -1] \\cup [1, 2]")
        True
    """
    from grader.mathx.parser import parse as parse_math
    from grader.mathx.realsets import NotASet, SetReader

    if any(o not in _LATEX_OPS for o in ops):
        return None
    chain = sides[0] + "".join(f" {_LATEX_OPS[o]} {x}" for o, x in zip(ops, sides[1:], strict=True))
    try:
        ineq, target = parse_math(chain), parse_math(other)
        if len(free_symbols(ineq)) != 1 or free_symbols(target):
            return None
        reader = SetReader({})
        return reader.read(ineq) == reader.read(target)
    except (NotASet, GraderError, ValueError, TypeError, ArithmeticError):
        return None
