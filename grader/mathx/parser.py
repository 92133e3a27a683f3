"""Hand-written recursive-descent parser: tokens -> typed AST (see ``ast.py``).

Precedence, lowest first: ``,`` (tuple) < ``\\implies`` < relations (``= ≈ < ≤``) < ``\\cup`` <
``+ -`` < ``* / \\cdot`` and implicit products < unary minus < ``^`` and postfix (``^T ' ! %``).
Implicit products and ``/`` share one left-associative level (``1/2n`` is ``(1/2)·n``).
"""

from __future__ import annotations

import sys
from fractions import Fraction

from grader.errors import BudgetExceeded, MathParseError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.lexer import GREEK, Token, tokenize
from grader.mathx.resolve import KEYWORDS, alias_keys, expand_tokens, subscript_name, token_key
from grader.mathx.symbols import SymbolTable

NAMED_FUNCS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "log", "ln", "lg", "exp", "sign", "tr", "diag", "det", "abs",
}  # fmt: skip
FRACS = {"frac", "tfrac", "dfrac", "cfrac"}
MATRIX_ENVS = {"bmatrix", "pmatrix", "matrix", "Bmatrix", "vmatrix", "smallmatrix", "array"}
STARTERS = {"NUM", "WORD", "CMD", "LSET", "LANGLE", "BEGIN", "FUNCNAME"}
DECORATIONS = {
    "hat": "hat",
    "tilde": "tilde",
    "bar": "bar",
    "overline": "bar",
    "widehat": "hat",
    "dot": "dot",
}


_RECURSION_LIMIT = 6000


