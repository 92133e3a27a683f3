"""Bad input never crashes a checker and never takes long."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.checkers.choices import check_choice
from grader.checkers.concept import Idea, check_concept
from grader.checkers.meaning import TermSet
from grader.checkers.names import check_name
from grader.checkers.quantity import check_quantity, facts_from_text, unsupported_numbers
from grader.checkers.tokens import check_tokens

VERDICTS = {"correct", "incorrect", "partial", "unparseable", "timeout"}
IDEAS = [Idea("a", "A", [TermSet.parse("sigma + square|plus")], math=["\\sigma^2 + 1"])]
VOCAB = {"gradient_descent": ["gradient descent", "SGD"], "sign_descent": ["sign descent", "signSGD"]}

# Text built from the characters transcripts are made of, markup included.
TEXTS = st.text(alphabet=st.sampled_from(list("ab SGD<>⟨⟩$\\{}*_-:;,.()[]☐☑☒~%x0123456789\n")), max_size=300)


def _all_checkers(text: str) -> list[str]:
    return [
        check_name(text, ["gradient_descent"], VOCAB, display="gd").verdict,
        check_tokens(text, ["<sos>", "I"]).verdict,
        check_choice(text, ["0", "1", "SGD optimizer"], ["1"], multi=False).verdict,
        check_choice(text, ["0", "1", "SGD optimizer"], ["1", "0"], multi=True).verdict,
        check_quantity(text, 341.0, "s", display="341 s").verdict,
        check_quantity(text, 0.94, "percent", display="94%").verdict,
        check_concept(text, IDEAS, conclusion="yes").verdict,
    ]


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_random_text_gives_a_verdict(text: str) -> None:
    assert set(_all_checkers(text)) <= VERDICTS
    unsupported_numbers(text, facts_from_text(text))


@pytest.mark.parametrize(
    "text",
    [
        # --- long and adversarial inputs (regex backtracking, nesting)
        "a" * 200_000,
        "**" * 50_000,
        "$" + "{" * 20_000 + "$",
        ("- ☐ SGD optimizer: not needed\n" * 5_000),
        "1" * 50_000 + " seconds",
        ("sign " * 20_000) + "descent",
        "\x00\xff\ufffd" * 10_000,
    ],
)
def test_large_input_is_fast(text: str) -> None:
    start = time.perf_counter()
    assert set(_all_checkers(text)) <= VERDICTS
    assert time.perf_counter() - start < 10.0
