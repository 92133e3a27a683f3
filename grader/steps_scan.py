"""Read the working of an attempt as a sequence of statements whose sides are classified.

Used by :mod:`grader.steps`. A *statement* is one relation chain ``A = B = C`` of a math segment
(segments are split at ``\\implies`` / ``\\Rightarrow``); each *side* is classified from its LaTeX
before anything is parsed:

* ``grad``: the gradient of the part's objective (``\\nabla_{x} J``, ``\\frac{\\partial J}{\\partial x}``);
* ``dop``: a derivative operator applied to an expression (``\\frac{\\partial}{\\partial W} \\text{tr}(..)``);
* ``name``: the objective's name as a transcript writes it (``J(\\Delta\\theta)``, ``\\mathcal{L}``);
* ``expr``: any other side that parses (``node`` holds the AST); ``None`` where it does not.

This module never evaluates anything; parse failures simply leave ``node`` empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader.align import Attempt
from grader.errors import BudgetExceeded, MathParseError
from grader.latex import boxed_contents, split_top_level, strip_markup
from grader.mathx import ast as A
from grader.mathx import parse
from grader.mathx.symbols import SymbolTable

PARSE_BUDGET_S = 0.4
"""Seconds allowed for parsing one side."""

_MATH_RE = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\$(.+?)\$|\\\((.+?)\\\)", re.S)
_IMPLIES_RE = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow|therefore)(?![A-Za-z])")
_DERIV_HINT_RE = re.compile(r"\\partial|\\nabla|\\frac\s*\{\s*d|\bd\s*/\s*d")
_GROUP = r"(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+(?:_\{?\w+\}?)?|[A-Za-z](?:_\{?\w+\}?)?)"


@dataclass
class Side:
    """One side of a relation chain."""

    text: str
    kind: str | None = None  # grad | dop | name | expr | zero | None
    node: A.Node | None = None
    var: str | None = None  # for grad / dop: the variable differentiated by


@dataclass
class Statement:
    """One relation chain of a math segment, where it was found and the prose just before it."""

    block: int
    text: str
    sides: list[Side]
    prose: str = ""  # the text since the previous statement ("Solving for u:")
    after_implies: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def name_key(latex: str) -> str:
    """A spelling of a name reduced for comparison (fonts, spaces, ``\\left``/``\\right`` removed).

    >>> name_key(r"\\mathcal{L}(W_1, W_2; \\mathbf{X})")
    'L(W_1,W_2;X)'
    """
    return strip_markup(latex)


def _ungroup(text: str) -> str:
    text = text.strip()
    return text[1:-1].strip() if text.startswith("{") and text.endswith("}") else text


def _clean_segment(latex: str) -> str:
    for inner in boxed_contents(latex):
        latex = latex.replace(f"\\boxed{{{inner}}}", inner)
    latex = re.sub(r"\\tag\*?\s*\{[^{}]*\}", "", latex)
    latex = re.sub(r"\\q?quad\s*\(\s*\d+\s*\)\s*$", "", latex.strip())
    latex = re.sub(r"\\(?:text|mathrm)\s*\{\s*(?:and|for all|where)[^{}]*\}.*$", "", latex)
    return latex.strip().rstrip(".,;")


def _parse_side(text: str, table: SymbolTable) -> A.Node | None:
    try:
        node = parse(text, table, budget_s=PARSE_BUDGET_S)
    except (MathParseError, RecursionError, ValueError, TypeError, KeyError, IndexError):
        return None
    except BudgetExceeded:
        return None
    if isinstance(node, A.Equation | A.Inequality | A.Implies | A.Set | A.Interval | A.Union | A.Quantity):
        return None
    return node


class Classifier:
    """Classifies sides for one part: its objective names and the variables it is differentiated by."""

    def __init__(self, table: SymbolTable, names: list[str], variables: list[str]) -> None:
        self.table = table
        self.keys = {name_key(n) for n in names}
        self.variables = list(variables)

    def variable(self, latex: str) -> str | None:
        """The canonical name of a variable written ``latex`` if it is one of the part's variables."""
        node = _parse_side(_ungroup(latex), self.table)
        if isinstance(node, A.Sym) and node.name in self.variables:
            return node.name
        return None

    def is_name(self, latex: str) -> bool:
        """Whether ``latex`` is one of the objective's names (``J``, ``\\mathcal{L}(W_1, W_2; X)``)."""
        key = name_key(latex)
        if key in self.keys:
            return True
        head = re.match(r"^([A-Za-z]|\\[A-Za-z]+)(?:_\{?\w+\}?)?\((.*)\)$", key)
        if not head or head.group(1) not in self.keys:
            return False
        # J(u) with a bare name J declared: only when its arguments are the part's variables.
        args = [a for a in re.split(r"[,;]", head.group(2)) if a]
        return bool(args) and all(self.variable(a) for a in args)

    def _grad(self, text: str) -> str | None:
        """The variable of a gradient-of-the-objective side, or None."""
        m = re.match(r"^\\frac\s*\{\s*(?:\\partial|d)\s*(.+?)\}\s*\{\s*(?:\\partial|d)\s*(.+)\}$", text)
        if m and m.group(1).strip() and self.is_name(m.group(1)):
            return self.variable(m.group(2))
        m = re.match(r"^\\nabla\s*(?:_\s*" + _GROUP + r")?\s*(.+)$", text)
        if m and self.is_name(m.group(2)):
            if m.group(1):
                return self.variable(m.group(1))
            arg = re.match(r"^.*?\((.*)\)$", name_key(m.group(2)))
            if arg and self.variable(arg.group(1)):
                return self.variable(arg.group(1))
            return self.variables[0] if len(self.variables) == 1 else None
        return None

    def _dop(self, text: str) -> tuple[str, A.Node] | None:
        m = re.match(r"^\\frac\s*\{\s*(?:\\partial|d)\s*\}\s*\{\s*(?:\\partial|d)\s*(.+?)\}\s*(.+)$", text)
        if not m:
            return None
        var = self.variable(m.group(1))
        node = _parse_side(m.group(2), self.table)
        return (var, node) if var and node is not None else None

    def side(self, text: str) -> Side:
        """Classify one side (see module notes)."""
        side = Side(text)
        if _DERIV_HINT_RE.search(text):
            if (var := self._grad(text)) is not None:
                side.kind, side.var = "grad", var
            elif (dop := self._dop(text)) is not None:
                side.kind, side.var, side.node = "dop", dop[0], dop[1]
            return side
        if self.is_name(text):
            side.kind = "name"
            return side
        node = _parse_side(text, self.table)
        if node is not None:
            side.node = node
            side.kind = "zero" if isinstance(node, A.Num) and node.value == 0 else "expr"
        return side


