"""Products ``\\prod`` (issue 12): read like ``\\sum``, with bounds in either order, over components,
with conditional probabilities in the body; bad or oversized products are unparseable or timeout."""

from __future__ import annotations

import numpy as np
import pytest

from grader.errors import MathParseError
from grader.mathx import ast as A
from grader.mathx import evaluate, parse
from grader.mathx.checks import equiv
from grader.mathx.symbols import SymbolSpec, SymbolTable

POSITIVE_VECTOR = SymbolTable(
    symbols={"x": SymbolSpec("x", "vector", ("d",), positive=True)},
    dims={"d": (2, 5)},
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (r"\prod_{i=1}^{3} i", A.Series),
        (r"\prod^{3}_{i=1} i", A.Series),  # superscript first, as LaTeX allows
        (r"\prod\limits_{t=1}^{T} \alpha_t", A.Series),
        (r"∏_{i=1}^{3} i", A.Series),
        (r"\prod_i x_i", A.Reduce),
        (r"\prod_{t} p(y_t|x)", A.Reduce),  # a plain bar is the conditioning bar
        (r"\prod_{t=1}^{T} p(y_t \mid y_{<t}, x)", A.Series),
        (r"\bar\alpha_t = \prod_{s=1}^{t} \alpha_s", A.Equation),
    ],
)
def test_products_parse(text: str, kind: type) -> None:
    assert isinstance(parse(text), kind)


def test_bounds_in_either_order_read_the_same() -> None:
    assert parse(r"\prod^{n}_{k=1} (1 - \beta_k)") == parse(r"\prod_{k=1}^{n} (1 - \beta_k)")
    assert parse(r"\sum^{n}_{k=1} k^2") == parse(r"\sum_{k=1}^{n} k^2")


def test_conditional_bar_separates_the_arguments() -> None:
    plain = parse(r"\prod_{t=1}^{T} p(y_t | y_{<t}, x)")
    mid = parse(r"\prod_{t=1}^{T} p(y_t \mid y_{<t}, x)")
    assert plain == mid
    assert isinstance(plain, A.Series) and isinstance(plain.body, A.Func) and len(plain.body.args) == 3


def test_absolute_values_inside_a_call_stay_absolute_values() -> None:
    node = parse(r"\sigma(|x| + |y|)")
    assert sum(isinstance(n, A.Abs) for n in A.walk(node)) == 2


@pytest.mark.parametrize(
    ("reference", "answer", "verdict"),
    [
        ("6", r"\prod_{i=1}^{3} i", "correct"),  # 1·2·3
        ("6", r"\prod^{3}_{i=1} i", "correct"),
        ("7", r"\prod_{i=1}^{3} i", "incorrect"),
        (r"n!", r"\prod_{k=1}^{n} k", "correct"),
        (r"\frac{1}{n+1}", r"\prod_{k=1}^{n} \frac{k}{k+1}", "correct"),  # telescoping
        (r"\frac{1}{n}", r"\prod_{k=1}^{n} \frac{k}{k+1}", "incorrect"),
        (r"\sum_{k=1}^{n} \log k", r"\log \prod_{k=1}^{n} k", "correct"),
        (r"\sum_{k=1}^{n} \log (a k)", r"\log \prod_{k=1}^{n} a k", "correct"),
        (r"a^n", r"\prod_{k=1}^{n} a", "correct"),
    ],
)
def test_product_equivalence(reference: str, answer: str, verdict: str) -> None:
    assert equiv(reference, answer).verdict == verdict


@pytest.mark.parametrize(
    ("reference", "answer", "verdict"),
    [
        (r"\sum_i \log x_i", r"\log \prod_i x_i", "correct"),
        (r"\prod_i x_i", r"\exp\left(\sum_i \log x_i\right)", "correct"),
        (r"\sum_i \log x_i", r"\log \prod_i x_i^2", "incorrect"),
    ],
)
def test_products_over_components(reference: str, answer: str, verdict: str) -> None:
    assert equiv(reference, answer, POSITIVE_VECTOR).verdict == verdict


def test_product_over_components_evaluates() -> None:
    x = np.array([0.5, 2.0, 3.0])
    assert evaluate(parse(r"\prod_i x_i", POSITIVE_VECTOR), {"x": x}) == pytest.approx(3.0)
    assert evaluate(parse(r"\prod_{i=1}^{d} x_i", POSITIVE_VECTOR), {"x": x}) == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (r"\prod", "prod"),
        (r"\prod_", "index"),
        (r"\prod_{i=1", "'}'"),
        (r"\prod_{}^{3} i", "index"),
        (r"\prod^{3} i", "index"),
        (r"\prod_{i \in S} x_i", "sets"),
    ],
)
def test_malformed_products_raise_a_parse_error(text: str, where: str) -> None:
    with pytest.raises(MathParseError, match=where):
        parse(text)


@pytest.mark.parametrize(
    "answer",
    [r"\prod_{i=1}^{3", r"\prod_{i=1}^{n}", r"\prod_{i=1}^{\infty} (1 - 2^{-i})", r"\prod_{i=1}^{10^{9}} i"],
)
def test_malformed_or_unbounded_products_are_unparseable(answer: str) -> None:
    result = equiv("6", answer)
    assert result.verdict == "unparseable"
    assert result.explanation


def test_product_bombs_are_stopped() -> None:
    nested = equiv("6", r"\prod_{i=1}^{400}\prod_{j=1}^{400}\prod_{k=1}^{400} i", budget_s=0.5)
    assert nested.verdict in ("timeout", "unparseable")
    deep = equiv("6", r"\prod_{i=1}^{3}" * 200 + " i")
    assert deep.verdict == "unparseable" and "nesting" in deep.explanation
    long = equiv("6", r"\prod_{i=1}^{3} i" * 3000)
    assert long.verdict == "unparseable" and "too long" in long.explanation
