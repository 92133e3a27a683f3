"""Claims as written: labels (``u = ...``), chains (``θ = a/‖a‖² = [...]``), and definitions given
alongside (``-\\eta g \\text{ where } \\eta = \\alpha/2``), which are substituted."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from grader.mathx import ast as A
from grader.mathx.lexer import tokenize
from grader.mathx.parser import parse
from grader.mathx.symbols import SymbolTable

_DEF_WORDS = {"where", "with", "let", "here", "whereby", "given"}
_OPEN = {"(", "[", "{"}
_CLOSE = {")", "]", "}"}


@dataclass(frozen=True)
class Claim:
    """A parsed claim: the whole statement, its stated value and how that value was linked."""

    node: A.Node
    value: A.Node
    approx: bool
    definitions: dict[str, A.Node]


def _top_level_relations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the relation/implication tokens at bracket depth 0."""
    tokens = tokenize(text)
    depth = 0
    found: list[tuple[int, int, str]] = []
    for k, tok in enumerate(tokens[:-1]):
        if (tok.kind == "OP" and tok.text in _OPEN) or tok.kind in ("LSET", "BEGIN", "LANGLE"):
            depth += 1
        elif (tok.kind == "OP" and tok.text in _CLOSE) or tok.kind in ("RSET", "END", "RANGLE"):
            depth -= 1
        elif depth == 0 and tok.kind in ("REL", "IMPL"):
            found.append((tok.pos, tokens[k + 1].pos, tok.kind))
    return found


def split_label(text: str, symbols: SymbolTable | None = None) -> tuple[str | None, str]:
    """Split ``label = value``; for a chain the value is the LAST right-hand side.

    The label must read as a symbol (``u``, ``\\theta^*``, ``\\theta_{SGD}``, an alias such as
    ``\\Delta\\theta``); otherwise the whole text is returned as the value.

    Example:
        >>> split_label(r"u = -\\frac{\\alpha}{2} g")
        ('u', '-\\\\frac{\\\\alpha}{2} g')
    """
    try:
        main, rest = _split_definitions(text)
        rels = _top_level_relations(main)
    except Exception:  # noqa: BLE001 - unlexable text has no label
        return None, text.strip()
    if not rels:
        return None, text.strip()
    tail = text[len(main) :] if rest.strip() else ""  # "where \eta = ...": kept with the value
    text = main
    impl = [r for r in rels if r[2] == "IMPL"]
    start = impl[-1][1] if impl else 0
    rels_after = [r for r in rels if r[0] >= start and r[2] == "REL"]
    if not rels_after:
        return None, text[start:].strip()
    label = text[start : rels_after[0][0]].strip()
    value = text[rels_after[-1][1] :].strip()
    try:
        lhs = parse(label, symbols)
    except Exception:  # noqa: BLE001 - a label that does not parse is not a label
        return None, text.strip()
    if is_label(lhs):
        return label, (value + " " + tail.strip()).strip() if tail else value
    return None, (text + tail).strip()


def substitute_node(node: A.Node, target: A.Node, new: A.Node) -> A.Node:
    """Replace every sub-tree equal to ``target`` by ``new``; a product ``target`` is also found as a
    run of factors of a longer product (``K(q, k)`` in ``e^a K(q, k) e^b``)."""
    if node == target:
        return new
    if isinstance(node, A.Mul) and isinstance(target, A.Mul) and len(node.factors) > len(target.factors):
        k, factors, j, found = len(target.factors), [], 0, False
        while j < len(node.factors):
            if node.factors[j : j + k] == target.factors:
                factors.append(new)
                j, found = j + k, True
            else:
                factors.append(substitute_node(node.factors[j], target, new))
                j += 1
        if found:
            return A.Mul(tuple(factors))
    changes: dict[str, object] = {}
    for f in fields(node):
        v = getattr(node, f.name)
        if isinstance(v, A.Node):
            changes[f.name] = substitute_node(v, target, new)
        elif isinstance(v, tuple) and v and isinstance(v[0], A.Node | tuple):
            changes[f.name] = tuple(
                substitute_node(x, target, new)
                if isinstance(x, A.Node)
                else tuple(substitute_node(y, target, new) for y in x)
                for x in v
            )
    return replace(node, **changes) if changes else node  # type: ignore[arg-type]


