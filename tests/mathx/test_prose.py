"""Formulas in prose: found, told apart from prose, and the one that answers picked."""

from __future__ import annotations

import pytest

from grader.mathx import ast as A
from grader.mathx import prose
from tests.mathx.tables import HW2_Q1

FORMULAS = [
    # --- math environments and boxes, in order ---
    (r"so $u = -\frac{\alpha}{2} g$, a step of $\alpha/2$.", [r"u = -\frac{\alpha}{2} g", r"\alpha/2"]),
    (r"Thus $\boxed{5}$ and $x = 3$.", ["5", "x = 3"]),
    # --- plain text: runs of math-looking words; English hyphenation is prose ---
    ("Setting the gradient to zero gives u = -alpha g / 2, a plain step.", ["u = -alpha g / 2"]),
    ("There are n-1 reduce-scatter steps: 2n(n-1) in total.", ["n-1", "2n(n-1)"]),
]


@pytest.mark.parametrize("text,expected", FORMULAS)
def test_formulas(text: str, expected: list[str]) -> None:
    assert [f.text for f in prose.formulas(text)] == expected


@pytest.mark.parametrize(
    "text,is_prose",
    [
        ("Each worker gets $n/M$ samples.", True),
        (r"u = -\eta g \text{ where } \eta = \alpha/2", False),
        (r"\mathrm{Var}(w) = \frac{2}{n}", False),
        (r"\frac{\alpha}{2} g", False),
        ("the update is -alpha g", True),
        # a word as a name's index is no prose; the same word outside an index is
        (r"\frac{\alpha}{g_{old}} + g^{new}", False),
        (r"\alpha \cdot old", True),
    ],
)
def test_looks_like_prose(text: str, is_prose: bool) -> None:
    assert prose.looks_like_prose(text, HW2_Q1) is is_prose


def _value(node: A.Node) -> bool:
    return not isinstance(node, A.Equation | A.Inequality) or isinstance(node.sides[0], A.Sym)


PICKS = [
    # --- the formula that answers, not the last one ---
    (r"Setting $g + \frac{2}{\alpha} u = 0$, so $u = -\frac{\alpha}{2} g$.", r"u = -\frac{\alpha}{2} g"),
    (r"Hence $x = 3$. (Check: $2 \cdot 3 + 1 = 7$.)", "x = 3"),  # closed arithmetic is a check
    (r"Therefore $f = x + 1$ for all $x \ne 0$.", "f = x + 1"),  # a condition is not the answer
    (r"With $n$ workers, $2(n-1)$ steps each: $2n(n-1)$.", "2n(n-1)"),
    (r"$u = -\alpha g$ or rather $\boxed{u = -\frac{\alpha}{2} g}$", r"u = -\frac{\alpha}{2} g"),
]


@pytest.mark.parametrize("text,expected", PICKS)
def test_pick(text: str, expected: str) -> None:
    parsed = prose.parse_all(prose.formulas(text), HW2_Q1)
    chosen = prose.pick(parsed, _value, declared=set(HW2_Q1.symbols))
    assert chosen is not None and chosen.formula.text == expected
