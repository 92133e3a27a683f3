"""Find the formulas of an attempt that state an answer (shared by the formula answer kinds).

Where a model states an answer, in priority order: a ``\\boxed{}`` or an "Answer:" / "Analytical
Solution:" / "Final answer" line, the last equation that defines the answer's symbol, a derivative
with respect to a symbol, and equations between the problem's matrices (optimality conditions).
Every place that states a final answer yields a claim; the checker then sees whether they agree.

This module only finds and slices text; it never evaluates it (parsing, to read a formula's
symbols, is the furthest it goes). Tables are in :mod:`grader.extract_tables`; names, tokens,
options, quantities and prose in :mod:`grader.extract_text`. Each answer kind of
:mod:`grader.answers` picks the finders it needs.
"""

from __future__ import annotations

import re
from typing import Any

from grader.align import Attempt
from grader.claim import Claim
from grader.latex import (
    boxed_contents,
    find_math,
    math_segments,
    normalize_name,
    split_top_level,
    strip_boxes,
)
from grader.mathx.symbols import SymbolTable
from grader.models import Block
from grader.rubric import AnswerSpec, Rubric

__all__ = [
    "ANSWER_HEADING_RE",
    "ANSWER_LINE_RE",
    "block_maths",
    "names_label",
    "condition_equations",
    "defining_claims",
    "final_claims",
    "gradient_claims",
    "split_equations",
    "statements",
    "answer_names",
    "symbol_names",
    "symbol_spellings",
]

ANSWER_HEADING_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:final\s+answer|answer)\s*(?:\*\*)?\s*:?\s*(?:\*\*)?\s*$",
    re.I,
)
"""A line that is only an answer label ("## Final Answer", "**Answer:**"): the formula below is the answer."""
ANSWER_LINE_RE = re.compile(
    r"^[-*>\s]*(?:\d+\.\s*)?(?:\*\*)?\s*(?:final\s+answer|answer|analytical\s+solution|result|final\s+result)"
    r"\s*(?:\*\*)?\s*[:：]",
    re.I,
)


def symbol_names(symbol: str, rubric: Rubric) -> set[str]:
    """The normalised names that denote ``symbol`` (its canonical name and declared aliases)."""
    names = {normalize_name(symbol)}
    decl = rubric.symbols.get(symbol)
    if decl:
        names |= {normalize_name(a) for a in decl.aliases}
    return names


def answer_names(answer: AnswerSpec, rubric: Rubric) -> set[str]:
    """The normalised names that label ``answer``'s value: the symbol it defines (or its id) with that
    symbol's aliases, and the other names the rubric gives it (``names``: the question's own notation,
    the kernel ``K(q, k)`` for a similarity ``sim``), and the names of the other quantities its accepted
    alternatives are the values of (``accept[i].names``)."""
    others = {normalize_name(n) for acc in answer.accept for n in acc.names}
    return (
        symbol_names(answer.defines or answer.id, rubric) | {normalize_name(n) for n in answer.names} | others
    )


_TAG_RE = re.compile(
    r"\^\s*\{\s*(?:\\(?:text|mathrm|rm|operatorname)\s*\{\s*[A-Za-z ]{2,}\}|[A-Z]{2,}|[a-z]{3,})\s*\}"
)
"""A word set as a superscript (``^{DDIM}``, ``^{\\text{new}}``): a tag on a name, not a power."""


def _word_label(lhs: str, names: set[str]) -> bool:
    """A name that is a word ("Output", "\\text{Mean}") in any case: an answer named ``output``. Letters
    and short names keep their case (``W`` is not ``w``)."""
    word = _unbraced(normalize_name(lhs))
    words = {n.lower() for n in names if len(n) >= 3 and n.isalpha()}
    return len(word) >= 3 and word.isalpha() and word.lower() in words


_CALL_RE = re.compile(r"^(.+?)\s*(?:\\left)?\((?:[^()]*)(?:\\right)?\)$")