_INDEX_NAMES = frozenset("ijklmnt")
_INDEX_VALUE_RE = re.compile(r"^(?:-?\d+|[A-Za-z](?:\s*[-+]\s*\d+)?|\d+\s*[-+]\s*[A-Za-z])$")
_RANGE_RE = re.compile(r"\\[lc]?dots|…|\.\.\.|\bto\b|\\text\s*\{\s*to\s*\}")


def index_statement(pieces: list[str], table: SymbolTable) -> bool:
    """Whether a chain is an index or loop statement, not a step: ``i = n``, ``k = 0``, ``t = T - 1``,
    ``i = 1, \\dots, n`` (an index name the rubric does not declare as anything but an integer, set to
    an integer, another index or a range).

    >>> index_statement(["i", "n"], SymbolTable()), index_statement(["x", "n"], SymbolTable())
    (True, False)
    """
    name = pieces[0].strip().strip("{}")
    if name not in _INDEX_NAMES:
        return False
    spec = table.get(name)
    if spec is not None and not spec.integer:
        return False
    rest = "".join(pieces[1:]).strip()
    return bool(_INDEX_VALUE_RE.match(rest) or _RANGE_RE.search(rest))


def statements(attempt: Attempt, classifier: Classifier) -> list[Statement]:
    """The relation chains of an attempt's text and math blocks, in order (annotations skipped).

    Not steps: blocks read lossily (math a PDF's text layer or OCR garbled: what it seems to say is
    not what was written) and index or loop statements (:func:`index_statement`).
    """
    out: list[Statement] = []
    pending = ""  # prose (and one-sided math) since the previous statement
    for bi, block in attempt.blocks:
        if block.kind not in ("text", "math"):
            continue
        if block.fidelity != "exact":
            pending = ""  # nothing read here links the steps around it
            continue
        matches = list(_MATH_RE.finditer(block.text))
        segs = [(m.start(), m.end(), next(g for g in m.groups() if g is not None)) for m in matches]
        if not segs and block.kind == "math":
            segs = [(0, len(block.text), block.text)]
        last_end = 0
        for start, end, latex in segs:
            pending += " " + block.text[last_end:start]
            last_end = end
            parts = _IMPLIES_RE.split(_clean_segment(latex))
            for k, part in enumerate(parts):
                pieces = [p for _, p in split_top_level(part)]
                if len(pieces) < 2 or any(not p for p in pieces) or index_statement(pieces, classifier.table):
                    pending += " " + part
                    continue
                sides = [classifier.side(p) for p in pieces]
                out.append(Statement(bi, part.strip(), sides, pending.strip(), after_implies=k > 0))
                pending = ""
        pending += " " + block.text[last_end:]
    return out
