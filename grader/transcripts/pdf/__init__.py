"""Read the PDFs that TAs actually receive: chats printed from a chat UI or an exporter extension.

::

    read_pdf(data) ─▶ open (encrypted / corrupt / page cap) ─▶ per page: spans + rules + annotations
       ─▶ layout.page_rows (KaTeX math rebuilt from glyph geometry, typed notes told apart)
       ─▶ boilerplate stripped ─▶ roles.row_role (bubble rectangles per flavour)
       ─▶ assemble.build_turns ─▶ Transcript(format="pdf-<flavour>")

Image-only pages are read with Tesseract when it is installed (fidelity ``ocr``); otherwise the
transcript warns "page N needs OCR (image only)" and no text is invented. PyMuPDF is an optional
dependency (extra ``pdf``); without it :func:`read_pdf` raises a clear InputError.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from grader.errors import InputError
from grader.models import Transcript
from grader.transcripts.pdf.annots import Note, note_text, overlay_rects, page_notes
from grader.transcripts.pdf.assemble import Item, Source, build_turns, classify
from grader.transcripts.pdf.boilerplate import citation_pills, in_pill, is_footer_or_header
from grader.transcripts.pdf.glyphs import glyph_fixes
from grader.transcripts.pdf.layout import Row, note_fonts, page_rows, page_rules, page_spans
from grader.transcripts.pdf.ocr import distinct_images, ocr_rows
from grader.transcripts.pdf.roles import bubbles, detect_flavour, is_thinking_colour, row_role
from grader.transcripts.residue import find_model

__all__ = ["MAX_PAGES", "NEEDS_PYMUPDF", "is_pdf", "read_pdf"]

MAX_PAGES = 200
NEEDS_PYMUPDF = "PDF support needs PyMuPDF: pip install 'llm-transcript-grader[pdf]'"
_FLAVOUR_MODEL = {"claude-exporter": "Claude", "chatgpt-exporter": "ChatGPT", "deepseek-print": "DeepSeek"}


def is_pdf(data: bytes) -> bool:
    """True when the bytes start like a PDF file (``%PDF-``, possibly after a little junk).

    >>> is_pdf(b"%PDF-1.7\\n..."), is_pdf(b"hello")
    (True, False)
    """
    return b"%PDF-" in data[:1024]


def _open(data: bytes, source: str) -> Any:
    try:
        import pymupdf
    except ImportError:
        raise InputError(NEEDS_PYMUPDF, where=source) from None
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own FileDataError/RuntimeError on damaged files
        raise InputError(f"corrupt PDF, cannot be opened: {exc}", where=source) from None
    if doc.needs_pass or doc.is_encrypted:
        raise InputError(
            "encrypted PDF: remove the password (print it again to PDF) and upload it again", where=source
        )
    if doc.page_count == 0:
        raise InputError("corrupt PDF: it has no pages", where=source)
    return doc


def _note_row(note: Note) -> Row:
    r = note.rect
    return Row(
        page=note.page,
        baseline=r[1],
        top=r[1],
        bottom=r[3],
        x0=r[0],
        x1=r[2],
        text=note_text(note),
        size=10.0,
        note=True,
        meta={"annot": f"pdf-{note.kind.lower()}", "author": note.author},
    )


def read_pdf(data: bytes, source: str, *, max_pages: int = MAX_PAGES) -> Transcript:
    """Read a chat printed to PDF into a Transcript (format ``pdf-<flavour>``).

    Raises InputError naming ``source`` for a PDF that is encrypted, corrupt or has no pages, and
    when PyMuPDF is not installed. A PDF longer than ``max_pages`` is read up to that page, with a
    warning.
    """
    doc = _open(data, source)
    warnings: list[str] = []
    count = doc.page_count
    if count > max_pages:
        warnings.append(f"{source}: only the first {max_pages} of {count} pages were read")
        count = max_pages
    try:
        pages = [doc[i] for i in range(count)]
        fixes, unknown = glyph_fixes(pages)
        spans_images = [page_spans(p, f) for p, f in zip(pages, fixes, strict=True)]
    except Exception as exc:  # damaged content streams surface here, not at open()
        raise InputError(f"corrupt PDF, a page cannot be read: {exc}", where=source) from None
    title = (doc.metadata or {}).get("title") or ""
    first_text = " ".join(s["text"] for spans, _ in spans_images[:3] for s in spans)
    flavour = detect_flavour(first_text, title)
    notes_fonts = note_fonts([s for s, _ in spans_images])
    sizes = Counter(round(s["size"]) for spans, _ in spans_images for s in spans for _ in s["text"].strip())
    body = float(sizes.most_common(1)[0][0]) if sizes else 12.0
    source_text = Source()
    items: list[Item] = []
    lossy_pages: set[int] = set()
    for number, page in enumerate(pages):
        spans, images = spans_images[number]
        height = page.rect.height
        pills = citation_pills(page)
        spans = [s for s in spans if not in_pill(s, pills, body)]
        rows = page_rows(spans, page_rules(page), number, overlay_rects(page), notes_fonts)
        rows = [
            r
            for r in rows
            if not is_footer_or_header(
                r.text, r.size < 0.75 * body, r.top < 0.07 * height or r.bottom > 0.93 * height
            )
        ]
        if number == 0 and flavour not in ("generic", "google-docs"):
            heading = _title_row(rows, page.rect.width, body)
            if heading is not None:
                rows.remove(heading)
                title = title if title and title != "about:blank" else heading.text.strip()
        if flavour == "google-docs":
            for r in rows:
                r.note = True
        rows += [_note_row(n) for n in page_notes(page, number)]
        rows.sort(key=lambda r: (r.baseline, r.x0))
        chat_rows = [r for r in rows if not r.note]
        if not chat_rows and images:
            rows = _ocr_page(page, number, images, rows, warnings)
            chat_rows = [r for r in rows if not r.note]
        rects = bubbles(page, flavour)
        margin = min((r.x0 for r in chat_rows), default=0.0)
        for row in rows:
            role = row_role(row, rects, flavour, margin)
            thinking = flavour == "deepseek-print" and role == "assistant" and is_thinking_colour(row.color)
            kind = classify(row, role, thinking)
            if row.lossy:
                lossy_pages.add(number + 1)
            items.append(Item(row, role, kind, source_text.add(row.text)))
        for image in distinct_images(images, 0.6 * page.rect.width * page.rect.height):
            _image_prompt(image, page, rects, flavour, margin, number, items, warnings, source_text)
    inferred = flavour in ("generic", "google-docs")
    turns = build_turns(items, source_text, body, inferred)
    if inferred:
        warnings.append(f"roles inferred: no chat-UI cue in this PDF (flavour {flavour})")
    if unknown:
        warnings.append(f"{unknown} glyphs of the text layer name the wrong character and could not be read")
    if lossy_pages:
        pages_list = ", ".join(str(p) for p in sorted(lossy_pages))
        warnings.append(
            f"math lossy: some formulas could not be rebuilt from the text layer (pages {pages_list})"
        )
    model = _FLAVOUR_MODEL.get(flavour) or find_model(first_text, title)
    return Transcript(
        source=source,
        format=f"pdf-{flavour}",
        model=model,
        title=title if title and title != "about:blank" else None,
        turns=turns,
        warnings=warnings,
    )


def _title_row(rows: list[Row], width: float, body: float) -> Row | None:
    """The conversation's title an exporter prints centred in large bold type above the chat."""
    first = min((r for r in rows if not r.note), key=lambda r: r.baseline, default=None)
    if first is None or not first.bold or first.size < 1.3 * body:
        return None
    return first if abs((first.x0 + first.x1) / 2 - width / 2) <= 0.08 * width else None


