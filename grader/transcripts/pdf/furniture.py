"""Page furniture: what a printer or exporter repeats on every page (headers, footers, page numbers).

A row is furniture when a row of the same shape (its text with digits blanked) sits at about the same
height on many pages, or when it lies in the top or bottom margin and reads like a print header,
footer, URL, date or page number (``boilerplate.is_footer_or_header``). Furniture is never read as
what a participant wrote; it is kept as ``residue`` for fidelity.
"""

from __future__ import annotations

import re
from collections import defaultdict

from grader.transcripts.pdf.boilerplate import is_footer_or_header
from grader.transcripts.pdf.page import PageData
from grader.transcripts.residue import is_timestamp

_DIGITS = re.compile(r"\d+")


def _shape(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()).lower())[:80]


def mark_furniture(pages: list[PageData], body: float) -> None:
    """Set ``meta['furniture'] = True`` on the header, footer and page-number rows of every page."""
    if not pages:
        return
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for pd in pages:
        for r in pd.rows:
            band = round(r.top / 12)
            seen[(_shape(r.text), band)].add(pd.number)
    many = max(3, int(0.4 * len(pages)))
    for pd in pages:
        margin_top, margin_bottom = 0.08 * pd.height, 0.92 * pd.height
        for r in pd.rows + pd.ocr_rows:
            in_margin = r.top < margin_top or r.bottom > margin_bottom
            repeated = len(seen.get((_shape(r.text), round(r.top / 12)), ())) >= many and len(pages) >= 3
            small = r.size < 0.75 * body and r.meta.get("source") != "ocr"  # OCR sizes are estimates
            if is_timestamp(r.text):
                # a message's timestamp may fall in a margin; a print date repeats on every page
                if repeated and in_margin:
                    r.meta["furniture"] = True
                continue
            if (repeated and in_margin) or is_footer_or_header(r.text, small, in_margin):
                r.meta["furniture"] = True
