"""Hand-written recursive-descent parser: tokens -> typed AST (see ``ast.py``).

Precedence, lowest first: ``,`` (tuple) < ``\\implies`` < relations (``= ≈ < ≤``) < ``\\cup`` <
``+ -`` < ``* / \\cdot`` and implicit products < unary minus < ``^`` and postfix (``^T ' ! %``).
Implicit products and ``/`` share one left-associative level (``1/2n`` is ``(1/2)·n``).

The parser is three layers, one module each: :mod:`~grader.mathx.parser_cursor` (token position,
errors, size budgets), :mod:`~grader.mathx.parser_groups` (brackets, matrices, norms,
environments, ``\\frac`` and the other commands) and this module (the precedence levels, atoms,
and :func:`parse`).

Recursion limit (a process-wide side effect)
--------------------------------------------
Each nesting level of the input costs about ten Python frames in the descent (``(`` → items →
implies → relation → union → expr → term → unary → power → primary → ``(``), so the
``budget.MAX_DEPTH`` = 120 levels the parser accepts need well over CPython's default limit of
1,000 frames; at the default, ``((...(1)...))`` nested 100 deep would be refused. The first call
of :func:`parse` therefore calls :func:`ensure_recursion_limit`, which raises
``sys.setrecursionlimit`` to :data:`RECURSION_LIMIT` (6,000: the parser's ~1,300 frames at full
depth plus headroom for the walkers that recurse over the same AST afterwards: ``numeric``,
``to_sympy``, ``display`` and sympy itself). It only ever raises the limit, never lowers it, and
the limit is not what bounds the input: ``MAX_DEPTH`` is (over it: ``MathParseError``). A
``RecursionError`` that still happens is reported as "expression nested too deeply".
"""

from __future__ import annotations

import sys
from fractions import Fraction

from grader.errors import BudgetExceeded, MathParseError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.lexer import tokenize
from grader.mathx.parser_calculus import CalculusParser
from grader.mathx.parser_groups import mark_norm
from grader.mathx.resolve import KEYWORDS, expand_tokens, subscript_name, token_key
from grader.mathx.shapes import shape_of
from grader.mathx.symbols import SymbolTable

STARTERS = {"NUM", "WORD", "CMD", "LSET", "LANGLE", "BEGIN", "FUNCNAME"}

RECURSION_LIMIT = 6000
"""Python recursion limit :func:`parse` ensures (module notes: ~10 frames per nesting level)."""


_SET_OPS = {"∩", "∖"}


