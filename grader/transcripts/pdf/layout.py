"""Read one PDF page into visual rows: text in reading order, KaTeX math rebuilt, notes told apart.

A row is what a reader sees as one line: body-size glyph runs that share a baseline, with the
sub/superscripts and rebuilt fractions that sit on it. Rows keep their geometry (for roles from
bubble rectangles), size and weight (headings), and two findings: whether the row is a typed note
of the student (an overlay font/colour), and whether its math could only be read lossily.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from grader.transcripts.pdf.accents import attach_accents
from grader.transcripts.pdf.boilerplate import clean_text
from grader.transcripts.pdf.brackets import bracket_matrices, system_braces
from grader.transcripts.pdf.cases import cases_braces
from grader.transcripts.pdf.glyphs import Key, apply_fixes
from grader.transcripts.pdf.katex import (
    KATEX_ERROR_COLOR,
    Piece,
    Rule,
    is_katex_font,
    is_lossy_math,
    math_symbols,
    row_math_text,
    script_pieces,
)
from grader.transcripts.pdf.mathgeom import fold_rules
from grader.transcripts.pdf.mathglyphs import (
    BRACKET_PARTS,
    bracket_part_text,
    hang_extension_glyphs,
    tex_font_text,
)
from grader.transcripts.pdf.mathscripts import attach_scripts, bracket_script
from grader.transcripts.pdf.mathzones import is_math_font, math_runs, wrap_math
from grader.transcripts.pdf.matrices import math_stacks, rebuild_stack
from grader.transcripts.pdf.tables import Grid, table_cells, table_grids

Rect = tuple[float, float, float, float]

# Bold faces by name: "Arial-BoldMT", TeX's "CMBX10" / "SFBX1200" / "LMRoman10-Bold", "Inter-Semibold".
_BOLD_FONT = re.compile(
    r"Bold|Black|Heavy|Semibold|Demi|(?:^|\+)(?:CMBX|SFBX|CMB[^A-Z]|LMRomanDemi)", re.IGNORECASE
)

# Glyph substitutions of broken embedded fonts ("X1, 0.1Y" for "[1, 0.1]", "θ e 0" for "θ = 0").
_GLYPH_SOUP = re.compile(r"X\d[\d.,/ ]*Y|[θα)]\s?e\s?\d|\d\s?l\s?\d\.\d|\d\.\d+h\b")
_MISBUILT = re.compile(
    r"_\{\s*[′']\s*\}|\\begin\{[bp]matrix\}\s*[()\[\]]\s*\\\\|\\\\\s*[()\[\]]\s*\\end\{[bp]matrix\}"
)
"""Structure the geometry rebuilt wrong: a prime set as a subscript (``}_{′}``: a script of a script that
lost its base), a matrix whose row is a lone bracket (``\\begin{bmatrix} ) \\\\ ...``: a tall bracket
taken for a row). Such a formula does not say what was written: lossy."""


@dataclass
class Row:
    """One visual line of a page."""

    page: int
    baseline: float
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    bold: bool = False
    color: int = 0
    has_math: bool = False
    math_only: bool = False
    formula: bool = False
    """Holds a formula of a print other than KaTeX's, written ``$...$`` (see ``mathzones``)."""
    note: bool = False
    raw_latex: bool = False
    lossy: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    pieces: list[Piece] = field(default_factory=list, repr=False)


@lru_cache(maxsize=1024)
def family(font: str) -> str:
    """Font family without style suffix and subset tag ("ABCDEF+Arial-BoldMT" -> "Arial").

    >>> family("ABCDEF+Arial-BoldMT"), family("DejaVuSans-Bold")
    ('Arial', 'DejaVuSans')
    """
    name = font.split("+", 1)[-1]
    name = re.split(r"[-,]", name, maxsplit=1)[0]
    return name[:-2] if name.endswith("MT") else name


def saturated(color: int) -> bool:
    """True for a clearly coloured (not grey) sRGB integer colour.

    >>> saturated(0x0000FF), saturated(0x374151)
    (True, False)
    """
    r, g, b = (color >> 16) & 255, (color >> 8) & 255, color & 255
    return max(r, g, b) - min(r, g, b) >= 0x60


