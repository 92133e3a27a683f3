"""Markup stripping and word counting."""

from __future__ import annotations

import pytest

from grader.checkers.text_utils import check_word_limit, count_words, plain_text


@pytest.mark.parametrize(
    "source,expected",
    [
        # --- LaTeX
        (r"$\langle \text{sos} \rangle, \text{I}, \text{see}$", "<sos>, I, see"),
        (r"$\frac{1}{\sigma^2} + \sigma^2$", "(1)/(sigma^2) + sigma^2"),
        (r"$W_2^\top W_2$", "W_2^T W_2"),
        (r"$\ell_\infty$ norm", "l_inf norm"),
        (r"$\mathbf{U}_k \Sigma_k^2$", "U_k Sigma_k^2"),
        (r"94\% accuracy", "94% accuracy"),
        # --- Markdown
        ("This recovers **Gradient Descent** (or SGD)", "This recovers Gradient Descent (or SGD)"),
        ("- **Weight Decay:** see [the blog](http://x.y)", "Weight Decay: see the blog"),
        ("### Heading\n1. item one\n* item two", "Heading\nitem one\nitem two"),
        ("use `nn.MSELoss` here", "use nn.MSELoss here"),
        ("2.8×10<sup>9</sup> FLOPs", "2.8×109 FLOPs"),
        # --- degenerate input
        ("", ""),
        ("   \n  ", ""),
    ],
)
def test_plain_text(source: str, expected: str) -> None:
    assert plain_text(source) == expected


def test_plain_text_non_string_is_empty() -> None:
    assert plain_text(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text,expected",
    [
        # --- plain prose
        ("one two three", 3),
        ("Mixed-precision training stood out.", 4),
        # --- markup does not count as words
        ("**Bold** and `code` - item", 4),
        ("- ☐ Weight Decay\n- ☐ SGD optimizer", 4),
        (r"$\text{I}, \text{see}$", 2),
        # --- empty
        ("", 0),
        ("— • —", 0),
    ],
)
def test_count_words(text: str, expected: int) -> None:
    assert count_words(text) == expected


@pytest.mark.parametrize(
    "words,limit,tolerance,ok",
    [
        # --- within the soft limit
        (100, 100, 0.25, True),
        (125, 100, 0.25, True),
        # --- over it
        (126, 100, 0.25, False),
        (101, 100, 0.0, False),
        # --- a negative tolerance is treated as none
        (100, 100, -1.0, True),
    ],
)
def test_check_word_limit(words: int, limit: int, tolerance: float, ok: bool) -> None:
    text = " ".join(["word"] * words)
    assert check_word_limit(text, limit, tolerance) == (ok, words)


@pytest.mark.parametrize(
    "latex,expected",
    [
        # --- named operators keep their name, so that term sets such as "log + ratio" meet them
        (r"$\log \pi(y)$", "log pi(y)"),
        (r"$\sum_j \exp(r_j)$", "sum _j exp (r_j)"),
        (r"$\nabla_\theta \max(a, b)$", "nabla _theta max (a, b)"),
        (r"$\sqrt 2 x_i$", "sqrt 2 x_i"),
        # --- other commands still vanish
        (r"$\quad a \hspace b$", "a b"),
    ],
)
def test_named_operators_are_written_as_words(latex: str, expected: str) -> None:
    assert plain_text(latex) == expected


@pytest.mark.parametrize(
    "source,expected",
    [
        # subscripts of a formula are not Markdown italics between two underscores
        ("$\\phi(Q_{i})^{N}_{j=1}\\phi(K_{j})$", "phi(Q_i)^N_j=1phi(K_j)"),
        ("$\\sum_{j} x_{j}$", "sum _j x_j"),
        ("this is _very_ important and *so* is this", "this is very important and so is this"),
        ("a snake_case_name stays", "a snake_case_name stays"),
    ],
)
def test_underscore_italics_are_not_subscripts(source: str, expected: str) -> None:
    assert plain_text(source) == expected
