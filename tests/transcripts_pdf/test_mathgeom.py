"""Math rebuilt from glyph geometry in prints that are not KaTeX: scripts, fractions, radicals, brackets.

The pages are drawn in Helvetica (no KaTeX font names), the way a TeX or browser print leaves them:
a raised ``T`` in its own run, numerator and denominator on either side of a stroked bar, a ``√``
followed by an overbar, a column vector between bracket parts.
"""

from __future__ import annotations

from typing import Any

import pytest

pymupdf = pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.brackets import bracket_matrices, system_braces  # noqa: E402
from grader.transcripts.pdf.katex import Piece, Rule  # noqa: E402
from grader.transcripts.pdf.mathgeom import plain_fraction  # noqa: E402
from grader.transcripts.pdf.mathglyphs import bracket_part_text, tex_font_text  # noqa: E402
from grader.transcripts.pdf.mathscripts import attach_scripts  # noqa: E402


def _pdf(draw: list[tuple[Any, ...]]) -> bytes:
    """A page with ``("t", x, y, text, size)`` glyph runs and ``("bar", x0, x1, y)`` stroked bars."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((50, 100), "The derivation follows below in a few short steps.", fontsize=11)
    for cmd in draw:
        if cmd[0] == "t":
            page.insert_text((cmd[1], cmd[2]), cmd[3], fontsize=cmd[4], fontname="helv")
        else:
            page.draw_line((cmd[1], cmd[3]), (cmd[2], cmd[3]), color=(0, 0, 0), width=0.4)
    return doc.tobytes()


def _read(draw: list[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    t = read_pdf(_pdf(draw), "geom.pdf")
    blocks = [b for turn in t.turns for b in turn.blocks]
    return "\n".join(b.text for b in blocks), blocks


def test_raised_small_run_is_a_superscript_of_the_run_before_it() -> None:
    # "x" then a 7 pt "T" raised by a third of the size: x^{T}, on one line, not a line "T" above "x"
    text, blocks = _read(
        [("t", 100, 200, "Then x", 11), ("t", 132.5, 196.3, "T", 7.7), ("t", 138, 200, "c = 3", 11)]
    )
    assert "x^{T}c = 3" in text.replace(" c", "c")
    assert "\nT\n" not in text
    assert any("script" in b.meta.get("math_rebuilt", []) for b in blocks)


def test_stacked_fraction_over_a_bar_is_a_frac() -> None:
    text, blocks = _read(
        [
            ("t", 100, 300, "y =", 11),
            ("t", 126, 293, "a+1", 11),
            ("bar", 124, 146, 296.5),
            ("t", 130, 307, "b", 11),
        ]
    )
    assert "y = \\frac{a+1}{b}" in text
    assert any("frac" in b.meta.get("math_rebuilt", []) for b in blocks)


def test_radical_with_an_overbar_is_a_sqrt() -> None:
    # "√" is not in Helvetica: draw it with PyMuPDF's built-in fallback font, which has it
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((50, 100), "The scale is the root of the dimension.", fontsize=11)
    page.insert_text((100, 200), "s =", fontsize=11)
    font = pymupdf.Font("cjk")
    page.insert_font(fontname="F9", fontbuffer=font.buffer)
    page.insert_text((120, 200), "√", fontsize=11, fontname="F9")
    width = font.text_length("√", fontsize=11)
    page.draw_line((120 + width, 191), (120 + width + 7, 191), color=(0, 0, 0), width=0.4)
    page.insert_text((120 + width + 0.5, 200), "d", fontsize=11)
    t = read_pdf(doc.tobytes(), "radical.pdf")
    text = "\n".join(b.text for turn in t.turns for b in turn.blocks)
    assert "s = \\sqrt{d}" in text


def test_column_vector_between_bracket_parts_is_a_bmatrix() -> None:
    # no font PyMuPDF can write has the bracket parts, so the runs are given as the reader makes them
    # (TeX's private-use codes mapped to ⎡ ⎢ ⎣ by ``bracket_part_text``)
    parts = [("\uf8ee", 201), ("\uf8ef", 214), ("\uf8f0", 227)]
    pieces = [_piece("v =", 100, 117, 214, 11)]
    pieces += [_piece(bracket_part_text(t), 120, 125, y, 11) for t, y in parts]
    pieces += [_piece(bracket_part_text(chr(ord(t) + 11)), 140, 145, y, 11) for t, y in parts]
    pieces += [_piece(e, 130, 136, y, 11) for e, y in (("1", 201), ("4", 214), ("-3", 227))]
    out, n = bracket_matrices(pieces)
    assert n == 1
    matrix = next(p for p in out if "matrix" in p.rebuilt)
    assert matrix.text == "\\begin{bmatrix} 1 \\\\ 4 \\\\ -3 \\end{bmatrix}" and matrix.baseline == 214
    assert sorted(p.text for p in out) == sorted(["v =", matrix.text])


def test_bracket_with_a_ragged_inside_is_left_alone() -> None:
    parts = [("⎡", 201), ("⎣", 227)]
    pieces = [_piece(t, 120, 125, y, 11) for t, y in parts] + [_piece("⎤", 140, 145, 201, 11)]
    # "1" alone on the left of the first line, "2" alone on the right of the second: no grid
    pieces += [_piece("⎦", 140, 145, 227, 11), _piece("1", 126, 130, 201, 11), _piece("2", 134, 138, 227, 11)]
    out, n = bracket_matrices(pieces)
    assert n == 0 and len(out) == len(pieces)


def test_two_lines_of_prose_around_a_rule_are_no_fraction() -> None:
    text, blocks = _read(
        [
            ("t", 100, 300, "First line of ordinary prose here.", 11),
            ("bar", 100, 270, 303),  # an underline under the whole line
            ("t", 100, 314, "Second line of the same paragraph.", 11),
            ("t", 100, 340, "A centred word", 11),
            ("bar", 60, 400, 345),  # a separator much wider than what is above and below it
            ("t", 100, 356, "another line", 11),
            # a box's border exactly as wide as the lines of prose on either side of it
            ("t", 100, 390, "The last line of a paragraph", 11),
            ("bar", 100, 100 + pymupdf.get_text_length("The last line of a paragraph", fontsize=11), 393),
            ("t", 100, 403, "Evaluation: correct after a", 11),
        ]
    )
    assert "\\frac" not in text
    assert "First line of ordinary prose here." in text and "Second line of the same paragraph." in text
    assert not any("frac" in b.meta.get("math_rebuilt", []) for b in blocks)


def _piece(text: str, x0: float, x1: float, base: float, size: float) -> Piece:
    return Piece(text, x0, x1, base - 0.8 * size, base + 0.2 * size, base, size, "Helvetica", 0, False)


def test_same_size_runs_on_other_baselines_are_not_scripts() -> None:
    # a smaller run far from the end of the line, or one on the same baseline, is no script
    pieces = [_piece("Heading", 100, 160, 200, 14), _piece("(draft)", 200, 240, 197, 9)]
    pieces += [_piece("body", 100, 130, 220, 11), _piece("note", 130, 150, 220, 8)]
    out, n = attach_scripts(pieces)
    assert n == 0 and [p.text for p in out] == ["Heading", "(draft)", "body", "note"]


def test_plain_fraction_needs_centred_parts() -> None:
    rule = Rule(100, 140, 300, stroked=True)
    left_aligned = [_piece("a", 100, 106, 296, 11), _piece("bcdefg", 100, 140, 309, 11)]
    assert plain_fraction(rule, left_aligned) is None
    centred = [_piece("a", 117, 123, 296, 11), _piece("bcdefg", 100, 140, 309, 11)]
    parts = plain_fraction(rule, centred)
    assert parts is not None and [p.text for p in parts[0]] == ["a"]


def test_tex_symbol_font_stand_ins() -> None:
    assert tex_font_text(">", "CMSY8") == "⊤" and tex_font_text("p", "ABCDEF+CMSY10") == "√"
    assert tex_font_text(">", "CMR10") == ">"


def test_tex_extension_font_dingbat_parentheses() -> None:
    # a cmex font whose ToUnicode names the \Big parentheses by dingbats; elsewhere a tick stays a tick
    assert tex_font_text("✓", "CMEX10") == "(" and tex_font_text("◆", "ABCDEF+CMEX10") == ")"
    assert tex_font_text("✓", "Helvetica") == "✓" and tex_font_text("◆", "CMR10") == "◆"


def _tex_pdf(draw: list[tuple[Any, ...]]) -> bytes:
    """Like ``_pdf``, with ``("m", x, y, text, size)`` runs in a font named as TeX's math italic."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((50, 100), "The derivation follows below in a few short steps.", fontsize=11)
    for cmd in draw:
        font = "tiro" if cmd[0] == "m" else "helv"
        page.insert_text((cmd[1], cmd[2]), cmd[3], fontsize=cmd[4], fontname=font)
    for xref, _, _, name, *_ in page.get_fonts():
        if name == "Times-Roman":
            doc.xref_set_key(xref, "BaseFont", "/ABCDEF+CMMI10")
    return doc.tobytes()


