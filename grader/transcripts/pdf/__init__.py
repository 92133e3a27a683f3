"""Read the PDFs that TAs actually receive: chats printed from any chat UI or exporter, typed write-ups,
and documents of screenshots with the student's notes.

One pipeline for every PDF, driven by general evidence rather than by recognising exporters::

    read_pdf(data) ─▶ open (encrypted / corrupt / page cap)
       ─▶ page.extract_page      rows of the text layer (KaTeX math rebuilt), annotation objects,
                                 images, bubbles and outlines, ink
       ─▶ ocr.ocr_document       every image that holds text, tiled, in parallel, with word boxes
       ─▶ furniture             headers, footers, page numbers repeated on every page
       ─▶ classify.classify     residue, annotations, speaker labels or bubble/indent geometry,
                                 screenshots, visible reasoning; evidence and confidence per line
       ─▶ assemble.build_turns  turns of typed blocks ─▶ Transcript(format="pdf")

Every decision's evidence is kept in the blocks' ``meta`` (``evidence``, ``confidence``); what could
not be read (an image without Tesseract, a page that failed, handwriting) is named in a warning.
PyMuPDF is an optional dependency (extra ``pdf``); without it :func:`read_pdf` raises a clear
InputError.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from grader.errors import InputError
from grader.models import BlockKind, Transcript
from grader.transcripts.pdf.assemble import Item, Source, build_turns
from grader.transcripts.pdf.classify import Decision, classify
from grader.transcripts.pdf.furniture import mark_furniture
from grader.transcripts.pdf.glyphs import glyph_fixes
from grader.transcripts.pdf.layout import note_fonts, page_spans
from grader.transcripts.pdf.ocr import ocr_document
from grader.transcripts.pdf.opening_prompt import opening_prompt
from grader.transcripts.pdf.page import PageData, extract_page
from grader.transcripts.reply_breaks import mark_reply_breaks
from grader.transcripts.request_turns import mark_request_turns
from grader.transcripts.residue import find_model

__all__ = ["MAX_PAGES", "NEEDS_PYMUPDF", "is_pdf", "read_pdf"]

MAX_PAGES = 200
NEEDS_PYMUPDF = "PDF support needs PyMuPDF: pip install 'llm-transcript-grader[pdf]'"


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


def _extract(
    doc: Any, count: int, source: str, warnings: list[str]
) -> tuple[list[Any], list[PageData], float]:
    try:
        pages = [doc[i] for i in range(count)]
        fixes, unknown = glyph_fixes(pages)
        spans = [page_spans(p, f)[0] for p, f in zip(pages, fixes, strict=True)]
    except Exception as exc:  # damaged content streams surface here, not at open()
        raise InputError(f"corrupt PDF, a page cannot be read: {exc}", where=source) from None
    if unknown:
        warnings.append(f"{unknown} glyphs of the text layer name the wrong character and could not be read")
    sizes: Counter[int] = Counter()  # by characters, keys in order of first sight
    for page in spans:
        for s in page:
            n = len(s["text"].strip())
            if n:
                sizes[round(s["size"])] += n
    body = float(sizes.most_common(1)[0][0]) if sizes else 12.0
    fonts = note_fonts(spans)
    chars = sum(len(s["text"]) for page in spans for s in page)
    hidden = sum(len(s["text"]) for page in spans for s in page if s.get("alpha", 255) == 0)
    invisible_notes = 0 < hidden < 0.3 * chars  # a handwriting layer, not a scan's OCR layer
    if invisible_notes:
        warnings.append(
            "invisible text laid over the pages (handwriting recognised by a tablet?) is read as the "
            "student's notes"
        )
    data: list[PageData] = []
    for number, (page, fix) in enumerate(zip(pages, fixes, strict=True)):
        try:
            data.append(extract_page(page, number, fix, body, fonts, invisible_notes, spans[number]))
        except Exception as exc:  # one broken page: say which, read the others
            warnings.append(f"page {number + 1} could not be read: {exc}")
            data.append(PageData(number=number, width=float(page.rect.width), height=float(page.rect.height)))
    return pages, data, body


def _items(decision: Decision, source: Source) -> list[Item]:
    items: list[Item] = []
    for ln in decision.lines:
        row = ln.row
        if row.meta.get("furniture"):
            continue  # page furniture is nobody's text: dropped (counted in the evidence, not kept)
        kind: BlockKind
        if ln.kind == "label":
            kind = "residue"
            row.meta["speaker_label"] = ln.label.label if ln.label else row.text
        elif row.meta.get("placeholder"):
            kind = "attachment"  # an image that could not be read keeps its place, as what it is
        elif ln.kind == "text":
            kind = "table" if row.meta.get("table") else "text"
            if ln.label is not None and ln.label.rest:
                row.meta["speaker_label"] = ln.label.label
                row.text = ln.label.rest
        else:
            kind = ln.kind
        items.append(
            Item(
                row=row,
                role=ln.role,
                kind=kind,
                line=source.add(row.text),
                starts_turn=ln.starts_turn,
                closes_turn=ln.closes_turn,
                group=ln.group,
                evidence=tuple(ln.evidence),
                kinds=tuple(sorted(ln.kinds)),
                confidence=ln.confidence,
            )
        )
    return items


def read_pdf(data: bytes, source: str, *, max_pages: int = MAX_PAGES) -> Transcript:
    """Read a chat printed to PDF (or a write-up around one) into a Transcript (format ``pdf``).

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
    pages, page_data, body = _extract(doc, count, source, warnings)
    ocr_document(pages, page_data, warnings)
    for pd in page_data:
        for rect in pd.ink:  # each also kept as a note block where it sits (``annots.handwriting``)
            warnings.append(
                f"page {pd.number + 1}: handwritten note, not read (at x={rect[0]:.0f}, y={rect[1]:.0f})"
            )
    mark_furniture(page_data, body)
    decision = classify(page_data, body)
    warnings += decision.warnings
    text = Source()
    turns = build_turns(_items(decision, text), text, body, decision.roles_inferred)
    prompt = opening_prompt(turns)
    if prompt is not None:
        warnings.append(
            f"turn {prompt.index}: read as the user's prompt because the reply after it opens with its visible "
            "reasoning (the layout did not say who wrote it)"
        )
    lossy = sorted({ln.row.page + 1 for ln in decision.lines if ln.row.lossy})
    if lossy:
        pages_list = ", ".join(str(p) for p in lossy)
        warnings.append(
            f"math lossy: some formulas could not be rebuilt from the text layer (pages {pages_list})"
        )
    title = (doc.metadata or {}).get("title") or ""
    if not title or title == "about:blank":
        title = next((ln.row.text.strip() for ln in decision.lines if ln.row.meta.get("title")), title)
    first_text = " ".join(ln.row.text for ln in decision.lines[:80])
    transcript = Transcript(
        source=source,
        format="pdf",
        model=find_model(first_text, title),
        title=title if title and title != "about:blank" else None,
        turns=turns,
        warnings=warnings,
    )
    mark_request_turns(transcript)  # requests inside the model's text the layout did not give to the user
    mark_reply_breaks(transcript)  # seams between two replies with no prompt found between them
    uncertain = [t.index for t in transcript.turns if t.meta.get("confidence", 1.0) < 0.55]
    if uncertain:
        transcript.warnings.append(
            f"uncertain roles: turns {', '.join(map(str, uncertain[:12]))} were assigned on thin evidence "
            "(a person should glance at them)"
        )
    transcript.warnings = _dedupe(transcript.warnings)
    return transcript


def _dedupe(warnings: list[str]) -> list[str]:
    return list(dict.fromkeys(warnings))
