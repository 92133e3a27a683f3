"""Who speaks, from where a line sits: message bubbles, shading and alignment.

Nearly every chat UI sets the user's messages apart from the model's: a shaded (or outlined) bubble,
pushed towards the right, while the model writes on the page itself from the left margin. The evidence
here is read the same way from the text layer (filled and outlined shapes under a row, its indent) and
from OCR'd screenshots (the background colour behind a line, its indent within the screenshot):

- :func:`bubble_keys` gives each row the colour of the bubble it sits in (``None`` when none), leaving
  out shapes that are code blocks, tables and page backgrounds;
- :func:`column` finds a context's left margin and right edge (the page's, or a screenshot's);
- :func:`indented` says whether a row starts well right of the margin, as the user's messages do,
  without mistaking centred display math or nested list items for it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from grader.transcripts.pdf.layout import Row
from grader.transcripts.pdf.page import PageData, Shape

Rect = tuple[float, float, float, float]
_SET_IN = 0.05
"""An outlined box is a bubble when it starts this share of the page's width right of the text margin
(a right-aligned bubble of a long message starts only a few ems in; the model's cards start at it)."""
MONO_FONT = re.compile(r"Mono|Courier|Consol|Menlo|Code|Fira|Inconsolata|Monaco", re.IGNORECASE)
"""Names of monospace (code) fonts."""
_MONO = MONO_FONT


@dataclass(frozen=True)
class Column:
    """A reading context's text column: where lines start and end."""

    left: float
    right: float

    @property
    def width(self) -> float:
        """The column's width (at least 1 point)."""
        return max(self.right - self.left, 1.0)


def colour_key(rgb: tuple[float, float, float]) -> str:
    """A colour quantised to steps of 1/64 per channel (close shades share a key).

    >>> colour_key((0.95, 0.95, 0.96)), colour_key((1.0, 1.0, 1.0)), colour_key((0.929, 0.953, 0.996))
    ('#3c3c3c', '#3f3f3f', '#3b3c3f')
    """
    return "#" + "".join(f"{min(63, int(c * 63 + 0.5)):02x}" for c in rgb)


def _differs(a: tuple[float, float, float], b: tuple[float, float, float]) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) > 0.012


def _light(rgb: tuple[float, float, float]) -> float:
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


def _inside(row: Row, rect: Rect, slack: float = 2.0) -> bool:
    cx = row.x0 + min(row.x1 - row.x0, 30.0) / 2
    cy = (row.top + row.bottom) / 2
    return rect[0] - slack <= cx <= rect[2] + slack and rect[1] - slack <= cy <= rect[3] + slack


def is_mono(row: Row) -> bool:
    """The row is set in a monospace font (code)."""
    return _is_mono(row)


def _is_mono(row: Row) -> bool:
    fonts = [p.font for p in row.pieces if p.text.strip()]
    return bool(fonts) and sum(bool(_MONO.search(f)) for f in fonts) >= 0.5 * len(fonts)


def page_background(pd: PageData) -> tuple[float, float, float]:
    """The page's own colour: a filled shape covering nearly all of it (a dark theme), else white."""
    for shape in pd.shapes:
        x0, y0, x1, y1 = shape.rect
        if shape.fill is not None and (x1 - x0) >= 0.9 * pd.width and (y1 - y0) >= 0.85 * pd.height:
            return shape.fill
    return (1.0, 1.0, 1.0)


def _prose(row: Row) -> bool:
    return len(row.text.split()) >= 3 or (len(row.text) >= 12 and not row.math_only)


def bubble_keys(pd: PageData, column_left: float | None = None) -> dict[int, str]:
    """Row id -> key of the bubble the text-layer row sits in (a fill colour, or ``outline``).

    A bubble is a shape filled with a shade close to the page's own colour (a bubble is a subtle
    tint; a glyph or a rule drawn in the text colour is not one), or an outlined box set in from the
    margin, that is at least ~60 points wide, does not cover the whole page and holds prose. Shapes
    whose rows are mostly monospace (code blocks) or table rows are left out.
    """
    width = pd.width
    background = page_background(pd)
    out: dict[int, str] = {}
    candidates: list[tuple[float, Shape, str]] = []
    for shape in pd.shapes:
        x0, y0, x1, y1 = shape.rect
        w, h = x1 - x0, y1 - y0
        if w < 60 or h < 12 or (w > 0.9 * width and h > 0.85 * pd.height):
            continue
        if shape.fill is not None and shape.stroke is not None and not _differs(shape.fill, background):
            if column_left is not None and x0 <= column_left + _SET_IN * width:
                continue
            key = "outline"  # a box of the page's colour with a border, set in from the margin
        elif shape.fill is not None and _differs(shape.fill, background):
            if abs(_light(shape.fill) - _light(background)) > 0.3:
                continue  # drawn in a text colour: a glyph, a rule, a dark code block
            key = colour_key(shape.fill)
        elif shape.stroke is not None and (column_left is None or x0 > column_left + _SET_IN * width):
            key = "outline"
        else:
            continue
        candidates.append((w * h, shape, key))
    candidates.sort(key=lambda c: c[0])  # the innermost (smallest) shape decides
    rows = [r for r in pd.rows if not r.note]
    for _, shape, key in candidates:
        inside = [r for r in rows if id(r) not in out and _inside(r, shape.rect)]
        if not inside or not any(_prose(r) for r in inside):
            continue
        if key == "outline" and all(r.has_math for r in inside):
            continue  # a boxed formula (\boxed{...}), not a message
        if sum(_is_mono(r) for r in inside) >= 0.5 * len(inside):
            continue
        if sum(bool(r.meta.get("table")) for r in inside) >= 0.5 * len(inside):
            continue
        for r in inside:
            out[id(r)] = key
            r.meta["bubble_rect"] = tuple(round(v, 1) for v in shape.rect)
    return out


