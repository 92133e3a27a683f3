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
"""

from __future__ import annotations

import cmath
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.errors import BudgetExceeded, GraderError
from grader.mathx import ast as A
from grader.mathx.budget import check, time_budget
from grader.mathx.extract import Candidate, clean_answer, extract_answers
from grader.mathx.parser import parse
from grader.verdicts import CheckResult

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


# ---------------------------------------------------------------- text structure

_OPEN, _CLOSE = "([{", ")]}"
_REL = re.compile(
    r"\\(?:leqslant|geqslant|approx|neq|leq|geq|le|ge|ne|lt|gt|in)(?![a-zA-Z])|<=|>=|!=|=|<|>|≤|≥|≠|≈|∈"
)
_REL_NAMES = {
    "\\leqslant": "<=", "\\geqslant": ">=", "\\leq": "<=", "\\le": "<=", "\\geq": ">=", "\\ge": ">=",
    "\\neq": "!=", "\\ne": "!=", "\\lt": "<", "\\gt": ">", "\\approx": "~", "\\in": "in",
    "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "∈": "in",
}  # fmt: skip


def _depths(text: str) -> list[int]:
    """Bracket depth before each character (``\\{`` and ``{`` count; mismatched ``[0,1)`` is fine)."""
    out, depth = [], 0
    for ch in text:
        out.append(depth)
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
    return out


def split_top(text: str, seps: str = ",;") -> list[str]:
    r"""Split at top-level separators (``,`` ``;`` and the words "and"/"or"), outside brackets.

    Example: ``split_top(r"(1,2), [0,1) and 3")`` → ``["(1,2)", "[0,1)", "3"]``.
    """
    depth = _depths(text)
    parts, start, i = [], 0, 0
    while i < len(text):
        if depth[i] == 0:
            if text[i] in seps:
                parts.append(text[start:i])
                start = i + 1
            elif "," in seps and (i == 0 or not text[i - 1].isalpha() and text[i - 1] != "\\"):
                m = re.match(r"(?:and|or)(?![A-Za-z])", text[i:])
                if m:
                    parts.append(text[start:i])
                    start = i + m.end()
                    i = start
                    continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _relation(text: str) -> tuple[list[str], list[str]] | None:
    """Top-level relation chain ``(sides, ops)`` with ops normalised (``\\le`` → ``<=``), or None."""
    depth = _depths(text)
    sides, ops, start = [], [], 0
    for m in _REL.finditer(text):
        if depth[m.start()] != 0:
            continue
        sides.append(text[start : m.start()].strip())
        ops.append(_REL_NAMES.get(m.group(0), m.group(0)))
        start = m.end()
    if not ops:
        return None
    sides.append(text[start:].strip())
    if any(not s for s in sides):
        return None
    return sides, ops


def _drop_approx(sides: list[str], ops: list[str]) -> tuple[list[str], list[str]]:
    """``x = 1/3 \\approx 0.33``: with an ``=`` in the chain, what follows ``≈`` is dropped."""
    if "=" in ops and "~" in ops:
        cut = len(ops)
        while cut and ops[cut - 1] == "~":
            cut -= 1
        return sides[: cut + 1], ops[:cut]
    return sides, ["=" if o == "~" else o for o in ops]


def _is_name(text: str) -> bool:
    """A side that names the answer (``x``, ``f(x)``, ``|AB|``, ``A:B``, ``(p,q)``, ``x_{1}``)."""
    t = re.sub(r"_\{[^{}]*\}|_\w", "", text)
    t = re.sub(r"\\[a-zA-Z]+", "a", t)
    if re.search(r"\d", re.sub(r"\([^()]*\)", "", t)) or not re.search(r"[A-Za-z]", t):
        return False
    return not any(d == 0 and ch in "+-" for ch, d in zip(t, _depths(t), strict=True))


def _strip_wrapper(text: str) -> str:
    """Remove a bare ``{...}`` group (LaTeX grouping, read as a list) and ``\\left``-free parentheses
    around a single letter choice (``(C)`` → ``C``)."""
    t = text.strip()
    if t.startswith("{") and t.endswith("}") and _closes_at_end(t):
        t = t[1:-1].strip()
    if re.fullmatch(r"[(\[]\s*\\begin\{(\w+)\}.*\\end\{\1\}\s*[)\]]", t, re.DOTALL):
        t = t[1:-1].strip()  # a matrix inside \left[ ... \right]
    if re.fullmatch(r"\(\s*[A-Z]\s*\)", t):
        t = t[1:-1].strip()
    return t


def _closes_at_end(t: str) -> bool:
    depth = _depths(t)
    return all(d > 0 for d in depth[1:])


def _brackets(text: str) -> tuple[str, list[str], str] | None:
    """``(a, b]`` → ``("(", ["a", "b"], "]")`` for a top-level bracketed group, else None."""
    t = text.strip()
    m = re.fullmatch(r"(\\\{|[(\[])(.*)(\\\}|[)\]])", t, re.DOTALL)
    if not m or not _closes_at_end(t.replace("\\{", "{").replace("\\}", "}")):
        return None
    return m.group(1), split_top(m.group(2), ",;"), m.group(3)


def _norm(text: str) -> str:
    t = re.sub(r"\\left|\\right|\\!|\\,|\\;|\\ |\s+", "", text)
    return t.replace("\\dfrac", "\\frac").replace("{", "").replace("}", "")


def _expand_pm(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.count("\\pm") == 1 and not item.lstrip().startswith("\\{"):
            out.extend([item.replace("\\pm", "+"), item.replace("\\pm", "-")])
        else:
            out.append(item.replace("±", "\\pm") if "±" in item else item)
    return out


def answer_items(cand: Candidate) -> list[str]:
    r"""The items of one extracted answer: boxes, then top-level list separators, ``\pm`` expanded.

    Example: ``answer_items(Candidate(("1 \\pm 2",), "boxed"))`` → ``["1 + 2", "1 - 2"]``.
    """
    items: list[str] = []
    for raw in cand.items:
        raw = _strip_wrapper(raw)
        groups = split_top(raw, ";")
        if len(groups) > 1 and any(len(split_top(g, ",")) > 1 for g in groups):
            items.extend(f"({g})" for g in groups)  # "p=5,q=2; p=7,q=2": one tuple per group
        else:
            items.extend(split_top(raw))
    return _expand_pm([_strip_wrapper(clean_answer(i)[0]) for i in items])


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
        if len(gold) == 1 and (b := _brackets(gold[0])) and len(b[1]) == len(pred):
            # gold tuple/set vs a bare list: a tuple keeps its order, a set does not
            return self.lists(b[1], pred, ordered=b[0] == "(")
        if len(pred) == 1 and (b := _brackets(pred[0])) and b[0] == "\\{" and len(b[1]) == len(gold):
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
        gold, pred = _strip_wrapper(gold), _strip_wrapper(pred)
        if _norm(gold) == _norm(pred):
            return True
        g_rel, p_rel = _relation(gold), _relation(pred)
        if g_rel and p_rel:
            return self.relations(g_rel, p_rel)
        if g_rel:
            sides, ops = _drop_approx(*g_rel)
            if ops == ["in"]:
                return self.item(sides[1], pred)
            if all(o == "=" for o in ops):
                return any(_is_name(s) for s in sides[:-1]) and self.item(sides[-1], pred)
            return self.relation_vs_set(sides, ops, pred)
        if p_rel:
            sides, ops = _drop_approx(*p_rel)
            if ops == ["in"] or all(o == "=" for o in ops):
                return self.item(gold, sides[-1])
            return self.options.allow_set_relation_comp and self.relation_vs_set(sides, ops, gold)
        return self.value(gold, pred)

    def relations(self, g: tuple[list[str], list[str]], p: tuple[list[str], list[str]]) -> bool:
        (gs, go), (ps, po) = _drop_approx(*g), _drop_approx(*p)
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
        interval = _inequality_interval(sides, ops)
        other_rel = _relation(other)
        if other_rel and other_rel[1] == ["in"]:
            other = other_rel[0][1]
        return interval is not None and self.value(interval, other)

    # values -----------------------------------------------------------
    def value(self, gold: str, pred: str) -> bool:
        check()
        if _norm(gold) == _norm(pred):
            return True
        g_union = _split_cup(gold)
        p_union = _split_cup(pred)
        if len(g_union) > 1 or len(p_union) > 1:
            return len(g_union) == len(p_union) and self.lists(g_union, p_union)
        gb, pb = _brackets(gold), _brackets(pred)
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
            return False
        return leaf_equal(gold, pred, self.options.precision, self.options.strict)


def _split_cup(text: str) -> list[str]:
    depth = _depths(text)
    parts, start = [], 0
    for m in re.finditer(r"\\cup(?![a-zA-Z])|∪", text):
        if depth[m.start()] == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _inequality_interval(sides: list[str], ops: list[str]) -> str | None:
    """``a < x <= b`` → ``(a, b]``; ``x > a`` → ``(a, \\infty)``; None when not an interval."""
    if len(ops) == 2 and ops[0] in ("<", "<=") and ops[1] in ("<", "<="):
        return f"{'(' if ops[0] == '<' else '['}{sides[0]}, {sides[2]}{')' if ops[1] == '<' else ']'}"
    if len(ops) == 2 and ops[0] in (">", ">=") and ops[1] in (">", ">="):
        return _inequality_interval(list(reversed(sides)), ["<" if o == ">" else "<=" for o in reversed(ops)])
    if len(ops) == 1 and ops[0] in ("<", "<=", ">", ">="):
        var_left = _is_name(sides[0])
        op = ops[0] if var_left else {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[ops[0]]
        bound = sides[1] if var_left else sides[0]
        if op in ("<", "<="):
            return f"(-\\infty, {bound}{')' if op == '<' else ']'}"
        return f"{'(' if op == '>' else '['}{bound}, \\infty)"
    return None


# ---------------------------------------------------------------- leaves (engine AST, numeric)

_SAMPLES = 6
_RNG = random.Random(20251120)  # fixed seed: verdicts are reproducible
_FUNCS: dict[str, Callable[[complex], Any]] = {
    "sin": cmath.sin, "cos": cmath.cos, "tan": cmath.tan, "exp": cmath.exp, "sqrt": cmath.sqrt,
    "sinh": cmath.sinh, "cosh": cmath.cosh, "tanh": cmath.tanh, "arcsin": cmath.asin,
    "arccos": cmath.acos, "arctan": cmath.atan, "ln": cmath.log, "abs": abs,
    "sec": lambda z: 1 / cmath.cos(z), "csc": lambda z: 1 / cmath.sin(z), "cot": lambda z: 1 / cmath.tan(z),
}  # fmt: skip
_CONSTS = {"pi": math.pi, "e": math.e, "inf": math.inf}


class _NotNumeric(Exception):
    """A node the numeric evaluator does not handle (matrices inside products, norms...)."""


def _ev(node: A.Node, env: dict[str, complex]) -> Any:
    """Numeric value of an AST node at one instance of its symbols (complex; matrices as arrays)."""
    check()
    if isinstance(node, A.Num):
        return complex(node.value)
    if isinstance(node, A.Sym):
        if node.name not in env:
            env[node.name] = complex(_RNG.uniform(0.5, 2.5))
        return env[node.name]
    if isinstance(node, A.Const) and node.name in _CONSTS:
        return complex(_CONSTS[node.name])
    if isinstance(node, A.Add):
        return sum((_ev(t, env) for t in node.terms), complex(0))
    if isinstance(node, A.Mul):
        out: Any = complex(1)
        for f in node.factors:
            v = _ev(f, env)
            both = isinstance(out, np.ndarray) and isinstance(v, np.ndarray)
            out = out @ v if both else out * v
        return out
    if isinstance(node, A.Matrix):
        return np.array([[_ev(x, env) for x in row] for row in node.rows], dtype=complex)
    if isinstance(node, A.Div):
        return _ev(node.num, env) / _ev(node.den, env)
    if isinstance(node, A.Neg):
        return -_ev(node.arg, env)
    if isinstance(node, A.Pow):
        base, exp = _ev(node.base, env), _ev(node.exp, env)
        if abs(exp) > 1e4 or abs(base) > 1e100:
            raise _NotNumeric("power too large")
        return base**exp
    if isinstance(node, A.Abs):
        return complex(abs(_ev(node.arg, env)))
    if isinstance(node, A.Quantity):
        return _ev(node.value, env)
    if isinstance(node, A.Func):
        args = [_ev(a, env) for a in node.args]
        if node.name == "root" and len(args) == 2:
            return args[0] ** (1 / args[1])
        if node.name in ("log", "lg") and len(args) == 1:
            return cmath.log(args[0]) / (math.log(10) if node.name == "lg" else 1)
        if node.name == "factorial" and len(args) == 1 and args[0].real <= 200:
            return complex(math.gamma(args[0].real + 1))
        fn = _FUNCS.get(node.name)
        if fn and len(args) == 1:
            return complex(fn(args[0]))
    raise _NotNumeric(type(node).__name__)


def _close(a: complex, b: complex, tol: float = 1e-8) -> bool:
    if cmath.isinf(a) or cmath.isinf(b):
        return a == b
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def _round_ok(exact: complex, num: A.Num, precision: int | None) -> bool:
    """A written decimal equals a value when it rounds correctly at the places it is written with."""
    if abs(exact.imag) > 1e-12:
        return False
    places = num.places if num.places is not None else 0
    if precision is not None:
        places = min(places, precision) if num.places is not None else places
        if round(exact.real, precision) == round(float(num.value), precision):
            return True
    return num.places is not None and abs(exact.real - float(num.value)) <= 0.5 * 10.0**-places * (1 + 1e-9)


def _parse_leaf(text: str) -> A.Node:
    text = re.sub(r"\\mathrm\s*\{\s*e\s*\}", "e", text)
    return parse(text)


def _scalars_equal(g: A.Node, p: A.Node, precision: int | None) -> bool:
    if isinstance(g, A.Num) and isinstance(p, A.Num):
        if g.value == p.value:
            return True
    if isinstance(p, A.Num) and p.places is not None and not A.free_symbols(g):
        return _round_ok(_ev(g, {}), p, precision)
    if isinstance(g, A.Num) and g.places is not None and not A.free_symbols(p):
        return _round_ok(_ev(p, {}), g, precision)
    tol = 1e-8 if precision is None else max(1e-8, 0.5 * 10.0**-precision)
    for _ in range(_SAMPLES):
        env: dict[str, complex] = {}
        a, b = _ev(g, env), _ev(p, env)
        if cmath.isnan(a) or cmath.isnan(b) or not _close(a, b, tol):
            return False
    return True


def _nodes_equal(g: A.Node, p: A.Node, precision: int | None) -> bool:
    if isinstance(g, A.Matrix) and isinstance(p, A.Matrix):
        if [len(r) for r in g.rows] != [len(r) for r in p.rows]:
            return False
        pairs = zip((x for r in g.rows for x in r), (y for r in p.rows for y in r), strict=True)
        return all(_nodes_equal(x, y, precision) for x, y in pairs)
    if isinstance(g, A.Matrix) or isinstance(p, A.Matrix):  # matrix arithmetic: A + B vs C
        env: dict[str, complex] = {}
        a, b = np.asarray(_ev(g, env)), np.asarray(_ev(p, env))
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-8, atol=1e-10))
    if isinstance(g, (A.Tuple, A.Set, A.Interval, A.Union)) or isinstance(
        p, (A.Tuple, A.Set, A.Interval, A.Union)
    ):
        return g == p
    return _scalars_equal(g, p, precision)


def _rename_single_symbol(g: A.Node, p: A.Node) -> tuple[A.Node, A.Node]:
    """Non-strict mode: ``f(x)`` vs ``f(y)``: with one free symbol on each side, use one name."""
    gs, ps = A.free_symbols(g), A.free_symbols(p)
    if len(gs - ps) == 1 and len(ps - gs) == 1:
        (new,), (old,) = gs - ps, ps - gs
        p = _substitute(p, old, new)
    return g, p


def _substitute(node: A.Node, old: str, new: str) -> A.Node:
    if isinstance(node, A.Sym):
        return A.Sym(new) if node.name == old else node
    values = {}
    for f in node.__dataclass_fields__:
        v = getattr(node, f)
        if isinstance(v, A.Node):
            v = _substitute(v, old, new)
        elif isinstance(v, tuple):
            v = tuple(_substitute(x, old, new) if isinstance(x, A.Node) else x for x in v)
        values[f] = v
    return type(node)(**values)


def leaf_equal(gold: str, pred: str, precision: int | None = None, strict: bool = True) -> bool:
    r"""Whether two single values (numbers, expressions, matrices) are equal, via the engine's parser.

    Expressions are compared on random instances of their symbols; a decimal matches when it
    rounds correctly at the places it is written with (or at ``precision`` places).

    Example: ``leaf_equal(r"\frac{1}{3}", "0.3333")`` → True; ``leaf_equal("x+1", "x+2")`` → False.
    """
    _RNG.seed(20251120)
    try:
        g, p = _parse_leaf(gold), _parse_leaf(pred)
    except GraderError:
        return False
    if not strict:
        g, p = _rename_single_symbol(g, p)
    if g == p:
        return True
    try:
        return _nodes_equal(g, p, precision)
    except (_NotNumeric, ArithmeticError, ValueError, OverflowError):
        return False


def proportional(a: str, b: str, sign: int = 0) -> bool:
    r"""Whether expression ``a`` is a constant nonzero multiple of ``b`` (``sign`` 1: positive, -1: negative).

    Example: ``proportional("x^2/4 + y^2/3 - 1", "x^2/16 + y^2/12 - 1/4")`` → True (factor 4).
    """
    _RNG.seed(20251120)
    try:
        ga, gb = _parse_leaf(a), _parse_leaf(b)
        ratio: complex | None = None
        for _ in range(_SAMPLES):
            env: dict[str, complex] = {}
            va, vb = _ev(ga, env), _ev(gb, env)
            if abs(vb) < 1e-12 or abs(va) < 1e-12:
                if abs(vb) < 1e-12 and abs(va) < 1e-12:
                    continue
                return False
            r = va / vb
            if ratio is None:
                ratio = r
            elif not _close(r, ratio, 1e-7):
                return False
    except (GraderError, _NotNumeric, ArithmeticError, ValueError, OverflowError):
        return False
    if ratio is None or abs(ratio.imag) > 1e-9:
        return False
    return sign == 0 or (ratio.real > 0) == (sign > 0)


# ---------------------------------------------------------------- entry point


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
    g_cands, p_cands = extract_answers(gold), extract_answers(pred)
    g, p = _first_items(g_cands), _first_items(p_cands)
    evidence: dict[str, object] = {
        "gold_candidates": [(c.source, list(c.items)) for c in g_cands[:3]],
        "pred_candidates": [(c.source, list(c.items)) for c in p_cands[:3]],
    }
    if g is None or p is None:
        side = "gold" if g is None else "answer"
        return CheckResult(
            "unparseable", explanation=f"no final answer found in the {side}", evidence=evidence
        )
    (g_cand, g_items), (p_cand, p_items) = g, p
    interpreted, reference = ", ".join(p_items), ", ".join(g_items)
    evidence.update(gold_source=g_cand.source, pred_source=p_cand.source)
    try:
        with time_budget(budget_s):
            same = _Cmp(opts).lists(g_items, p_items)
    except BudgetExceeded:
        return CheckResult(
            "timeout", interpreted, reference, f"comparison ran past its budget of {budget_s:g}s", evidence
        )
    except (GraderError, RecursionError, ValueError, ArithmeticError) as exc:
        return CheckResult("unparseable", interpreted, reference, f"could not compare: {exc}", evidence)
    evidence["seconds"] = round(time.perf_counter() - started, 4)
    if same:
        return CheckResult("correct", interpreted, reference, f"{p_cand.source} answer matches", evidence)
    return CheckResult(
        "incorrect",
        interpreted,
        reference,
        f"{p_cand.source} answer {interpreted!r} ≠ {reference!r}",
        evidence,
    )
