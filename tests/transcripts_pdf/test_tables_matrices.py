"""Layouts spread over several baselines: ruled tables, column vectors, operator limits, fractions."""

from __future__ import annotations

import pytest

pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.katex import Rule  # noqa: E402
from grader.transcripts.pdf.tables import Grid, table_grids  # noqa: E402
from tests.transcripts_pdf.pdfgen import build, rule, texts  # noqa: E402


def _blocks(commands: list[tuple]) -> list[tuple[str, str, str]]:
    t = read_pdf(build([commands]), "layout.pdf")
    return [(b.kind, b.text, b.fidelity) for turn in t.turns for b in turn.blocks]


# ------------------------------------------------------------------ ruled tables
def _border(y: float) -> list[tuple]:
    return [rule(49, 172, y), rule(172, 381, y), rule(381, 548, y)]


TABLE = [
    ("text", 49, 150, "The completed table:"),
    ("text", 178, 225, "Number of Messages"),
    ("text", 387, 225, "Size"),
    *_border(236),
    ("text", 49, 256, "All-to-All"),
    ("text", 178, 256, "n(n-1)"),
    ("text", 387, 256, "p"),
    *_border(266),
    ("text", 49, 286, "Parameter Server"),
    ("text", 178, 286, "2n"),
    ("text", 387, 286, "p"),
    *_border(297),
    ("text", 49, 318, "Each message of the ring carries p/n entries of the gradient."),
]


def test_ruled_table_is_read_cell_by_cell() -> None:
    t = read_pdf(build([TABLE]), "table.pdf")
    # the empty first header cell keeps its tab, so columns stay aligned with the rows below
    assert texts(t, "table") == ["\tNumber of Messages\tSize\nAll-to-All\tn(n-1)\tp\nParameter Server\t2n\tp"]
    assert "Each message of the ring carries p/n entries of the gradient." in texts(t, "text")


@pytest.mark.parametrize(
    "rules,expected",
    [
        # two ruled lines of three adjacent cells: one grid
        ([Rule(49, 172, 160), Rule(172, 381, 160), Rule(49, 172, 190), Rule(172, 381, 190)], 1),
        # a lone bar (a fraction, a horizontal rule) is no table
        ([Rule(100, 140, 300)], 0),
        # two bars on one line with a gap between them are two fractions, not cells
        ([Rule(100, 140, 300), Rule(200, 240, 300)], 0),
    ],
)
def test_table_grids(rules: list[Rule], expected: int) -> None:
    grids = table_grids(rules)
    assert len(grids) == expected and all(isinstance(g, Grid) for g in grids)


# ------------------------------------------------------------------ stacks of math rows
@pytest.mark.parametrize(
    "commands,expected,fidelity",
    [
        # a column vector: three entries on three baselines, "x =" on the middle one
        (
            [
                ("math", 100, 400, "x =", 12),
                ("math", 130, 387, "1", 12),
                ("math", 130, 400, "0.1", 12),
                ("math", 130, 413, "0.01", 12),
            ],
            "\\begin{bmatrix} 1 \\\\ 0.1 \\\\ 0.01 \\end{bmatrix}",
            "exact",
        ),
        # display limits under an operator
        (
            [("math", 100, 400, "max", 12), ("math", 130, 400, "f", 12), ("math", 104, 411, "i=1", 8)],
            "max_{i=1}",
            "exact",
        ),
        # two display fractions stacked tightly in small print: two fractions, not one nested in the other
        (
            [
                ("math", 150, 180, "1", 7.7),
                rule(148, 172, 183),
                ("math", 150, 192, "3", 7.7),
                ("math", 150, 200, "2", 7.7),
                rule(148, 172, 203),
                ("math", 150, 212, "3", 7.7),
            ],
            "\\begin{bmatrix} \\frac{1}{3} \\\\ \\frac{2}{3} \\end{bmatrix}",
            "exact",
        ),
    ],
    ids=["column-vector", "operator-limits", "stacked-fractions"],
)
def test_math_stack_is_rebuilt(commands: list[tuple], expected: str, fidelity: str) -> None:
    maths = [(text, fid) for kind, text, fid in _blocks(commands) if kind == "math"]
    assert len(maths) == 1
    assert expected in maths[0][0] and maths[0][1] == fidelity


def test_aligned_derivation_is_not_taken_for_a_matrix() -> None:
    # "= d" under "a = b + c": an aligned derivation; no matrix is invented, the rows stay lossy
    blocks = _blocks([("math", 100, 387, "a = b + c", 12), ("math", 110, 400, "= d", 12)])
    maths = [(text, fid) for kind, text, fid in blocks if kind == "math"]
    assert [fid for _, fid in maths] == ["lossy", "lossy"]
    assert not any("bmatrix" in text for text, _ in maths)


def test_subscript_in_small_print_is_read_as_a_subscript() -> None:
    # a 7.7 pt page drops its subscripts by less than one point
    blocks = _blocks(
        [("math", 100, 400, "x", 7.7), ("math", 104.5, 400.9, "1", 5.4), ("math", 112, 400, "= y", 7.7)]
    )
    assert any("x_{1}" in text for kind, text, _ in blocks if kind == "math")