def names_label(lhs: str, names: set[str]) -> bool:
    """Whether the left side of an equation names the answer: its symbol or an alias (``w^*``,
    ``\\mathbf{L}``), or that name applied to arguments (``sim(q, k)``, ``f(x)``: a definition).

    >>> names_label("sim(q, k)", {"sim"}), names_label(r"\\mathbf{w}^*", {"w"}), names_label("x", {"w"})
    (True, True, False)
    """
    lhs = strip_boxes(lhs).strip()
    flat = {_unbraced(n) for n in names}
    if normalize_name(lhs) in names or _unbraced(normalize_name(lhs)) in flat:
        return True
    if _word_label(lhs, names):
        return True
    untagged = _TAG_RE.sub("", lhs)
    if untagged != lhs and untagged.strip() and names_label(untagged, names):
        return True  # x^{DDIM}_{t-1}: the method's tag on the answer's name
    call = _CALL_RE.match(lhs)
    return call is not None and (
        normalize_name(call.group(1)) in names or _unbraced(normalize_name(call.group(1))) in flat
    )


_SPELLINGS = (
    (re.compile(r"(?:\\|(?<![A-Za-z\\]))[dt]?frac(?![A-Za-z])"), r"\\frac"),
    (re.compile(r"(?:\\|(?<![A-Za-z\\]))varphi(?![A-Za-z])"), r"\\phi"),
    (re.compile(r"(?:\\|(?<![A-Za-z\\]))(?:mathrm|operatorname|mathbb|text)\s*\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\^\s*\{?\s*(?:\\top|\\intercal|⊤|\\mathsf\{T\})\s*\}?"), "^T"),
    (re.compile(r"\^\s*(?:\{\s*(?:\\prime|′|')\s*\}|\\prime(?![A-Za-z])|′)|′"), "'"),
)
"""Spellings of one label that differ only in notation: ``\\dfrac``/``\\frac``, ``\\varphi``/``\\phi``,
``\\mathrm{d}``/``d``, ``\\mathbb{E}``/``E``, ``^\\top``/``^T``, and the primes ``^{\\prime}``,
``^{′}``, ``′`` (a PDF's text layer) / ``'``."""
_LETTERS = {"ℓ": "\\ell", "∂": "\\partial", "∇": "\\nabla"}


def _unbraced(name: str) -> str:
    """A name without braces or spaces (``X_{1}`` and ``X_1`` are one name; ``Δt`` is ``\\Delta t``;
    ``\\frac{dℓ}{dϕ}`` is ``\\frac{d\\ell}{d\\phi}``)."""
    from grader.mathx.lexer import GREEK, UNICODE

    spelled = "".join(
        _LETTERS.get(ch) or (f"\\{UNICODE[ch]}" if UNICODE.get(ch) in GREEK else ch) for ch in name
    )
    for pattern, repl in _SPELLINGS:
        spelled = pattern.sub(repl, spelled)
    return re.sub(r"[{}\s]", "", spelled).lstrip("\\")


def _defines(lhs: str, names: set[str]) -> bool:
    return names_label(lhs, names)


_PLAIN_EQ_RE = re.compile(
    r"^[-*>•\s]*(?:\*\*)?([A-Za-zΔθ∇][\w()_{}^*'\\]{0,24}|[A-Za-z]{1,4}[\[(][^\[\]()=<>]{1,40}[\])])"
    r"\s*(?:\*\*)?\s*=\s*([^=]{1,200}(?:=[^=]{1,200}){0,3})$"
)
"""A line that is an equation in plain text: a name (``u``, ``w_2``) or a short name applied to arguments
(``Var(q k)``, ``E[x y]``: a PDF's text layer drops the scripts and keeps the spaces) on the left, one
value, or after such a quantity a chain of values (``Var(X) = 1 = d``), on the right."""


