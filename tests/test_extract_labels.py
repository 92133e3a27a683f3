"""A label written in another notation still names the answer: unicode letters (ℓ, ∂, ϕ), \\dfrac,
\\varphi, \\mathrm{d}, \\mathbb{E}, ^\\top (synthetic statements written for these tests)."""

from __future__ import annotations

import pytest

from grader.extract import names_label
from grader.models import Block


@pytest.mark.parametrize(
    "lhs,names",
    [
        ("\\frac{dℓ}{dϕ}", {"frac{d\\ell}{d\\phi}"}),
        ("\\frac{∂ℓ}{∂w}", {"frac{\\partial \\ell}{\\partial w}"}),
        ("\\dfrac{d\\ell}{d\\varphi}", {"frac{d\\ell}{d\\phi}"}),
        ("\\frac{\\mathrm{d}\\ell}{\\mathrm{d}\\phi}", {"frac{d\\ell}{d\\phi}"}),
        ("\\mathbb{E}[q^\\top k]", {"E[q^T k]"}),
        ("∇_w ℓ", {"nabla_w \\ell"}),
        ("Output ", {"output"}),  # a word names an answer in any case
        ("\\text{Mean}", {"mean"}),
        ("x^{DDIM}_{t-1}", {"x_{t-1}"}),  # a method's tag set as a superscript
        ("x^{\\text{new}}", {"x"}),
        ("q*", {"q"}),  # OCR and text layers set the optimum's star on the line: q* is q^*
        ("q ∗", {"q"}),
        ("q*(z)", {"q"}),
    ],
)
def test_spellings_of_one_label(lhs: str, names: set[str]) -> None:
    assert names_label(lhs, names)


@pytest.mark.parametrize(
    "lhs,names",
    [
        ("\\frac{dℓ}{dw}", {"frac{d\\ell}{d\\phi}"}),  # another derivative
        ("\\mathbb{E}[q k]", {"E[q^T k]"}),  # the transpose is part of the label
        ("\\frac{∂ℓ}{∂b}", {"frac{\\partial \\ell}{\\partial w}"}),
        ("W", {"w"}),  # a letter keeps its case
        ("Outputs", {"output"}),
        ("x^{ab}", {"x"}),  # a power, not a tag
        ("x^{T}", {"x"}),
        ("q*k", {"q"}),  # a product: a factor follows the star
        ("k*", {"q"}),
    ],
)
def test_other_labels_stay_apart(lhs: str, names: set[str]) -> None:
    assert not names_label(lhs, names)


@pytest.mark.parametrize(
    "lhs,names",
    [
        ("e_{i}^{′}", {"e_i'"}),  # a PDF's text layer writes the prime as U+2032
        ("e^{′}_{i}", {"e'_i"}),
        ("e_i^{\\prime}", {"e_i'"}),
        ("e_i^\\prime", {"e_i'"}),
        ("w′", {"w'"}),
    ],
)
def test_every_spelling_of_a_prime_is_one_label(lhs: str, names: set[str]) -> None:
    assert names_label(lhs, names)


def test_a_prime_still_tells_two_labels_apart() -> None:
    assert not names_label("e_{i}^{′}", {"e_i"})
    assert not names_label("e_i", {"e_i'"})


def test_a_word_before_a_formula_labels_it() -> None:
    from grader.extract import block_maths

    blocks = [(0, Block(kind="text", text="Output = $v_{2} = [1, 4, 3]$\nThe scores are $s = [3, 11]$."))]
    found = [math for _, math, _ in block_maths(blocks, worded=True)]
    assert found == ["Output = v_{2} = [1, 4, 3]", "s = [3, 11]"]
    # "is", "as", prose before the formula: no label
    plain = [(0, Block(kind="text", text="which we write as $v_{2}$"))]
    assert [math for _, math, _ in block_maths(plain, worded=True)] == ["v_{2}"]
    # only where a caller asks for it: a derivative's line keeps its own left side
    assert [math for _, math, _ in block_maths(blocks)] == ["v_{2} = [1, 4, 3]", "s = [3, 11]"]


@pytest.mark.parametrize(
    "line,expected",
    [
        # the text layer began the math after the first term: the term is part of the formula
        ("output = 0 $· v_{1} + 1 · v_{2} = v_{2}$", ["output = 0 · v_{1} + 1 · v_{2} = v_{2}"]),
        ("total = 3 $+ x$", ["total = 3 + x"]),
        # a value and then a formula of its own: no continuation, no label
        ("so x = 2 $y = 3$", ["y = 3"]),
        ("output = 0 $v_{2}$", ["v_{2}"]),
    ],
)
def test_a_first_term_left_outside_the_math_joins_it(line: str, expected: list[str]) -> None:
    from grader.extract import block_maths

    assert [m for _, m, _ in block_maths([(0, Block(kind="text", text=line))], worded=True)] == expected
