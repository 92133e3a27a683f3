"""Arrows are words of an idea ("w → 0": tends to 0), and ``\\rightarrow`` is not the sizing ``\\right``."""

from __future__ import annotations

import pytest

from grader.checkers.meaning import TermSet, sentences, words
from grader.checkers.text_utils import plain_text


@pytest.mark.parametrize("text", ["w → 0", "w -> 0", "w ⟶ 0", r"$w \to 0$", r"$w \rightarrow 0$"])
def test_every_arrow_spelling_is_one_word(text: str) -> None:
    assert words(plain_text(text)) == ["w", "→", "0"]


def test_rightarrow_is_not_eaten_by_right() -> None:
    assert "arrow" not in plain_text(r"$a \rightarrow b$")
    assert plain_text(r"$\left( a \right)$").split() == ["(", "a", ")"]


def test_a_term_set_with_an_arrow_matches_a_formula_in_prose() -> None:
    tends_to_zero = TermSet.parse("0|zero + tend|tends|→")
    assert tends_to_zero.find(sentences(r"For a large penalty, $\hat{w} \approx X^\top y/\lambda \to 0$."))
    assert tends_to_zero.find(sentences("The loss keeps growing as the rate doubles.")) is None


@pytest.mark.parametrize(
    "latex,plain",
    [
        (r"$w \leftarrow w - \eta g$", "w <- w - eta g"),
        (r"$w \gets v$", "w <- v"),
        (r"$x \mapsto y$", "x -> y"),
    ],
)
def test_assignment_and_map_arrows_keep_their_direction(latex: str, plain: str) -> None:
    assert plain_text(latex) == plain
