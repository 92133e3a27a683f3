"""OCR of screenshots on any page: word boxes placed where they sit, tiles for long images, notes painted
out, failures named. Real Tesseract where the test reads text (skipped when it is not installed)."""

from __future__ import annotations

import re
from typing import Any

import pytest

pymupdf = pytest.importorskip("pymupdf")

import grader.transcripts.pdf.ocr as ocr  # noqa: E402
from grader.transcripts.pdf import read_pdf  # noqa: E402

needs_tesseract = pytest.mark.skipif(not ocr.tesseract_available(), reason="tesseract is not installed")


def screenshot(
    lines: list[tuple[float, float, str]], size: tuple[int, int] = (600, 400), bubble: Any = None
) -> Any:
    """A pixmap of a chat screenshot: text lines (x, y, text) on white, optionally a grey bubble."""
    doc = pymupdf.open()
    page = doc.new_page(width=size[0], height=size[1])
    if bubble is not None:
        page.draw_rect(pymupdf.Rect(*bubble), color=None, fill=(0.85, 0.85, 0.85))
    for x, y, text in lines:
        page.insert_text((x, y), text, fontsize=16, fontname="helv")
    return page.get_pixmap(dpi=144)


def pdf_with_image(
    pix: Any, rect: tuple[float, float, float, float], extra: list[tuple] | None = None
) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(pymupdf.Rect(*rect), pixmap=pix)
    for x, y, text, colour in extra or []:
        page.insert_text((x, y), text, fontsize=11, fontname="Cour", color=colour)
    return doc.tobytes()


# ------------------------------------------------------------------ TSV -> rows in page coordinates
def test_tsv_words_become_lines_in_page_coordinates() -> None:
    import numpy as np

    tile = ocr.Tile(page=0, image=0, image_rect=(100, 200, 400, 400), clip=(100, 200, 400, 400), dpi=144.0)
    tile.pixels = np.full((400, 600, 3), 255, dtype=np.uint8)
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    tsv = "\n".join(
        [
            head,
            "5\t1\t1\t1\t1\t1\t20\t40\t60\t20\t96\tSolve",
            "5\t1\t1\t1\t1\t2\t90\t40\t40\t20\t95\tthis",
            "5\t1\t2\t1\t1\t1\t10\t100\t10\t10\t12\t@",  # a stray mark read off an icon: dropped
        ]
    )
    rows = ocr._parse_tsv(tile, tsv)
    assert [r.text for r in rows] == ["Solve this"]
    row = rows[0]
    assert (round(row.x0), round(row.top)) == (110, 220)  # 144 dpi: 2 pixels a point, from the clip's corner
    assert row.meta["source"] == "ocr" and row.meta["image_rect"] == (100, 200, 400, 400)


# ------------------------------------------------------------------ a screenshot among typed text
@needs_tesseract
def test_screenshot_on_a_page_with_text_is_read_with_its_speakers() -> None:
    pix = screenshot(
        [
            (300, 60, "please solve problem four"),
            (30, 160, "Here is the full solution of problem four,"),
            (30, 190, "worked out step by step for you."),
        ],
        bubble=(280, 35, 580, 80),
    )
    doc = pymupdf.open(stream=pdf_with_image(pix, (40, 120, 540, 453)))
    doc[0].insert_text((40, 90), "My write-up of the chat follows.", fontsize=11, fontname="helv")
    t = read_pdf(doc.tobytes(), "mixed.pdf")
    ocr_text = " ".join(b.text for turn in t.turns for b in turn.blocks if b.fidelity == "ocr")
    assert "problem four" in ocr_text  # a page with typed text still gets its screenshot read
    roles = [turn.role for turn in t.turns if any(b.fidelity == "ocr" for b in turn.blocks)]
    assert roles == ["user", "assistant"]  # the shaded, right-hand bubble is the user's
    assert "My write-up of the chat follows." in [b.text for _, b in t.annotations()]


@needs_tesseract
def test_note_typed_over_a_screenshot_is_read_once() -> None:
    pix = screenshot([(30, 60, "The answer is forty two exactly.")])
    data = pdf_with_image(pix, (40, 100, 540, 433), extra=[(300, 130, "wrong: it is 41", (0.9, 0.1, 0.1))])
    t = read_pdf(data, "noted.pdf")
    ocr_text = " ".join(b.text for turn in t.turns for b in turn.blocks if b.fidelity == "ocr")
    assert "forty two" in ocr_text and "41" not in ocr_text  # painted out before OCR
    assert any("it is 41" in b.text for _, b in t.annotations())


