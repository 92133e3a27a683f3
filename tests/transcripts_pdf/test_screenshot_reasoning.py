"""Visible reasoning in screenshots of a chat: the ink of each OCR'd line is measured from the pixels, and a
reply that opens in a fainter print than its answer opens with its reasoning. Each reading test draws a
screenshot with PyMuPDF, embeds it in a PDF and reads it with real Tesseract (skipped when it is not
installed)."""

from __future__ import annotations

import pytest

pymupdf = pytest.importorskip("pymupdf")
np = pytest.importorskip("numpy")

import grader.transcripts.pdf.ocr as ocr  # noqa: E402
from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.ocr_ink import contrast, ink_colour  # noqa: E402

needs_tesseract = pytest.mark.skipif(not ocr.tesseract_available(), reason="tesseract is not installed")

Grey = float
ANSWER = [
    "Here is the filter that produces the output sequence,",
    "found by writing one equation for every position.",
    "The first position gives two times one minus four,",
    "so the first entry of the filter is two as expected.",
    "The other two entries follow from the next equations,",
    "and the full filter reproduces all three outputs.",
]


def _chat(
    lines: list[tuple[float, float, str, Grey]], page: Grey, bubble: tuple[float, float, float, float] | None
) -> bytes:
    """A PDF holding one screenshot of a chat: a page of grey ``page``, an optional user's bubble (a
    lighter or darker box), and text lines (x, y, text, grey of the ink)."""
    shot = pymupdf.open()
    sheet = shot.new_page(width=600, height=420)
    sheet.draw_rect(sheet.rect, color=None, fill=(page,) * 3)
    if bubble is not None:
        tint = page + (0.1 if page < 0.5 else -0.1)
        sheet.draw_rect(pymupdf.Rect(*bubble), color=None, fill=(tint,) * 3)
    for x, y, text, ink in lines:
        sheet.insert_text((x, y), text, fontsize=15, fontname="helv", color=(ink,) * 3)
    pix = sheet.get_pixmap(dpi=144)
    doc = pymupdf.open()
    out = doc.new_page(width=595, height=842)
    out.insert_image(pymupdf.Rect(40, 60, 540, 410), pixmap=pix)
    return doc.tobytes()


def _kinds(data: bytes) -> list[tuple[str, str, str]]:
    t = read_pdf(data, "shot.pdf")
    return [(turn.role, b.kind, b.text) for turn in t.turns for b in turn.blocks]


def _conversation(page: Grey, answer_ink: Grey, opening_ink: Grey) -> bytes:
    prompt = (200, 45, "What was the filter of part b?", answer_ink)
    opening = (45, 115, "Solve the three equations for the filter", opening_ink)
    reply = [(30, 160 + 30 * i, text, answer_ink) for i, text in enumerate(ANSWER)]
    return _chat([prompt, opening, *reply], page, bubble=(185, 22, 570, 62))


# ------------------------------------------------------------------ ink measured from the pixels
def test_ink_is_the_colour_of_the_strokes_not_of_the_background() -> None:
    pixels = np.full((20, 60, 3), 250, dtype=np.uint8)
    pixels[5:15, 10:12] = 40  # two dark strokes
    pixels[5:15, 30:32] = 40
    pixels[5:15, 12:13] = 150  # an anti-aliased edge, between stroke and paper
    ink = ink_colour(pixels, (0, 0, 60, 20), (250 / 255,) * 3)
    assert ink is not None and abs(ink[0] - 40 / 255) < 0.01
    assert contrast(ink, (250 / 255,) * 3) == pytest.approx(210 / 255, abs=0.01)


def test_a_box_with_nothing_printed_in_it_has_no_ink() -> None:
    pixels = np.full((20, 60, 3), 30, dtype=np.uint8)
    assert ink_colour(pixels, (0, 0, 60, 20), (30 / 255,) * 3) is None
    assert ink_colour(pixels, (50, 5, 40, 15), (30 / 255,) * 3) is None  # an empty box


