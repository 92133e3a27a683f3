"""Handwriting (PDF Ink strokes and Stamp images) is never dropped: each cluster of strokes becomes a note
"handwritten note, not read" with its page and position, on small PDFs built here with PyMuPDF."""

from __future__ import annotations

from typing import Any

import pytest

pymupdf = pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402

REPLY = [
    "The learning rate scales each update of the parameters against the gradient.",
    "A smaller rate gives a slower but steadier decrease of the training loss.",
]


def _chat(marks: list[tuple[str, tuple[float, float, float, float], str]]) -> bytes:
    """One page of plain reply text with ``(kind, rect, content)`` handwriting annotations on it."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(REPLY):
        page.insert_text((72, 100 + 16 * i), line, fontsize=11, fontname="helv")
    for kind, rect, content in marks:
        r = pymupdf.Rect(*rect)
        if kind == "ink":
            annot = page.add_ink_annot([[(r.x0, r.y0), ((r.x0 + r.x1) / 2, r.y1), (r.x1, r.y0)]])
        else:  # a picture of handwriting pasted as a stamp (PyMuPDF names it in its content: cleared)
            pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 20), False)
            pix.clear_with(90)
            annot = page.add_stamp_annot(r, stamp=pix.tobytes("png"))
        annot.set_info(content=content)
        annot.update()
    return doc.tobytes()


def _notes(transcript: Any) -> list[Any]:
    return [b for t in transcript.turns for b in t.blocks if b.kind == "annotation"]


def test_ink_strokes_close_together_are_one_note_with_page_and_place() -> None:
    strokes = [("ink", (400, 300, 440, 320), ""), ("ink", (445, 302, 480, 322), "")]
    t = read_pdf(_chat(strokes), "ink.pdf")
    notes = _notes(t)
    assert len(notes) == 1
    assert notes[0].text.startswith("handwritten note, not read")
    assert "page 1" in notes[0].text and "x=" in notes[0].text
    assert notes[0].meta["form"] == "pdf-ink"
    assert any("handwritten note, not read" in w for w in t.warnings)
    chat = " ".join(b.text for turn in t.turns for b in turn.blocks if b.kind == "text")
    assert "handwritten" not in chat


def test_ink_far_apart_gives_two_notes() -> None:
    strokes = [("ink", (400, 200, 440, 220), ""), ("ink", (100, 600, 160, 640), "")]
    notes = _notes(read_pdf(_chat(strokes), "ink2.pdf"))
    assert len(notes) == 2
    assert all("not read" in n.text for n in notes)


def test_a_stamp_is_reported_as_handwriting_not_dropped() -> None:
    notes = _notes(read_pdf(_chat([("stamp", (300, 400, 500, 460), "")]), "stamp.pdf"))
    assert len(notes) == 1
    assert "not read" in notes[0].text and "stamp" in notes[0].text
    assert notes[0].meta["page"] == 1


def test_ink_with_a_typed_comment_is_read_as_that_comment() -> None:
    comment = "the sign of this step flipped"
    notes = _notes(read_pdf(_chat([("ink", (400, 300, 440, 320), comment)]), "inkc.pdf"))
    assert [n.text for n in notes] == [comment]


def test_no_handwriting_no_placeholder() -> None:
    t = read_pdf(_chat([]), "plain.pdf")
    assert _notes(t) == []
    assert not any("handwritten" in w for w in t.warnings)


# ------------------------------------------------------------------ a note's heading joins its note
def test_a_notes_heading_and_its_paragraph_are_one_note_block() -> None:
    from tests.transcripts_pdf.pdfgen import build

    page = [("text", 72, 60 + 16 * i, line) for i, line in enumerate(REPLY * 3)]
    page += [
        ("note", 72, 160, "Overall verdict:"),
        ("note", 72, 190, "The derivation holds up until the last step."),
        ("note", 72, 204, "The bound it quotes there is off by a factor of two."),
    ]
    notes = _notes(read_pdf(build([page]), "heading.pdf"))
    assert len(notes) == 1
    assert notes[0].text.startswith("Overall verdict: The derivation holds up")


def test_a_note_that_ends_a_sentence_does_not_swallow_the_next_one() -> None:
    from tests.transcripts_pdf.pdfgen import build

    page = [("text", 72, 60 + 16 * i, line) for i, line in enumerate(REPLY * 3)]
    page += [("note", 72, 160, "Correct on the first try."), ("note", 72, 190, "Wrong units in the table.")]
    page += [("note", 72, 240, "The trace: https://example.org/chat/1"), ("note", 72, 270, "My own summary")]
    assert len(_notes(read_pdf(build([page]), "two.pdf"))) == 4  # a link is no heading either
