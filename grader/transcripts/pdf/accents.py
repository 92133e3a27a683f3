"""Accents a formula printer drew as glyphs of their own over a letter: ``X`` + ``^`` above it -> ``\\hat{X}``.

KaTeX (and a browser's MathML) prints ``\\hat{X}``, ``\\tilde{X}`` or ``\\check{X}`` as the letter and,
at the same size and nearly the same place, the accent glyph (``^``, ``~``, ``ˇ``...) in a span of its
own. Read in reading order, the accent becomes a stray character after the letter (``y^``, which the
math parser takes for a power) or, raised a few points, a line of its own above the formula (``$$^^$$``).
Here each accent glyph standing over a letter of the same size is put back on it, as the LaTeX command.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from grader.transcripts.pdf.katex import Piece

ACCENTS = {
    "^": "\\hat",
    "ˆ": "\\hat",
    "\u0302": "\\hat",
    "~": "\\tilde",
    "˜": "\\tilde",
    "\u0303": "\\tilde",
    "ˇ": "\\check",
    "\u030c": "\\check",
    "¯": "\\bar",
    "ˉ": "\\bar",
    "˙": "\\dot",
}
"""Accent glyphs and the LaTeX command each one stands for."""


def _accent(p: Piece) -> str:
    return ACCENTS.get(p.text.strip(), "") if p.katex else ""


def _letter_slot(base: Piece, center: float) -> int:
    """Index of the character of ``base`` drawn under ``center`` (its share of the run by characters),
    or -1 when that character is no letter."""
    text = base.text
    if not text or base.x1 <= base.x0:
        return -1
    i = min(len(text) - 1, max(0, int((center - base.x0) / (base.x1 - base.x0) * len(text))))
    return i if text[i].isalpha() else -1


def attach_accents(pieces: list[Piece]) -> tuple[list[Piece], int]:
    """Put each accent glyph back on the letter under it: ``X`` with a ``^`` drawn over it becomes
    ``\\hat{X}``. Only a KaTeX accent glyph of about the letter's size, centred over the letter and no
    lower than its baseline nor higher than one size above it, is moved; any other piece is left alone.
    Returns the pieces and the number of accents put back.

    >>> def pc(t, x0, x1, base): return Piece(t, x0, x1, base - 11, base + 3, base, 14.5, "KaTeX_Math-Italic", 0, True)
    >>> out, n = attach_accents([pc("X", 155.8, 167.8, 231.0), pc("^", 159.9, 167.2, 227.2), pc("w", 168.9, 179.3, 231.0)])
    >>> [p.text for p in out], n
    (['\\\\hat{X}', 'w'], 1)
    """
    accents = [p for p in pieces if _accent(p)]
    if not accents:
        return pieces, 0
    letters = [p for p in pieces if p.katex and not _accent(p) and any(c.isalpha() for c in p.text)]
    used: set[int] = set()
    changed: dict[int, Piece] = {}
    for acc in accents:
        center = acc.center_x
        best: tuple[float, Piece, int] | None = None
        for base in letters:
            cur = changed.get(id(base), base)
            if not (0.8 * acc.size <= base.size <= 1.25 * acc.size and base.x0 - 1 <= center <= base.x1 + 1):
                continue
            raised = base.baseline - acc.baseline
            if not -0.5 <= raised <= 1.0 * base.size:
                continue
            # the run of the letter under the accent, as it reads now (an earlier accent may be on it)
            if cur is not base:
                continue  # one accent per run: a second would need the run's glyph positions
            slot = _letter_slot(base, center)
            if slot < 0:
                continue
            score = abs(raised) + abs(center - base.center_x)
            if best is None or score < best[0]:
                best = (score, base, slot)
        if best is None:
            continue
        _, base, slot = best
        text = base.text
        changed[id(base)] = replace(
            base, text=f"{text[:slot]}{ACCENTS[acc.text.strip()]}{{{text[slot]}}}{text[slot + 1 :]}"
        )
        used.add(id(acc))
    out = [changed.get(id(p), p) for p in pieces if id(p) not in used]
    return out, len(used)


_SURD_MIN_CURVES = 8
"""A radical sign drawn as a path has many segments; a fraction bar or a bubble has few."""


def radical_spans(
    drawings: list[dict[str, Any]], page_width: float, spans: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Text spans ``√`` where a browser drew a radical sign as a filled path (KaTeX's ``\\sqrt`` is an
    SVG, so the text layer holds the radicand and nothing of the sign): the row reads ``√λ`` and is
    marked lossy (the extent of the radicand is not known), never a bare ``λ`` that would make a right
    step look wrong. Each ``√`` stands on the line of the first glyph of its radicand, in that glyph's
    size; a path with no glyph just after it gives none.

    The path's signature: filled, of many curve or line segments, about one line high, and laid out
    far wider than the page (the sign's vinculum is cut to the radicand by a clip).

    >>> class R:  # a stand-in for a PyMuPDF rectangle
    ...     def __init__(self, x0, y0, x1, y1): self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
    ...     width = property(lambda r: r.x1 - r.x0); height = property(lambda r: r.y1 - r.y0)
    >>> d = {"fill": (0, 0, 0), "rect": R(343.0, 239.7, 6161.4, 254.2), "items": [("c",)] * 26}
    >>> lam = {"text": "λ", "bbox": (354.1, 242.4, 362.6, 255.9), "origin": (354.1, 252.8), "size": 14.5}
    >>> [(s["text"], s["bbox"][0], s["origin"][1]) for s in radical_spans([d], 612.0, [lam])]
    [('√', 343.0, 252.8)]
    >>> radical_spans([d], 612.0, [])
    []
    """
    out: list[dict[str, Any]] = []
    for d in drawings:
        r = d.get("rect")
        items = d.get("items") or []
        if d.get("fill") is None or r is None or not 6.0 <= r.height <= 40.0:
            continue
        if r.width < 2 * page_width or r.x0 >= page_width:
            continue
        if sum(1 for it in items if it[0] in ("c", "l")) < _SURD_MIN_CURVES:
            continue
        after = [
            s
            for s in spans
            if r.x0 - 1 <= s["bbox"][0] <= r.x0 + 1.5 * r.height
            and r.y0 - 2 <= (s["bbox"][1] + s["bbox"][3]) / 2 <= r.y1 + 2
            and str(s.get("text", "")).strip()
        ]
        if not after:
            continue
        first = min(after, key=lambda s: s["bbox"][0])
        out.append(
            {
                "text": "√",
                "bbox": (r.x0, first["bbox"][1], max(r.x0 + 0.1, first["bbox"][0]), first["bbox"][3]),
                "origin": (r.x0, first["origin"][1]),
                "font": "KaTeX_Main-Regular",
                "size": first["size"],
                "color": 0,
                "flags": 0,
                "chars": None,
            }
        )
    return out
