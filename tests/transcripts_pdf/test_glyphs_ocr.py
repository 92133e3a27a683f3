"""Misnamed glyphs, Markdown-eaten norm bars, and OCR of screenshots (Tesseract faked here)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pymupdf")

import grader.transcripts.pdf.ocr as ocr  # noqa: E402
from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.assemble import restore_norm_bars  # noqa: E402
from grader.transcripts.pdf.glyphs import apply_fixes, suspect_glyphs  # noqa: E402
from tests.transcripts_pdf.pdfgen import BEIGE, build  # noqa: E402

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


# ------------------------------------------------------------------ OCR (Tesseract faked)
@pytest.mark.parametrize(
    "text,expected",
    [
        ("@ Powered by Claude Exporter 3/19", []),  # a blank screenshot: only the footer is read
        ("The answer\nis 42.\n\n3 / 8", ["The answer\nis 42."]),  # page number dropped
        ("@\n\nProblem 4", ["Problem 4"]),  # a stray mark read off an icon
    ],
)
def test_ocr_paragraphs(text: str, expected: list[str]) -> None:
    assert ocr.paragraphs(text) == expected


@pytest.fixture
def fake_ocr(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple]]:
    """Tesseract 'reads' every image as a problem statement; records the rectangles painted out."""
    blanked: list[list[tuple]] = []

    def read(page: object, clip: tuple, blank: list[tuple]) -> str:
        blanked.append(list(blank))
        return "Problem 4: how to train your ResNet\n\nPowered by Claude Exporter 2/3"

    monkeypatch.setattr(ocr, "tesseract_available", lambda: True)
    monkeypatch.setattr(ocr, "ocr_image", read)
    return blanked


def test_screenshot_pages_are_read_by_ocr_one_turn_per_page(fake_ocr: list[list[tuple]]) -> None:
    page = [("image", 50, 100, 380, 500), ("note", 390, 200, "It hallucinated the timings.")]
    t = read_pdf(build([page, page], title="write-up - Google Docs"), "docs.pdf")
    assert len(t.turns) == 2 and all(turn.role_inferred for turn in t.turns)
    for turn in t.turns:
        kinds = [(b.kind, b.fidelity, b.text) for b in turn.blocks]
        assert ("text", "ocr", "Problem 4: how to train your ResNet") in kinds  # footer dropped
        assert [b.text for b in turn.blocks if b.kind == "annotation"] == ["It hallucinated the timings."]
    # the typed note is painted out before OCR, so it is not read a second time
    assert all(any(r[0] >= 389 for r in blank) for blank in fake_ocr)


def test_screenshot_prompt_is_read_into_the_users_turn(fake_ocr: list[list[tuple]]) -> None:
    page = [
        ("image", 78, 60, 548, 300),
        ("text", 78, 320, "Please solve the problem attached"),
        ("text", 47, 340, "10/13/2025, 12:47:31 PM", 8),
        ("fill", 36, 360, 560, 806, BEIGE),
        ("text", 49, 400, "Mixed precision halves the training time."),
        ("text", 200, 830, "Powered by Claude Exporter", 9),
    ]
    t = read_pdf(build([page]), "prompt.pdf")
    user = t.turns[0]
    assert user.role == "user"
    assert [(b.kind, b.text) for b in user.blocks][:2] == [
        ("attachment", "[image: read by OCR]"),
        ("text", "Problem 4: how to train your ResNet"),
    ]
    assert not any("image-only prompt" in w for w in t.warnings)