def _image_prompt(
    image: tuple[float, ...],
    page: Any,
    rects: list[Any],
    flavour: str,
    margin: float,
    number: int,
    items: list[Item],
    warnings: list[str],
    source: Source,
) -> None:
    """An image in a user message is a prompt the grader cannot read: say so, keep a placeholder."""
    if image[2] - image[0] < 100 or image[3] - image[1] < 60:
        return
    row = Row(
        page=number,
        baseline=image[3],
        top=image[1],
        bottom=image[3],
        x0=image[0],
        x1=image[2],
        text="[image: not read]",
        size=12.0,
        lossy=True,
    )
    if flavour in ("generic", "google-docs") or row_role(row, rects, flavour, margin) != "user":
        return
    read = ocr_rows(page, number, [(image[0], image[1], image[2], image[3])], [], spread=False) or []
    if read:
        # The question is in the screenshot: its OCR text lets the aligner see which part is asked.
        row.text = "[image: read by OCR]"
        row.top = row.baseline = image[1] - 0.01  # the placeholder, then the text read in it
        for r in read:
            items.append(Item(r, "user", "text", source.add(r.text)))
    else:
        message = f"image-only prompt: an image in a user message on page {number + 1} was not read"
        if message not in warnings:
            warnings.append(message)
    items.append(Item(row, "user", "attachment", source.add(row.text)))
    items.sort(key=lambda i: (i.row.page, i.row.baseline, i.row.x0))


def _ocr_page(page: Any, number: int, images: list[Any], rows: list[Row], warnings: list[str]) -> list[Row]:
    """A page of screenshots: its images read by OCR (the page's own text rows kept as they are).

    Every row of the page is marked ``ocr_page``, so that the page makes a turn of its own.
    """
    found = ocr_rows(page, number, distinct_images(images), [(r.x0, r.top, r.x1, r.bottom) for r in rows])
    if found is None:
        warnings.append(f"page {number + 1} needs OCR (image only)")
        return rows
    out = sorted(rows + found, key=lambda r: (r.baseline, r.x0))
    for r in out:
        r.meta["ocr_page"] = True
    return out