# ------------------------------------------------------------------ faint openings are reasoning
@needs_tesseract
@pytest.mark.parametrize(
    "page,answer_ink,opening_ink",
    [
        # a dark theme: the answer in near-white, a collapsed reasoning summary in mid grey
        (0.08, 0.92, 0.5),
        # a light theme: the answer in near-black, the reasoning in light grey
        (1.0, 0.1, 0.6),
    ],
)
def test_a_reply_opening_in_a_fainter_print_opens_with_its_reasoning(
    page: float, answer_ink: float, opening_ink: float
) -> None:
    blocks = _kinds(_conversation(page, answer_ink, opening_ink))
    thinking = [text for _, kind, text in blocks if kind == "thinking"]
    assert len(thinking) == 1 and "three equations" in thinking[0]
    answer = [(role, kind) for role, kind, text in blocks if "filter that produces" in text]
    assert answer == [("assistant", "text")]  # the answer under it stays the reply's text
    prompt = [(role, kind) for role, kind, text in blocks if "filter of part" in text]
    assert prompt == [("user", "text")]


@needs_tesseract
def test_a_reply_printed_in_one_ink_has_no_reasoning() -> None:
    blocks = _kinds(_conversation(1.0, 0.1, 0.1))
    assert not [text for _, kind, text in blocks if kind == "thinking"]
    assert any("three equations" in text and kind == "text" for _, kind, text in blocks)


@needs_tesseract
def test_the_evidence_names_the_measured_contrast() -> None:
    t = read_pdf(_conversation(0.08, 0.92, 0.5), "shot.pdf")
    block = next(b for turn in t.turns for b in turn.blocks if b.kind == "thinking")
    evidence = " ".join(block.meta["evidence"])
    assert "fainter print than its answer" in evidence and "contrast" in evidence


# ------------------------------------------------------------------ a collapsed section's header
def _reply(first: str, role: str = "assistant") -> list:
    """OCR'd lines of one screenshot: a user's prompt, then a reply whose first line is ``first``."""
    from grader.transcripts.pdf.layout import Row
    from grader.transcripts.pdf.lines import Line

    texts = [("user", "Then answer part (b) please"), (role, first)] + [(role, text) for text in ANSWER[:3]]
    lines = []
    for i, (who, text) in enumerate(texts):
        row = Row(
            page=0,
            baseline=20 * i + 10,
            top=20 * i,
            bottom=20 * i + 10,
            x0=40,
            x1=400,
            text=text,
            size=10,
            meta={"source": "ocr", "image": 0},
        )
        ln = Line(row)
        ln.role = who  # type: ignore[assignment]
        lines.append(ln)
    return lines


@pytest.mark.parametrize(
    "first,folded",
    [
        # a header in a UI language the OCR does not read comes back as a word of nothing and the chevron
        ("Sree v", True),
        ("Show details >", True),
        ("Here is the filter v", False),  # four words and a "v": a sentence, not a header
        ("Step 2 v", False),  # a digit: a numbered line of the answer
        ("Here is the filter that produces the output,", False),
    ],
)
def test_a_reply_opening_with_a_collapsed_header_opens_with_its_reasoning(first: str, folded: bool) -> None:
    from grader.transcripts.pdf.reasoning_ocr import collapsed_headers

    lines = _reply(first)
    collapsed_headers(lines)
    assert [ln.kind for ln in lines] == ["text", "thinking" if folded else "text", "text", "text", "text"]
    if folded:
        assert "collapsed section's header" in " ".join(lines[1].evidence)


def test_a_users_message_is_never_a_collapsed_header() -> None:
    from grader.transcripts.pdf.reasoning_ocr import collapsed_headers

    lines = _reply("Sree v", role="user")
    collapsed_headers(lines)
    assert all(ln.kind == "text" for ln in lines)
