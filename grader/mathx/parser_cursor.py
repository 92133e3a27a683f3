"""The parser's token cursor: position in the token list, token tests, errors, and size budgets.

:class:`TokenCursor` knows nothing about the grammar; :mod:`grader.mathx.parser_groups` and
:mod:`grader.mathx.parser` build the recursive descent on top of it. Every AST node goes through
:meth:`TokenCursor.node` (node cap, cooperative time checks) and every nested group through
:meth:`TokenCursor.enter` (depth cap ``budget.MAX_DEPTH``).
"""

from __future__ import annotations

from grader.errors import MathParseError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.lexer import Token
from grader.mathx.resolve import alias_tables
from grader.mathx.symbols import SymbolTable


class TokenCursor:
    """A position in one token list, with the helpers every grammar rule uses."""

    def __init__(self, tokens: list[Token], symbols: SymbolTable, text: str) -> None:
        self.t = tokens
        self.i = 0
        self.symbols = symbols
        self.text = text
        self.depth = 0
        self.nodes = 0
        self.closers: list[str] = []
        self.bound: list[str] = []
        self.aliases, self.alias_index, self.empty_aliases = alias_tables(symbols)

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
        if tok.kind == "TEXT" and tok.text.replace(" ", "").isalnum():
            self.take()  # K_{\text{Gauss}}, \pi_{\mathrm{ref}}: a named subscript
            return tok.text.replace(" ", "")
        self.fail("bad subscript")
        raise AssertionError
