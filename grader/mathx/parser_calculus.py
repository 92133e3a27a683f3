"""Calculus and big operators of the parser: sums and products with bounds, derivatives, integrals,
limits.

* ``\\sum_{k=1}^{n} body`` / ``\\prod`` with bounds are :class:`~grader.mathx.ast.Series`; a sum
  over vector components written without bounds (``\\sum_i g_i^2``) stays a ``Reduce``.
* ``\\frac{d}{dx} body``, ``\\frac{d^2 y}{dx^2}``, ``\\frac{\\partial f}{\\partial \\theta_i}`` and
  ``\\partial f / \\partial \\theta_i`` are :class:`~grader.mathx.ast.Deriv` (recognised from the
  tokens of the fraction before it is parsed as one).
* ``\\int_a^b body \\, dx`` is :class:`~grader.mathx.ast.Integral`: the integrand ends at the
  differential ``d`` + variable.
* ``\\lim_{x \\to a} body`` is :class:`~grader.mathx.ast.Limit` (``a^+`` / ``a^-`` for one side).
"""

from __future__ import annotations

from fractions import Fraction

from grader.mathx import ast as A
from grader.mathx.lexer import GREEK, Token
from grader.mathx.parser_groups import GroupParser

_MAX_SLASH_BODY = 40
"""Tokens of the body of a derivative written with a slash (``\\partial f / \\partial x``)."""


def _is_d(tok: Token) -> bool:
    """The differential operator: a ``d`` letter or ``\\partial``."""
    return (tok.kind == "WORD" and tok.text == "d") or (tok.kind == "CMD" and tok.text == "partial")