class Parser:
    """Parses one token list; use :func:`parse`."""

    def __init__(self, tokens: list[Token], symbols: SymbolTable, text: str) -> None:
        self.t = tokens
        self.i = 0
        self.symbols = symbols
        self.text = text
        self.depth = 0
        self.nodes = 0
        self.closers: list[str] = []
        self.bound: list[str] = []
        self.aliases = alias_keys(symbols)

    # -- helpers -----------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.t[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.t[min(self.i + k, len(self.t) - 1)]

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.t[self.i]
        return tok.kind == kind and (text is None or tok.text == text)

    def take(self) -> Token:
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str, text: str | None = None) -> Token:
        if not self.at(kind, text):
            self.fail(f"expected '{text or kind}'")
        return self.take()

    def fail(self, what: str) -> None:
        tok = self.tok
        got = "end of input" if tok.kind == "EOF" else f"'{tok.text}'"
        raise MathParseError(f"{what}, got {got} at {tok.pos}", str(tok.pos))

    def node(self, n: A.Node) -> A.Node:
        self.nodes += 1
        if self.nodes > budget.MAX_NODES:
            raise MathParseError(f"expression too large (over {budget.MAX_NODES} nodes)")
        if self.nodes % 256 == 0:
            budget.check()
        return n

    def enter(self) -> None:
        self.depth += 1
        if self.depth > budget.MAX_DEPTH:
            raise MathParseError(
                f"nesting deeper than {budget.MAX_DEPTH} at {self.tok.pos}", str(self.tok.pos)
            )

    # -- statements --------------------------------------------------------------------------
    def parse_top(self) -> A.Node:
        if self.at("EOF"):
            raise MathParseError("empty expression")
        result = self.parse_items()
        if not self.at("EOF"):
            self.fail("unexpected token")
        return result

    def parse_items(self) -> A.Node:
        items = [self.parse_implies()]
        while self.at("OP", ",") or self.at("OP", ";"):
            self.take()
            items.append(self.parse_implies())
        return items[0] if len(items) == 1 else self.node(A.Tuple(tuple(items)))

    def parse_implies(self) -> A.Node:
        items = [self.parse_relation()]
        while self.at("IMPL"):
            self.take()
            items.append(self.parse_relation())
        return items[0] if len(items) == 1 else self.node(A.Implies(tuple(items)))

    def parse_relation(self) -> A.Node:
        sides = [self.parse_union()]
        ops: list[str] = []
        while self.at("REL"):
            ops.append(self.take().text)
            sides.append(self.parse_union())
        if not ops:
            return sides[0]
        if any(op in "<>≤≥≠" for op in ops):
            return self.node(A.Inequality(tuple(sides), tuple(ops)))
        return self.node(A.Equation(tuple(sides), tuple(ops)))

    def parse_union(self) -> A.Node:
        items = [self.parse_expr()]
        while self.at("UNION"):
            self.take()
            items.append(self.parse_expr())
        if len(items) == 1:
            return items[0]
        return self.node(A.Union(tuple(_as_interval(x) for x in items)))

    # -- arithmetic --------------------------------------------------------------------------
    def parse_expr(self) -> A.Node:
        terms: list[A.Node] = []
        sign = ""
        if self.at("OP", "-") or self.at("OP", "+"):
            sign = self.take().text
        first = self.parse_term()
        terms.append(self.node(A.Neg(first)) if sign == "-" else first)
        while self.at("OP", "+") or self.at("OP", "-") or self.at("OP", "±"):
            op = self.take().text
            if op == "±":
                self.fail("'±' is ambiguous")
            term = self.parse_term()
            terms.append(self.node(A.Neg(term)) if op == "-" else term)
        expr = terms[0] if len(terms) == 1 else self.node(A.Add(tuple(terms)))
        if self.at("TEXT") and self.tok.text not in KEYWORDS:
            expr = self.node(A.Quantity(expr, self.take().text))
        return expr

    def starts_factor(self) -> bool:
        tok = self.tok
        if tok.kind in STARTERS:
            return not (tok.kind == "CMD" and tok.text in ("top",))
        if tok.kind == "OP":
            if tok.text in "([{":
                return True
            if tok.text == "|":
                return "|" not in self.closers
        if tok.kind == "NORM":
            return "‖" not in self.closers
        return False

    def parse_term(self) -> A.Node:
        left = self.parse_unary()
        factors: list[A.Node] = [left]
        while True:
            if self.at("OP", "*"):
                self.take()
                factors.append(self.parse_unary())
            elif self.at("OP", "/"):
                self.take()
                den = self.parse_unary()
                num = factors[0] if len(factors) == 1 else self.node(A.Mul(tuple(factors)))
                factors = [self.node(A.Div(num, _mark_norm(den)))]
            elif self.starts_factor():
                factors.append(self.parse_power())
            else:
                break
        return factors[0] if len(factors) == 1 else self.node(A.Mul(tuple(factors)))

    def parse_unary(self) -> A.Node:
        negs = 0
        while self.at("OP", "-") or self.at("OP", "+"):
            negs += self.take().text == "-"
        node = self.parse_power()
        return self.node(A.Neg(node)) if negs % 2 else node

    def parse_power(self) -> A.Node:
        base = self.parse_primary()
        while True:
            if self.at("OP", "^"):
                self.take()
                base = self.parse_exponent(base)
            elif self.at("OP", "'") or self.at("CMD", "top"):
                self.take()
                base = self.node(A.Transpose(base))
            elif self.at("OP", "!"):
                self.take()
                base = self.node(A.Func("factorial", (base,)))
            elif self.at("PERCENT"):
                self.take()
                if isinstance(base, A.Num):
                    places = None if base.places is None else base.places + 2
                    base = A.Num(base.value / 100, base.text + "%", places)
                else:
                    base = self.node(A.Div(base, A.Num(Fraction(100), "100")))
            elif self.at("DEGREE"):
                self.take()
                base = self.node(A.Quantity(base, "deg"))
            else:
                return base

    def parse_exponent(self, base: A.Node) -> A.Node:
        tok = self.tok
        if (tok.kind == "WORD" and tok.text == "T" and "T" not in self.symbols.symbols) or (
            tok.kind == "CMD" and tok.text in ("top", "intercal", "mathsf")
        ):
            self.take()
            if isinstance(base, A.Tuple) and all(not isinstance(x, A.Matrix) for x in base.items):
                return self.node(A.Matrix(tuple((x,) for x in base.items)))
            if (
                isinstance(base, A.Matrix)
                and all(len(r) == 1 for r in base.rows)
                and getattr(base, "rows", None)
            ):
                return base  # [a, b, c]^T: a list literal is already a column (see package notes)
            return self.node(A.Transpose(base))
        if tok.kind == "DEGREE":
            self.take()
            return self.node(A.Quantity(base, "deg"))
        if tok.kind == "OP" and tok.text == "*":
            self.take()
            return A.Sym(base.name + "_star") if isinstance(base, A.Sym) else base
        if tok.kind == "OP" and tok.text in "-+":
            self.take()
            exp = self.parse_power()
            exp = self.node(A.Neg(exp)) if tok.text == "-" else exp
        else:
            exp = self.parse_primary()
            if self.at("OP", "^"):  # right-associative: 2^3^2 = 2^(3^2)
                self.take()
                exp = self.parse_exponent(exp)
        return self.node(A.Pow(_mark_norm(base), exp))

    # -- atoms ----------------------------------------------------------------------------------
    def match_alias(self) -> str | None:
        for keys, name in self.aliases:
            n = len(keys)
            if self.i + n <= len(self.t) and all(token_key(self.t[self.i + k]) == keys[k] for k in range(n)):
                self.i += n
                return name
        return None

    def parse_primary(self) -> A.Node:
        self.enter()
        try:
            return self._primary()
        finally:
            self.depth -= 1

    def _primary(self) -> A.Node:
        name = self.match_alias() if self.aliases else None
        if name is not None:
            return self.parse_subscript(name)
        tok = self.tok
        if tok.kind == "NUM":
            self.take()
            assert tok.value is not None
            return self.node(A.Num(tok.value, tok.text, tok.places))
        if tok.kind == "WORD":
            self.take()
            if tok.text in KEYWORDS:
                self.i -= 1
                self.fail("unexpected word")
            if tok.text in self.symbols.functions and self.at("OP", "("):
                return self.node(A.Func(tok.text, self.parse_call_args()))
            if tok.text == "e" and "e" not in self.symbols.symbols and not self.at("OP", "_"):
                return self.node(A.Const("e"))
            if tok.text == "I" and "I" not in self.symbols.symbols and self.symbols.symbols:
                return self.node(A.Const("I"))
            return self.parse_subscript(tok.text)
        if tok.kind == "CMD":
            return self.parse_command()
        if tok.kind == "OP":
            if tok.text == "(":
                return self.parse_paren()
            if tok.text == "[":
                return self.parse_bracket()
            if tok.text == "{":
                self.take()
                inner = self.parse_items()
                self.expect("OP", "}")
                return inner
            if tok.text == "|":
                self.take()
                self.closers.append("|")
                inner = self.parse_items()
                self.closers.pop()
                self.expect("OP", "|")
                return self.node(A.Abs(inner))
        if tok.kind == "NORM":
            return self.parse_norm()
        if tok.kind == "LSET":
            self.take()
            items: list[A.Node] = []
            if not self.at("RSET"):
                items.append(self.parse_implies())
                while self.at("OP", ","):
                    self.take()
                    items.append(self.parse_implies())
            self.expect("RSET")
            return self.node(A.Set(tuple(items)))
        if tok.kind == "LANGLE":
            self.take()
            a = self.parse_expr()
            self.expect("OP", ",")
            b = self.parse_expr()
            self.expect("RANGLE")
            return self.node(A.Func("inner", (a, b)))
        if tok.kind == "BEGIN":
            return self.parse_env()
        if tok.kind == "FUNCNAME":
            self.fail(f"unknown function '{tok.text}'")
        self.fail("unexpected token")
        raise AssertionError  # unreachable

    def parse_subscript(self, name: str) -> A.Node:
        if not self.at("OP", "_"):
            return self.node(A.Sym(name))
        self.take()
        sub = self.subscript_text()
        spec = self.symbols.get(name)
        is_index = sub.isalpha() and len(sub) == 1 and sub not in self.symbols.symbols
        if is_index and (sub in self.bound or (spec is not None and spec.kind == "vector")):
            return self.node(A.Index(A.Sym(name), sub))
        return self.node(A.Sym(subscript_name(name, sub, self.symbols)))

    def subscript_text(self) -> str:
        tok = self.tok
        if tok.kind == "OP" and tok.text == "{":
            start = self.i
            depth = 0
            while not self.at("EOF"):
                t = self.take()
                depth += (t.kind, t.text) == ("OP", "{")
                depth -= (t.kind, t.text) == ("OP", "}")
                if depth == 0:
                    break
            return "".join(t.text for t in self.t[start + 1 : self.i - 1])
        if tok.kind in ("WORD", "NUM", "CMD"):
            self.take()
            return tok.text
        self.fail("bad subscript")
        raise AssertionError

    def parse_arg(self) -> A.Node:
        """One argument of ``\\frac``/``\\sqrt``: a braced group or a single token."""
        tok = self.tok
        if tok.kind == "NUM" and not tok.braced and tok.text.isdigit() and len(tok.text) > 1:
            tok = self.take()  # \frac12 -> 1 and 2
            rest = Token("NUM", tok.text[1:], tok.pos + 1, Fraction(int(tok.text[1:])))
            self.t.insert(self.i, rest)
            return A.Num(Fraction(int(tok.text[0])), tok.text[0])
        return self.parse_primary()

    def parse_call_args(self) -> tuple[A.Node, ...]:
        self.expect("OP", "(")
        args = [self.parse_implies()]
        while self.at("OP", ","):
            self.take()
            args.append(self.parse_implies())
        self.expect("OP", ")")
        return tuple(args)

    def parse_command(self) -> A.Node:
        tok = self.take()
        name = tok.text
        if name in FRACS:
            num = self.parse_arg()
            den = self.parse_arg()
            return self.node(A.Div(num, _mark_norm(den)))
        if name in ("binom", "dbinom", "tbinom"):
            return self.node(A.Func("binom", (self.parse_arg(), self.parse_arg())))
        if name == "sqrt":
            if self.at("OP", "["):
                self.take()
                index = self.parse_expr()
                self.expect("OP", "]")
                return self.node(A.Func("root", (self.parse_arg(), index)))
            return self.node(A.Func("sqrt", (self.parse_arg(),)))
        if name == "boxed":
            return self.parse_arg()
        if name == "infty":
            return A.Const("inf")
        if name == "ones":
            return A.Const("ones")
        if name == "pi" and "pi" not in self.symbols.symbols:
            return A.Const("pi")
        if name in DECORATIONS:
            inner = self.parse_arg()
            return A.Sym(f"{inner.name}_{DECORATIONS[name]}") if isinstance(inner, A.Sym) else inner
        if name in ("sum", "max", "min", "prod") and self.at("OP", "_"):
            return self.parse_reduce(name)
        if name in ("max", "min"):
            return self.node(A.Func(name, self.parse_call_args()))
        if name in NAMED_FUNCS:
            return self.parse_function(name)
        if name == "nabla":
            label = "grad"
            if self.at("OP", "_"):
                self.take()
                label += "_" + self.subscript_text()
            if self.at("WORD"):
                label += "_" + self.take().text
                if self.at("OP", "("):
                    self.parse_call_args()
            return self.node(A.Sym(label))
        if name in GREEK:
            return self.parse_subscript(name)
        self.i -= 1
        self.fail(f"unsupported command '\\{name}'")
        raise AssertionError

    def parse_function(self, name: str) -> A.Node:
        power: A.Node | None = None
        base: A.Node | None = None
        if self.at("OP", "_") and name in ("log", "lg"):
            self.take()
            base = self.parse_arg()
        if self.at("OP", "^"):
            self.take()
            power = self.parse_arg()
        if self.at("OP", "("):
            args = self.parse_call_args()
        else:
            self.enter()
            arg_factors = [self.parse_power()]
            while self.starts_factor() and not self.at("CMD") and not self.at("BEGIN"):
                arg_factors.append(self.parse_power())
            self.depth -= 1
            args = (arg_factors[0] if len(arg_factors) == 1 else self.node(A.Mul(tuple(arg_factors))),)
        node: A.Node = self.node(A.Func(name, args + ((base,) if base is not None else ())))
        if name == "abs":
            node = A.Abs(args[0])
        return self.node(A.Pow(node, power)) if power is not None else node

    def parse_reduce(self, name: str) -> A.Node:
        self.expect("OP", "_")
        sub = self.subscript_text()
        index = sub.split("=")[0].strip() or "i"
        if self.at("OP", "^"):
            self.take()
            self.parse_arg()
        self.bound.append(index)
        try:
            if self.at("OP", "("):
                body = self.parse_power()
            else:
                body = self.parse_term()
        finally:
            self.bound.pop()
        if name == "prod":
            self.fail("\\prod over components is not supported")
        return self.node(A.Reduce(name, index, body))

    def parse_norm(self) -> A.Node:
        self.take()
        self.closers.append("‖")
        inner = self.parse_items()
        self.closers.pop()
        self.expect("NORM")
        p = "2"
        if self.at("OP", "_"):
            self.take()
            sub = self.subscript_text().replace("\\", "")
            p = {"infty": "inf", "inf": "inf", "1": "1", "2": "2", "F": "F", "fro": "F"}.get(sub, "")
            if not p:
                self.fail(f"unknown norm subscript '{sub}'")
        return self.node(A.Norm(inner, p))

    def parse_paren(self) -> A.Node:
        self.take()
        items = [self.parse_implies()]
        while self.at("OP", ","):
            self.take()
            items.append(self.parse_implies())
        if self.at("OP", "]") and len(items) == 2:
            self.take()
            return self.node(A.Interval(items[0], items[1], False, True))
        self.expect("OP", ")")
        return items[0] if len(items) == 1 else self.node(A.Tuple(tuple(items)))

    def parse_bracket(self) -> A.Node:
        self.take()
        rows: list[A.Node] = [self.parse_implies()]
        while self.at("OP", ",") or self.at("OP", ";"):
            self.take()
            rows.append(self.parse_implies())
        if self.at("OP", ")") and len(rows) == 2:
            self.take()
            return self.node(A.Interval(rows[0], rows[1], True, False))
        self.expect("OP", "]")
        if len(rows) == 1 and isinstance(rows[0], A.Matrix) and len(rows[0].rows[0]) > 1:
            return rows[0]  # \left[\begin{array}{cc} ... \end{array}\right]: brackets drawn around a matrix
        if all(isinstance(r, A.Matrix) for r in rows) and len(rows) > 1:
            mats = [r for r in rows if isinstance(r, A.Matrix)]
            if len({len(m.rows) for m in mats}) == 1 and all(len(row) == 1 for m in mats for row in m.rows):
                return self.node(A.Matrix(tuple(tuple(row[0] for row in m.rows) for m in mats)))
        return self.node(A.Matrix(tuple((r,) for r in rows)))

    def parse_env(self) -> A.Node:
        env = self.take().text
        if env not in MATRIX_ENVS:
            self.i -= 1
            self.fail(f"unsupported environment '{env}'")
        if env == "array" and self.at("OP", "{"):
            while not self.at("OP", "}") and not self.at("EOF"):
                self.take()
            self.take()
        elif env == "array" and self.at("WORD"):
            self.take()
        rows: list[tuple[A.Node, ...]] = []
        row: list[A.Node] = []
        while not self.at("END"):
            if self.at("EOF"):
                self.fail(f"unclosed environment '{env}'")
            if self.at("ROWSEP"):
                self.take()
                if row:
                    rows.append(tuple(row))
                row = []
                continue
            row.append(self.parse_expr())
            if self.at("OP", "&"):
                self.take()
        if row:
            rows.append(tuple(row))
        self.take()
        if not rows or len({len(r) for r in rows}) != 1:
            raise MathParseError(f"ragged or empty matrix in '{env}'")
        mat = self.node(A.Matrix(tuple(rows)))
        return self.node(A.Func("det", (mat,))) if env == "vmatrix" else mat


