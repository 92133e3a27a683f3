"""The language the parser reads (issue 11): what each construct becomes in the AST."""

from __future__ import annotations

import pytest

from grader.mathx import ast as A
from grader.mathx import parse
from grader.mathx.display import interpret

KINDS = [
    # --- sets and set algebra ---
    (r"[0, 4] \setminus (1, 2)", A.SetOp),
    (r"[1, 3] \cap [2, 5]", A.SetOp),
    (r"(0, 1) \cup (2, 3)", A.Union),
    (r"\mathbb{R} \setminus \{0\}", A.SetOp),
    (r"\emptyset", A.NamedSet),
    (r"x \in [1, 2]", A.Member),
    (r"x \notin \{1\}", A.Member),
    # --- alternatives and lists ---
    (r"x = 2 \text{ or } x = -2", A.Or),
    ("x = 2 or x = -2", A.Or),
    (r"1 \text{ and } 2", A.Tuple),
    (r"x = \pm 3", A.Equation),
    # --- calculus and big operators ---
    (r"\frac{d}{dx} x^3", A.Deriv),
    (r"\frac{d^2 y}{dx^2}", A.Deriv),
    (r"\frac{\partial}{\partial y}(x^2 y)", A.Deriv),
    (r"\partial f / \partial \theta_i", A.Deriv),
    ("d/dx (x^2)", A.Deriv),
    (r"\int_0^1 x^2 \, dx", A.Integral),
    (r"\int_{0}^{1} \frac{1}{1+x^2} \mathrm{d}x", A.Integral),
    (r"\int x \, dx", A.Integral),
    (r"\lim_{x \to 0} \frac{\sin x}{x}", A.Limit),
    (r"\lim_{x \to 0^+} \ln x", A.Limit),
    (r"\sum_{k=1}^{n} k^2", A.Series),
    (r"\prod_{k=1}^{n} k", A.Series),
    (r"\sum_i g_i", A.Reduce),
    # --- functions, labels, decorations ---
    (r"\sin^{-1} x", A.Func),
    (r"\overline{2 - 3i}", A.Func),
    (r"\mathrm{Var}(w)", A.Func),
    (r"\operatorname{Cov}[x, y]", A.Func),
    (r"\theta^\star", A.Sym),
    (r"w \leftarrow w - \eta g", A.Equation),
    ("x := 2", A.Equation),
]


@pytest.mark.parametrize("text,kind", KINDS)
def test_construct_kinds(text: str, kind: type) -> None:
    node = parse(text)
    assert isinstance(node, kind), node
    assert interpret(node)  # every node has a display form


READS = [
    # --- inverse functions are not reciprocals ---
    (r"\sin^{-1} x", r"\arcsin\left(x\right)"),
    (r"\tan^{-1}(1)", r"\arctan\left(1\right)"),
    (r"\sin^2 x", r"\sin\left(x\right)^{2}"),
    # --- the imaginary unit, unless an index ---
    ("3 + 4i", "3 + 4 i"),
    (r"\sum_{i=1}^{n} i", r"\sum_{i=1}^{n} i"),
    # --- braces around a split word keep the product together ---
    (r"\frac{ab}{2}", r"\frac{a b}{2}"),
    (r"\sqrt{ab}", r"\sqrt{a b}"),
    # --- Unicode superscripts ---
    ("x² + y⁻¹", "x^{2} + y^{-1}"),
]


@pytest.mark.parametrize("text,expected", READS)
def test_reads_as(text: str, expected: str) -> None:
    assert interpret(parse(text)) == expected


def test_imaginary_unit_is_a_constant() -> None:
    assert parse("i") == A.Const("i")
    series = parse(r"\sum_{i=1}^{3} i")
    assert isinstance(series, A.Series) and isinstance(series.body, A.Sym)  # bound by the sum


def test_pm_expands_to_both_signs() -> None:
    roots = A.expand_pm(parse(r"\frac{-b \pm \sqrt{D}}{2a}"))
    assert [interpret(r) for r in roots] == [r"\frac{-b + \sqrt{D}}{2 a}", r"\frac{-b - \sqrt{D}}{2 a}"]


def test_long_numbers_are_refused_with_a_reason() -> None:
    from grader.errors import MathParseError

    with pytest.raises(MathParseError, match="digits"):
        parse("9" * 5000)  # Python cannot even convert 4,300 digits to an int
