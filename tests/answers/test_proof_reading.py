"""How a proof's text is read into steps: continuation lines and objectives under ``\\min``."""

from __future__ import annotations

import pytest

from grader.answers.proof_reading import bridge_continuations, join_continuations, objective_of


@pytest.mark.parametrize(
    "segments,expected",
    [
        # --- a line that starts with "=" continues the chain above it
        ([(1, "a = b"), (2, "= c")], [(1, "a = b = c")]),
        ([(1, "a = b"), (2, "&= c"), (3, "= d")], [(1, "a = b = c = d")]),
        ([(1, r"\|y - X w\|^2"), (1, "= y^T y")], [(1, r"\|y - X w\|^2 = y^T y")]),
        # --- nothing to continue: kept as it is
        ([(1, "= c")], [(1, "= c")]),
        ([(1, "a = b"), (2, "c = d")], [(1, "a = b"), (2, "c = d")]),
        # a lone number (a stray exponent of a PDF's text layer) opens no chain
        ([(1, "2"), (2, "= c")], [(1, "2"), (2, "= c")]),
        # "==" is no continuation
        ([(1, "a = b"), (2, "== c")], [(1, "a = b"), (2, "== c")]),
    ],
)
def test_join_continuations(
    segments: list[tuple[int | None, str]], expected: list[tuple[int | None, str]]
) -> None:
    assert join_continuations(segments) == expected


@pytest.mark.parametrize(
    "math,expected",
    [
        # --- an objective under min: the objective
        (r"\min_w \|y - X w\|^2 = a", r"\|y - X w\|^2 = a"),
        (r"\min_{w \in R^d} \|w\|^2 + 1", r"\|w\|^2 + 1"),
        (r"\min\limits_w \|w\|^2", r"\|w\|^2"),
        (r"\operatorname*{min} \|w\|^2", r"\|w\|^2"),
        ("min ‖y-Xw‖^{2}=‖y‖^{2}", "‖y-Xw‖^{2}=‖y‖^{2}"),
        # --- not an objective under min
        (r"\arg\min_w \|y - X w\|^2 = a", None),  # the minimiser
        ("argmin ‖w‖^{2}", None),
        (r"\min(a, b) = a", None),  # a function of its arguments
        (r"\min\left(a, b\right) = a", None),
        ("minimal = 2", None),
        ("min x = 2", None),  # words of a text layer
        (r"x_{\min} = 0", None),
        (r"\min_w", None),  # nothing under it
    ],
)
def test_objective_of(math: str, expected: str | None) -> None:
    assert objective_of(math) == expected


@pytest.mark.parametrize(
    "segments,expected",
    [
        # --- a continuation after the pieces of a broken matrix: the left side of the chain above them
        (
            [(1, "L = [ ]"), (2, "2"), (3, "y - x"), (4, "= a + b")],
            [(1, "L = [ ]", False), (2, "2", False), (3, "y - x", False), (4, "L = a + b", True)],
        ),
        ([(1, "L = M"), (2, "&= a")], [(1, "L = M", False), (2, "L = a", True)]),
        # --- no chain above the fragments, or a chain that opens with no name: kept as it is
        ([(1, "= a"), (2, "b")], [(1, "= a", False), (2, "b", False)]),
        ([(1, "2 = 2"), (2, "= a")], [(1, "2 = 2", False), (2, "= a", False)]),
        # the nearest relation above decides: a continuation that itself lost its head is no head
        (
            [(1, "L = M"), (2, "= c"), (3, "2"), (4, "= d")],
            [(1, "L = M", False), (2, "L = c", True), (3, "2", False), (4, "= d", False)],
        ),
    ],
)
def test_bridge_continuations(
    segments: list[tuple[int | None, str]], expected: list[tuple[int | None, str, bool]]
) -> None:
    assert bridge_continuations(segments) == expected