def test_formula_of_a_tex_print_is_written_in_dollars() -> None:
    # prose, then "x" in the math font with a raised "T", then "c = 3." in the text font
    t = read_pdf(
        _tex_pdf(
            [
                ("t", 100, 200, "Hence the product is", 11),
                ("m", 205, 200, "x", 11),
                ("m", 210.6, 196.3, "T", 7.7),
                ("m", 216, 200, "c", 11),
                ("t", 225, 200, "= 3.", 11),
                ("m", 150, 240, "y", 11),
                ("t", 160, 240, "= 2", 11),
            ]
        ),
        "tex.pdf",
    )
    blocks = [(b.kind, b.text) for turn in t.turns for b in turn.blocks]
    text = "\n".join(x for _, x in blocks)
    assert "Hence the product is $x^{T}c = 3$." in text
    assert "$y = 2$" in text  # a row that is all formula: one formula


def _brace(x: float, top: float) -> list[Piece]:
    return [_piece(c, x, x + 5, top + 13 * i, 11) for i, c in enumerate("⎧⎨⎩")]


def test_brace_opening_a_display_is_a_system_and_after_a_formula_is_kept() -> None:
    rows = [_piece("a + b = 1", 130, 170, 201, 11), _piece("a - b = 3", 130, 170, 227, 11)]
    out, n = system_braces(_brace(120, 201) + rows)
    assert n == 1 and sorted(p.text for p in out) == ["a + b = 1", "a - b = 3"]
    # "f(x) =" before the brace: cases, whose rows alone would misstate f; the brace stays (lossy row)
    cases = [_piece("f(x) =", 90, 117, 214, 11), *_brace(120, 201), *rows]
    out, n = system_braces(cases)
    assert n == 0 and len(out) == len(cases)


def test_script_of_a_script_is_nested() -> None:
    # R, then "d" raised at 8 pt with its own "2" lowered at 6 pt, then "×d" and its "1": R^{d_{2}×d_{1}}
    pieces = [
        _piece("R", 100, 108, 200, 11),
        _piece("d", 108, 112, 196, 8),
        _piece("2", 112, 115, 197.5, 6),
        _piece("×d", 115, 124, 196, 8),
        _piece("1", 124, 127, 197.5, 6),
    ]
    out, n = attach_scripts(pieces)
    assert n == 4 and [p.text for p in out] == ["R^{d_{2}×d_{1}}"]
