"""Piecewise definitions (``\\begin{cases}``) of TeX prints: a brace glyph, or brace parts, and the rows
beside it read back as one formula; rows that are not all "value, condition" are left lossy.

The pages are drawn in Helvetica (no TeX font names) the way a TeX print leaves a cases brace: one
``{`` glyph whose baseline sits half-way down the rows, and each row's value and condition as runs
of their own on the row's baseline.
"""

from __future__ import annotations

from typing import Any

import pytest

pymupdf = pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.cases import cases_braces  # noqa: E402
from grader.transcripts.pdf.katex import Piece  # noqa: E402
from grader.transcripts.pdf.mathglyphs import bracket_part_text  # noqa: E402

_SIZE = 11.0


def _pdf(rows: list[list[tuple[float, str]]], gap: float = 15.0, brace: str = "{") -> bytes:
    """``f(x) =`` and a brace glyph on baseline 300, then ``rows`` of ``(x offset, text)`` runs
    beside the brace, ``gap`` apart and centred on the brace's baseline."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((50, 100), "The activation is defined piece by piece below.", fontsize=11)
    page.insert_text((100, 300), "f(x) =", fontsize=_SIZE, fontname="helv")
    x_brace = 100 + pymupdf.get_text_length("f(x) = ", fontname="helv", fontsize=_SIZE)
    page.insert_text((x_brace, 300), brace, fontsize=_SIZE, fontname="helv")
    x_rows = x_brace + pymupdf.get_text_length(brace, fontname="helv", fontsize=_SIZE)
    first = 300 - gap * (len(rows) - 1) / 2
    for k, row in enumerate(rows):
        for dx, text in row:
            page.insert_text((x_rows + dx, first + k * gap), text, fontsize=_SIZE, fontname="helv")
    page.insert_text((50, 400), "This closes the definition of the activation.", fontsize=11)
    return doc.tobytes()


def _blocks(data: bytes) -> list[Any]:
    t = read_pdf(data, "cases.pdf")
    return [b for turn in t.turns for b in turn.blocks]


def _formula_block(blocks: list[Any]) -> Any:
    return next(b for b in blocks if "f(x)" in b.text)


def test_brace_glyph_with_if_and_otherwise_rows_is_a_cases_formula() -> None:
    blocks = _blocks(_pdf([[(1, "x+1"), (40, "if"), (52, "x > 0")], [(1, "0"), (40, "otherwise")]]))
    block = _formula_block(blocks)
    assert "f(x) = \\begin{cases} x+1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}" in block.text
    assert block.fidelity == "exact"
    assert "cases" in block.meta.get("math_rebuilt", [])


def test_three_rows_one_on_the_brace_baseline_with_aligned_columns() -> None:
    rows = [[(1, "-1"), (40, "x < 0")], [(1, "0"), (40, "x = 0")], [(1, "1"), (40, "x > 0")]]
    block = _formula_block(_blocks(_pdf(rows, gap=14.0)))
    assert "\\begin{cases} -1 & x < 0 \\\\ 0 & x = 0 \\\\ 1 & x > 0 \\end{cases}" in block.text
    assert block.fidelity == "exact"


def test_comma_separated_rows() -> None:
    block = _formula_block(_blocks(_pdf([[(1, "x,"), (30, "x > 0")], [(1, "-x,"), (30, "x < 0")]])))
    assert "\\begin{cases} x & x > 0 \\\\ -x & x < 0 \\end{cases}" in block.text


def test_row_without_a_condition_is_not_guessed() -> None:
    # the second row has no condition that can be told from its value: nothing is folded
    blocks = _blocks(_pdf([[(1, "x+1"), (40, "if"), (52, "x > 0")], [(1, "0")]]))
    assert not any("cases" in b.text for b in blocks)


def test_rows_of_prose_beside_a_brace_are_not_read_as_cases() -> None:
    rows = [[(1, "the first"), (60, "if"), (72, "x > 0")], [(1, "the second"), (60, "otherwise")]]
    assert not any("cases" in b.text for b in _blocks(_pdf(rows)))


def test_rows_far_apart_are_no_cases() -> None:
    # rows three lines apart around the brace are text of their own, not its cases
    blocks = _blocks(_pdf([[(1, "x+1"), (40, "if"), (52, "x > 0")], [(1, "0"), (40, "otherwise")]], gap=45))
    assert not any("cases" in b.text for b in blocks)


def _piece(text: str, x0: float, x1: float, base: float, size: float = _SIZE) -> Piece:
    return Piece(text, x0, x1, base - 0.8 * size, base + 0.2 * size, base, size, "Helvetica", 0, False)


def test_brace_drawn_from_parts_after_a_name_is_cases() -> None:
    # TeX's private-use codes for the brace parts, mapped to ⎧ ⎨ ⎩ by ``bracket_part_text``
    parts = [("\uf8f1", 190), ("\uf8f2", 200), ("\uf8f3", 210)]
    pieces = [_piece("g(t) =", 100, 130, 200)]
    pieces += [_piece(bracket_part_text(t), 132, 138, y) for t, y in parts]
    pieces += [_piece("t", 140, 144, 194), _piece("if", 170, 178, 194), _piece("t ≥ 1", 182, 205, 194)]
    pieces += [_piece("1", 140, 144, 207), _piece("otherwise", 170, 210, 207)]
    if not all(p.text in "⎧⎨⎩" for p in pieces[1:4]):
        pytest.skip("these code points are not TeX's brace parts in this build")
    out, n = cases_braces(pieces)
    assert n == 1
    folded = next(p for p in out if "cases" in p.rebuilt)
    assert folded.text == "\\begin{cases} t & t ≥ 1 \\\\ 1 & \\text{otherwise} \\end{cases}"
    assert folded.baseline == 200
    assert sorted(p.text for p in out) == sorted(["g(t) =", folded.text])