def _plain_equation(line: str) -> list[str]:
    """A plain-text equation written without $...$ ("u = -(α/2) g"): the whole line as one formula."""
    if "$" in line or "\\(" in line:
        return []
    m = _PLAIN_EQ_RE.match(line.strip())
    if not m or len(re.findall(r"[A-Za-z]{4,}", m.group(2))) > 1:
        return []  # prose with an equals sign, not a formula
    if "=" in m.group(2) and not m.group(1).endswith(("]", ")")):
        return []  # a chain only after a quantity (``Var(X) = 1 = d``): ``Output = v_2 = 4`` may be a
        # vector's middle row that the text layer set on the line of its name
    if re.search(r"=\s*\)|\(\s*=", m.group(2)):
        return []  # an arrow the text layer broke ("=)" for ⟹): the pieces are not one chain
    return [f"{m.group(1)} = {m.group(2).strip().rstrip('.')}"]


def block_maths(blocks: list[tuple[int, Block]], worded: bool = False) -> list[tuple[int, str, str]]:
    """(block index, math, the line it sits in) for every formula of the attempt.

    A line that is only an answer label ("**Answer:**") passes its label to the next formula, which
    models often put on its own display line. With ``worded``, a formula that a word and ``=`` lead into
    carries that word as its label (:func:`_worded_segments`; for answers named by a word).
    """
    out = []
    pending = ""
    for bi, b in blocks:
        if b.kind == "math":
            body = b.text.strip()
            segs = math_segments(body) or [body]
            out += [(bi, s, pending + body) for s in segs]
            pending = ""
        elif b.kind in ("text",):
            for line in b.text.splitlines():
                segs = (_worded_segments(line) if worded else math_segments(line)) or _plain_equation(line)
                if segs:
                    out += [(bi, s, (pending + line) if i == 0 else "") for i, s in enumerate(segs)]
                    pending = ""
                elif (ANSWER_LINE_RE.match(line) or ANSWER_HEADING_RE.match(line)) and len(line.strip()) < 40:
                    pending = "Answer: "
                elif line.strip():
                    pending = ""
    return out


_WORD_BEFORE = re.compile(r"(?:^|[\s*>•(-])([A-Za-z]{3,})\s*=\s*(\d+(?:\.\d+)?|[A-Za-z])?\s*$")
"""A word and an equals sign just before a formula ("Output = $v_2 = ...$"): the word labels its value;
with a number or a letter between them, the first term of the formula, left out of the math by the text
layer ("output = 0 $· v_1 + 1 · v_2$")."""
_CONTINUES = re.compile(r"[·⋅*×+\-−=]|\\(?:cdot|times)(?![A-Za-z])")
"""How a formula that continues a term written before it starts: an operator or an equals sign."""


def _worded_segments(line: str) -> list[str]:
    """The formulas of a line, the first one with the word that labels it outside the math, when a
    word and ``=`` lead into it ("Output = $v_2 = [1, 4, 3]$" gives ``Output = v_2 = [1, 4, 3]``; and
    "output = 0 $· v_1 + v_2$", whose first term the text layer left outside the math, gives
    ``output = 0 · v_1 + v_2``).

    >>> _worded_segments("output = 0 $· v_{1} + 1 · v_{2}$"), _worded_segments("so x = 2 $y = 3$")
    (['output = 0 · v_{1} + 1 · v_{2}'], ['y = 3'])
    """
    found = find_math(line)
    segs = [content.strip() for _, _, content in found]
    if found:
        m = _WORD_BEFORE.search(line[: found[0][0]])
        if m and segs[0]:
            if m.group(2) is None:
                segs[0] = f"{m.group(1)} = {segs[0]}"
            elif _CONTINUES.match(segs[0]):
                segs[0] = f"{m.group(1)} = {m.group(2)} {segs[0]}"
    return segs


_IMPLIES_RE = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow|therefore|qquad|quad)(?![A-Za-z])|⟹|⇒")


DEFINING = ("=", "\\approx", "≈", "\\sim", "∼")
"""Relations by which a statement gives its left side a value: equal, approximately, distributed as
(``X_1 \\sim \\mathcal{N}(0, 1 + \\sigma^2)`` states the distribution of X_1)."""