def note_fonts(pages_spans: list[list[dict[str, Any]]]) -> set[str]:
    """Font families used for the student's typed comments: not the chat's fonts, and coloured."""
    chars: Counter[str] = Counter()
    coloured: Counter[str] = Counter()
    for spans in pages_spans:
        for s in spans:
            if is_katex_font(s["font"]):
                continue
            fam = family(s["font"])
            chars[fam] += len(s["text"])
            if saturated(s["color"]) and s["color"] != KATEX_ERROR_COLOR:
                coloured[fam] += len(s["text"])
    total = sum(chars.values()) or 1
    return {f for f, n in coloured.items() if chars[f] / total < 0.25 and n >= 0.5 * chars[f]}


_MATH_GAP = 0.25
"""A gap between two glyphs of one math-font span wider than this share of its size holds something
drawn in another span (a script, a symbol of another font): the span is cut there."""


def _math_glyph_runs(chars: list[dict[str, Any]], size: float) -> list[list[dict[str, Any]]]:
    """A math-font span's glyphs cut where they do not follow one another: at a gap (a script of
    another span sits there: ``‖`` + gap + ``=`` with the raised ``2`` between them), at a step back
    (the glyphs were placed out of order) and at two spaces.

    A formula printer (KaTeX in a browser) places every glyph itself, and one span of one font may
    hold glyphs with others' glyphs between them; cut there, each run is read where it is drawn.

    >>> def ch(c, x0, x1): return {"c": c, "bbox": (x0, 0, x1, 10)}
    >>> ["".join(c["c"] for c in run) for run in _math_glyph_runs([ch("‖", 0, 7), ch("=", 17, 28)], 14.5)]
    ['‖', '=']
    >>> ["".join(c["c"] for c in run) for run in _math_glyph_runs([ch("m", 0, 12), ch("i", 12, 16)], 14.5)]
    ['mi']
    """
    runs: list[list[dict[str, Any]]] = [[]]
    gap = _MATH_GAP * max(size, 1.0)
    for i, ch in enumerate(chars):
        if ch["c"] == " " and i + 1 < len(chars) and chars[i + 1]["c"] == " ":
            runs.append([])
            continue
        prev = runs[-1][-1] if runs[-1] else None
        if prev is not None and (
            ch["bbox"][0] - prev["bbox"][2] > gap
            or ch["bbox"][0] < prev["bbox"][0] - 0.5
            or _other_baseline(prev, ch, size)
        ):
            runs.append([])
        runs[-1].append(ch)
    return runs


def _other_baseline(prev: dict[str, Any], ch: dict[str, Any], size: float) -> bool:
    """A glyph after a left brace on a baseline a line away: the first row of a cases brace, set in
    the brace's span (``cases.cases_braces`` reads the rows back). Only there: a span's other
    baseline changes are left to the readers of fractions and stacks."""
    if "origin" not in prev or "origin" not in ch or ch["c"].isspace() or prev["c"] != "{":
        return False
    return bool(abs(ch["origin"][1] - prev["origin"][1]) > 0.5 * max(size, 1.0))


def _split_at_gaps(span: dict[str, Any]) -> list[dict[str, Any]]:
    """Cut a span at runs of two spaces (the hole where an inline formula was drawn) and a math-font
    span where its glyphs do not follow one another (:func:`_math_glyph_runs`)."""
    chars = span.get("chars", [])
    whole = "".join([c["c"] for c in chars])
    parts: list[list[dict[str, Any]]] = [[]]
    math = is_math_font(span.get("font", ""))
    if (math or is_katex_font(span.get("font", ""))) and len(chars) > 1:
        parts = _math_glyph_runs(chars, span.get("size", 0.0))
    elif "  " not in whole:
        parts = [list(chars)]  # no hole (most spans): one part, the whole span
    else:
        for i, ch in enumerate(chars):
            if ch["c"] == " " and i + 1 < len(chars) and chars[i + 1]["c"] == " ":
                parts.append([])
                continue
            parts[-1].append(ch)
    out = []
    # A math font's spaces are laid out with its formula: a trailing one hides where a script starts,
    # a leading one may sit on a script's baseline. There the extent and the baseline are the glyphs'.
    for part in parts:
        while math and part and part[-1]["c"].isspace():
            part = part[:-1]
        if not part:
            continue
        x0 = min([c["bbox"][0] for c in part])
        x1 = max([c["bbox"][2] for c in part])
        text = whole if len(part) == len(chars) else "".join([c["c"] for c in part])
        inked = next((c for c in part if not c["c"].isspace()), part[0]) if math else part[0]
        out.append(
            {
                **span,
                "text": text,
                "bbox": (x0, span["bbox"][1], x1, span["bbox"][3]),
                "chars": None,
                "origin": (x0, inked["origin"][1] if math else span["origin"][1]),
            }
        )
    return out