class CalculusParser(GroupParser):
    """Series, derivatives, integrals and limits, on top of the group parser."""

    integral_depth = 0

    # -- token groups --------------------------------------------------------------------------
    def group_span(self, start: int) -> tuple[int, int, int] | None:
        """``(first, end, next)`` token indices of the argument starting at ``start``: the inside of
        a ``{...}`` group or the single token there; None at the end of input."""
        t = self.t
        if start >= len(t) or t[start].kind == "EOF":
            return None
        if t[start].kind == "OP" and t[start].text == "{":
            depth = 0
            for j in range(start, len(t)):
                if t[j].kind == "OP" and t[j].text == "{":
                    depth += 1
                elif t[j].kind == "OP" and t[j].text == "}":
                    depth -= 1
                    if depth == 0:
                        return start + 1, j, j + 1
            return None
        return start, start + 1, start + 1

    def _order(self, toks: list[Token]) -> tuple[int, list[Token]] | None:
        """``^n`` at the head of ``toks`` (the order of a derivative): ``(n, rest)``; ``(1, toks)``."""
        if len(toks) >= 2 and toks[0].kind == "OP" and toks[0].text == "^":
            num = toks[1]
            if (
                num.kind == "NUM"
                and num.value is not None
                and num.value.denominator == 1
                and 0 < num.value < 10
            ):
                return int(num.value), toks[2:]
            return None
        return 1, toks

    def _variable(self, toks: list[Token]) -> tuple[str, int] | None:
        """``x``, ``\\theta``, ``\\theta_i``, ``x^2`` (order) as a differentiation variable."""
        if not toks or not (toks[0].kind == "WORD" or (toks[0].kind == "CMD" and toks[0].text in GREEK)):
            return None
        name = toks[0].text
        rest = toks[1:]
        if len(rest) >= 2 and rest[0].kind == "OP" and rest[0].text == "_":
            sub = rest[1]
            if sub.kind in ("WORD", "NUM", "CMD"):
                from grader.mathx.resolve import subscript_name

                name = subscript_name(name, sub.text, self.symbols)
                rest = rest[2:]
            else:
                return None
        order = self._order(rest)
        if order is None or order[1]:
            return None
        return name, order[0]

    # -- derivatives ----------------------------------------------------------------------------
    def try_frac_derivative(self) -> A.Node | None:
        """At the first argument of ``\\frac``: a derivative ``\\frac{d^n body}{d x^n}``, else None
        (the position is unchanged)."""
        num = self.group_span(self.i)
        if num is None:
            return None
        den = self.group_span(num[2])
        if den is None:
            return None
        num_toks, den_toks = self.t[num[0] : num[1]], self.t[den[0] : den[1]]
        if not num_toks or not den_toks or not _is_d(num_toks[0]) or not _is_d(den_toks[0]):
            return None
        head = self._order(num_toks[1:])
        var = self._variable(den_toks[1:])
        if head is None or var is None or head[0] != var[1]:
            return None
        order, body_toks = head
        name = var[0]
        after = den[2]
        if body_toks:  # \frac{d f}{d x}: parse the body from the numerator's tokens
            saved = self.t
            self.t = [*body_toks, Token("EOF", "", body_toks[-1].pos)]
            self.i = 0
            try:
                body = self.parse_expr()
                if not self.at("EOF"):
                    self.fail("unexpected token in a derivative")
            finally:
                self.t = saved
            self.i = after
        else:  # \frac{d}{dx} body: the factors that follow
            self.i = after
            body = self.parse_operand()
        return self.node(A.Deriv(body, name, order))

    def parse_operand(self) -> A.Node:
        """The factors an operator (``\\frac{d}{dx}``, ``\\lim``) applies to, up to the next ``+``/``-``."""
        self.enter()
        try:
            factors = [self.parse_power()]
            while self.starts_factor():
                factors.append(self.parse_power())
        finally:
            self.depth -= 1
        body = factors[0] if len(factors) == 1 else self.node(A.Mul(tuple(factors)))
        if isinstance(body, A.Matrix) and len(body.rows) == 1 and len(body.rows[0]) == 1:
            body = body.rows[0][0]  # \frac{d}{dx}\left[ ... \right]
        return body

    def try_slash_derivative(self) -> A.Node | None:
        """``\\partial f / \\partial x`` and ``d/dx (body)`` written with a slash, else None."""
        start = self.i
        toks = self.t
        j = start + 1
        order = 1
        if j + 1 < len(toks) and toks[j].kind == "OP" and toks[j].text == "^" and toks[j + 1].kind == "NUM":
            order, j = int(toks[j + 1].value or 1), j + 2
        body_start = j
        depth = 0  # the body may hold brackets and norms: \partial \|x\|_2^2 / \partial x_i
        while j < len(toks) and not (depth == 0 and toks[j].kind == "OP" and toks[j].text == "/"):
            tok = toks[j]
            if j - body_start >= _MAX_SLASH_BODY or tok.kind in ("EOF", "REL", "IMPL"):
                return None
            if tok.kind == "OP" and tok.text in "([{":
                depth += 1
            elif tok.kind == "OP" and tok.text in ")]}":
                depth -= 1
                if depth < 0:
                    return None
            elif depth == 0 and tok.kind == "OP" and tok.text in "+-,;":
                return None
            j += 1
        if j >= len(toks) or not (toks[j].kind == "OP" and toks[j].text == "/"):
            return None
        if j + 1 >= len(toks) or not _is_d(toks[j + 1]):
            return None
        k = j + 2
        end = k + 1
        if end < len(toks) and toks[end].kind == "OP" and toks[end].text == "_":
            end += 2
        if end + 1 < len(toks) and toks[end].kind == "OP" and toks[end].text == "^":
            end += 2
        var = self._variable(toks[k:end])
        if var is None or var[1] != order:
            return None
        body_toks = toks[body_start:j]
        if body_toks:
            saved = self.t
            self.t = [*body_toks, Token("EOF", "", body_toks[-1].pos)]
            self.i = 0
            try:
                body = self.parse_expr()
                ok = self.at("EOF")
            finally:
                self.t = saved
            if not ok:
                self.i = start
                return None
            self.i = end
        else:
            self.i = end
            body = self.parse_operand()
        return self.node(A.Deriv(body, var[0], order))

    # -- integrals ------------------------------------------------------------------------------
    def at_differential(self) -> bool:
        """Inside an integrand: the ``d x`` that ends it."""
        if not self.integral_depth or not (self.tok.kind == "WORD" and self.tok.text == "d"):
            return False
        nxt = self.peek()
        return nxt.kind == "WORD" or (nxt.kind == "CMD" and nxt.text in GREEK)

    def parse_integral(self) -> A.Node:
        """``\\int_a^b body \\, dx`` (the ``\\int`` token already taken)."""
        lower: A.Node | None = None
        upper: A.Node | None = None
        for _ in range(2):
            if self.at("OP", "_") and lower is None:
                self.take()
                lower = self.parse_arg()
            elif self.at("OP", "^") and upper is None:
                self.take()
                upper = self.parse_arg()
        if (lower is None) != (upper is None):
            self.fail("an integral needs both bounds or none")
        self.integral_depth += 1
        try:
            body = self.parse_expr()
        finally:
            self.integral_depth -= 1
        if not (self.tok.kind == "WORD" and self.tok.text == "d"):
            self.fail("expected the differential (dx) that ends the integral")
        self.take()
        var = self.take().text
        return self.node(A.Integral(body, var, lower, upper))

    # -- limits ---------------------------------------------------------------------------------
    def parse_limit(self) -> A.Node:
        """``\\lim_{x \\to a} body`` (the ``\\lim`` token already taken)."""
        self.expect("OP", "_")
        braced = self.at("OP", "{")
        if braced:
            self.take()
        var_tok = self.take()
        if var_tok.kind not in ("WORD", "CMD"):
            self.i -= 1
            self.fail("expected the variable of the limit")
        if not self.at("IMPL") and not self.at("CMD", "rightarrow"):
            self.fail("expected '\\to' in the limit")
        self.take()
        side = ""
        self.closers.append("}")
        try:
            point = self.parse_expr_no_pm_power()
        finally:
            self.closers.pop()
        if self.at("OP", "^") and self.peek().kind == "OP" and self.peek().text in "+-":
            self.take()
            side = self.take().text
        if braced:
            self.expect("OP", "}")
        body = self.parse_operand()
        return self.node(A.Limit(body, var_tok.text, point, side))

    def parse_expr_no_pm_power(self) -> A.Node:
        """A bound such as ``0`` or ``\\infty`` or ``-\\infty``, stopping before ``^+``."""
        neg = False
        if self.at("OP", "-") or self.at("OP", "+"):
            neg = self.take().text == "-"
        node = self.parse_primary()
        return A.Neg(node) if neg else node

    # -- sums and products ----------------------------------------------------------------------
    def parse_series(self, name: str) -> A.Node:
        """``\\sum_{k=a}^{b} body`` / ``\\prod``; ``\\sum_i body`` without bounds is a component Reduce.
        The bounds may come in either order (``\\prod^{n}_{i=1}``), as LaTeX allows."""
        upper: A.Node | None = None
        if self.at("OP", "^"):
            self.take()
            upper = self._leading_bound(name)
        self.expect("OP", "_")
        index, lower = self._series_subscript()
        if upper is None and self.at("OP", "^"):
            self.take()
            upper = self.parse_arg()
        if lower is None and upper is None:
            return self._reduce_body(name, index)
        self.bound.append(index)
        try:
            body = self.parse_power() if self.at("OP", "(") else self.parse_term()
        finally:
            self.bound.pop()
        if lower is None:
            lower = A.Num(Fraction(1), "1")
        if upper is None:
            self.fail(f"\\{name} needs an upper bound")
        assert upper is not None
        return self.node(A.Series(name, index, lower, upper, body))

    def _leading_bound(self, name: str) -> A.Node:
        """The upper bound written before the index (``\\prod^{n}_{i=1}``): only the group after ``^``,
        so that the ``_`` that follows is not read as the bound's own subscript."""
        span = self.group_span(self.i)
        if span is None or span[0] == span[1]:
            self.fail(f"\\{name} needs an upper bound")
        assert span is not None
        first, end, after = span
        if after >= len(self.t) or not (self.t[after].kind == "OP" and self.t[after].text == "_"):
            self.i = after
            self.fail(f"\\{name} needs the index below it")
        saved = self.t
        self.t = [*saved[first:end], Token("EOF", "", saved[end - 1].pos)]
        self.i = 0
        try:
            bound = self.parse_expr()
            if not self.at("EOF"):
                self.fail(f"unexpected token in the bound of \\{name}")
        finally:
            self.t = saved
        self.i = after
        return bound

    def _series_subscript(self) -> tuple[str, A.Node | None]:
        """``{k=1}`` → ("k", 1); ``i`` / ``{i}`` → ("i", None)."""
        if not self.at("OP", "{"):
            tok = self.take()
            if tok.kind not in ("WORD", "CMD"):
                self.i -= 1
                self.fail("expected the index of the sum")
            return tok.text, None
        self.take()
        tok = self.take()
        if tok.kind not in ("WORD", "CMD"):
            self.i -= 1
            self.fail("expected the index of the sum")
        lower: A.Node | None = None
        if self.at("REL", "="):
            self.take()
            lower = self.parse_expr()
        elif self.at("REL", "∈"):
            self.i -= 1
            self.fail("sums over sets are not supported")
        self.expect("OP", "}")
        return tok.text, lower

    def _reduce_body(self, name: str, index: str) -> A.Node:
        self.bound.append(index)
        try:
            body = self.parse_power() if self.at("OP", "(") else self.parse_term()
        finally:
            self.bound.pop()
        return self.node(A.Reduce(name, index, body))
