"""Table rows as a transcript shows them (grader.tables)."""

from __future__ import annotations

import pytest

from grader.tables import merge_wrapped_rows, parse_table


@pytest.mark.parametrize(
    "text,rows",
    [
        # --- a cell wrapped after a hyphen is joined without a space
        (
            'C\ttorch.einsum("bd,hdq-\tmultiplies\n\t>bhq", x)\teach token',
            [["C", 'torch.einsum("bd,hdq->bhq", x)', "multiplies each token"]],
        ),
        # --- a wrapped word run is joined with a space; a keyed row starts a new row
        (
            "A\t[h, d, q]\twe still\n\t\tlearn one\nB\t[d, k]\tshared",
            [["A", "[h, d, q]", "we still learn one"], ["B", "[d, k]", "shared"]],
        ),
        # --- Markdown tables have no wrapped lines
        ("| item | answer |\n|---|---|\n| A | [h, d, q] |", [["item", "answer"], ["A", "[h, d, q]"]]),
    ],
)
def test_wrapped_rows_are_joined(text: str, rows: list[list[str]]) -> None:
    assert merge_wrapped_rows(parse_table(text)) == rows


def test_a_first_row_with_an_empty_key_stays_a_row() -> None:
    assert merge_wrapped_rows([["", "x", "y"], ["A", "1"]]) == [["", "x", "y"], ["A", "1"]]