def page_spans(page: Any, fixes: dict[Key, str] | None = None) -> tuple[list[dict[str, Any]], list[Rect]]:
    """The text spans of a page (PyMuPDF dicts, cut at inline-formula holes) and its image rectangles.

    ``fixes`` puts the right characters in place of glyphs the text layer misnames (see ``glyphs``).
    """
    spans: list[dict[str, Any]] = []
    images: list[Rect] = []
    for block in page.get_text("rawdict")["blocks"]:
        if block.get("type") == 1:
            images.append(tuple(block["bbox"]))
            continue
        for line in block.get("lines", []):
            for span in line["spans"]:
                if fixes and apply_fixes(span.get("chars", []), fixes):
                    span["text"] = "".join(c["c"] for c in span["chars"])
                spans.extend(_split_at_gaps(span))
    return spans, images


def page_rules(drawings: list[dict[str, Any]]) -> list[Rule]:
    """Thin filled horizontal rectangles (fraction bars, the borders of table rows) and thin stroked
    horizontal lines (the fraction and radical bars of TeX prints, ``stroked``), from a page's
    ``get_drawings()``."""
    rules: list[Rule] = []
    for drawing in drawings:
        if drawing.get("fill") is None:
            if drawing.get("type") == "s" and 0 < (drawing.get("width") or 0) <= 1.6:
                for item in drawing.get("items", []):
                    if (
                        item[0] == "l"
                        and abs(item[1].y - item[2].y) < 0.1
                        and abs(item[2].x - item[1].x) >= 2.0
                    ):
                        x0, x1 = sorted((item[1].x, item[2].x))
                        rules.append(Rule(x0, x1, item[1].y, stroked=True))
            continue
        for item in drawing.get("items", []):
            if item[0] != "re":
                continue
            r = item[1]
            if r.height <= 1.6 and r.width >= 2.0:
                rules.append(Rule(r.x0, r.x1, (r.y0 + r.y1) / 2))
    return rules


def _inside(x: float, y: float, rects: list[Rect]) -> bool:
    return any(r[0] - 1 <= x <= r[2] + 1 and r[1] - 1 <= y <= r[3] + 1 for r in rects)


def _piece(span: dict[str, Any]) -> Piece:
    x0, y0, x1, y1 = span["bbox"]
    font = span["font"]
    return Piece(
        text=bracket_part_text(tex_font_text(span["text"], font)),
        x0=x0,
        x1=x1,
        top=y0,
        bottom=y1,
        baseline=span["origin"][1],
        size=span["size"],
        font=font,
        color=span["color"],
        katex=is_katex_font(font),
        bold=bool(span["flags"] & 16) or _bold_font(font),
    )


@lru_cache(maxsize=1024)
def _bold_font(font: str) -> bool:
    return bool(_BOLD_FONT.search(font))


def _cluster(pieces: list[Piece]) -> list[list[Piece]]:
    rows: list[list[Piece]] = []
    bases: list[float] = []
    for p in sorted(pieces, key=lambda q: (q.baseline, q.x0)):
        if rows and abs(p.baseline - bases[-1]) <= max(2.5, 0.2 * p.size):
            rows[-1].append(p)
        else:
            rows.append([p])
            bases.append(p.baseline)
    return rows


def _attach_scripts(rows: list[list[Piece]], scripts: list[Piece]) -> None:
    # Each row's baseline, size and reach, worked out again only for the row a script joins.
    geometry = [_row_geometry(row) for row in rows]
    for s in scripts:
        best, dist = -1, 1e9
        for i, (base, size, lo, hi) in enumerate(geometry):
            d = abs(s.baseline - base)
            if d <= 0.8 * size and lo <= s.center_x <= hi and d < dist:
                best, dist = i, d
        if best < 0:
            best = next((i for i, row in enumerate(rows) if bracket_script(s, row)), -1)
        if best < 0:
            rows.append([s])
            geometry.append(_row_geometry(rows[-1]))
        else:
            rows[best].append(s)
            geometry[best] = _row_geometry(rows[best])


def _row_geometry(row: list[Piece]) -> tuple[float, float, float, float]:
    """A row's baseline, largest size, and the horizontal reach within which a script joins it."""
    size = max(p.size for p in row)
    return _row_base(row), size, min(p.x0 for p in row) - 25, max(p.x1 for p in row) + 25


