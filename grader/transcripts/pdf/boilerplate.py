"""Boilerplate that PDF printers and exporters add around a chat: footers, headers, page numbers, chips.

Every pattern here matches a whole visual row of the page; what matches is dropped (or, for an
attachment chip, kept as an ``attachment`` block) and never read as what a participant wrote.
"""

from __future__ import annotations

import re
from typing import Any

Rect = tuple[float, float, float, float]

_EXPORTER_FOOTER = re.compile(
    r"Powered by\s+(?:ChatGPT|Claude|Gemini|DeepSeek|Grok)\s+Exporter", re.IGNORECASE
)
_PAGE_NUMBER = re.compile(r"^\s*(?:Page\s+)?\d{1,4}\s*(?:/|of)\s*\d{1,4}\s*$", re.IGNORECASE)
_URL_ROW = re.compile(r"^\s*(?:https?://|file:///|about:blank)\S*\s*$", re.IGNORECASE)
# Browser print headers: "11/26/25, 21:52" or "12/3/25, 9:14 PM"
_PRINT_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2,4},\s*\d{1,2}:\d{2}(?:\s*[AP]M)?\s*$", re.IGNORECASE)
_PDFCROWD = re.compile(r"ChatGPT to PDF|pdfcrowd\.com", re.IGNORECASE)
# ChatGPT leaks its file-citation markup into the answer text.
CONTENT_REFERENCE = re.compile(r":?contentReference\[oaicite:\d+\](?:\{index=\d+\})?")
ATTACHMENT_NAME = re.compile(
    r"^\s*[\w\-. ()]{1,80}\.(?:pdf|png|jpe?g|txt|md|docx?|py|ipynb|csv|zip)\s*$", re.IGNORECASE
)
ATTACHMENT_TYPE = re.compile(r"^\s*(?:PDF|Image|File|Document|Text|PNG|JPG)\s*$", re.IGNORECASE)
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")


def is_footer_or_header(text: str, small: bool, margin: bool) -> bool:
    """True for a row that a printer or exporter added: a footer, a page number, a URL or date header.

    ``small`` says the row is in a smaller font than the body; ``margin`` that it lies in the top
    or bottom margin of the page. Page numbers and dates only count in the margins, so that a
    "1/2" written in the chat survives.

    >>> is_footer_or_header("🚀 Powered by Claude Exporter", small=False, margin=True)
    True
    >>> is_footer_or_header("1 / 19", small=False, margin=True)
    True
    >>> is_footer_or_header("1 / 19", small=False, margin=False)
    False
    """
    stripped = text.strip()
    if not stripped:
        return True
    if _EXPORTER_FOOTER.search(stripped) or _PDFCROWD.search(stripped):
        return True
    if not margin:
        return False
    if _PAGE_NUMBER.match(stripped) or _URL_ROW.match(stripped) or _PRINT_DATE.match(stripped):
        return True
    return small and len(stripped) < 160


def clean_text(text: str) -> str:
    """Remove zero-width characters and leaked citation markup from a row's text.

    >>> clean_text("result\\u200b :contentReference[oaicite:4]{index=4}")
    'result'
    """
    return CONTENT_REFERENCE.sub("", ZERO_WIDTH.sub("", text)).rstrip()


def citation_pills(drawings: list[dict[str, Any]]) -> list[Rect]:
    """Small light-grey rounded chips that a chat UI draws around a source citation ("hw2").

    ChatGPT cites an uploaded file with a pill after the sentence; its text is the file's name in
    a small font and is no part of the answer (it splits sentences and headings in two).
    ``drawings``: the page's ``get_drawings()``.
    """
    out: list[Rect] = []
    for drawing in drawings:
        fill = drawing.get("fill")
        if not fill or len(fill) < 3:
            continue
        r = drawing["rect"]
        grey = max(fill[:3]) - min(fill[:3]) < 0.02 and 0.9 <= min(fill[:3]) < 0.995
        if grey and 15 <= r.width <= 160 and 10 <= r.height <= 24:
            out.append((r.x0, r.y0, r.x1, r.y1))
    return out


def in_pill(span: dict[str, Any], pills: list[Rect], body: float) -> bool:
    """True for a span of citation-chip text: small, not code, inside one of the ``pills``."""
    if span["size"] > 0.8 * body or re.search(r"Mono|Courier|Code|Consol", span["font"], re.I):
        return False
    x0, y0, x1, y1 = span["bbox"]
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in pills)
