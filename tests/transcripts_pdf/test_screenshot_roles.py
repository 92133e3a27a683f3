"""Roles of OCR'd screenshot lines: a bubble's tint against a card's, a formula's offset against a user's
indent. Each test draws a screenshot with PyMuPDF, embeds it in a PDF and reads it with real Tesseract
(skipped when it is not installed)."""

from __future__ import annotations

import pytest

pymupdf = pytest.importorskip("pymupdf")

import grader.transcripts.pdf.ocr as ocr  # noqa: E402
from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.screenshots import block_header, formula_like, prose_word  # noqa: E402

needs_tesseract = pytest.mark.skipif(not ocr.tesseract_available(), reason="tesseract is not installed")

Box = tuple[float, float, float, float]


def _screenshot(
    lines: list[tuple[float, float, str]], page_fill: float, fills: list[tuple[Box, float]], height: int = 520
) -> bytes:
    """A PDF page holding one screenshot: a chat on a ``page_fill`` grey, with filled regions (bubbles,
    cards) and text lines (x, y, text) drawn over them."""
    shot = pymupdf.open()
    page = shot.new_page(width=600, height=height)
    page.draw_rect(page.rect, color=None, fill=(page_fill,) * 3)
    for rect, grey in fills:
        page.draw_rect(pymupdf.Rect(*rect), color=None, fill=(grey,) * 3)
    for x, y, text in lines:
        page.insert_text((x, y), text, fontsize=15, fontname="helv")
    pix = page.get_pixmap(dpi=144)
    doc = pymupdf.open()
    out = doc.new_page(width=595, height=842)
    out.insert_image(pymupdf.Rect(40, 60, 540, 60 + 500 * height / 600), pixmap=pix)
    return doc.tobytes()


def _roles(data: bytes) -> list[tuple[str, str]]:
    t = read_pdf(data, "shot.pdf")
    return [(turn.role, " ".join(b.text for b in turn.blocks if b.kind != "annotation")) for turn in t.turns]


def _role_of(roles: list[tuple[str, str]], words: str) -> str:
    return next(role for role, text in roles if words in text)


@needs_tesseract
def test_a_lighter_card_is_the_models_and_a_darker_bubble_the_users() -> None:
    # an off-white page; the model's summary table sits on a white card (lighter than the page), the
    # user's next prompt in a grey bubble (darker): only the bubble's tint is a user's. The card holds a
    # small share of the text, as a table in a long reply does.
    prose = [
        "Here is the summary of the whole problem set,",
        "with one line for every part you asked about.",
        "The baseline was slow because of its data loader,",
        "and the later runs fixed that before anything else.",
        "Then the optimiser settings were tuned one by one,",
        "which gave most of the remaining speed in the end.",
    ]
    reply = [
        "Sure, the first part starts from the baseline,",
        "which trains the network in eighteen hours.",
        "Most of that time goes into reading the images,",
        "so the first fix moves the decoding onto the GPU.",
    ]
    lines = [(30, 40 + 24 * i, text) for i, text in enumerate(prose)]
    lines.append((45, 210, "Part three: mixed precision was the best idea"))
    lines.append((30, 275, "please explain the first part step by step"))
    lines += [(30, 340 + 24 * i, text) for i, text in enumerate(reply)]
    data = _screenshot(
        lines, page_fill=0.97, fills=[((35, 190, 560, 222), 1.0), ((20, 253, 580, 290), 0.89)], height=460
    )
    roles = _roles(data)
    assert _role_of(roles, "mixed precision") == "assistant"  # the card goes on with the model's reply
    assert _role_of(roles, "explain the first part") == "user"
    assert _role_of(roles, "Sure, the first part") == "assistant"


@needs_tesseract
def test_an_offset_formula_in_a_screenshot_is_no_users_message() -> None:
    # a display formula that OCR reads as letters and signs, set right with room around it, inside the
    # model's reply: not a user's indented message
    data = _screenshot(
        [
            (30, 50, "Taking the gradient of the loss with respect to the"),
            (30, 75, "weights and setting it to zero gives the condition"),
            (200, 140, "W2 X XT = X XT + W1"),
            (30, 205, "which holds at every stationary point of the loss,"),
            (30, 230, "so the columns of the decoder span the same space."),
        ],
        page_fill=1.0,
        fills=[],
        height=300,
    )
    roles = _roles(data)
    assert [role for role, _ in roles] == ["assistant"]


def test_formula_like_reads_signs_and_words() -> None:
    assert formula_like('-2XXT Wi + 2W2WiXX" Wy')
    assert formula_like("L = W2 W1 X + b")
    assert not formula_like("what is the loss function you use?")
    assert not formula_like("(b) Part 1")  # brackets alone name a part
    assert not formula_like("solve 3 + 4 for me please")
    # the names of math operators are a formula's, not words of a message
    assert formula_like("AG = arg min { g' Ao + Ae }. (1)")
    assert formula_like("y = max(0, log x) + exp(z)")
    assert not formula_like("find the max of the loss over the whole set")
    # a formula with words set in it (\text{keys}) has more signs than words; a question with one sign
    # in it has more words than signs
    assert formula_like("w*(A, keys, values) = (A'A + AI)^{-1} A'y")
    assert not formula_like("Is the answer to (c) = -2 correct?")


