"""The parser's split into cursor / groups / precedence levels, and its explicit recursion limit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from grader.errors import MathParseError
from grader.mathx import ast as A
from grader.mathx import budget, parser, parser_groups
from grader.mathx.parser import RECURSION_LIMIT, ensure_recursion_limit, parse


@pytest.mark.parametrize(
    "text,expected",
    [
        # groups parsed by parser_groups, levels by parser: the pieces still fit together
        (r"\frac{1}{2}", A.Div(A.Num(1, "1"), A.Num(2, "2"))),
        ("(1, 2]", A.Interval(A.Num(1, "1"), A.Num(2, "2"), False, True)),
        ("[a, b]", A.Matrix(((A.Sym("a"),), (A.Sym("b"),)), "[")),
        (r"\|x\|_F", A.Norm(A.Sym("x"), "F")),
        (r"\begin{vmatrix} a \end{vmatrix}", A.Func("det", (A.Matrix(((A.Sym("a"),),)),))),
        (r"\hat{x}", A.Sym("x_hat")),
    ],
)
def test_groups_parse_through_the_levels(text: str, expected: A.Node) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "opener,closer",
    [
        # each construct nested just under MAX_DEPTH parses (needs the raised recursion limit)
        ("(", ")"),
        ("[", "]"),
        (r"\frac{1}{", "}"),
    ],
)
def test_nesting_up_to_max_depth_parses(opener: str, closer: str) -> None:
    depth = budget.MAX_DEPTH - 2 if opener != r"\frac{1}{" else budget.MAX_DEPTH // 2 - 1
    node = parse(opener * depth + "x" + closer * depth)
    assert "x" in A.free_symbols(node)


def test_nesting_past_max_depth_is_a_parse_error() -> None:
    with pytest.raises(MathParseError, match="nesting deeper"):
        parse("(" * (budget.MAX_DEPTH + 5) + "x" + ")" * (budget.MAX_DEPTH + 5))


def test_recursion_limit_is_needed_and_only_raised() -> None:
    # In a fresh interpreter: at CPython's default limit the deepest accepted input fails, so the
    # limit parse() sets is necessary; after parse() it is at least RECURSION_LIMIT.
    code = (
        "import sys\n"
        "from grader.mathx import budget, parser\n"
        "text = '(' * (budget.MAX_DEPTH - 2) + 'x' + ')' * (budget.MAX_DEPTH - 2)\n"
        "p = parser.Parser(parser.expand_tokens(parser.tokenize(text), parser.SymbolTable()),"
        " parser.SymbolTable(), text)\n"
        "try:\n    p.parse_top(); print('ok-at-default')\n"
        "except RecursionError:\n    print('recursion-at-default')\n"
        "parser.parse('x'); print(sys.getrecursionlimit())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, limit = out.stdout.split()
    assert first == "recursion-at-default"
    assert int(limit) >= RECURSION_LIMIT


def test_ensure_recursion_limit_never_lowers() -> None:
    before = sys.getrecursionlimit()
    ensure_recursion_limit(100)
    assert sys.getrecursionlimit() == before
    ensure_recursion_limit()
    assert sys.getrecursionlimit() >= RECURSION_LIMIT


def test_module_docstring_documents_the_recursion_limit() -> None:
    assert parser.__doc__ is not None
    assert "setrecursionlimit" in parser.__doc__ and "process-wide" in parser.__doc__


def test_group_parser_is_abstract() -> None:
    with pytest.raises(TypeError):
        parser_groups.GroupParser([], parser.SymbolTable(), "")  # type: ignore[abstract]
