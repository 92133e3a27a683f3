"""The PDF reader on small PDFs generated here with PyMuPDF, and on the real PDFs of ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.errors import InputError
from grader.transcripts.pdf import is_pdf, read_pdf

pymupdf = pytest.importorskip("pymupdf")

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def _pdf(pages: list[list[tuple[float, float, str, dict]]], annots: bool = False, **save: object) -> bytes:
    """A PDF whose pages hold ``(x, y, text, insert_text options)`` items."""
    doc = pymupdf.open()
    for items in pages:
        page = doc.new_page(width=595, height=842)
        for x, y, text, opts in items:
            if text == "<bubble>":
                page.draw_rect(pymupdf.Rect(x, y, 560, y + 60), color=None, fill=(0.91, 0.91, 0.91))
            elif text == "<rule>":
                page.draw_rect(pymupdf.Rect(x, y, x + 20, y + 0.6), color=None, fill=(0.2, 0.2, 0.2))
            else:
                page.insert_text((x, y), text, **opts)
        if annots:
            page.add_text_annot((500, 100), "the model hallucinated this number")
            page.add_freetext_annot(pymupdf.Rect(300, 300, 550, 340), "one-shot, correct")
    return doc.tobytes(**save)


def _texts(t, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.text for turn in t.turns for b in turn.blocks if b.kind == kind]


EXPORTER_CHAT = [
    [
        (200, 60, "<bubble>", {}),
        (210, 80, "Please solve question 1.", {}),
        (36, 200, "Thought for 12s", {}),
        (36, 230, "The answer is 42.", {}),
        (200, 815, "Powered by ChatGPT Exporter", {}),
        (540, 830, "1 / 1", {}),
    ]
]


# ------------------------------------------------------------------ detection
@pytest.mark.parametrize(
    "data,expected",
    [
        (b"%PDF-1.7\n%...", True),  # a plain header
        (b"\n\n%PDF-1.4 junk", True),  # a little junk before the header
        (b"hello world", False),  # text
        (b"PK\x03\x04", False),  # a zip
    ],
)
def test_is_pdf(data: bytes, expected: bool) -> None:
    assert is_pdf(data) is expected


# ------------------------------------------------------------------ roles, thinking, boilerplate
def test_exporter_roles_thinking_and_footer_stripped() -> None:
    t = read_pdf(_pdf(EXPORTER_CHAT), "chat.pdf")
    assert t.format == "pdf"
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    assert "Please solve question 1." in t.turns[0].text()
    assert _texts(t, "thinking") == ["Thought for 12s"]
    everything = " ".join(b.text for turn in t.turns for b in turn.blocks)
    assert "Powered by" not in everything and "1 / 1" not in everything


def test_generic_pdf_warns_roles_inferred() -> None:
    t = read_pdf(_pdf([[(72, 100, "Some chat text with no cue.", {})]]), "plain.pdf")
    assert t.format == "pdf"
    assert all(turn.role_inferred for turn in t.turns)
    assert any("roles inferred" in w for w in t.warnings)


# ------------------------------------------------------------------ annotations
@pytest.mark.parametrize(
    "expected",
    [
        "the model hallucinated this number",  # sticky note (Text annotation)
        "one-shot, correct",  # free-text box: read from the object, not twice from the page
    ],
)
def test_annotation_objects_become_annotation_blocks(expected: str) -> None:
    t = read_pdf(_pdf(EXPORTER_CHAT, annots=True), "annotated.pdf")
    notes = [b.text for _, b in t.annotations()]
    assert notes.count(expected) == 1


def test_typed_coloured_comment_is_an_annotation() -> None:
    page = EXPORTER_CHAT[0] + [(300, 260, "Correct, but too long", {"color": (0, 0, 1), "fontname": "Cour"})]
    t = read_pdf(_pdf([page]), "typed.pdf")
    assert "Correct, but too long" in [b.text for _, b in t.annotations()]
    assert "Correct, but too long" not in " ".join(_texts(t, "text"))


# ------------------------------------------------------------------ math fidelity
def test_glyph_soup_is_lossy_not_exact() -> None:
    page = [(36, 100, "So answer: θ = X1/3, 10/3, 100/3Y.", {"fontname": "helv"})]
    t = read_pdf(_pdf([page]), "soup.pdf")
    block = next(b for turn in t.turns for b in turn.blocks if "100/3" in b.text)
    assert block.fidelity == "lossy"


def test_raw_display_latex_becomes_exact_math_block() -> None:
    page = [(36, 100, "The update is: $$u = -\\frac{\\alpha}{2} g$$", {})]
    t = read_pdf(_pdf([page]), "raw.pdf")
    assert _texts(t, "math") == ["$$u = -\\frac{\\alpha}{2} g$$"]


# ------------------------------------------------------------------ bad input
def test_encrypted_pdf_is_refused_by_name() -> None:
    data = _pdf(
        [[(72, 100, "secret", {})]], encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="pw"
    )
    with pytest.raises(InputError, match="encrypted PDF") as info:
        read_pdf(data, "locked.pdf")
    assert info.value.where == "locked.pdf"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n garbage garbage",  # header then nothing
        b"%PDF-1.4\n" + b"\x00\xff" * 50,  # binary noise
    ],
)
def test_corrupt_pdf_is_a_clear_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        read_pdf(data, "broken.pdf")
    assert info.value.where == "broken.pdf" and "PDF" in info.value.message


def test_page_cap_reads_first_pages_and_warns() -> None:
    pages = [[(72, 100, f"page text {i}", {})] for i in range(12)]
    t = read_pdf(_pdf(pages), "long.pdf", max_pages=5)
    text = " ".join(b.text for turn in t.turns for b in turn.blocks)
    assert "page text 4" in text and "page text 5" not in text
    assert any("first 5 of 12 pages" in w for w in t.warnings)


def test_image_only_page_without_ocr_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    import grader.transcripts.pdf as pdf

    monkeypatch.setattr(pdf.ocr, "tesseract_available", lambda: False)
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 100), False)
    pix.clear_with(200)
    page.insert_image(pymupdf.Rect(50, 50, 450, 250), pixmap=pix)
    t = read_pdf(doc.tobytes(), "scan.pdf")
    assert any("page 1" in w and "not read" in w and "tesseract" in w for w in t.warnings)
    assert not any(b.kind == "text" for turn in t.turns for b in turn.blocks)


# ------------------------------------------------------------------ real PDFs (../shared/real)
REAL = SHARED / "real"


@pytest.mark.parametrize(
    "name,flavour,expected_text",
    [
        ("thread245_claude_hw2.pdf", "pdf", "\\frac{∂J}{∂Δθ}=g+\\frac{2}{α}Δθ=0"),
        ("thread849_gpt51_hw2.pdf", "pdf", "Thought for 1m 33s"),
    ],
)
def test_real_pdf(name: str, flavour: str, expected_text: str) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} absent")
    t = read_pdf(path.read_bytes(), name)
    assert t.format == flavour
    assert expected_text in " ".join(b.text for turn in t.turns for b in turn.blocks)
    assert {"user", "assistant"} <= {turn.role for turn in t.turns}
    assert t.annotations()