def test_only_a_line_with_a_word_can_be_an_indented_message() -> None:
    assert prose_word("Yes") and prose_word("ok, go on")
    assert not prose_word("4 0")  # a row of icons under a bubble, read as digits
    assert not prose_word("(0 ( .")


def test_block_header_is_a_label_and_a_copy_button() -> None:
    assert block_header("Table © Copy")
    assert block_header("python Copy code")
    assert block_header("(0 Copy")  # an icon read as stray marks before the button
    assert block_header("Copy")
    assert not block_header("Copy the table below into your notes")
    assert not block_header("Please copy this into the table")
    assert not block_header("Make a table I can copy")


@needs_tesseract
def test_the_line_under_a_reasoning_marker_opens_the_models_reply() -> None:
    # a shaded chip (a cited file) right under the reply's first line would pull that line to the
    # user's side; the reasoning marker above it says the reply starts there
    data = _screenshot(
        [
            (330, 40, "is my answer for 4g correct"),
            (30, 95, "Thought for 23s"),
            (30, 142, "Short answer: yes, they match in substance here."),
            (40, 164, "solution notes pdf"),
            (30, 215, "The official solution stacks the keys and values,"),
            (30, 240, "and it updates the inverse with one rank-one step."),
        ],
        page_fill=1.0,
        fills=[((320, 20, 585, 52), 0.9), ((35, 150, 200, 170), 0.9)],
        height=260,
    )
    roles = _roles(data)
    assert _role_of(roles, "4g correct") == "user"
    assert _role_of(roles, "Short answer") == "assistant"
    assert [role for role, _ in roles] == ["user", "assistant"]


@needs_tesseract
def test_a_shaded_table_header_with_a_copy_button_stays_in_the_models_reply() -> None:
    # a table in the model's reply has a shaded header bar with a Copy button: shading alone would make
    # it the user's bubble, and the rows and closing line under it would follow
    data = _screenshot(
        [
            (330, 40, "what are the final updates?"),
            (30, 100, "Here are the updates of the three methods,"),
            (30, 125, "computed from the gradients of the first step."),
            (40, 170, "Table                                      Copy"),
            (40, 205, "Vanilla SGD    0.99    0.09"),
            (40, 230, "Simplified Adam    0.90    0.90"),
            (30, 275, "Let me know if you want the code for these runs."),
            (330, 330, "why does Adam treat them equally?"),
            (30, 390, "Because the update divides by the gradient size,"),
            (30, 415, "every coordinate moves by the same step in the end,"),
            (30, 440, "whatever the scale of its own feature was at first."),
        ],
        page_fill=1.0,
        fills=[((320, 20, 585, 52), 0.9), ((35, 152, 560, 180), 0.9), ((320, 310, 585, 342), 0.9)],
        height=470,
    )
    roles = _roles(data)
    assert _role_of(roles, "final updates") == "user"
    assert _role_of(roles, "Simplified Adam") == "assistant"
    assert _role_of(roles, "Let me know") == "assistant"
    assert _role_of(roles, "treat them equally") == "user"
    assert [role for role, _ in roles] == ["user", "assistant", "user", "assistant"]


@needs_tesseract
def test_a_reply_right_under_a_long_bubble_is_the_models() -> None:
    # a long pasted prompt fills a full-width bubble, and the reply starts right under it at the same
    # line pitch: no gap and no indent part them, only the bubble's edge (and a row of icons between)
    prompt = [
        "please summarise the blog post pasted below for me",
        "The baseline trains the network in three hundred",
        "and forty one seconds on a single graphics card,",
        "and most of that time goes into the data loaders.",
        "Removing the repeated work brings it down further,",
        "and the final training time is under five minutes.",
    ]
    reply = [
        "Here is a structured summary of the blog post,",
        "focusing on the key points you asked me about.",
        "The baseline took three hundred and forty seconds.",
    ]
    lines = [(30, 40 + 22 * i, text) for i, text in enumerate(prompt)]
    lines.append((280, 40 + 22 * 6, "4 0"))
    lines += [(30, 40 + 22 * (7 + i), text) for i, text in enumerate(reply)]
    data = _screenshot(lines, page_fill=0.985, fills=[((20, 22, 585, 40 + 22 * 5 + 8), 0.94)], height=260)
    roles = _roles(data)
    assert _role_of(roles, "summarise the blog") == "user"
    assert _role_of(roles, "structured summary") == "assistant"
    assert _role_of(roles, "baseline took") == "assistant"
