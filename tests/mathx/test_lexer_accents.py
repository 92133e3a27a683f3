"""Combining accents: ``f̂`` (Unicode's order) and ``̂f`` (a PDF's text layer sets the accent before its
letter) both read as ``\\hat{f}``; the accent never joins a neighbouring letter."""

from __future__ import annotations

import pytest

from grader.mathx import Sym, free_symbols, parse
from grader.mathx.symbols import SymbolTable


@pytest.mark.parametrize(
    "text",
    [
        "f̂(x) - y",  # accent after its letter
        "̂f(x) - y",  # accent before it, as a PDF's text layer writes it
        "̂ f(x) - y",  # with a space between
        "(̂f(x) -y)",
    ],
)
def test_a_combining_hat_is_the_hat_command(text: str) -> None:
    assert free_symbols(parse(text, SymbolTable())) == free_symbols(parse(r"\hat{f}(x) - y", SymbolTable()))


def test_the_accent_stays_on_its_own_letter() -> None:
    assert parse("af̂", SymbolTable()) == parse(r"a\hat{f}", SymbolTable())
    assert parse("x̃", SymbolTable()) == parse(r"\tilde{x}", SymbolTable())
    assert parse("x̃", SymbolTable()) != Sym("x")
