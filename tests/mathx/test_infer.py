"""Symbols nobody declared: kind and shape inferred from how they are written."""

from __future__ import annotations

from grader.mathx import ast as A
from grader.mathx import check_equation, parse
from grader.mathx.infer import infer_symbols
from grader.mathx.symbols import SymbolSpec, SymbolTable
from tests.mathx.tables import HW7_Q3


def test_subscripted_identity_takes_the_named_size() -> None:
    inf = infer_symbols([parse(r"U_k^\top U_k = I_k", HW7_Q3)], HW7_Q3)
    spec = inf.table.get("I_k")
    assert spec is not None and spec.identity and spec.shape == ("k", "k")
    assert not inf.unknown and "I_k" not in inf.free  # an identity is determined: it can be refuted


def test_identity_of_a_number_and_of_an_unknown_size() -> None:
    table = SymbolTable(symbols={"A": SymbolSpec("A", "matrix", (3, 3))})
    inf = infer_symbols([parse("A I_3 + I_n", table)], table)
    assert inf.table.get("I3").shape == (3, 3)  # type: ignore[union-attr]
    assert inf.substitutions["I_n"] == A.Const("I")  # n names no size: the adaptive identity


def test_diagonal_matrix_is_free() -> None:
    inf = infer_symbols([parse(r"X X^\top U_k = U_k \Lambda_k", HW7_Q3)], HW7_Q3)
    spec = inf.table.get("Lambda_k")
    assert spec is not None and spec.diagonal and spec.shape == ("k", "k")
    assert inf.free == {"Lambda_k"}


def test_declared_base_symbol() -> None:
    table = SymbolTable(symbols={"U": SymbolSpec("U", "matrix", ("m", "k"), orthonormal_columns=True)})
    inf = infer_symbols([parse(r"U_k^\top U_k", table)], table)
    assert inf.substitutions == {"U_k": A.Sym("U")}


def test_sum_bounds_are_integers() -> None:
    inf = infer_symbols([parse(r"\sum_{k=1}^{n} k")], SymbolTable(), known={"n"})
    spec = inf.table.get("n")
    assert spec is not None and spec.integer and spec.positive


def test_nothing_to_infer_is_unknown() -> None:
    assert infer_symbols([parse("Q + W_1", HW7_Q3)], HW7_Q3).unknown == ["Q"]


EQUATIONS = [
    # --- issue 11: notation nobody declared ---
    (r"U_k^\top U_k = I_k", "correct"),
    (r"U_k U_k^\top = I_m", "incorrect"),  # an identity is determined: a random instance refutes it
    (r"X X^\top U_k = U_k \Lambda_k", "unparseable"),  # true for the right Λ_k only: not refuted
    (r"\Lambda_k^\top = \Lambda_k", "correct"),  # true for every diagonal matrix
    (r"U_k^\top U_k = Q", "unparseable"),
    (r"P^\top = W_1^\top W_2^\top \text{ where } P = W_2 W_1", "correct"),
]


def test_equations_with_inferred_symbols() -> None:
    for text, verdict in EQUATIONS:
        result = check_equation(text, HW7_Q3)
        assert result.verdict == verdict, (text, result.explanation)