def _row_base(row: list[Piece]) -> float:
    size = max(p.size for p in row)
    mains = sorted(p.baseline for p in row if p.size >= 0.8 * size)
    return mains[len(mains) // 2]


def _chunks(ordered: list[Piece]) -> list[tuple[str, list[Piece]]]:
    """Consecutive pieces of one kind: ``katex`` glyphs, a ``math`` run of another print (see
    ``mathzones``), or ``text``."""
    plain = [p for p in ordered if not p.katex]
    zone = dict(zip(map(id, plain), math_runs(plain), strict=True))
    chunks: list[tuple[str, list[Piece]]] = []
    prev_zone = -1
    for p in ordered:
        kind = "katex" if p.katex else ("math" if zone[id(p)] >= 0 else "text")
        same = chunks and chunks[-1][0] == kind and (kind != "math" or zone[id(p)] == prev_zone)
        if same:
            chunks[-1][1].append(p)
        else:
            chunks.append((kind, [p]))
        prev_zone = zone.get(id(p), -1)
    return chunks


def _row(pieces: list[Piece], page: int, note: bool) -> Row | None:
    base = _row_base(pieces)
    ordered = sorted(pieces, key=lambda p: (p.x0, p.baseline))
    chunks = _chunks(ordered)
    out = ""
    prev_x1: float | None = None
    for kind, run in chunks:
        text = f"${row_math_text(run, base)}$" if kind == "katex" else ""
        if kind != "katex":
            for p in run:
                gap = p.x0 - prev_x1 if prev_x1 is not None else 0.0
                if text and gap > 0.2 * p.size and not text.endswith(" ") and not p.text.startswith(" "):
                    text += " "
                text += p.text
                prev_x1 = p.x1
            if kind == "math":
                text = wrap_math(math_symbols(text))
        if text in ("$$", "$ $"):
            continue
        if out and not out.endswith(" ") and not text.startswith((" ", ".", ",", ";", ":", ")")):
            out += " "
        out += text
        prev_x1 = run[-1].x1
    out = clean_text(out)
    if not out.strip():
        return None
    katex_chars = sum(len(p.text.strip()) for p in pieces if p.katex)
    other = [p for p in pieces if not p.katex and p.text.strip()]
    formulas = [p for kind, run in chunks if kind == "math" for p in run]
    math_only = katex_chars > 0 and not other
    if math_only:
        out = out.strip().strip("$").strip()
    sizes: Counter[float] = Counter()  # weighted by characters, keys in order of first sight
    colors: Counter[int] = Counter()
    for p in other or pieces:
        n = len(p.text.strip())
        if n:
            sizes[round(p.size, 1)] += n
            colors[p.color] += n
    raw_latex = any(p.color == KATEX_ERROR_COLOR for p in other)
    lossy = is_lossy_math(out) if katex_chars else bool(_GLYPH_SOUP.search(out))
    lossy = lossy or any("√" in p.text for p in formulas)  # a radical whose bar was not found
    lossy = lossy or any(c in BRACKET_PARTS for c in out)  # a tall bracket whose inside was not read
    lossy = lossy or bool(_MISBUILT.search(out))
    rebuilt = sorted({k for p in pieces for k in p.rebuilt})
    return Row(
        page=page,
        baseline=base,
        top=min(p.top for p in pieces),
        bottom=max(p.bottom for p in pieces),
        x0=min(p.x0 for p in pieces),
        x1=max(p.x1 for p in pieces),
        text=out,
        size=sizes.most_common(1)[0][0] if sizes else pieces[0].size,
        bold=all(p.bold for p in other) if other else False,
        color=colors.most_common(1)[0][0] if colors else 0,
        has_math=katex_chars > 0,
        formula=bool(formulas),
        math_only=math_only,
        note=note,
        raw_latex=raw_latex,
        lossy=lossy,
        meta={"math_rebuilt": rebuilt} if rebuilt else {},
        pieces=list(pieces),
    )


def build_row(pieces: list[Piece], page: int) -> Row | None:
    """One row of the chat built from ``pieces`` (a part of a row cut in two), or None when they hold
    no text."""
    return _row(pieces, page, note=False) if pieces else None


def _table_row(pieces: list[Piece], page: int, grids: list[Grid]) -> Row | None:
    """The row as tab-separated cells when it lies in a ruled table (see ``tables``), else None."""
    if not grids:
        return None
    cells = table_cells(pieces, _row_base(pieces), grids)
    if cells is None:
        return None
    texts = []
    for cell in cells:
        row = _row(cell, page, note=False) if cell else None
        text = "" if row is None else (f"${row.text}$" if row.math_only else row.text)
        texts.append(text.replace("\t", " ").strip())
    whole = _row(pieces, page, note=False)
    if whole is None:
        return None
    whole.text = "\t".join(texts).rstrip("\t")  # a leading tab (empty first cell) is kept
    whole.math_only = False
    whole.meta["table"] = True
    return whole


def page_rows(
    spans: list[dict[str, Any]],
    rules: list[Rule],
    page: int,
    exclude: list[Rect],
    notes: set[str],
    invisible_notes: bool = False,
) -> list[Row]:
    """Rows of one page in reading order (top to bottom), outside the ``exclude`` rectangles.

    ``notes``: font families of the student's typed notes; ``invisible_notes``: invisible text (the
    recognised text a tablet lays over handwriting) is the student's note too.
    """
    normal: list[Piece] = []
    noted: list[Piece] = []
    for span in spans:
        if not clean_text(span["text"]).strip() or span["size"] < 2:
            continue
        x0, y0, x1, y1 = span["bbox"]
        if _inside((x0 + x1) / 2, (y0 + y1) / 2, exclude):
            continue
        piece = _piece(span)
        is_note = family(span["font"]) in notes and saturated(span["color"])
        is_note = is_note or (invisible_notes and span.get("alpha", 255) == 0)
        (noted if is_note else normal).append(piece)
    grids = table_grids([r for r in rules if not r.stroked])
    borders = {r.y for g in grids for r in rules if any(abs(r.y - y) <= 1.0 for y in g.rules)}
    bars = [r for r in rules if r.x1 - r.x0 <= 300 and r.y not in borders]
    normal, _ = attach_accents(normal)
    folded, _ = fold_rules(normal, bars)
    folded = hang_extension_glyphs(folded)
    folded, _ = bracket_matrices(folded)
    folded, _ = system_braces(folded)
    folded, _ = cases_braces(folded)
    folded, _ = attach_scripts(folded)
    mains, scripts = script_pieces(folded)
    groups = _cluster(mains)
    _attach_scripts(groups, scripts)
    rows = [r for g in groups if (r := _table_row(g, page, grids) or _row(g, page, note=False))]
    rows += [r for g in _cluster(noted) if (r := _row(g, page, note=True))]
    rows.sort(key=lambda r: (r.baseline, r.x0))
    rows = _rebuild_stacks(rows, page)
    _mark_stacks(rows)
    return rows


def _rebuild_stacks(rows: list[Row], page: int) -> list[Row]:
    """Stacks of math rows (matrices, vectors, operator limits) read back as one row each."""
    chat = [r for r in rows if not r.note]
    for stack in math_stacks(chat):  # type: ignore[arg-type]
        if not all(p.katex for row in stack for p in row.pieces if p.text.strip()):
            continue  # other prints' stacks were read from geometry already: what is left stays lossy
        rebuilt = rebuild_stack(stack, lambda pieces: _row(pieces, page, note=False))  # type: ignore[arg-type]
        if rebuilt is None:
            continue
        first = rows.index(stack[0])  # type: ignore[arg-type]
        rows = [r for r in rows if not any(r is s for s in stack)]
        rows.insert(first, rebuilt)  # type: ignore[arg-type]
    return rows


def _mark_stacks(rows: list[Row]) -> None:
    """Math rows stacked closer than a line apart are a layout the rows cannot express: lossy."""
    maths = [r for r in rows if r.math_only]
    for a, b in zip(maths, maths[1:], strict=False):
        if b.baseline - a.baseline < 1.2 * max(a.size, b.size) and min(a.x1, b.x1) > max(a.x0, b.x0):
            a.lossy = b.lossy = True
    # A formula of another print with any row closer than a line height (the rows of a cases brace,
    # a stack the geometry did not rebuild): what it says depends on the rows it was cut from.
    formulas = [r for r in rows if r.formula and not r.note]
    for a in formulas:
        for b in rows:
            if b is a or b.note or abs(b.baseline - a.baseline) >= 0.95 * max(a.size, b.size):
                continue
            if min(a.x1, b.x1) > max(a.x0, b.x0):
                a.lossy = b.lossy = True
