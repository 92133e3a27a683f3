"""Styled lines of a question PDF: text, position, font size, boldness; page furniture removed.

PyMuPDF's ``rawdict`` gives every character with its box and font. A question PDF's structure is in
that layout: question headings are bold or larger than the body text and sit at the left margin, part
labels ("(a)", "(ii)", "i.") open a line whose text starts at the indentation of its level. Headers,
footers and page numbers repeat on every page and are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from grader.errors import InputError

_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi|medi|[-,]b\b|bx\d", re.I)
_DIGITS_RE = re.compile(r"\d+")


@dataclass
class Line:
    """One line of text on a page."""

    page: int
    """1-based page number."""
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    """Font size of most of the line's characters."""
    bold: bool
    """Most of the line's characters are in a bold face."""
    char_x: list[float]
    """Left x of each character of ``text`` (same length)."""
    char_size: list[float]
    """Font size of each character."""
    char_bold: list[bool]
    """Whether each character is in a bold face."""

    def x_at(self, index: int) -> float:
        """Left x of character ``index`` (the line's right end past the last character)."""
        return self.char_x[index] if index < len(self.char_x) else self.x1


def _is_bold(span: dict[str, Any]) -> bool:
    return bool(span.get("flags", 0) & 16) or bool(_BOLD_FONT_RE.search(str(span.get("font", ""))))


def _line(page_no: int, raw: dict[str, Any]) -> Line | None:
    chars: list[tuple[str, float, float, bool]] = []
    sizes: Counter[float] = Counter()
    bold = 0
    for span in raw.get("spans", []):
        span_bold = _is_bold(span)
        for ch in span.get("chars", []):
            c = ch.get("c", "")
            if not c:
                continue
            chars.append((c, float(ch["bbox"][0]), round(float(span.get("size", 0.0)), 1), span_bold))
            if not c.isspace():
                sizes[round(float(span.get("size", 0.0)), 1)] += 1
                bold += span_bold
    text = "".join(c[0] for c in chars)
    if not text.strip():
        return None
    visible = sum(sizes.values())
    x0, y0, x1, y1 = (float(v) for v in raw["bbox"])
    return Line(
        page=page_no,
        x0=x0,
        y0=y0,
        x1=x1,
        y1=y1,
        text=text,
        size=sizes.most_common(1)[0][0] if sizes else 0.0,
        bold=visible > 0 and bold * 2 > visible,
        char_x=[c[1] for c in chars],
        char_size=[c[2] for c in chars],
        char_bold=[c[3] for c in chars],
    )


def _furniture_key(line: Line) -> str:
    return _DIGITS_RE.sub("#", " ".join(line.text.split())).lower()


def drop_furniture(lines: list[Line], page_heights: dict[int, float]) -> list[Line]:
    """``lines`` without running headers, footers and page numbers.

    A line is furniture when it sits in the top or bottom tenth of its page and the same text (digits
    ignored) sits there on at least half of the pages (two at least); a bare number there is a page
    number.
    """
    pages = len(page_heights)

    def edge(line: Line) -> bool:
        h = page_heights.get(line.page, 792.0)
        return line.y1 < 0.1 * h or line.y0 > 0.9 * h

    counts: Counter[str] = Counter()
    for key in {(_furniture_key(ln), ln.page) for ln in lines if edge(ln)}:
        counts[key[0]] += 1
    need = max(2, (pages + 1) // 2)
    out = []
    for ln in lines:
        if edge(ln) and (counts[_furniture_key(ln)] >= need or re.fullmatch(r"\s*\d{1,3}\s*", ln.text)):
            continue
        out.append(ln)
    return out


def pdf_lines(data: bytes, source: str, max_pages: int = 200) -> list[Line]:
    """The text lines of a PDF in reading order, furniture removed.

    Raises:
        InputError: when PyMuPDF is missing or the file is not a readable PDF (naming ``source``).
    """
    try:
        import pymupdf
    except ImportError as exc:  # pragma: no cover - the pdf extra is installed with dev
        raise InputError(
            "reading question PDFs needs PyMuPDF: pip install 'llm-transcript-grader[pdf]'", source
        ) from exc
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own FileDataError / RuntimeError
        raise InputError(f"not a readable PDF: {exc}", source) from exc
    if doc.needs_pass:
        raise InputError("the PDF is encrypted (password protected)", source)
    lines: list[Line] = []
    heights: dict[int, float] = {}
    with doc:
        if doc.page_count > max_pages:
            raise InputError(f"{doc.page_count} pages; question files are limited to {max_pages}", source)
        for page_no in range(1, doc.page_count + 1):
            page = doc[page_no - 1]
            heights[page_no] = float(page.rect.height)
            raw = page.get_text("rawdict")
            for block in raw.get("blocks", []):
                if block.get("type") != 0:
                    continue
                for rl in block.get("lines", []):
                    ln = _line(page_no, rl)
                    if ln is not None:
                        lines.append(ln)
    return drop_furniture(lines, heights)


def body_size(lines: list[Line]) -> float:
    """The font size of most characters (the body text)."""
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0
