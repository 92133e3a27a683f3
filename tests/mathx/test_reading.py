"""Reading a claim as the value it states: labels, components, bounds, definitions, prose."""

from __future__ import annotations

import pytest

from grader.mathx import ast as A
from grader.mathx import parse
from grader.mathx.display import interpret
from grader.mathx.reading import bound, read_claim
from tests.mathx.tables import HW2_Q1, HW2_Q5

READS = [
    # --- labels and chains give their value ---
    (r"u = -\frac{\alpha}{2} g", r"-\frac{\alpha}{2} g"),
    (r"u^\star = -\frac{\alpha}{2} g", r"-\frac{\alpha}{2} g"),
    (r"\Delta\theta \leftarrow -\alpha g", r"-\alpha g"),
    # --- definitions alongside are substituted ---
    (r"u = -\eta g \text{ where } \eta = \frac{\alpha}{2}", r"-\frac{\alpha}{2} g"),
    # --- prose: the formula that answers ---
    (
        r"Setting the gradient to zero, $g + \frac{2}{\alpha} u = 0$, so $u = -\frac{\alpha}{2} g$.",
        r"-\frac{\alpha}{2} g",
    ),
]


@pytest.mark.parametrize("text,value", READS)
def test_value_read(text: str, value: str) -> None:
    assert interpret(read_claim(text, HW2_Q1).value) == interpret(parse(value, HW2_Q1))


def test_components_define_the_vector() -> None:
    reading = read_claim(r"u_i = -\frac{\alpha}{2} g_i", HW2_Q1)
    assert isinstance(reading.value, A.Components) and reading.value.index == "i"
    derived = read_claim(r"\frac{\partial J}{\partial u_i} = 0 \implies u_i = -\frac{\alpha g_i}{2}", HW2_Q1)
    assert isinstance(derived.value, A.Components)


@pytest.mark.parametrize(
    "text,expected",
    [
        (r"0 < \eta < \frac{2}{L}", r"\frac{2}{L}"),
        (r"\eta \le 1/L", r"\frac{1}{L}"),
        ("x < 5", "5"),
        (r"a < \eta < b", None),  # two symbolic bounds: ambiguous
    ],
)
def test_bound_of_an_inequality(text: str, expected: str | None) -> None:
    node = parse(text)
    assert isinstance(node, A.Inequality)
    got = bound(node)
    assert (interpret(got) if got is not None else None) == (interpret(parse(expected)) if expected else None)


def test_prose_definitions_from_other_formulas() -> None:
    reading = read_claim(r"Let $m = n - 1$. Each of the $n$ workers sends $2m$ messages per step.", HW2_Q5)
    assert interpret(reading.value) == interpret(parse("2(n - 1)"))