class Parser(CalculusParser):
    """Parses one token list; use :func:`parse`."""

    # -- statements --------------------------------------------------------------------------
    def parse_top(self) -> A.Node:
        if self.at("EOF"):
            raise MathParseError("empty expression")
        result = self.parse_items()
        if not self.at("EOF"):
            self.fail("unexpected token")
        return result

    def at_connective(self, word: str) -> bool:
        """``\\text{ or }`` / a plain "or" (or "and") between answers."""
        return (self.tok.kind in ("TEXT", "WORD")) and self.tok.text.strip().lower() == word

    def parse_items(self) -> A.Node:
        items = [self.parse_implies()]
        alternatives = False
        while (
            self.at("OP", ",") or self.at("OP", ";") or self.at_connective("and") or self.at_connective("or")
        ):
            alternatives = alternatives or self.at_connective("or")
            self.take()
            if self.at_connective("and") or self.at_connective("or"):  # ", and" / ", or"
                alternatives = alternatives or self.at_connective("or")
                self.take()
            items.append(self.parse_implies())
        if len(items) == 1:
            return items[0]
        return self.node(A.Or(tuple(items)) if alternatives else A.Tuple(tuple(items), ""))

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
        if any(op in "∈∉" for op in ops):
            if len(ops) != 1:
                self.fail("'\\in' inside a chain")
            return self.node(A.Member(sides[0], sides[1], ops[0] == "∉"))
        if any(op in "<>≤≥≠" for op in ops):
            return self.node(A.Inequality(tuple(sides), tuple(ops)))
        return self.node(A.Equation(tuple(sides), tuple(ops)))

    def parse_union(self) -> A.Node:
        acc = self.parse_expr()
        while self.at("UNION") or self.at("SETOP"):
            op = self.take()
            rhs = A.as_interval(self.parse_expr())
            if op.kind == "UNION":
                head = acc.items if isinstance(acc, A.Union) else (A.as_interval(acc),)
                acc = self.node(A.Union((*head, rhs)))
            else:
                acc = self.node(A.SetOp(op.text, (A.as_interval(acc), rhs)))
        return acc

    # -- arithmetic --------------------------------------------------------------------------
    def parse_expr(self) -> A.Node:
        terms: list[A.Node] = []
        sign = ""
        if self.at("OP", "-") or self.at("OP", "+") or self.at("OP", "±") or self.at("OP", "∓"):
            sign = self.take().text
        first = self.parse_term()
        terms.append(self._signed(sign, first))
        while self.at("OP", "+") or self.at("OP", "-") or self.at("OP", "±") or self.at("OP", "∓"):
            op = self.take().text
            terms.append(self._signed(op, self.parse_term()))
        expr = terms[0] if len(terms) == 1 else self.node(A.Add(tuple(terms)))
        if self.at("TEXT") and self.tok.text not in KEYWORDS:
            expr = self.node(A.Quantity(expr, self.take().text))
        return expr

    def _signed(self, sign: str, term: A.Node) -> A.Node:
        if sign == "-":
            return self.node(A.Neg(term))
        if sign in ("±", "∓"):
            return self.node(A.PlusMinus(term, minus_first=sign == "∓"))
        return term

    def starts_factor(self) -> bool:
        if self.at_differential():
            return False
        tok = self.tok
        if tok.kind == "WORD" and tok.text in KEYWORDS:
            return False  # "x = 2 or x = -2": a connective, not a factor
        if tok.kind in STARTERS:
            return not (tok.kind == "CMD" and tok.text in ("top", "choose"))
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
                factors = [self.node(A.Div(num, mark_norm(den)))]
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
            elif isinstance(base, A.Sym) and self.at("OP", "*") and self.star_ends_name():
                self.take()  # u* = ..., (x*, y*): a star after a name marks an optimum, not a product
                base = A.Sym(base.name + "_star")
            elif (
                isinstance(base, A.Sym)
                and self.at("OP", "(")
                and (self.conditional_follows() or self.function_notation(base.name))
            ):
                base = self.parse_application(base.name)  # \pi^*(y \mid x), h(x): a function applied
            else:
                return base

    def _has_array_entry(self, mat: A.Matrix) -> bool:
        """Whether an entry of ``mat`` is a vector or matrix (a declared one, ``I``, ``\\mathbf{1}``): a
        block column, whose transpose is a block row (not a list literal written as a column)."""
        for row in mat.rows:
            for x in row:
                try:
                    if not shape_of(x, self.symbols).is_scalar:
                        return True
                except MathParseError:
                    continue
        return False

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
                and not self._has_array_entry(base)
            ):
                return base  # [a, b, c]^T: a list literal is already a column (see package notes)
            return self.node(A.Transpose(base))
        if tok.kind == "DEGREE":
            self.take()
            return self.node(A.Quantity(base, "deg"))
        if (tok.kind == "CMD" and tok.text == "dagger") or (
            tok.kind == "OP" and tok.text == "+" and tok.braced
        ):
            self.take()  # \Sigma^\dagger, \Sigma^{+}, Σ⁺: the Moore-Penrose pseudo-inverse
            return self.node(A.Func("pinv", (base,)))
        if (tok.kind == "OP" and tok.text == "*") or (tok.kind == "CMD" and tok.text == "star"):
            self.take()  # \theta^*, \theta^\star: an optimum, a name of its own
            if isinstance(base, A.Const) and base.name == "pi":
                return A.Sym("pi_star")  # \pi^*: an optimal policy, never the number
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
        return self.node(A.Pow(mark_norm(base), exp))

    # -- atoms ----------------------------------------------------------------------------------
    def match_alias(self) -> str | None:
        # The longest alias that the tokens from here spell: only those starting with this token's
        # key can (they keep the longest-first order), else an alias of no token.
        i, t = self.i, self.t
        if i < len(t):
            for keys, name in self.alias_index.get(token_key(t[i]), ()):
                n = len(keys)
                if i + n <= len(t) and all(token_key(t[i + k]) == keys[k] for k in range(1, n)):
                    self.i += n
                    return name
        if self.empty_aliases and i <= len(t):
            return self.empty_aliases[0][1]
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
            if tok.value == 1 and (self.at("OP", "_") or self.at("OP", "[") or self.at("LSET")):
                indicator = self.try_indicator()  # 1_{x > 0}: the indicator of a comparison
                if indicator is not None:
                    return indicator
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
            if (
                tok.text == "i"
                and "i" not in self.symbols.symbols
                and "i" not in self.bound
                and not self.at("OP", "_")
            ):
                return self.node(A.Const("i"))  # the imaginary unit (an index i is bound by its sum)
            if tok.text == "I" and "I" not in self.symbols.symbols and self.symbols.symbols:
                if self.at("OP", "_"):
                    return self.parse_subscript("I")  # I_k: an identity of a named size (see infer)
                return self.node(A.Const("I"))
            if tok.text == "d" and self.at("OP", "/"):
                self.i -= 1
                deriv = self.try_slash_derivative()
                if deriv is not None:
                    return deriv
                self.i += 1
            if tok.text == "E" and "E" not in self.symbols.symbols and self.at("OP", "["):
                return self.parse_application("E")  # \mathbb{E}[X]
            if tok.text == "E" and "E" not in self.symbols.symbols and self.at("OP", "_"):
                expectation = self.parse_expectation()  # \mathbb{E}_{x \sim p}[f(x)]
                if expectation is not None:
                    return expectation
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
                if self.at("CMD", "choose"):  # {n \choose k}: the binomial coefficient
                    self.take()
                    inner = self.node(A.Func("binom", (inner, self.parse_items())))
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
                if self.at("MID") or self.at("OP", ":") or self.at("OP", "|"):
                    return self.parse_set_builder(items[0])
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
        if tok.kind in ("FUNCNAME", "TEXT") and self.peek().kind == "OP" and self.peek().text in "([":
            self.take()  # \mathrm{Var}(w), \operatorname{Cov}[x, y]: an undeclared function applied
            return self.parse_application(tok.text)
        if tok.kind == "FUNCNAME":
            self.fail(f"unknown function '{tok.text}'")
        self.fail("unexpected token")
        raise AssertionError  # unreachable

    def parse_application(self, name: str) -> A.Node:
        """``Name(args)`` or ``Name[args]`` of a function nobody declared (a label such as ``Var(w)``);
        ``p(y \\mid x)`` takes the conditioning bar as a separator of its arguments."""
        close = ")" if self.take().text == "(" else "]"
        args = [self.parse_implies()]
        while self.at("OP", ",") or self.at("MID"):
            self.take()
            args.append(self.parse_implies())
        self.expect("OP", close)
        return self.node(A.Func(name, tuple(args)))

    def star_ends_name(self) -> bool:
        """At ``*``: nothing a product could continue with follows (a relation, a comma, a closing
        bracket, the end), so the star is a superscript written plainly (``u* = ...``)."""
        nxt = self.peek()
        return nxt.kind in ("REL", "EOF", "IMPL") or (nxt.kind == "OP" and nxt.text in ",;)]}")

    def function_notation(self, name: str) -> bool:
        """``h(x)``, ``\\sigma(Wx)``, ``K(q, k)`` in a problem with declared symbols: a name nobody declared,
        applied to an argument list, is a function (a declared scalar before brackets, ``c(x + 1)``,
        an indexed name, ``r_t(1 - q)``, or a name inside its own brackets, ``n(n - 1)``, is a
        product). Without declarations every name is a scalar and brackets multiply."""
        table = self.symbols
        if not table.symbols or name in table.symbols or name in table.dims or name in self.bound:
            return False
        if name in ("e", "i") or _indexed(name):
            return False  # r_t(1 - q), x_1(2 + y): an element of a sequence times a bracket
        depth = 0
        for tok in self.t[self.i :]:  # n(n - 1): a name inside its own argument is a product
            if tok.kind == "OP" and tok.text in "([{":
                depth += 1
            elif tok.kind == "OP" and tok.text in ")]}":
                depth -= 1
                if depth == 0:
                    return True
            elif tok.kind == "EOF":
                return False
            elif tok.text == name or (tok.kind == "WORD" and tok.text == name.partition("_")[0]):
                return False
        return False

    def conditional_follows(self) -> bool:
        """At ``(``: a group with a conditioning bar ``\\mid`` at its top level (``(y \\mid x)``)."""
        depth = 0
        for tok in self.t[self.i :]:
            if tok.kind == "OP" and tok.text in "([{":
                depth += 1
            elif tok.kind == "OP" and tok.text in ")]}":
                depth -= 1
                if depth == 0:
                    return False
            elif tok.kind == "EOF":
                return False
            elif tok.kind == "MID" and depth == 1:
                return True
        return False

    def parse_expectation(self) -> A.Node | None:
        """After ``\\mathbb{E}``: ``_{x \\sim p}[...]`` or ``_x(...)``, an expectation over a named
        distribution (one function name with its subscript), else None (position unchanged)."""
        start = self.i
        self.take()
        sub = self.subscript_text()
        if self.at("OP", "[") or self.at("OP", "("):
            return self.parse_application(f"E_{sub}")
        self.i = start
        return None

    def parse_set_builder(self, element: A.Node) -> A.Node:
        """``\\{x : 0 < x \\le 1\\}``, ``\\{x \\in \\mathbb{R} \\mid x^2 \\le 1\\}``: the set of the
        reals satisfying a condition in one unknown is read as that condition (an inequality in one
        unknown is a subset of ℝ to the comparison). Other set-builders are refused."""
        bar = self.i
        self.take()
        if isinstance(element, A.Member) and element.collection == A.NamedSet("R"):
            element = element.element
        if not isinstance(element, A.Sym):
            self.i = bar
            self.fail("only sets of reals {x : condition} are supported")
            raise AssertionError  # unreachable
        name = element.name
        condition = self.parse_implies()
        self.expect("RSET")
        if not isinstance(condition, A.Inequality) or A.free_symbols(condition) != {name}:
            self.i = bar
            self.fail("a set-builder needs an inequality in its own variable")
        return condition

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