def column(rows: list[Row]) -> Column:
    """The left margin (the commonest start of long lines) and right edge (their typical end)."""
    long_rows = [r for r in rows if len(r.text) >= 25 and not r.math_only] or rows
    if not long_rows:
        return Column(0.0, 1.0)
    starts: Counter[int] = Counter()
    for r in long_rows:
        starts[round(r.x0 / 4)] += len(r.text)
    left = min(k for k, n in starts.items() if n >= 0.25 * max(starts.values())) * 4.0
    ends = sorted(r.x1 for r in long_rows)
    right = ends[int(0.9 * (len(ends) - 1))]
    return Column(left, max(right, left + 1.0))


def indented(row: Row, col: Column) -> bool:
    """True when ``row`` starts well right of the column's margin, as a user's message does.

    Centred rows (display math, a centred title) and rows that merely nest (a list item) do not
    count: the indent must be at least a tenth of the column and 40 points, and the row must not be
    centred in the column.
    """
    if row.math_only or len(row.text.strip()) < 2:
        return False
    offset = row.x0 - col.left
    if offset < max(40.0, 0.1 * col.width):
        return False
    centre = (row.x0 + row.x1) / 2
    col_centre = (col.left + col.right) / 2
    symmetric = abs(centre - col_centre) < 0.05 * col.width and row.x1 < col.right - 0.1 * col.width
    return not symmetric


_BULLET_START = re.compile(r"^\s*(?:[-•◦▪▸*·]|\d+[.)]|\(?[a-z]\)|\(?[ivx]+\))\s+")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _words(row: Row) -> int:
    return len(_WORD.findall(re.sub(r"\$[^$]*\$", " ", row.text)))


def indented_blocks(rows: list[Row], col: Column) -> set[int]:
    """Ids of rows in blocks set apart like a user's message: indented, with room around them.

    A block is a run of consecutive rows starting at the same x (a message's lines). It reads as the
    user's when it is indented (see :func:`indented`), holds prose (words, not a stray formula
    fragment), does not start like a list item, and has a gap of about a line above and below (the
    bubble's padding), so that a nested list item of the model's answer, packed among its lines,
    does not count.
    """
    ordered = sorted((r for r in rows if not r.meta.get("table")), key=lambda r: (r.top, r.x0))
    table_rows = [r for r in rows if r.meta.get("table")]
    blocks: list[list[Row]] = []
    for r in ordered:
        if blocks and abs(blocks[-1][-1].x0 - r.x0) <= 2.5 and r.top - blocks[-1][-1].bottom < 1.2 * r.size:
            blocks[-1].append(r)
        else:
            blocks.append([r])
    out: set[int] = set()
    for i, block in enumerate(blocks):
        first = block[0]
        if not indented(first, col) or _BULLET_START.match(first.text) or first.meta.get("list_item"):
            continue  # a list item (a typed bullet or one drawn beside it) nests; it is no message
        if any(0 <= first.top - t.bottom < 1.2 * first.size and t.x0 <= first.x0 <= t.x1 for t in table_rows):
            continue  # a table cell's text wrapped onto a line of its own, right under the table's row
        last = block[-1]
        if any(
            -0.3 * last.size <= t.top - last.bottom < 0.6 * last.size and t.x0 <= first.x0 <= t.x1
            for t in table_rows
        ):
            continue  # a table's header cell wrapped onto a line above the table's row: no room under it
        # a short message pushed to the right ("solve 3") needs only one word; otherwise two
        far_right = len(block) == 1 and first.x0 > (col.left + col.right) / 2
        if max(_words(r) for r in block) < (1 if far_right else 2):
            continue
        size = max(r.size for r in block)
        above = blocks[i - 1][-1] if i else None
        below = blocks[i + 1][0] if i + 1 < len(blocks) else None
        if above is not None and first.top - above.bottom < 1.1 * size and above.x0 > col.left + 10:
            continue
        if above is not None and first.top - above.bottom < 0.6 * size:
            continue
        if below is not None and below.top - block[-1].bottom < 0.6 * size:
            continue
        out.update(id(r) for r in block)
    return out


def shaded(row: Row, base: tuple[float, float, float]) -> bool:
    """True for an OCR line on a bubble's tint: a background that differs from its screenshot's usual
    background towards the middle (darker in a light theme, lighter in a dark one).

    A region that differs the other way (a white table or code card on an off-white page) is the
    model's content set on a card, not a bubble: chat UIs tint the user's bubble away from the page's
    extreme, never beyond it.
    """
    bg = row.meta.get("bg")
    if bg is None:
        return False
    # chat bubbles are subtle tints (a light theme's grey bubble is 3% darker than the page)
    if max(abs(a - b) for a, b in zip(bg, base, strict=True)) <= 0.022:
        return False
    light = sum(base) / 3 > 0.5
    towards_middle = sum(bg) < sum(base) if light else sum(bg) > sum(base)
    return towards_middle
