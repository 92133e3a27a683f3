"""Small PDFs drawn with PyMuPDF for the reader's tests: chat bubbles, rules, KaTeX-named math.

A page is a list of drawing commands (tuples); ``build`` turns pages into PDF bytes. Math set in
``("math", ...)`` is written in Times and its font then renamed ``KaTeX_Main-Regular``, which is
all the reader looks at to tell KaTeX glyphs from text.
"""

from __future__ import annotations

from typing import Any

import pymupdf

BEIGE = (0.91, 0.902, 0.863)
GREY = (0.914, 0.914, 0.914)

Command = tuple[Any, ...]


def build(pages: list[list[Command]], title: str = "") -> bytes:
    """PDF bytes of ``pages``; commands:

    - ``("text", x, y, text)`` / ``("text", x, y, text, size)`` / ``("note", x, y, text)`` (blue Courier);
    - ``("heading", x, y, text)``: 18 pt bold;
    - ``("invisible", x, y, text)``: text drawn in render mode 3 (a tablet's handwriting layer);
    - ``("math", x, y, text, size[, rgb])``: a KaTeX glyph run with its baseline at ``y``;
    - ``("fill", x0, y0, x1, y1, rgb)`` / ``("stroke", x0, y0, x1, y1, rgb)``: rectangles;
    - ``("image", x0, y0, x1, y1)``: a plain grey picture.
    """
    doc = pymupdf.open()
    for commands in pages:
        page = doc.new_page(width=595, height=842)
        for cmd in commands:
            _draw(page, cmd)
    for number in range(doc.page_count):
        for xref, _, _, name, *_ in doc[number].get_fonts():
            if name == "Times-Roman":
                doc.xref_set_key(xref, "BaseFont", "/KaTeX_Main-Regular")
    if title:
        doc.set_metadata({"title": title})
    return doc.tobytes()


def _draw(page: Any, cmd: Command) -> None:
    kind = cmd[0]
    if kind == "text":
        size = cmd[4] if len(cmd) > 4 else 11
        page.insert_text((cmd[1], cmd[2]), cmd[3], fontsize=size, fontname="helv")
    elif kind == "invisible":
        page.insert_text((cmd[1], cmd[2]), cmd[3], fontsize=11, fontname="helv", render_mode=3)
    elif kind == "heading":
        page.insert_text((cmd[1], cmd[2]), cmd[3], fontsize=18, fontname="hebo")
    elif kind == "note":
        page.insert_text((cmd[1], cmd[2]), cmd[3], fontsize=11, fontname="Cour", color=(0, 0, 1))
    elif kind == "math":
        color = cmd[5] if len(cmd) > 5 else (0, 0, 0)
        page.insert_text((cmd[1], cmd[2]), cmd[3], fontsize=cmd[4], fontname="tiro", color=color)
    elif kind == "fill":
        page.draw_rect(pymupdf.Rect(*cmd[1:5]), color=None, fill=cmd[5])
    elif kind == "stroke":
        page.draw_rect(pymupdf.Rect(*cmd[1:5]), color=cmd[5], fill=None, width=0.75)
    elif kind == "image":
        pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 100), False)
        pix.clear_with(200)
        page.insert_image(pymupdf.Rect(*cmd[1:5]), pixmap=pix)
    else:
        raise ValueError(f"unknown drawing command {kind!r}")


def rule(x0: float, x1: float, y: float) -> Command:
    """A thin filled bar (a fraction bar or a table border segment)."""
    return ("fill", x0, y - 0.3, x1, y + 0.3, (0.2, 0.2, 0.2))


def texts(transcript: Any, kind: str | None = None) -> list[str]:
    """Texts of a transcript's blocks (of one kind)."""
    return [b.text for t in transcript.turns for b in t.blocks if kind is None or b.kind == kind]
