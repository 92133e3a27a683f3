"""Word documents (``.docx``): a student's write-up of the chat, read with the PDF reader's evidence.

A ``.docx`` submission is a document the student wrote: speaker labels as headings or at the start of a
paragraph ("USER:", "ASSISTANT:", "Prompt:"), coloured or labelled commentary ("ANNOTATION: ..."),
pasted screenshots of the chat. Its paragraphs become rows, one per paragraph, in reading order, with the
style Word gives them (bold headings, run colours, indents), tables become tab-separated rows, and its
pictures are read by OCR where they sit; then the PDF reader's classification (:mod:`grader.transcripts.pdf
.classify`) decides who wrote each row, so that a Word write-up is read by the same mechanism as a
printed one. Needs ``python-docx``.
"""

from __future__ import annotations

import io
from typing import Any

from grader.errors import InputError
from grader.models import Transcript
from grader.transcripts.residue import find_model

FORMAT_ID = "docx"
_LINE = 18.0
_LEFT = 72.0
_WIDTH = 468.0


def is_docx(names: list[str]) -> bool:
    """True for the member names of a Word document (a zip with ``word/document.xml``)."""
    return "word/document.xml" in names


def _colour(run: Any) -> int:
    try:
        rgb = run.font.color.rgb if run.font.color is not None and run.font.color.type is not None else None
    except (AttributeError, ValueError):
        rgb = None
    return int(str(rgb), 16) if rgb is not None else 0


def _pieces(paragraph: Any, top: float, size: float, heading: bool) -> list[Any]:
    from grader.transcripts.pdf.katex import Piece

    out = []
    x = _LEFT
    for run in paragraph.runs:
        text = run.text
        if not text:
            continue
        width = 0.5 * size * len(text)
        font = run.font.name or (paragraph.style.font.name if paragraph.style is not None else None) or "Body"
        out.append(
            Piece(
                text=text,
                x0=x,
                x1=x + width,
                top=top,
                bottom=top + size,
                baseline=top + size,
                size=size,
                font=font,
                color=_colour(run),
                katex=False,
                bold=bool(run.bold) or heading,
            )
        )
        x += width
    return out


def _row(
    text: str, top: float, size: float, pieces: list[Any], indent: float, bold: bool, table: bool = False
) -> Any:
    from grader.transcripts.pdf.layout import Row

    colours = [p.color for p in pieces for _ in p.text.strip()]
    colour = max(set(colours), key=colours.count) if colours else 0
    return Row(
        page=0,
        baseline=top + size,
        top=top,
        bottom=top + size,
        x0=_LEFT + indent,
        x1=_LEFT + _WIDTH,
        text=text,
        size=size,
        bold=bold,
        color=colour,
        meta={"source": "text", **({"table": True} if table else {})},
        pieces=pieces,
    )


def _paragraph_images(paragraph: Any, doc: Any) -> list[bytes]:
    """The pictures anchored in a paragraph, as image bytes."""
    out = []
    for blip in paragraph._p.xpath(".//a:blip"):
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        part = doc.part.related_parts.get(rid) if rid else None
        if part is not None and hasattr(part, "blob"):
            out.append(part.blob)
    return out


def _ocr_image(blob: bytes, top: float, index: int, warnings: list[str]) -> list[Any]:
    """Rows of the text Tesseract reads in one picture, placed at ``top`` in the document."""
    from grader.transcripts.pdf import ocr
    from grader.transcripts.pdf.layout import Row

    if not ocr.tesseract_available():
        warnings.append(f"picture {index + 1} may hold text but was not read (OCR needs tesseract)")
        return [
            Row(page=0, baseline=top + 1, top=top, bottom=top + 12, x0=_LEFT, x1=_LEFT + _WIDTH,
                text="[image: not read]", size=10.0, lossy=True,
                meta={"source": "ocr", "image": index, "placeholder": True, "bg": (1.0, 1.0, 1.0)})
        ]  # fmt: skip
    try:
        import numpy as np
        import pymupdf

        pix = pymupdf.Pixmap(blob)
        if pix.alpha or pix.n != 3:
            pix = pymupdf.Pixmap(pymupdf.csRGB, pix) if pix.n != 3 else pymupdf.Pixmap(pix, 0)
        rows = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
        pixels = rows[:, : pix.width * 3].reshape(pix.height, pix.width, 3).copy()
    except Exception as exc:  # an image format PyMuPDF cannot decode: say so, read the rest
        warnings.append(f"picture {index + 1} could not be decoded for OCR ({exc})")
        return []
    dpi = 72.0 * pix.width / _WIDTH  # the picture spans the text column
    height_pt = pix.height * 72.0 / dpi
    tile = ocr.Tile(
        page=0, image=index, image_rect=(_LEFT, top, _LEFT + _WIDTH, top + height_pt),
        clip=(_LEFT, top, _LEFT + _WIDTH, top + height_pt), dpi=dpi, pixels=pixels,
    )  # fmt: skip
    done = ocr._run(tile)
    if done.error:
        warnings.append(f"picture {index + 1} could not be read by OCR: {done.error}")
    return done.lines


def read_docx(data: bytes, source: str) -> Transcript:
    """Read a Word document into a Transcript (format ``docx``); raises InputError when it cannot."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise InputError("Word documents need python-docx: pip install python-docx", where=source) from None
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # a damaged package: name it, do not crash the batch
        raise InputError(f"damaged Word document: {exc}", where=source) from None
    from grader.transcripts.pdf import Source, _items, build_turns, classify
    from grader.transcripts.pdf.page import PageData

    rows: list[Any] = []
    warnings: list[str] = []
    top = 36.0
    images = 0
    body = 11.0
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(block, doc)
            style = paragraph.style.name if paragraph.style is not None else ""
            heading = style.startswith(("Heading", "Title"))
            size = body * (1.3 if heading else 1.0)
            text = paragraph.text.strip()
            indent = paragraph.paragraph_format.left_indent
            indent_pt = float(indent.pt) if indent is not None else 0.0
            for line in text.splitlines() or [""]:
                if line.strip():
                    pieces = _pieces(paragraph, top, size, heading)
                    bold = heading or (bool(pieces) and all(p.bold for p in pieces))
                    rows.append(_row(line.strip(), top, size, pieces, indent_pt, bold))
                    top += _LINE
            for blob in _paragraph_images(paragraph, doc):
                found = _ocr_image(blob, top, images, warnings)
                images += 1
                rows.extend(found)
                top = max([top, *(r.bottom for r in found)]) + _LINE
        elif tag == "tbl":
            table = Table(block, doc)
            for trow in table.rows:
                cells = [c.text.strip().replace("\t", " ") for c in trow.cells]
                if any(cells):
                    rows.append(_row("\t".join(cells), top, body, [], 0.0, False, table=True))
                    top += _LINE
    if not rows:
        raise InputError("the Word document holds no text", where=source)
    text_rows = [r for r in rows if r.meta.get("source") == "text"]
    page = PageData(number=0, width=612.0, height=top + 36.0, rows=text_rows)
    page.ocr_rows = [r for r in rows if r.meta.get("source") == "ocr"]
    decision = classify([page], body)
    warnings += decision.warnings
    lines = Source()
    turns = build_turns(_items(decision, lines), lines, body, decision.roles_inferred)
    title = doc.core_properties.title or None
    full = " ".join(r.text for r in rows[:200])
    return Transcript(
        source=source,
        format=FORMAT_ID,
        model=find_model(full, title),
        title=title,
        turns=turns,
        warnings=warnings,
    )
