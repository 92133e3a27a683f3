"""The student's PDF annotation objects: sticky notes, free-text boxes, highlights and their popups, and
the handwriting (Ink strokes, Stamp images) that cannot be read but must not vanish.

Handwriting is reported as a note of its own, ``handwritten note, not read``, with its page and where it
sits, so a TA sees that the student wrote something there: strokes close to each other are one note (a
tablet saves each stroke, or each word, as an annotation of its own). Handwriting that carries a text
of its own (a comment typed into the Ink's popup) is read like any other note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Rect = tuple[float, float, float, float]

_KEPT = {
    "Text",
    "FreeText",
    "Highlight",
    "Underline",
    "StrikeOut",
    "Squiggly",
    "Square",
    "Circle",
    "Ink",
    "Line",
    "Stamp",
}
HANDWRITING = ("Ink", "Stamp")
"""Annotation kinds drawn by hand (or pasted as a picture of handwriting): no text to read."""
NOT_READ = "handwritten note, not read"
"""The text of a handwriting note: what it is and that its words were not read."""
CLUSTER_GAP = 24.0
"""Handwriting strokes closer than this (points) belong to one note."""


@dataclass(frozen=True)
class Note:
    """One annotation object, with the text it carries and where it sits."""

    page: int
    kind: str
    rect: Rect
    text: str
    author: str
    quoted: str = ""

    @property
    def baseline(self) -> float:
        """Where the note sits vertically (its top), to place it among the rows."""
        return self.rect[1]


def page_notes(page: Any, number: int) -> list[Note]:
    """Annotation objects of a page that carry the student's words (or mark chat text).

    Shapes without contents (a bare rectangle or line drawn to point somewhere) are left out; a
    highlight keeps the text it covers in ``quoted`` and its popup's contents in ``text``.
    """
    notes: list[Note] = []
    for annot in page.annots() or []:
        kind = annot.type[1]
        if kind not in _KEPT:
            continue
        info = annot.info or {}
        text = _own_text(info)
        rect = tuple(annot.rect)
        quoted = ""
        if kind in ("Highlight", "Underline", "StrikeOut", "Squiggly"):
            quoted = " ".join(page.get_textbox(annot.rect).split())
        if not text and not quoted:
            continue
        notes.append(Note(number, kind, rect, text, info.get("title") or "", quoted))  # type: ignore[arg-type]
    return notes


def handwriting(page: Any, number: int) -> list[Note]:
    """The page's handwriting without a text of its own (Ink strokes, Stamp images), one note per
    cluster of nearby strokes, in reading order, each saying it was not read and where it sits.

    An Ink or Stamp annotation with a comment in its popup is not here: :func:`page_notes` reads it.
    """
    rects: list[tuple[str, Rect, str]] = []
    for annot in page.annots() or []:
        kind = annot.type[1]
        info = annot.info or {}
        if kind in HANDWRITING and not _own_text(info):
            rects.append((kind, tuple(annot.rect), info.get("title") or ""))  # type: ignore[arg-type]
    clusters: list[tuple[set[str], Rect, str]] = []
    for kind, rect, author in sorted(rects, key=lambda k: (k[1][1], k[1][0])):
        for i, (kinds, box, who) in enumerate(clusters):
            if _near(box, rect):
                clusters[i] = (kinds | {kind}, _union(box, rect), who or author)
                break
        else:
            clusters.append(({kind}, rect, author))
    notes = []
    for kinds, box, author in clusters:
        kind = "Ink" if "Ink" in kinds else "Stamp"
        where = f"page {number + 1}, x={box[0]:.0f}, y={box[1]:.0f}"
        notes.append(Note(number, kind, box, f"{NOT_READ} ({kind.lower()}, {where})", author))
    return notes


def _own_text(info: dict[str, Any]) -> str:
    """The annotation's comment, unless it only repeats the stamp's name ("Image Stamp", "Approved"),
    which the PDF editor wrote there, not the student."""
    text = (info.get("content") or "").strip()
    name = str(info.get("name") or "")
    if text and name and "".join(text.split()).lower() == "".join(name.split()).lower():
        return ""
    return text


def _near(a: Rect, b: Rect) -> bool:
    return (
        a[0] - CLUSTER_GAP <= b[2]
        and b[0] - CLUSTER_GAP <= a[2]
        and a[1] - CLUSTER_GAP <= b[3]
        and b[1] - CLUSTER_GAP <= a[3]
    )


def _union(a: Rect, b: Rect) -> Rect:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def overlay_rects(page: Any) -> list[Rect]:
    """Rectangles of free-text boxes: their appearance text is read from the object, not the page."""
    return [tuple(a.rect) for a in page.annots() or [] if a.type[1] == "FreeText"]  # type: ignore[misc]


def note_text(note: Note) -> str:
    """The annotation as one line of text ("highlight: «quoted» — comment")."""
    if note.quoted:
        quoted = note.quoted if len(note.quoted) <= 300 else note.quoted[:297] + "..."
        return f"[{note.kind.lower()}] «{quoted}»" + (f" — {note.text}" if note.text else "")
    return " ".join(note.text.split())
