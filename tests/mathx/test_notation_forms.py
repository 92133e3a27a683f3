"""Notation forms: the pseudo-inverse (``A^\\dagger``, ``A^{+}``, ``A^†``, ``A⁺``), the conditioning
bar ``∣``, styled math letters (``𝑋``, ``𝜆``)."""

from __future__ import annotations

import pytest

from grader.mathx import SymbolSpec, SymbolTable, equiv, parse
from grader.mathx import ast as A

SVD = SymbolTable(
    symbols={
        "U": SymbolSpec("U", "matrix", ("m", "m"), orthonormal_columns=True),
        "V": SymbolSpec("V", "matrix", ("n", "n"), orthonormal_columns=True),
        "S": SymbolSpec("S", "matrix", ("m", "n")),
        "B": SymbolSpec("B", "matrix", ("n", "n")),
        "b": SymbolSpec("b", "vector", ("m",)),
        "t": SymbolSpec("t"),
    },
    dims={"m": (5, 7), "n": (2, 4)},
)
"""A tall S (m > n): its pseudo-inverse is (S^T S)^{-1} S^T, not an inverse."""


@pytest.mark.parametrize("text", [r"B^\dagger", r"B^{\dagger}", "B^{+}", "B^†", "B⁺"])
def test_spellings_read_as_pseudo_inverse(text: str) -> None:
    node = parse(text, SVD)
    assert isinstance(node, A.Func) and node.name == "pinv"


@pytest.mark.parametrize(
    "reference,answer,expected",
    [
        (r"(S^\top S)^{-1} S^\top", r"S^\dagger", True),
        (r"V (S^\top S)^{-1} S^\top U^\top b", r"V S^{+} U^\top b", True),
        (r"V (S^\top S)^{-1} S^\top U^\top b", r"V S^† U^\top b", True),
        (r"B^{-1}", r"B^\dagger", True),  # a square matrix, invertible on every draw
        # a missing transpose is still caught
        (r"V (S^\top S)^{-1} S^\top U^\top b", r"V S^{+} U b", False),
        # the pseudo-inverse is not the transpose
        (r"S^\top", r"S^\dagger", False),
    ],
)
def test_pseudo_inverse_is_compared(reference: str, answer: str, expected: bool) -> None:
    result = equiv(reference, answer, SVD)
    assert result.verdict == ("correct" if expected else "incorrect"), result.explanation


def test_braced_plus_is_not_an_exponent_of_what_follows() -> None:
    # Σ^{+} U^T once read as Σ^{U^T} (an exponent of matrix shape): a right answer graded incorrect
    node = parse("S^{+} U^{T}", SVD)
    assert isinstance(node, A.Mul)
    assert not any(isinstance(f, A.Pow) for f in node.factors)


def test_pseudo_inverse_has_the_transposed_shape() -> None:
    # S is m x n: S^+ is n x m, so S^+ b is a vector of length n and S^+ S is n x n
    assert equiv(r"(S^\top S)^{-1} S^\top b", r"S^{+} b", SVD).verdict == "correct"
    assert equiv(r"S^\top b", r"S b", SVD).verdict == "incorrect"  # the shape check still applies


@pytest.mark.parametrize("answer", ["t^{+}", r"t^\dagger"])
def test_on_a_scalar_it_is_ambiguous_and_not_judged(answer: str) -> None:
    # x^+ of a number is as often its positive part: never incorrect on that reading
    result = equiv("1/t", answer, SVD)
    assert result.verdict == "unparseable", result.explanation


def test_unicode_conditioning_bar_reads_like_mid() -> None:
    plain = parse(r"\log \frac{\pi^*(y \mid x)}{\pi_{ref}(y \mid x)}")
    unicode = parse("\\log \\frac{\\pi^*(y∣x)}{\\pi_{ref}(y∣x)}")
    assert plain == unicode


@pytest.mark.parametrize(
    "styled,plain",
    [
        (
            "𝑤 = (𝑋^𝑇 𝑋)^{-1} 𝑋^𝑇 𝑦",
            "w = (X^T X)^{-1} X^T y",
        ),  # math italic, as a PDF of rendered math gives it
        ("𝜆 𝐼 + 𝐀", r"\lambda I + A"),  # italic Greek, bold
        ("𝟐𝑥", "2x"),  # a bold digit
        ("ℎ(𝑡)", "h(t)"),  # the italic h has its own code point
    ],
)
def test_styled_math_letters_read_as_plain(styled: str, plain: str) -> None:
    table = SymbolTable(
        symbols={
            "X": SymbolSpec("X", "matrix", ("m", "m")),
            "I": SymbolSpec("I", "matrix", ("m", "m")),
            "A": SymbolSpec("A", "matrix", ("m", "m")),
        },
        dims={"m": (2, 3)},
    )
    assert parse(styled, table) == parse(plain, table)


def test_styled_letters_keep_offsets() -> None:
    from grader.mathx.lexer import plain_letters

    text = "a + 𝑋𝑌 − 𝛼"
    assert len(plain_letters(text)) == len(text)
    assert plain_letters(text) == "a + XY − α"


POLICY = SymbolTable(
    symbols={
        "pi_star": SymbolSpec(
            "pi_star",
            positive=True,
            aliases=(r"\pi^*", r"\pi_\theta^*", r"\pi^*(y \mid x)", r"\pi_\theta^*(y \mid x)"),
        ),
        "pi_ref": SymbolSpec("pi_ref", positive=True, aliases=(r"\pi_{ref}", r"\pi_{ref}(y \mid x)")),
        "a": SymbolSpec("a"),
        "b": SymbolSpec("b"),
        "c": SymbolSpec("c"),
    },
)


@pytest.mark.parametrize(
    "answer",
    [
        r"\log \frac{\pi_\theta*(y \mid x)}{\pi_{ref}(y \mid x)}",  # the star written inline after the subscript
        "\\log \\frac{\\pi_{\\theta}*(y∣x)}{\\pi_{ref}(y∣x)}",
        r"\log \frac{\pi^*(y \mid x)}{\pi_{ref}(y \mid x)}",
    ],
)
def test_an_inline_star_before_a_conditional_is_the_optimum(answer: str) -> None:
    result = equiv(r"\log \frac{\pi^*}{\pi_{ref}}", answer, POLICY)
    assert result.verdict == "correct", result.explanation


def test_a_star_before_a_plain_bracket_is_still_a_product() -> None:
    assert equiv("a b + a c", "a*(b+c)", POLICY).verdict == "correct"
    assert equiv("a b + c", "a*(b+c)", POLICY).verdict == "incorrect"
