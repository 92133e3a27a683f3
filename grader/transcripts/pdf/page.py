"""What one PDF page holds, before anything is decided about who wrote it.

:func:`extract_page` turns a PyMuPDF page into a :class:`PageData`: the text layer as visual rows
(KaTeX math rebuilt, see ``layout``), the student's annotation objects as rows of their own, the
images that may hold text (screenshots), the filled and outlined shapes that chat UIs draw as
message bubbles, and the handwriting (ink) that cannot be read. Every row records where it came from
in ``meta['source']``: ``text`` (the text layer), ``annot`` (an annotation object) or ``ocr``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.transcripts.pdf.accents import radical_spans
from grader.transcripts.pdf.annots import Note, handwriting, note_text, overlay_rects, page_notes
from grader.transcripts.pdf.boilerplate import citation_pills, in_pill
from grader.transcripts.pdf.glyphs import Key
from grader.transcripts.pdf.layout import Row, page_rows, page_rules, page_spans

Rect = tuple[float, float, float, float]
Color = tuple[float, float, float]

MIN_TEXT_IMAGE = (90.0, 24.0)
"""Images narrower or lower than this (points) are icons and avatars, not screenshots of text."""


@dataclass
class Shape:
    """A filled or outlined rectangle of the page (a bubble, a card, a code block, a table cell)."""

    rect: Rect
    fill: Color | None
    stroke: Color | None


@dataclass
class ImageRef:
    """An image drawn on the page: where, and how many pixels it really has."""

    rect: Rect
    width_px: int
    height_px: int


@dataclass
class PageData:
    """Everything read off one page (``number`` is 0-based)."""

    number: int
    width: float
    height: float
    rows: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    ink: list[Rect] = field(default_factory=list)
    ocr_rows: list[Row] = field(default_factory=list)

    @property
    def all_rows(self) -> list[Row]:
        """Text-layer, OCR and annotation rows in reading order (top to bottom, left to right)."""
        return sorted(self.rows + self.ocr_rows + self.notes, key=lambda r: (r.top, r.x0))


def _dedupe_spans(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop a span drawn again over itself (prints fake bold by drawing the same text 2-4 times)."""
    seen: dict[str, list[tuple[float, float]]] = {}
    out = []
    for s in spans:
        x0, y0, _, _ = s["bbox"]
        places = seen.setdefault(s["text"], [])
        if s["text"].strip() and any(abs(x0 - x) < 2.0 and abs(y0 - y) < 2.0 for x, y in places):
            continue
        places.append((x0, y0))
        out.append(s)
    return out


def _side_borders(bars: list[tuple[Rect, tuple[float, float, float]]]) -> list[Shape]:
    """A box drawn only as its two side borders (a message box on a page wholly inside a long
    message): two thin vertical bars of one colour spanning the same height, far enough apart."""
    out: list[Shape] = []
    for left, colour in bars:
        for right, other in bars:
            if other != colour or right[0] - left[2] < 80:
                continue
            if abs(right[1] - left[1]) > 2 or abs(right[3] - left[3]) > 2:
                continue
            out.append(
                Shape(
                    rect=(left[0], min(left[1], right[1]), right[2], max(left[3], right[3])),
                    fill=colour,
                    stroke=None,
                )
            )
    return out


def _shapes(drawings: list[dict[str, Any]]) -> list[Shape]:
    out: list[Shape] = []
    bars: list[tuple[Rect, tuple[float, float, float]]] = []
    for drawing in drawings:
        r = drawing.get("rect")
        fill = drawing.get("fill")
        if r is not None and r.width <= 3 and r.height >= 15 and fill and len(fill) >= 3:
            bars.append(((r.x0, r.y0, r.x1, r.y1), tuple(fill[:3])))  # type: ignore[arg-type]
            continue
        if r is None or r.width < 20 or r.height < 8:
            continue
        fill = drawing.get("fill")
        stroke = drawing.get("color") if drawing.get("type") in ("s", "fs") else None
        out.append(
            Shape(
                rect=(r.x0, r.y0, r.x1, r.y1),
                fill=tuple(fill[:3]) if fill and len(fill) >= 3 else None,  # type: ignore[arg-type]
                stroke=tuple(stroke[:3]) if stroke and len(stroke) >= 3 else None,  # type: ignore[arg-type]
            )
        )
    return _rings(out) + _side_borders(bars)


def _bullet_marks(drawings: list[dict[str, Any]]) -> list[Rect]:
    """Small filled marks, about square (2 to 8 points): the discs and squares a browser draws as list
    bullets, which the text layer does not hold."""
    marks: list[Rect] = []
    for drawing in drawings:
        r = drawing.get("rect")
        if r is None or not drawing.get("fill") or not (2 <= r.width <= 8 and 2 <= r.height <= 8):
            continue
        if max(r.width, r.height) <= 1.5 * min(r.width, r.height):
            marks.append((r.x0, r.y0, r.x1, r.y1))
    return marks