def _mark_norm(node: A.Node) -> A.Node:
    """Bars squared or alone in a denominator read as a norm when the inside is a vector."""
    if isinstance(node, A.Abs):
        return A.Abs(node.arg, as_norm=True)
    return node


def _as_interval(node: A.Node) -> A.Node:
    if isinstance(node, A.Tuple) and len(node.items) == 2:
        return A.Interval(node.items[0], node.items[1], False, False)
    if isinstance(node, A.Matrix) and len(node.rows) == 2 and all(len(r) == 1 for r in node.rows):
        return A.Interval(node.rows[0][0], node.rows[1][0], True, True)
    return node


def parse(text: str, symbols: SymbolTable | None = None) -> A.Node:
    """Parse LaTeX or plain-text math into a typed AST.

    Raises MathParseError (what and where) or BudgetExceeded (input over the size caps).

    Example:
        >>> parse(r"-\\frac{\\alpha}{2} g")
        Neg(arg=Mul(factors=(Div(num=Sym(name='alpha'), den=Num(...)), Sym(name='g'))))
    """
    table = symbols or SymbolTable()
    if not isinstance(text, str):
        raise MathParseError(f"expected text, got {type(text).__name__}")
    if len(text) > budget.MAX_INPUT_CHARS:
        raise MathParseError(f"input too long ({len(text)} characters, limit {budget.MAX_INPUT_CHARS})")
    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)  # ~14 frames per nesting level, MAX_DEPTH levels
    tokens = expand_tokens(tokenize(text), table)
    parser = Parser(tokens, table, text)
    try:
        return parser.parse_top()
    except RecursionError:
        raise MathParseError("expression nested too deeply") from None
    except BudgetExceeded:
        raise
