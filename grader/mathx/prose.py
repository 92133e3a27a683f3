"""Formulas in prose: find them, keep the definitions stated alongside, pick the one that answers.

A model rarely answers with a bare formula: "Setting the gradient to zero, $g + \\frac{2}{\\alpha} u
= 0$, so $u = -\\frac{\\alpha}{2} g$." The last number of such a text is often a side remark
("(which is 45 degrees)", "Check: $2 \\cdot 3 + 1 = 7$", "for all $x \\ne 0$"). This module:

1. :func:`formulas` lists the math of a text in order: ``\\boxed{}``, ``$..$`` / ``\\(..\\)`` /
   ``\\[..\\]`` / ``$$..$$``, and, in plain text, maximal runs of math-looking words
   (``u = -alpha g / 2``);
2. :func:`definitions` collects ``name = expression`` statements that define a symbol the claim
   uses and nobody declared ("let $m = \\beta_1 m_{t-1} + ...$", "where $P = W_2 W_1$");
3. :func:`pick` chooses the formula that answers the target: a box wins; otherwise formulas whose
   form fits the reference (a value for a value, a vector for a vector, an inequality or a set for
   an interval, an equation for an equation), preferring one that names a declared symbol
   (``u = ...``), then the last one. Side remarks never win against a fitting formula: closed
   arithmetic (``2 \\cdot 3 + 1 = 7``), conditions (``x \\ne 0``) when the reference is not a set,
   a lone symbol (``$n$``) when something more is there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from grader.errors import GraderError
from grader.mathx import ast as A
from grader.mathx.extract import find_boxes, find_math
from grader.mathx.parser import parse
from grader.mathx.symbols import SymbolTable

MAX_FORMULAS = 40
"""Formulas considered per text (the last ones)."""

_FUNCTION_WORDS = {
    "sin", "cos", "tan", "log", "ln", "exp", "sqrt", "alpha", "beta", "gamma", "delta", "eta", "theta",
    "lambda", "mu", "sigma", "pi", "sign", "sgn", "max", "min",
}  # fmt: skip
_PROSE_WORDS = {"a", "A", "I"}  # single letters that are usually English in running text


_MARKUP = re.compile(
    r"\\(?:text|textrm|textbf|textit|mathrm|mathbf|mathit|mathsf|mathcal|mathbb|operatorname\*?|begin|end|"
    r"boldsymbol|mbox)\s*\{[^{}]*\}|\\[A-Za-z]+"
)

# A subscript or superscript group is a name's index (``\pi_{ref}``, ``w^{old}``), not prose.
_INDEX = re.compile(r"[_^]\{[^{}]*\}")


def looks_like_prose(text: str, symbols: SymbolTable | None = None) -> bool:
    """Whether a claim is prose around math rather than one formula: math delimiters with text
    outside them, or English words that are no symbol, function or keyword of the engine.

    Example:
        >>> looks_like_prose("Each worker gets $n/M$ samples."), looks_like_prose(r"\frac{n}{M}")
        (True, False)
    """
    from grader.mathx.claims import _DEF_WORDS
    from grader.mathx.resolve import KEYWORDS, _vocab_cached

    envs = find_math(text)
    if envs:
        outside = text
        for start, end, _ in reversed(envs):
            outside = outside[:start] + outside[end:]
        if re.search(r"[A-Za-z0-9]", outside):
            return True
    bare = _MARKUP.sub(" ", _INDEX.sub(" ", text))
    vocab = set(_vocab_cached(symbols or SymbolTable())) | KEYWORDS | _DEF_WORDS
    return any(w not in vocab for w in re.findall(r"(?<![A-Za-z\\])[A-Za-z]{3,}(?![A-Za-z])", bare))


@dataclass(frozen=True)
class Formula:
    """One formula of a text: its math, where it starts, how it was marked up, and whether the prose
    introduces it as a definition ("where $g = \\nabla f$", "with $\\sigma^2 = \\sqrt{D}$", "let ...")."""

    text: str
    start: int
    source: str  # boxed, math, plain
    defining: bool = False


DEFINING_WORDS = {
    "where", "with", "let", "letting", "given", "here", "denote", "denoting", "define", "defining",
}  # fmt: skip
"""Words that introduce a formula as a definition rather than an answer."""


def _defining(lead: str) -> bool:
    """Whether the prose right before a formula (its last three words, in the same clause) introduces
    it as a definition."""
    clause = re.split(r"[.;:!?]\s|\n", lead)[-1]
    words = re.findall(r"[A-Za-z]+", _MARKUP.sub(" ", clause))[-3:]
    return any(w.lower() in DEFINING_WORDS for w in words)


def _mathy(word: str) -> bool:
    """Whether a whitespace-separated word of plain text looks like math (module notes)."""
    bare = word.strip(".,;:")
    core = bare.strip("()[]{}")
    if not core:
        return bool(bare) and bare in "()[]{}"
    if re.fullmatch(r"[A-Za-z]{2,}(?:-[A-Za-z]{2,})+", core):
        return False  # reduce-scatter, speed-up: English
    if re.search(r"[=+\-*/^<>≤≥≠≈|_\\]", core) or re.fullmatch(r"[0-9][0-9.,]*", core):
        return True
    if re.fullmatch(r"[A-Za-z][0-9]*", core):
        return core not in _PROSE_WORDS
    head = re.match(r"[A-Za-z]+", core)
    return head is not None and head.group(0).lower() in _FUNCTION_WORDS


_CASES_ENV = re.compile(r"\\begin\{(d?cases)\}.*?\\end\{\1\}", re.DOTALL)


def _plain_spans(text: str) -> list[tuple[int, str]]:
    """Runs of math-looking words in plain text (``u = -alpha g / 2``), with their offsets."""
    spans: list[tuple[int, str]] = []
    run: list[tuple[int, str]] = []

    def close() -> None:
        if run:
            words = [w for _, w in run]
            joined = " ".join(words).rstrip(".,;:")
            if joined.strip("()[]{} "):
                spans.append((run[0][0], joined))
            run.clear()

    # a piecewise definition is one formula of its own: its "&" and "\\\\" and the conditions in it
    # ("φ(x) = 0") are no formulas (a condition read alone would pass for a definition)
    envs = [(e.start(), e.end()) for e in _CASES_ENV.finditer(text)]
    for m in re.finditer(r"\S+", text):
        inside = next(((a, b) for a, b in envs if a <= m.start() < b), None)
        if inside is not None:
            if m.start() <= inside[0]:
                close()
            run.append((m.start(), m.group(0)))
            if m.end() >= inside[1]:
                close()
        elif _mathy(m.group(0)):
            run.append((m.start(), m.group(0)))
        else:
            close()
    close()
    return spans


def _tidy(math: str) -> str:
    """A formula without surrounding space and sentence punctuation (units stay: ``2m`` is not 2)."""
    return re.sub(r"(?:\\[,;!]|[\s.,;:])+$", "", math.strip()).strip()


def formulas(text: str) -> list[Formula]:
    """The formulas of ``text`` in order (see module notes); the last ``MAX_FORMULAS``.

    Example:
        >>> [f.text for f in formulas(r"so $u = -\\frac{\\alpha}{2} g$, a step of $\\alpha/2$.")]
        ['u = -\\\\frac{\\\\alpha}{2} g', '\\\\alpha/2']
    """
    found: list[Formula] = []
    boxes = find_boxes(text)
    for start, _end, content in boxes:
        found.append(Formula(_tidy(content), start, "boxed"))
    envs = find_math(text)
    for start, end, content in envs:
        if any(b[0] <= start < b[1] or start <= b[0] < end for b in boxes):
            inner = [b for b in boxes if start <= b[0] < end]
            if inner:
                continue
        found.append(Formula(_tidy(content), start, "math"))
    if not envs and not boxes:
        for start, span in _plain_spans(text):
            found.append(Formula(_tidy(span), start, "plain"))
    found = [f for f in found if f.text.strip()]
    found.sort(key=lambda f: f.start)
    marked = []
    end = 0
    for f in found:
        marked.append(replace(f, defining=_defining(text[end : f.start])))
        end = max(end, f.start + len(f.text))
    return marked[-MAX_FORMULAS:]


@dataclass(frozen=True)
class Parsed:
    """A formula and its parse (None when it does not parse)."""

    formula: Formula
    node: A.Node | None


def parse_all(items: list[Formula], symbols: SymbolTable | None) -> list[Parsed]:
    """Each formula with its parse; one that does not parse keeps ``node`` None."""
    out = []
    for f in items:
        try:
            node: A.Node | None = parse(f.text, symbols)
        except GraderError:
            node = None
        out.append(Parsed(f, node))
    return out


def definitions(parsed: list[Parsed], symbols: SymbolTable) -> dict[str, A.Node]:
    """``name = expression`` statements that define a symbol nobody declared (module notes)."""
    defs: dict[str, A.Node] = {}
    for p in parsed:
        node = p.node
        if isinstance(node, A.Equation) and len(node.sides) == 2 and isinstance(node.sides[0], A.Sym):
            name = node.sides[0].name
            if name not in symbols.symbols and name not in A.free_symbols(node.sides[1]):
                defs[name] = node.sides[1]
    return defs


def rewrites(parsed: list[Parsed], symbols: SymbolTable) -> list[tuple[A.Node, A.Node]]:
    """Other definitions stated alongside, as (what is written, what it stands for) sub-tree
    replacements made in the formula that answers:

    * a power or an application of something nobody declared: ``\\sigma^2 = \\sqrt{D}``,
      ``K(q, k) = \\exp(-\\|q-k\\|^2)`` (the written form is replaced wherever it occurs);
    * another name for a declared symbol: "where $g = \\nabla f(\\theta)$" makes ``\\nabla f(\\theta)``
      stand for ``g`` (the right side uses no declared symbol and is not a number).

    Example: in "with $\\sigma^2 = \\sqrt{D}$, $s = e^{-1/(2\\sigma^2)}$" the second formula reads
    ``e^{-1/(2\\sqrt{D})}``.
    """
    out: list[tuple[A.Node, A.Node]] = []
    declared = set(symbols.symbols)
    for p in parsed:
        node = p.node
        if not (isinstance(node, A.Equation) and len(node.sides) == 2 and node.ops == ("=",)):
            continue
        lhs, rhs = node.sides
        if _written_form(lhs, declared) and not any(n == lhs for n in A.walk(rhs)):
            out.append((lhs, rhs))
        elif (
            isinstance(lhs, A.Sym)
            and lhs.name in declared
            and A.free_symbols(rhs)
            and not A.free_symbols(rhs) & declared
        ):
            out.append((rhs, lhs))
    return out


def _written_form(lhs: A.Node, declared: set[str]) -> bool:
    """``\\sigma^2`` (a power of an undeclared symbol), ``K(q, k)`` / ``\\mathrm{sim}(q, k)`` (an
    undeclared function applied to symbols)."""
    if isinstance(lhs, A.Pow):
        return isinstance(lhs.base, A.Sym) and lhs.base.name not in declared and isinstance(lhs.exp, A.Num)
    if isinstance(lhs, A.Mul) and len(lhs.factors) == 2:
        head, args = lhs.factors
        items = args.items if isinstance(args, A.Tuple) else (args,)
        return (
            isinstance(head, A.Sym)
            and head.name not in declared
            and all(isinstance(x, A.Sym) for x in items)
            and isinstance(args, A.Tuple)
        )
    if isinstance(lhs, A.Func):
        from grader.mathx.resolve import FUNCTIONS

        return lhs.name not in FUNCTIONS and all(isinstance(x, A.Sym) for x in lhs.args)
    return False


def _closed_arithmetic(node: A.Node) -> bool:
    return isinstance(node, A.Equation) and not A.free_symbols(node)


def _condition(node: A.Node) -> bool:
    """A condition: an inequality, ``x \\in S``, or a limit ``\\sigma \\to \\infty`` (an arrow from a lone
    symbol is no implication: a symbol is not a statement)."""
    if isinstance(node, A.Implies) and isinstance(node.items[0], A.Sym | A.Index):
        return True
    return isinstance(node, A.Inequality | A.Member)


def is_aside(node: A.Node, *, wants_set: bool = False) -> bool:
    """A formula that is a remark, not an answer: closed arithmetic (``2 \\cdot 3 + 1 = 7``) or,
    unless a set is wanted, a condition (``x \\ne 0``)."""
    return _closed_arithmetic(node) or (not wants_set and _condition(node))


def _lone(node: A.Node) -> bool:
    return isinstance(node, A.Sym | A.Num | A.Const)


def pick(
    parsed: list[Parsed],
    fits: Callable[[A.Node], bool],
    *,
    wants_set: bool = False,
    declared: set[str] | None = None,
) -> Parsed | None:
    """The formula that answers (module notes): ``fits`` says whether a statement's form fits the
    reference; ``wants_set`` keeps inequalities and sets in play; ``declared`` names the symbols a
    label should name to be preferred.

    Example: in "$g + \\frac{2}{\\alpha} u = 0$, so $u = -\\frac{\\alpha}{2} g$" the second.
    """
    usable = [p for p in parsed if p.node is not None]
    if not usable:
        return None
    boxed = [p for p in usable if p.formula.source == "boxed"]
    if boxed:
        return boxed[-1]
    candidates = [p for p in usable if not p.formula.defining] or usable  # "where g = ...": a definition
    candidates = [p for p in candidates if not _closed_arithmetic(p.node)]  # type: ignore[arg-type]
    if not wants_set:
        candidates = [p for p in candidates if not _condition(p.node)] or candidates  # type: ignore[arg-type]
    fitting = [p for p in candidates if fits(p.node)]  # type: ignore[arg-type]
    if not fitting:
        return None
    substantial = [p for p in fitting if not _lone(p.node)] or fitting  # type: ignore[arg-type]
    if declared:
        named = [p for p in substantial if _names_declared(p.node, declared)]  # type: ignore[arg-type]
        if named:
            return named[-1]
    return substantial[-1]


def _names_declared(node: A.Node, declared: set[str]) -> bool:
    if isinstance(node, A.Implies):
        node = node.items[-1]
    if isinstance(node, A.Equation):
        lhs = node.sides[0]
        if isinstance(lhs, A.Index):
            lhs = lhs.base
        return isinstance(lhs, A.Sym) and (lhs.name in declared or lhs.name.removesuffix("_star") in declared)
    return False
