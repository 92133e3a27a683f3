"""Misnamed glyphs, Markdown-eaten norm bars, and OCR of screenshots (Tesseract faked here)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.assemble import restore_norm_bars  # noqa: E402
from grader.transcripts.pdf.glyphs import apply_fixes, suspect_glyphs  # noqa: E402
from tests.transcripts_pdf.pdfgen import build  # noqa: E402

# A font subset in glyph order: capitals, small letters, digits, then punctuation.
ORDERED = {(c, g) for g, c in enumerate("ABCWabcehlrx0123", start=1)} | {("(", 20), ("[", 21), ("=", 22)}


# ------------------------------------------------------------------ misnamed glyphs
@pytest.mark.parametrize(
    "extra,expected",
    [
        # a letter listed after the punctuation is an alternate form ("e" drawn as "=")
        ({("e", 30)}, {("Inter", 30): "e"}),
        # a second glyph for "[" (the raised bracket drawn as "(")
        ({("[", 31)}, {("Inter", 31): "["}),
        # letters among the letters are themselves
        (set(), {}),
    ],
)
def test_suspect_glyphs_in_an_ordered_subset(extra: set[tuple[str, int]], expected: dict) -> None:
    assert suspect_glyphs({"Inter": ORDERED | extra}) == expected


def test_unordered_font_is_never_second_guessed() -> None:
    # several subsets under one name (glyph ids reused): nothing can be told from the ids
    mixed = {("a", 5), ("b", 3), ("a", 9), ("(", 2), ("e", 30), ("x", 1), ("c", 4), ("d", 6)}
    assert suspect_glyphs({"ArialMT": mixed}) == {}


def test_apply_fixes_replaces_by_glyph_position() -> None:
    chars: list[dict[str, Any]] = [
        {"c": "θ", "origin": (10.0, 50.0)},
        {"c": "e", "origin": (20.04, 50.0)},
        {"c": "0", "origin": (30.0, 50.0)},
    ]
    assert apply_fixes(chars, {(20.0, 50.0): "="}) == 1
    assert "".join(c["c"] for c in chars) == "θ=0"


# ------------------------------------------------------------------ norm bars eaten by Markdown
@pytest.mark.parametrize(
    "latex,expected",
    [
        (r"u = -\frac{\alpha|g|_1}{2}", r"u = -\frac{\alpha\|g\|_1}{2}"),  # a subscript: a norm
        (r"|\Delta\theta|_\infty^2", r"\|\Delta\theta\|_\infty^2"),
        (r"|x_i| + |y|^2", r"|x_i| + |y|^2"),  # absolute values stay
        (r"\|a\|_2", r"\|a\|_2"),  # already escaped
    ],
)
def test_restore_norm_bars(latex: str, expected: str) -> None:
    assert restore_norm_bars(latex) == expected


def test_raw_display_latex_gets_its_norm_bars_back() -> None:
    t = read_pdf(build([[("text", 36, 100, "So: $$u = -\\frac{\\alpha|g|_1}{2}$$")]]), "raw.pdf")
    assert [b.text for turn in t.turns for b in turn.blocks if b.kind == "math"] == [
        "$$u = -\\frac{\\alpha\\|g\\|_1}{2}$$"
    ]