def _split_definitions(text: str) -> tuple[str, str]:
    tokens = tokenize(text)
    for k, tok in enumerate(tokens[:-1]):
        if tok.kind in ("TEXT", "WORD") and tok.text.strip(" ,.:").lower() in _DEF_WORDS:
            return text[: tok.pos], text[tokens[k + 1].pos :]
    return text, ""


def is_label(node: A.Node) -> bool:
    """A left-hand side that names the value, not an expression: ``u``, ``\\theta^*``, ``u_i``, an
    undeclared function applied (``\\mathrm{Var}(w)``, ``\\mathbb{E}[x]``, ``f(x)``), or the
    derivative (``\\frac{\\partial L}{\\partial W_2}``, ``\\frac{d}{dx} x^2``), or the letter ``e`` or ``i``."""
    from grader.mathx.resolve import FUNCTIONS

    if isinstance(node, A.Sym | A.Index):
        return True
    if isinstance(node, A.Transpose) and isinstance(node.arg, A.Sym):
        return True  # y' = ...: a derivative written with a prime
    if isinstance(node, A.Mul) and len(node.factors) == 2:
        # f(x) = ..., L(w) = ...: function notation (the parser reads f·x); n(n-1) is not a label
        head, arg = node.factors
        args = arg.items if isinstance(arg, A.Tuple) else (arg,)
        head_name = (
            head.arg.name
            if isinstance(head, A.Transpose) and isinstance(head.arg, A.Sym)
            else (head.name if isinstance(head, A.Sym) else "")
        )
        return len(head_name) == 1 and head_name.isalpha() and all(isinstance(x, A.Sym) for x in args)
    if isinstance(node, A.Func):
        return node.name not in FUNCTIONS and node.name not in (
            "inner",
            "factorial",
            "binom",
            "root",
            "sqrt",
            "pinv",
            "step",
        )
    if isinstance(node, A.Deriv):
        # \frac{\partial L}{\partial W_2}, \frac{\partial}{\partial x}\|x\|^2: what is asked for, named
        return True
    if isinstance(node, A.Const) and node.name in ("e", "i"):
        return True  # e = -b/w: a letter named e (the number e is never defined by an equation)
    return False


def stated_side(eq: A.Equation) -> A.Node:
    """The value a chain states: its last side, or, when the chain ends in approximations
    (``\\mathrm{Var}(w) = \\frac{\\sigma^2}{1+\\sigma^2} \\approx \\sigma^2``), the last exactly equal side.

    Example:
        >>> stated_side(parse(r"u = a/b \\approx 0.5"))
        Div(num=Sym(name='a'), den=Sym(name='b'))
    """
    exact = [k for k, op in enumerate(eq.ops) if op == "="]
    if exact and exact[-1] < len(eq.ops) - 1:
        return eq.sides[exact[-1] + 1]
    return eq.sides[-1]


def parse_claim(text: str, symbols: SymbolTable | None = None, *, keep_equations: bool = False) -> Claim:
    """Parse a claim: definitions after "where"/"with" are substituted into the main statement.

    Example:
        >>> parse_claim(r"-\\eta g \\text{ where } \\eta = \\alpha/2").value
        Neg(arg=Mul(factors=(Div(num=Sym(name='alpha'), ...), Sym(name='g'))))
    """
    text = re.sub(r"(?<!\.)[.;,]\s*$", "", text.strip()).strip()
    main, rest = _split_definitions(text)
    definitions: dict[str, A.Node] = {}
    if rest.strip():
        for part in re.split(r"\\text\{\s*and\s*\}|\band\b|[,;]|\\quad", rest):
            if not part.strip():
                continue
            node = parse(part.strip().rstrip("."), symbols)
            if isinstance(node, A.Equation) and isinstance(node.sides[0], A.Sym):
                definitions[node.sides[0].name] = node.sides[-1]
    node = A.substitute(parse(main.strip().rstrip(",;:"), symbols), definitions)
    approx = False
    value = node
    while True:
        if isinstance(value, A.Implies):
            value = value.items[-1]
        elif isinstance(value, A.Equation) and not (keep_equations and not is_label(value.sides[0])):
            # "u = ... = value": the value is the last side; with keep_equations, an equation between
            # expressions ("2x + 4y - 3 = 0") stays an equation (compared as one)
            approx = "=" not in value.ops
            value = stated_side(value)
        else:
            break
    return Claim(node, value, approx, definitions)