def _indexed(name: str) -> bool:
    """``r_t``, ``x_i``, ``w_{k}``, ``W1``: a name with an index (one letter or digits), a value of a
    sequence rather than a function."""
    base, _, sub = name.partition("_")
    return bool(sub and (len(sub) == 1 or sub.isdigit())) or (not sub and base[-1:].isdigit())


def ensure_recursion_limit(limit: int = RECURSION_LIMIT) -> None:
    """Raise the interpreter's recursion limit to at least ``limit`` (never lower it).

    Process-wide, and deliberate: see the module notes. Called by :func:`parse`.

    Example:
        >>> ensure_recursion_limit(); sys.getrecursionlimit() >= RECURSION_LIMIT
        True
    """
    if sys.getrecursionlimit() < limit:
        sys.setrecursionlimit(limit)


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
    ensure_recursion_limit()  # deliberate and process-wide: see the module notes
    key = _parse_key(text, table)
    hit = _PARSED.get(key) if key is not None else None
    if hit is not None:
        return hit
    tokens = expand_tokens(tokenize(text), table)
    parser = Parser(tokens, table, text)
    try:
        node = parser.parse_top()
    except RecursionError:
        raise MathParseError("expression nested too deeply") from None
    except BudgetExceeded:
        raise
    if key is not None:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = node
    return node


_PARSED: dict[tuple[object, ...], A.Node] = {}
"""Trees already parsed, by text and symbol table: grading parses the same formula again and again
(each claim against each reference and idea), and a tree is immutable. Failures are not kept."""
_PARSED_MAX = 4096


def _parse_key(text: str, table: SymbolTable) -> tuple[object, ...] | None:
    """What a parse depends on: the text and the table's content (None when it cannot be hashed)."""
    key = (text, tuple(table.symbols.items()), tuple(table.dims.items()), table.functions)
    try:
        hash(key)
    except TypeError:
        return None
    return key
