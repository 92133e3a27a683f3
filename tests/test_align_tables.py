"""Tables keyed by the answers' labels (grader.align_tables.keyed_tables)."""

from __future__ import annotations

import pytest

from grader.align_tables import keyed_tables
from grader.models import Block, Turn
from grader.rubric import Rubric, parse_rubric_text

RUBRIC = r"""
id: toy-keys
title: "Blanks A and B"
vocabulary: {dk: ["[d, k]"], hdk: ["[h, d, k]"]}
parts:
  - {id: q1a, question: "1", label: "a", points: 1,
     answers: [{id: s, kind: name, points: 1, reference: dk, context: ["A", "answer"]}]}
  - {id: q1b, question: "1", label: "b", points: 1,
     answers: [{id: s, kind: name, points: 1, reference: hdk, context: ["B", "answer"]}]}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-keys.yaml")


def _turn(*blocks: tuple[str, str]) -> Turn:
    return Turn(index=1, role="assistant", blocks=[Block(kind=k, text=t) for k, t in blocks])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "blocks,parts,expected",
    [
        # --- each keyed row gives the table to its part
        (
            [("text", "intro"), ("table", "item\tvalue\nA\t[d, k]\nB\t[h, d, k]")],
            ["q1a", "q1b"],
            {"q1a": [1], "q1b": [1]},
        ),
        # --- Markdown pipes, a bold key with a colon
        ([("table", "| item | value |\n|---|---|\n| **A:** | [d, k] |")], ["q1a", "q1b"], {"q1a": [0]}),
        # --- a key shared by both parts names neither
        ([("table", "item\tvalue\nanswer\t[d, k]")], ["q1a", "q1b"], {}),
        # --- a part the turn does not answer is never given the table
        ([("table", "item\tvalue\nA\t[d, k]\nB\t[h, d, k]")], ["q1b"], {"q1b": [0]}),
        # --- a key inside a longer cell is no key; prose is no table
        ([("table", "item\tvalue\nA and B\t[d, k]"), ("text", "A is [d, k].")], ["q1a", "q1b"], {}),
    ],
)
def test_keyed_tables(
    rubric: Rubric, blocks: list[tuple[str, str]], parts: list[str], expected: dict[str, list[int]]
) -> None:
    assert keyed_tables(_turn(*blocks), parts, rubric) == expected