def mark_list_items(rows: list[Row], marks: list[Rect]) -> None:
    """Mark rows that a drawn bullet opens (``meta["list_item"]``): a mark just left of the row's start
    (within two of its font sizes), level with its first line. Such a row is an item of a list, however
    far it is indented, as a row that opens with a typed bullet is."""
    for row in rows:
        for _x0, y0, x1, y1 in marks:
            gap = row.x0 - x1
            centre = (y0 + y1) / 2
            if 0 <= gap <= 2 * row.size and row.top <= centre <= row.top + 1.2 * row.size:
                row.meta["list_item"] = True
                break


def _light(rgb: tuple[float, float, float]) -> float:
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


def _rings(shapes: list[Shape]) -> list[Shape]:
    """A box drawn as a dark ring filled around a light one (a bubble's border, printed as two filled
    paths over the same rectangle) is one outlined box."""
    groups: list[list[Shape]] = []
    for sh in shapes:  # the ring and its inside may differ by a rounding of their outlines
        near = next(
            (g for g in groups if max(abs(a - b) for a, b in zip(g[0].rect, sh.rect, strict=True)) <= 1.5),
            None,
        )
        if near is None:
            groups.append([sh])
        else:
            near.append(sh)
    out: list[Shape] = []
    for group in groups:
        fills = [sh.fill for sh in group if sh.fill is not None]
        if len(fills) >= 2 and max(map(_light, fills)) - min(map(_light, fills)) > 0.5:
            light = max(fills, key=_light)
            dark = min(fills, key=_light)
            out.append(Shape(rect=group[0].rect, fill=light, stroke=dark))
        else:
            out.extend(group)
    return out


def _images(page: Any) -> list[ImageRef]:
    out: list[ImageRef] = []
    try:
        # no xrefs=True: finding them hashes, so decodes, every image (150 MB for a long screenshot)
        infos = page.get_image_info()
    except Exception:  # a damaged image dictionary: the text layer is still worth reading
        return out
    for info in infos:
        x0, y0, x1, y1 = info["bbox"]
        if x1 - x0 < MIN_TEXT_IMAGE[0] or y1 - y0 < MIN_TEXT_IMAGE[1]:
            continue
        out.append(
            ImageRef(
                rect=(x0, y0, x1, y1),
                width_px=int(info.get("width") or 0),
                height_px=int(info.get("height") or 0),
            )
        )
    return out


def _overlaps(rect: Rect, row: Row) -> bool:
    return rect[0] <= row.x1 and row.x0 <= rect[2] and rect[1] <= row.bottom and row.top <= rect[3]


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
        meta={"source": "annot", "annot": f"pdf-{note.kind.lower()}", "author": note.author},
    )


def extract_page(
    page: Any,
    number: int,
    fixes: dict[Key, str],
    body: float,
    note_fonts: set[str],
    invisible_notes: bool = False,
    spans: list[dict[str, Any]] | None = None,
) -> PageData:
    """Read one page into a :class:`PageData` (rows of the text layer, notes, images, shapes, ink).

    ``invisible_notes``: the document's invisible text is a minority laid over its visible text (the
    text a tablet recognised in the student's handwriting), so it is read as the student's notes.
    ``spans``: the page's :func:`~grader.transcripts.pdf.layout.page_spans` with ``fixes`` applied,
    when the caller has them already (the text layer is then not extracted a second time).
    """
    if spans is None:
        spans, _ = page_spans(page, fixes)
    spans = _dedupe_spans(spans)
    drawings = page.get_drawings()  # read once: pills, rules and shapes all come from them
    pills = citation_pills(drawings)
    spans = [s for s in spans if not in_pill(s, pills, body)]
    spans += radical_spans(drawings, page.rect.width, spans)
    rows = page_rows(spans, page_rules(drawings), number, overlay_rects(page), note_fonts, invisible_notes)
    for r in rows:
        r.meta.setdefault("source", "text")
    mark_list_items(rows, _bullet_marks(drawings))
    notes = [_note_row(n) for n in page_notes(page, number)]
    # handwriting whose words were read as the student's notes (a tablet's invisible text laid over it,
    # a stamp's own lettering in a note's colour) needs no placeholder
    written = [r for r in rows if r.note]
    hand = [n for n in handwriting(page, number) if not any(_overlaps(n.rect, r) for r in written)]
    notes += [_note_row(n) for n in hand]
    ink = [n.rect for n in hand]
    return PageData(
        number=number,
        width=float(page.rect.width),
        height=float(page.rect.height),
        rows=[r for r in rows if not r.note] + [r for r in rows if r.note],
        notes=notes,
        images=_images(page),
        shapes=_shapes(drawings),
        ink=ink,  # type: ignore[arg-type]
    )
