"""Letters in their compatibility form: symbol variants (``ϕ``), styled math letters (``𝜙``, ``𝑋``),
ligatures (``ﬁ``) and Unicode super/subscript digits read as the words a rubric writes."""

from __future__ import annotations

import pytest

from grader.checkers.meaning import TermSet, sentences, words


@pytest.mark.parametrize(
    "styled,plain",
    [
        ("ϕ(z) feeds the sum", "φ(z) feeds the sum"),
        ("𝜙(z) feeds the sum", "φ(z) feeds the sum"),
        ("ϵ is small, ϑ is fixed", "ε is small, θ is fixed"),
        ("𝑊 is a matrix", "W is a matrix"),
        ("a speciﬁc ﬂow", "a specific flow"),
        ("cost O(T²) with A₁", "cost O(T^2) with A_1"),
    ],
)
def test_variants_are_the_same_words(styled: str, plain: str) -> None:
    assert words(styled) == words(plain)


def test_a_superscript_digit_is_not_dropped() -> None:
    # T² is T^2: the exponent is a word, so "T" alone no longer stands for "T²"
    squared = TermSet.parse("cache|store + T^2")
    assert squared.find(sentences("The cache grows like T² entries.")) is not None
    assert squared.find(sentences("The cache holds T entries.")) is None


def test_every_greek_letter_is_a_word() -> None:
    assert words("ζ and Ω") == ["ζ", "and", "ω"]


def test_an_ellipsis_does_not_end_a_sentence() -> None:
    listed = sentences("phi(q) = [q_1^2, ..., q_D^2, sqrt(2) q_1 q_2, . . . , sqrt(2) q_1, 1]. Next point.")
    assert [s.text.split()[0] for s in listed] == ["phi(q)", "Next"]
    assert TermSet.parse("phi + 1 + sqrt").find(listed) is not None


def test_an_unbraced_subscript_is_digits_or_letters() -> None:
    # q_{1}q_{2} as plain text: two subscripted letters, not q with the subscript "1q"
    assert words("q_1q_2") == ["q", "_1", "q", "_2"]
    assert words("x_ij and W_12") == ["x", "_ij", "and", "w", "_12"]
    assert TermSet.parse("q_1 q_2 + sqrt").find(sentences("the entries sqrt(2)q_1q_2 follow")) is not None


def test_an_identifier_reads_as_its_words() -> None:
    # a PDF's text layer drops the underscores of code: "split heads" is split_heads
    assert words("split_heads and d_model") == words("split heads and d model")
    assert (
        TermSet.parse("split_heads + value").find(sentences("2. Modify split heads to accept the value"))
        is not None
    )
    # short subscripts stay subscripts: W_o is not "W o", x_ij not "x ij"
    assert words("W_o") != words("W o")
    assert words("x_ij") != words("x ij")


def test_a_subscript_letter_without_its_underscore_is_the_same_word() -> None:
    # a PDF's text layer drops underscores: W_o is "W o", d_model is "d model"
    wo = TermSet.parse("W_o + 2 * d_model")
    assert wo.find(sentences("4. Update W o to accept 2 * d model inputs.")) is not None
    assert wo.find(sentences("Update W_{o} to accept 2 * d_model inputs.")) is not None
    assert wo.find(sentences("Update W to accept 2 * d model inputs.")) is None
    # a digit is not a subscript that lost its underscore: "W 2" may be a number after W
    assert TermSet.parse("W_2 + zero").find(sentences("W 2 is zero")) is None
