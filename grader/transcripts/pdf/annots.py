"""The student's PDF annotation objects: sticky notes, free-text boxes, highlights and their popups."""

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
}


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
        text = (info.get("content") or "").strip()
        rect = tuple(annot.rect)
        quoted = ""
        if kind in ("Highlight", "Underline", "StrikeOut", "Squiggly"):
            quoted = " ".join(page.get_textbox(annot.rect).split())
        if not text and not quoted:
            continue
        notes.append(Note(number, kind, rect, text, info.get("title") or "", quoted))  # type: ignore[arg-type]
    return notes


def overlay_rects(page: Any) -> list[Rect]:
    """Rectangles of free-text boxes: their appearance text is read from the object, not the page."""
    return [tuple(a.rect) for a in page.annots() or [] if a.type[1] == "FreeText"]  # type: ignore[misc]


def note_text(note: Note) -> str:
    """The annotation as one line of text ("highlight: «quoted» — comment")."""
    if note.quoted:
        quoted = note.quoted if len(note.quoted) <= 300 else note.quoted[:297] + "..."
        return f"[{note.kind.lower()}] «{quoted}»" + (f" — {note.text}" if note.text else "")
    return " ".join(note.text.split())