@needs_tesseract
def test_long_screenshot_is_read_in_tiles_without_doubles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "TILE_PX", 300)  # a small tile: the image needs several
    lines = [(30, 40 + 60 * i, f"line number {i} of the long answer") for i in range(12)]
    pix = screenshot(lines, size=(600, 800))
    t = read_pdf(pdf_with_image(pix, (40, 20, 540, 820)), "long.pdf")
    texts = [
        line for turn in t.turns for b in turn.blocks if b.fidelity == "ocr" for line in b.text.splitlines()
    ]
    found = [i for i in range(12) if any(f"number {i} of" in x for x in texts)]
    assert found == list(range(12))
    assert len([x for x in texts if "long answer" in x]) == 12  # a line in an overlap is kept once


# ------------------------------------------------------------------ failures are named, never silent
def test_unreadable_image_is_named_in_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(png: bytes) -> str:
        raise ocr.OCRFailed("tesseract refused it (Image too large)")

    monkeypatch.setattr(ocr, "tesseract_available", lambda: True)
    monkeypatch.setattr(ocr, "tesseract_tsv", refuse)
    pix = screenshot([(30, 60, "anything")])
    t = read_pdf(pdf_with_image(pix, (40, 100, 540, 433)), "refused.pdf")
    assert any("page 1" in w and "Image too large" in w for w in t.warnings)


def test_without_tesseract_an_image_keeps_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "tesseract_available", lambda: False)
    pix = screenshot([(30, 60, "anything")])
    t = read_pdf(pdf_with_image(pix, (40, 100, 540, 433)), "no-ocr.pdf")
    blocks = [b for turn in t.turns for b in turn.blocks]
    assert [(b.kind, b.text, b.fidelity) for b in blocks] == [("attachment", "[image: not read]", "lossy")]
    assert any("tesseract" in w and "page 1" in w for w in t.warnings)


def test_distinct_images_drop_copies_and_keep_order() -> None:
    big = ocr.ImageRef((36, 90, 560, 589), 100, 100)
    copy = ocr.ImageRef((78, 126, 548, 532), 100, 100)
    low = ocr.ImageRef((36, 600, 300, 700), 10, 10)
    assert [i.rect for i in ocr.distinct_images([low, copy, big])] == [big.rect, low.rect]


@needs_tesseract
def test_screenshot_outside_the_models_boxes_is_the_users_message() -> None:
    """The model's replies sit in boxes; a pasted question screenshot later in the chat, from the margin
    and in no box, is the user's, though no typed line lies outside the boxes on its page."""
    from tests.transcripts_pdf.pdfgen import BEIGE, build

    def reply(top: float, words: str) -> list[tuple]:
        lines = [
            ("text", 49, top + 30 + 16 * i, f"{words} line {i} of the worked answer here.") for i in range(6)
        ]
        return [("fill", 36, top, 560, top + 140, BEIGE), *lines]

    first = [("text", 300, 40, "Please solve problem one for me."), *reply(60, "First")[1:]]  # drawn unboxed
    doc = pymupdf.open(stream=build([first, reply(300, "Second")]))
    pix = screenshot([(20, 60, "Problem two: compute the gradient of the loss.")], size=(600, 100))
    doc[1].insert_image(pymupdf.Rect(40, 120, 540, 203), pixmap=pix)
    t = read_pdf(doc.tobytes(), "boxed.pdf")
    owner = [turn.role for turn in t.turns for b in turn.blocks if "gradient of the loss" in b.text]
    assert owner == ["user"]
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]


