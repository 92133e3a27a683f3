"""Grouping constructs of the parser: brackets, matrices, norms, environments and LaTeX commands.

Everything here opens a group and reads what is inside it with the precedence levels of
:class:`grader.mathx.parser.Parser` (declared below as abstract hooks):

* ``( ... )`` tuples and half-open intervals, ``[ ... ]`` list literals (columns), matrices and
  intervals, ``\\begin{bmatrix} ... \\end{bmatrix}`` and the other matrix environments;
* ``\\| ... \\|`` norms with their ``_2``/``_F``/``_\\infty`` subscripts;
* commands with arguments: ``\\frac`` and friends, ``\\binom``, ``\\sqrt[n]``, ``\\boxed``,
  decorations (``\\hat x`` is the symbol ``x_hat``), named functions (``\\sin^2 x``, ``\\log_2 n``),
  reductions (``\\sum_i``, ``\\max_j``) and ``\\nabla``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from fractions import Fraction

from grader.errors import MathParseError
from grader.mathx import ast as A
from grader.mathx import piecewise
from grader.mathx.lexer import GREEK, Token
from grader.mathx.parser_cursor import TokenCursor

NAMED_FUNCS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "log", "ln", "lg", "exp", "sign", "tr", "diag", "det", "abs", "arccot", "arcsec", "arccsc",
    "arsinh", "arcosh", "artanh", "Re", "Im", "arg", "conj", "relu",
}  # fmt: skip
INVERSES = {
    "sin": "arcsin", "cos": "arccos", "tan": "arctan", "cot": "arccot", "sec": "arcsec", "csc": "arccsc",
    "sinh": "arsinh", "cosh": "arcosh", "tanh": "artanh",
}  # fmt: skip
"""``\\sin^{-1} x`` is the inverse function (arcsin), not a reciprocal."""
NUMBER_SET_NAMES = {"setR": "R", "setN": "N", "setZ": "Z", "setQ": "Q", "setC": "C", "emptyset": "empty"}
FRACS = {"frac", "tfrac", "dfrac", "cfrac"}
MATRIX_ENVS = {"bmatrix", "pmatrix", "matrix", "Bmatrix", "vmatrix", "smallmatrix", "array"}
DECORATIONS = {
    "hat": "hat",
    "tilde": "tilde",
    "bar": "bar",
    "overline": "bar",
    "widehat": "hat",
    "dot": "dot",
}


class GroupParser(TokenCursor, ABC):
    """Brackets, environments, norms and commands; the precedence levels come from the subclass."""

    # -- precedence levels (defined by grader.mathx.parser.Parser) ------------------------------
    @abstractmethod
    def parse_items(self) -> A.Node:
        """A ``,``/``;``-separated list (lowest level)."""

    @abstractmethod
    def parse_implies(self) -> A.Node:
        """One item: an implication chain of relations."""

    @abstractmethod
    def parse_expr(self) -> A.Node:
        """A sum."""

    @abstractmethod
    def parse_term(self) -> A.Node:
        """A product (explicit, implicit or ``/``)."""

    @abstractmethod
    def parse_power(self) -> A.Node:
        """A primary with its exponents and postfix operators."""

    @abstractmethod
    def parse_primary(self) -> A.Node:
        """One atom or group (counts one nesting level)."""

    @abstractmethod
    def parse_subscript(self, name: str) -> A.Node:
        """A symbol ``name`` with its optional subscript."""

    @abstractmethod
    def starts_factor(self) -> bool:
        """Whether the current token can start an implicit-product factor."""

    # -- calculus (defined by grader.mathx.parser_calculus.CalculusParser) ------------------------
    @abstractmethod
    def try_frac_derivative(self) -> A.Node | None:
        """A derivative written as a fraction, or None."""

    @abstractmethod
    def try_slash_derivative(self) -> A.Node | None:
        """A derivative written with a slash, or None."""

    @abstractmethod
    def parse_operand(self) -> A.Node:
        """The factors an operator applies to (``\\nabla_w`` what follows)."""

    @abstractmethod
    def parse_series(self, name: str) -> A.Node:
        """A sum or product with its subscript."""

    @abstractmethod
    def parse_integral(self) -> A.Node:
        """An integral after ``\\int``."""

    @abstractmethod
    def parse_limit(self) -> A.Node:
        """A limit after ``\\lim``."""

    # -- arguments -------------------------------------------------------------------------------
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

    # -- commands --------------------------------------------------------------------------------
    def parse_command(self) -> A.Node:
        tok = self.take()
        name = tok.text
        if name in FRACS:
            deriv = self.try_frac_derivative()
            if deriv is not None:
                return deriv
            num = self.parse_arg()
            den = self.parse_arg()
            return self.node(A.Div(num, mark_norm(den)))
        if name in NUMBER_SET_NAMES:
            return A.NamedSet(NUMBER_SET_NAMES[name])
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
            indicator = self.try_indicator()
            return indicator if indicator is not None else A.Const("ones")
        if name == "pi" and "pi" not in self.symbols.symbols and not self.at("OP", "_"):
            return A.Const("pi")
        if name in DECORATIONS:
            inner = self.parse_arg()
            if isinstance(inner, A.Sym):
                return A.Sym(f"{inner.name}_{DECORATIONS[name]}")
            if DECORATIONS[name] == "bar":  # \overline{2 - 3i}: the complex conjugate
                return self.node(A.Func("conj", (inner,)))
            return inner
        if name in ("sum", "prod") and (self.at("OP", "_") or self.at("OP", "^")):
            return self.parse_series(name)
        if name in ("max", "min") and self.at("OP", "_"):
            return self.parse_reduce(name)
        if name == "int":
            return self.parse_integral()
        if name == "lim":
            return self.parse_limit()
        if name == "partial":
            self.i -= 1
            deriv = self.try_slash_derivative()
            if deriv is not None:
                return deriv
            self.i += 1
            if self.at("OP", "_"):  # \partial_w L: the derivative of what follows
                self.take()
                var = self._variable_name(self.subscript_text())
                return self.node(A.Deriv(self.parse_operand(), var, 1))
        if name in ("max", "min"):
            return self.node(A.Func(name, self.parse_call_args()))
        if name in NAMED_FUNCS:
            return self.parse_function(name)
        if name == "nabla":
            label = "grad"
            if self.at("OP", "_"):
                self.take()
                sub = self.subscript_text()
                if self.starts_factor() and not self.at("WORD"):
                    # \nabla_w \tfrac12\|Xw - y\|^2, \nabla_w (\ldots): the gradient of what follows
                    return self.node(A.Deriv(self.parse_operand(), self._variable_name(sub), 1))
                label += "_" + sub
            if self.at("WORD"):
                label += "_" + self.take().text
                if self.at("OP", "("):
                    self.parse_call_args()
            return self.node(A.Sym(label))
        if name == "Delta" and "Delta" not in self.symbols.symbols and self._increment_follows():
            of = self.take()  # \Delta\theta, \Delta t: an increment, one name
            return self.parse_subscript(f"Delta_{of.text}")
        if name in GREEK:
            return self.parse_subscript(name)
        self.i -= 1
        self.fail(f"unsupported command '\\{name}'")
        raise AssertionError

    def _variable_name(self, sub: str) -> str:
        """The symbol a subscript such as ``W_2`` or ``\\theta`` names (``W_2`` → ``W2`` when declared so)."""
        from grader.mathx.resolve import subscript_name

        base, sep, index = sub.replace("{", "").replace("}", "").partition("_")
        return subscript_name(base, index, self.symbols) if sep else base

    def _increment_follows(self) -> bool:
        """After ``\\Delta``: a single letter or a Greek letter, the quantity an increment is of."""
        tok = self.tok
        if tok.kind == "CMD":
            return tok.text in GREEK and tok.text != "Delta"
        return tok.kind == "WORD" and len(tok.text) == 1 and tok.text.isalpha()

    def parse_function(self, name: str) -> A.Node:
        power: A.Node | None = None
        base: A.Node | None = None
        if self.at("OP", "_") and name in ("log", "lg"):
            self.take()
            base = self.parse_arg()
        if self.at("OP", "^"):
            self.take()
            power = self.parse_arg()
            if name in INVERSES and power == A.Neg(A.Num(Fraction(1), "1")):
                name, power = INVERSES[name], None
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

    # -- groups ----------------------------------------------------------------------------------
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
        seps: set[str] = set()
        while self.at("OP", ",") or self.at("OP", ";"):
            seps.add(self.take().text)
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
        return self.node(A.Matrix(tuple((r,) for r in rows), "[", stacked=seps == {";"}))

    def try_indicator(self) -> A.Node | None:
        """After a ``1`` or ``\\mathbb{1}``: an indicator of a comparison, ``1_{wx+b>0}``, ``\\mathbb{1}[x \\le c]``
        or ``\\mathbb{1}\\{x > 0\\}``, read as the unit step of the difference of its sides (``step(wx + b)``).

        Returns None (and consumes nothing) when what follows is not one comparison of two sides.
        """
        start = self.i
        closers = {("OP", "["): ("OP", "]"), ("LSET", "{"): ("RSET", "}")}
        if self.at("OP", "_") and self.t[self.i + 1].kind == "OP" and self.t[self.i + 1].text == "{":
            self.i += 1
            closer: tuple[str, str] = ("OP", "}")
        elif (self.tok.kind, self.tok.text) in closers:
            closer = closers[(self.tok.kind, self.tok.text)]
        else:
            return None
        self.take()
        try:
            rel = self.parse_implies()
            self.expect(*closer)
        except MathParseError:
            self.i = start
            return None
        if not (isinstance(rel, A.Inequality) and len(rel.ops) == 1 and rel.ops[0] in "<>≤≥"):
            self.i = start
            return None
        big, small = rel.sides if rel.ops[0] in ">≥" else reversed(rel.sides)
        diff = big if isinstance(small, A.Num) and small.value == 0 else A.Add((big, A.Neg(small)))
        return self.node(A.Func("step", (diff,)))

    def parse_env(self) -> A.Node:
        env = self.take().text
        if env in ("cases", "dcases"):
            return self.parse_cases(env)
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

    def parse_cases(self, env: str) -> A.Node:
        """The rows ``value & condition`` of a ``cases`` environment, as ``piecewise`` (see
        :mod:`grader.mathx.piecewise`); "if"/"when" before a condition and "otherwise" are read."""
        args: list[A.Node] = []
        while not self.at("END"):
            if self.at("EOF"):
                self.fail(f"unclosed environment '{env}'")
            if self.at("ROWSEP"):
                self.take()
                continue
            args.append(self.parse_expr())
            if self.at("OP", ","):
                self.take()
            self.expect("OP", "&")
            while self.at("TEXT") and piecewise.is_condition_word(self.tok.text):
                self.take()
            if self.at("TEXT") and piecewise.is_otherwise(self.tok.text):
                self.take()
                args.append(piecewise.otherwise())
            else:
                args.append(piecewise.guard(self.parse_implies()))
            if self.at("OP", ",") or self.at("OP", "."):
                self.take()
        self.take()
        if len(args) < 4:
            raise MathParseError(f"a '{env}' environment needs two rows or more")
        return self.node(A.Func("piecewise", tuple(args)))


def mark_norm(node: A.Node) -> A.Node:
    """Bars squared or alone in a denominator read as a norm when the inside is a vector."""
    if isinstance(node, A.Abs):
        return A.Abs(node.arg, as_norm=True)
    return node