def split_equations(piece: str) -> list[str]:
    """Equations joined by commas in one formula, apart: ``g_3 = a, g_4 = b`` -> ``[g_3 = a, g_4 = b]``.

    Only when every comma-separated piece is itself an equation with a name on its left; a list
    (``x = 1, 2``) or a tuple inside brackets stays whole.

    >>> split_equations("g_3 = [1, 2], g_4 = 3"), split_equations("x = 1, 2")
    (['g_3 = [1, 2]', 'g_4 = 3'], ['x = 1, 2'])
    """
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(piece):
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == ";" or (ch == "," and not piece[i + 1 : i + 2].isdigit())):
            pieces.append(piece[start:i])
            start = i + 1
    pieces.append(piece[start:])
    pieces = [re.sub(r"^\s*(?:\\quad|\\qquad|\\text\{\s*and\s*\}|and)\s*", "", p).strip() for p in pieces]
    if len(pieces) < 2 or not all(_names_left(p) for p in pieces):
        return [piece.strip()]
    return pieces


def _names_left(piece: str) -> bool:
    chain = split_top_level(piece, DEFINING)
    if len(chain) < 2 or not chain[-1][1]:
        return False
    return bool(
        re.fullmatch(r"(?:\\[A-Za-z]+\s*)*\{?\\?[A-Za-z][\w\\{}^'*,]*\}?(?:\([^()]*\))?", chain[0][1].strip())
    )


def statements(math: str) -> list[tuple[str, bool]]:
    """The statements of a formula: each boxed part, the pieces between implication arrows, and
    equations joined by commas apart (:func:`split_equations`).

    Returns (statement, boxed). ``\\boxed{\\theta} = a`` (a box around the label only) keeps the
    whole equation as one boxed statement.
    """
    boxed = boxed_contents(math)
    out: list[tuple[str, bool]] = []
    for inner in boxed:
        if len(split_top_level(inner)) >= 2:
            out += [(eq, True) for eq in split_equations(inner.strip())]
    if boxed and not out:
        return [(strip_boxes(math), True)]
    rest = math
    for inner in boxed:
        rest = rest.replace(f"\\boxed{{{inner}}}", " ")
    for piece in _IMPLIES_RE.split(rest):
        if piece.strip():
            out += [(eq, False) for eq in split_equations(piece.strip())]
    return out


def defining_claims(
    attempt: Attempt, answer: AnswerSpec, names: set[str], bare_ok: bool = False
) -> list[Claim]:
    """Equations that define the answer's symbol (``names``: its spellings, see :func:`names_label`), or
    whose left side is the quantity the attempt's heading restates (:attr:`Attempt.quantities`).

    With ``bare_ok``, also every unlabelled boxed or "Answer:" formula: only for a caller that knows the
    answer is the one such statements are about (:mod:`grader.extract_assign` decides that for a part
    with several answers).
    """
    claims: list[Claim] = []
    asked = {_unbraced(normalize_name(q)) for q in attempt.quantities}
    for bi, math, line in block_maths(attempt.blocks, worded=True):
        for statement, boxed in statements(math):
            chain = split_top_level(statement, DEFINING)
            labelled = bool(ANSWER_LINE_RE.match(line)) or boxed
            if len(chain) == 1 and bare_ok and labelled and chain[0][1]:
                claims.append(
                    Claim(
                        answer.id, statement, chain[0][1], "boxed" if boxed else "answer-line", bi, bare=True
                    )
                )
                continue
            if len(chain) < 2 or not (_defines(chain[0][1], names) or _restates(chain[0][1], asked)):
                continue
            # a side that is itself a name of the answer ("x = e = -b/w") restates the label, not a value
            values = [v for _, v in chain_values(chain) if v and v not in ("0",) and not _defines(v, names)]
            source = "boxed" if boxed else ("answer-line" if ANSWER_LINE_RE.match(line) else "equation")
            claims += [Claim(answer.id, statement, v, source, bi) for v in values]
    return claims


