"""Cutting annotations, residue and thinking out of paragraphs."""

from __future__ import annotations

import pytest

from grader.transcripts.blocks import unit_blocks
from grader.transcripts.units import split_lines, split_units


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    """(kind, text) of every block of every unit of ``text``."""
    return [(b.kind, b.text) for u in split_units(split_lines(text)) for b in unit_blocks(u)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # trailing bold note appended to a bullet
        (
            "- **Total Messages:**  $2n$   **connect**",
            [("text", "- **Total Messages:**  $2n$"), ("annotation", "**connect**")],
        ),
        # leading italic note with an arrow, then the model's formula, then a note line
        (
            "*defines objective* ←  $J = g^T x$   \n*fn, good nl notation*",
            [
                ("annotation", "defines objective ←"),
                ("text", "$J = g^T x$   "),
                ("annotation", "fn, good nl notation"),
            ],
        ),
        # an inline comment link in the student's voice is cut out; a plain link stays
        (
            "So $J = -m$ [Here it provides more detail than the HW solution.](#)",
            [
                ("text", "So $J = -m$ "),
                ("annotation", "[Here it provides more detail than the HW solution.](#)"),
            ],
        ),
        (
            "Here's a summary of the [How to Train Your ResNet](#) blog post.",
            [("text", "Here's a summary of the [How to Train Your ResNet](#) blog post.")],
        ),
        # glyphs and banners are residue
        ("- ◆ Here is the breakdown.", [("residue", "◆"), ("text", "Here is the breakdown.")]),
        (
            "despite a higher  \n You've reached your Thinking limit\ncount",
            [
                ("text", "despite a higher  "),
                ("residue", "You've reached your Thinking limit"),
                ("text", "count"),
            ],
        ),
        # margin notes broken over short lines
        ("simple  \nand correct  \noptimization", [("annotation", "simple and correct optimization")]),
        ("David Page  \nSeptember 24, 2018", [("text", "David Page  \nSeptember 24, 2018")]),
        # thinking, math, tables, code
        ("*Thought: Unraveled the optimizer.*", [("thinking", "*Thought: Unraveled the optimizer.*")]),
        ("$$u = -\\frac{\\alpha}{2} g$$", [("math", "$$u = -\\frac{\\alpha}{2} g$$")]),
        ("$$\nu = 1\n\nv = 2\n$$", [("math", "$$\nu = 1\n\nv = 2\n$$")]),
        ("a\tb\n1\t2", [("table", "a\tb\n1\t2")]),
        ("```python\nx = 1\n\ny = 2\n```", [("code", "```python\nx = 1\n\ny = 2\n```")]),
    ],
)
def test_paragraph_blocks(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds_and_texts(text) == expected