@needs_tesseract
def test_screenshot_shown_small_is_read_at_its_own_resolution() -> None:
    """A tall chat screenshot pasted small on the page (a third of its width) keeps its pixels for OCR:
    rendered at the page's usual resolution its text would shrink below what Tesseract reads."""
    shot = pymupdf.open()
    page = shot.new_page(width=600, height=200)
    page.insert_text((20, 60), "Thought for 2m 16s", fontsize=9, fontname="helv")
    page.insert_text(
        (20, 100), "Here is a worked solution for questions one and three.", fontsize=9, fontname="helv"
    )
    pix = page.get_pixmap(dpi=144)  # 1200 pixels wide
    assert ocr._dpi(ocr.ImageRef((74, 175, 224, 225), pix.width, pix.height)) > 300
    data = pdf_with_image(pix, (74, 175, 224, 225))  # shown 150 points wide
    t = read_pdf(data, "small.pdf")
    text = " ".join(b.text for turn in t.turns for b in turn.blocks if b.fidelity == "ocr")
    assert "worked solution" in text
    thinking = [b.text for turn in t.turns for b in turn.blocks if b.kind == "thinking"]
    assert len(thinking) == 1 and "Thought for 2m 16s" in thinking[0]  # a stray mark read off its icon


def test_the_ocr_thread_limit_holds_within_its_block_and_yields_to_the_environment(monkeypatch) -> None:
    from grader.transcripts.pdf.ocr import limit_ocr_threads, ocr_threads

    monkeypatch.delenv("GRADER_OCR_THREADS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 6)
    assert ocr_threads() == 6
    with limit_ocr_threads(1):
        assert ocr_threads() == 1
        with limit_ocr_threads(3):
            assert ocr_threads() == 3
        assert ocr_threads() == 1
    assert ocr_threads() == 6
    monkeypatch.setenv("GRADER_OCR_THREADS", "2")  # the user's explicit choice wins
    with limit_ocr_threads(1):
        assert ocr_threads() == 2


# ------------------------------------------------------------------ small print is enlarged before OCR
SMALL_PRINT = [
    "Now we work out the stationarity conditions for the linear",
    "autoencoder objective, one step at a time, from the Frobenius norm.",
    "Expanding the squared norm as a trace gives four separate terms,",
    "and each term is differentiated with respect to the weights.",
    "Setting the derivative to zero gives the optimality condition,",
    "which the principal components satisfy as shown in part two.",
]


def _small_print(dpi: int) -> Any:
    """A screenshot of six lines of 9-point print, at ``dpi`` (80: lines some ten pixels high)."""
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=130)
    for i, text in enumerate(SMALL_PRINT):
        page.insert_text((10, 20 + 18 * i), text, fontsize=9, fontname="helv")
    return page.get_pixmap(dpi=dpi)


def _pixels(pix: Any) -> Any:
    import numpy as np

    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)[:, :, :3]


def test_the_height_of_text_lines_is_measured_from_the_pixels() -> None:
    from grader.transcripts.pdf.ocr_scale import line_height_px

    small, large = line_height_px(_pixels(_small_print(80))), line_height_px(_pixels(_small_print(160)))
    assert small is not None and large is not None
    assert 8 <= small <= 13  # 9 points at 80 dpi: a line of ten pixels, ascenders to descenders
    assert 1.7 <= large / small <= 2.3  # twice the resolution, twice the height
    blank = _pixels(screenshot([], size=(300, 200)))
    assert line_height_px(blank) is None  # nothing to measure: no enlargement


def _words_right(text: str) -> float:
    """The share of the small print's words that the reading holds."""
    read = set(re.findall(r"[a-z']+", text.lower()))
    words = [w for line in SMALL_PRINT for w in re.findall(r"[a-z']+", line.lower())]
    return sum(w in read for w in words) / len(words)


@needs_tesseract
def test_small_print_is_enlarged_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # shown at its own resolution the screenshot's lines are ten pixels high, which Tesseract garbles
    # ("cifreniated", "sasty"); enlarged to some twenty pixels it reads nearly every word right
    import grader.transcripts.pdf.ocr_scale as ocr_scale

    pix = _small_print(80)
    width_pt = pix.width * 72 / 110  # the reader's floor resolution is the image's own
    data = pdf_with_image(pix, (60, 100, 60 + width_pt, 100 + pix.height * 72 / 110))

    def words_right() -> float:
        t = read_pdf(data, "small-print.pdf")
        return _words_right(" ".join(b.text for turn in t.turns for b in turn.blocks if b.fidelity == "ocr"))

    enlarged = words_right()
    monkeypatch.setattr(ocr_scale, "MAX_UPSCALE", 1.0)
    as_shown = words_right()
    assert enlarged >= 0.9
    assert enlarged > as_shown + 0.1