_APPROX = ("\\approx", "≈")


def chain_values(chain: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The values of a chain ``lhs = a = b ≈ c ≈ d`` that state the left side: those tied to it by
    ``=`` (or another exact relation) before the first approximation, the last one, and a value between
    them only when it does not agree with the last one to leading order
    (:func:`grader.approx_chain.leading_order_agree`): ``≈ \\frac{s^2}{s^2+1} ≈ s^2(1 - s^2) ≈ s^2`` narrows
    a simplification to its last value for a small ``s``; ``≈ -a g ≈ -\\frac{a}{2} g`` states two values.

    >>> [v for _, v in chain_values([("", "v"), ("≈", "s^2/(s^2+1)"), ("≈", "s^2(1 - s^2)"), ("≈", "s^2")])]
    ['s^2']
    >>> [v for _, v in chain_values([("", "u"), ("=", "x"), ("≈", "-a g"), ("≈", "-a g/2")])]
    ['x', '-a g', '-a g/2']
    """
    from grader.approx_chain import leading_order_agree

    values = chain[1:]
    if not values or values[-1][0] not in _APPROX:
        return values
    first = next((i for i, (rel, _) in enumerate(values) if rel in _APPROX), len(values))
    last = values[-1]
    middle = [(rel, v) for rel, v in values[first:-1] if not (v and leading_order_agree(v, last[1]))]
    return [*values[:first], *middle, last]


def _restates(lhs: str, asked: set[str]) -> bool:
    """Whether the left side of an equation is the quantity a heading says the part computes
    (:attr:`grader.align.Attempt.quantities`), in any of its spellings."""
    return bool(asked) and _unbraced(normalize_name(strip_boxes(lhs).strip())) in asked


def _last_group(claims: list[Claim]) -> list[Claim]:
    """The claims of the last stated equation (all pieces of its chain)."""
    if not claims:
        return []
    last_text = claims[-1].text
    return [c for c in claims if c.text == last_text and c.block == claims[-1].block]


def final_claims(
    claims: list[Claim], rubric: Rubric | None = None, table: SymbolTable | None = None
) -> list[Claim]:
    """Boxed and answer-line claims when there are any (each a final statement), else the last equation.

    Without a marked answer, the last equation in the problem's own symbols is preferred over a
    later working form with a free constant (``\\theta_t = c_t a``, ``u = -r\\,\\mathrm{sign}(g)``).
    """
    marked = [c for c in claims if c.source in ("boxed", "answer-line")]
    if marked:
        return marked
    if rubric is not None:
        closed = [c for c in claims if _in_problem_symbols(c.value, table or rubric.symbol_table())]
        if closed:
            return _last_group(closed)
    return _last_group(claims)


def _in_problem_symbols(value: str, table: SymbolTable) -> bool:
    """Whether a formula uses only the declared symbols of ``table`` (parsed, never evaluated)."""
    from grader import mathx
    from grader.errors import BudgetExceeded, GraderError

    try:
        node = mathx.parse(value, table, budget_s=0.5)
    except (GraderError, BudgetExceeded, RecursionError):
        return False
    return mathx.free_symbols(node) <= set(table.symbols)


def symbol_spellings(symbol: str, rubric: Rubric, table: SymbolTable | None = None) -> list[str]:
    """How a symbol may be written (canonical name, aliases, and ``W_2`` for ``W2``), braces and spaces removed.

    ``table``: the symbols in force for a part or answer (its own declarations merged), else the rubric's.
    """
    spec = (table or rubric.symbol_table()).get(symbol)
    raw = [symbol, *(spec.aliases if spec else [])]
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", symbol)
    if m:
        raw.append(f"{m.group(1)}_{m.group(2)}")
    return sorted({re.sub(r"[\s{}]", "", r) for r in raw if r}, key=len, reverse=True)


def _is_derivative_of(lhs: str, spellings: list[str]) -> bool:
    """``\\frac{\\partial L}{\\partial W_2}``, ``\\partial_{W_2} L``, ``\\nabla_{W_2} L`` for a spelling of W2."""
    flat = re.sub(r"[\s{}]", "", lhs.replace("∂", "\\partial ").replace("∇", "\\nabla "))
    flat = flat.replace("\\mathbf", "").replace("\\boldsymbol", "")
    for sp in spellings:
        for op in ("\\partial", "\\nabla_", "\\partial_"):
            at = flat.find(op + sp)
            if at != -1:
                end = at + len(op + sp)
                if end == len(flat) or not flat[end].isalnum():
                    return True
    return False


def gradient_claims(
    attempt: Attempt, answer: AnswerSpec, variable: str, rubric: Rubric, table: SymbolTable | None = None
) -> list[Claim]:
    """Equations whose left side is a derivative with respect to ``variable`` (last stated one)."""
    spellings = symbol_spellings(variable, rubric, table)
    claims = []
    for bi, math, _line in block_maths(attempt.blocks):
        chain = split_top_level(math)
        if len(chain) < 2 or not _is_derivative_of(chain[0][1], spellings):
            continue
        if re.search(r"\\partial|\\nabla|∂|∇", chain[1][1]):
            continue
        values = [v for _, v in chain[1:] if v.strip() not in ("0", "")]
        if values:
            claims.append(Claim(answer.id, math, values[-1], "equation", bi))
    return claims[-1:]


_EQ_NUMBER_RE = re.compile(r"\\quad\s*\(\d+\)\s*$|\\tag\{[^}]*\}\s*$|\(\d+\)\s*$")


def condition_equations(
    attempt: Attempt,
    variables: list[str],
    allowed: set[str],
    rubric: Rubric,
    table: SymbolTable | None = None,
) -> list[tuple[int, str]]:
    """Equations of an attempt that can state an optimality condition in ``variables``.

    Two forms: a gradient set to zero (``\\nabla_{W_2} L = -2(...) = 0`` gives ``-2(...) = 0``), and an
    equation between non-scalar expressions that mentions one of ``variables``, uses only the
    ``allowed`` symbols (those of the part's objective) and is not a definition (``W_2 = ...``).
    """
    table = table or rubric.symbol_table()
    spellings = [sp for v in variables for sp in symbol_spellings(v, rubric, table)]
    out = []
    for bi, math, _line in block_maths(attempt.blocks):
        for statement, _boxed in statements(math):
            found = _condition_statement(statement, variables, allowed, spellings, table)
            if found:
                out.append((bi, found))
    return out


def _condition_statement(
    statement: str, variables: list[str], allowed: set[str], spellings: list[str], table: Any
) -> str | None:
    """The condition a statement states (see :func:`condition_equations`), or None."""
    from grader import mathx
    from grader.errors import BudgetExceeded, GraderError

    if "=" not in statement:
        return None
    text = _EQ_NUMBER_RE.sub("", statement).strip()
    chain = split_top_level(text)
    if "\\partial" in text or "\\nabla" in text:
        if len(chain) >= 3 and chain[-1][1].strip() == "0" and _is_derivative_of(chain[0][1], spellings):
            return f"{chain[-2][1]} = 0"
        return None
    if len(chain) != 2:
        return None
    try:
        sides = [mathx.parse(side, table, budget_s=0.5) for _, side in chain]
    except (GraderError, BudgetExceeded, RecursionError):
        return None
    names = set().union(*(mathx.free_symbols(n) for n in sides))
    if not names & set(variables) or not names <= allowed or isinstance(sides[0], mathx.Sym):
        return None  # about other symbols, or a definition (W_2 = ...)
    try:
        if mathx.shape_of(sides[0], table).is_scalar:
            return None  # a scalar identity (a trace, a loss value), not a matrix condition
    except mathx.DimensionError:
        pass  # an ill-shaped condition is still a statement of one (and wrong)
    except (GraderError, BudgetExceeded):
        return None
    return text
