"""Piecewise definitions (``\\begin{cases}``) of TeX prints read back from the brace and the rows beside it.

A TeX print draws a cases brace either as one big glyph (``{`` of a large variant, whose text-layer box
is only a line high but whose baseline sits half-way down the rows) or as parts stacked in a column
(``⎧ ⎨ ⎩``). The cases themselves are rows of their own right of the brace, one baseline each, each row
"value if condition", "value, condition", "value otherwise" or two columns set apart. Without this
module the brace stays in the text and the rows are cut from their formula, so the row is lossy.

:func:`cases_braces` folds a brace and its rows into one piece
``\\begin{cases} v_1 & c_1 \\\\ v_2 & c_2 \\end{cases}``, only when every glyph run of the rows is a
value or a condition; otherwise nothing is folded and the rows stay lossy.
"""

from __future__ import annotations

import re
from dataclasses import replace

from grader.transcripts.pdf.brackets import bracket_columns
from grader.transcripts.pdf.katex import Piece, row_math_text
from grader.transcripts.pdf.mathglyphs import BRACKET_PARTS, is_bracket_part
from grader.transcripts.pdf.mathzones import is_math_font

_CONDITION_WORD = re.compile(r"^\s*(if|when|for)\b\s*", re.IGNORECASE)
_OTHERWISE = re.compile(r"^\s*(otherwise|else)\s*[.,]?\s*$", re.IGNORECASE)
_WORDS = re.compile(r"[A-Za-z]{2,}")
_MAX_GAP = 1.9
"""Rows of one brace lie at most this many font sizes apart (TeX sets them about 1.4 apart)."""


def _lines(pieces: list[Piece], size: float) -> list[list[Piece]]:
    """The pieces grouped by baseline (smaller runs, scripts, join the nearest line), top to bottom."""
    lines: list[list[Piece]] = []
    for p in sorted((p for p in pieces if p.size >= 0.8 * size), key=lambda q: q.baseline):
        if lines and abs(p.baseline - lines[-1][0].baseline) <= 0.3 * size:
            lines[-1].append(p)
        else:
            lines.append([p])
    for p in pieces:
        if p.size < 0.8 * size and lines:
            min(lines, key=lambda ln: abs(ln[0].baseline - p.baseline)).append(p)
    return [sorted(ln, key=lambda q: q.x0) for ln in lines]


def _base(line: list[Piece]) -> float:
    return line[0].baseline


def _glyph_brace_rows(brace: Piece, right: list[list[Piece]], size: float) -> list[list[Piece]] | None:
    """The rows of a one-glyph brace: as many lines above its baseline as below (one more on it when
    their number is odd), evenly spaced and starting at the brace; None when they are not."""
    b = brace.baseline
    above = [ln for ln in right if _base(ln) < b - 0.3 * size][::-1]
    below = [ln for ln in right if _base(ln) > b + 0.3 * size]
    middle = [ln for ln in right if abs(_base(ln) - b) <= 0.3 * size]
    best: list[list[Piece]] | None = None
    for k in range(1, min(len(above), len(below)) + 1):
        rows = [*above[:k][::-1], *middle, *below[:k]]
        bases = [_base(ln) for ln in rows]
        gaps = [y - x for x, y in zip(bases, bases[1:], strict=False)]
        if max(gaps) > _MAX_GAP * size or max(gaps) - min(gaps) > 0.35 * size:
            break
        if abs((bases[0] + bases[-1]) / 2 - b) > 0.4 * size:
            break
        best = rows
    return best


def _starts_at(line: list[Piece], x: float, size: float) -> bool:
    return -0.3 * size <= line[0].x0 - x <= 1.2 * size


def _split(
    line: list[Piece], column: float | None, size: float
) -> tuple[list[Piece], list[Piece] | None] | None:
    """A row's value and condition pieces (condition None for "otherwise"), or None when the row has
    no condition it can be told from."""
    for k, p in enumerate(line[1:], start=1):
        text = p.text.strip()
        if _OTHERWISE.match(text) and k == len(line) - 1:
            return line[:k], None
        m = _CONDITION_WORD.match(text)
        if m:
            rest = text[m.end() :]
            cond = ([replace(p, text=rest)] if rest else []) + line[k + 1 :]
            return (line[:k], cond) if cond else None
    for k, p in enumerate(line[:-1]):
        if p.text.rstrip().endswith(","):
            value = [*line[:k], replace(p, text=p.text.rstrip()[:-1])]
            return value, line[k + 1 :]
    if column is not None:
        at = next((i for i, p in enumerate(line) if p.x0 >= column - 0.5 * size), None)
        if at is not None and at > 0:
            after = line[at:]
            if len(after) == 1 and _OTHERWISE.match(after[0].text.strip()):
                return line[:at], None
            return line[:at], after
    return None


def _column(lines: list[list[Piece]], size: float) -> float | None:
    """The left edge of a second column every row has: a run after a gap of a font size or more,
    starting at the same place in every row."""
    starts = []
    for line in lines:
        gaps = [q.x0 for p, q in zip(line, line[1:], strict=False) if q.x0 - p.x1 >= 1.0 * size]
        if not gaps:
            return None
        starts.append(gaps[0])
    return starts[0] if max(starts) - min(starts) <= 0.5 * size else None


def _cell(pieces: list[Piece], base: float) -> str | None:
    """The LaTeX of one cell, or None when it cannot be read cleanly (words, bracket parts, radicals)."""
    pieces = [p for p in pieces if p.text.strip()]
    if not pieces:
        return None
    text = row_math_text(pieces, base).strip()
    if not text or any(c in BRACKET_PARTS or c == "√" for c in "".join(p.text for p in pieces)):
        return None
    if any(not (p.katex or is_math_font(p.font)) and _WORDS.search(p.text) for p in pieces):
        return None  # prose in a cell: not read as math here
    return text


def _fold(
    brace_pieces: list[Piece], lead: Piece | None, rows: list[list[Piece]], size: float
) -> Piece | None:
    """The ``cases`` piece of ``rows``, or None when a row is not clean."""
    column = _column(rows, size)
    out = []
    for line in rows:
        split = _split(line, column, size)
        if split is None:
            return None
        value, cond = split
        v = _cell(value, _base(line))
        c = "\\text{otherwise}" if cond is None else _cell(cond, _base(line))
        if v is None or c is None:
            return None
        out.append(f"{v} & {c}")
    cells = [p for ln in rows for p in ln]
    latex = "\\begin{cases} " + " \\\\ ".join(out) + " \\end{cases}"
    anchor = max(brace_pieces, key=lambda p: p.x1)
    first = min(cells, key=lambda p: p.x0)
    return replace(
        first,
        text=latex,
        x0=anchor.x1 if lead is not None else min(p.x0 for p in brace_pieces),
        x1=max(p.x1 for p in cells),
        top=min(p.top for p in [*brace_pieces, *cells]),
        bottom=max(p.bottom for p in [*brace_pieces, *cells]),
        baseline=lead.baseline if lead is not None else _base(rows[len(rows) // 2]),
        size=size,
        rebuilt=tuple(sorted({"cases", *(k for p in cells for k in p.rebuilt)})),
    )


def _right_lines(
    pieces: list[Piece], x: float, top: float, bottom: float, size: float, skip: set[int]
) -> list[list[Piece]]:
    near = [
        p
        for p in pieces
        if id(p) not in skip and p.text.strip() and p.x0 >= x - 0.3 * size and top <= p.baseline <= bottom
    ]
    return _lines(near, size)


def cases_braces(pieces: list[Piece]) -> tuple[list[Piece], int]:
    """Fold each cases brace of a print other than KaTeX's, with its rows, into one
    ``\\begin{cases}..\\end{cases}`` piece. Returns the new pieces and the number folded; a brace whose
    rows are not all "value, condition" is left as it is (the row stays lossy)."""
    current = list(pieces)
    done = 0
    glyphs = [
        p
        for p in current
        if not p.katex and p.text.rstrip().endswith("{") and not p.text.rstrip().endswith("\\{")
    ]
    for brace in glyphs:
        if not any(p is brace for p in current):
            continue  # read already, as a row of an outer brace
        size = brace.size
        x = brace.x1
        span = (_MAX_GAP * 4 + 0.5) * size
        right = _right_lines(current, x, brace.baseline - span, brace.baseline + span, size, {id(brace)})
        right = [ln for ln in right if _starts_at(ln, x, size)]
        rows = _glyph_brace_rows(brace, right, size)
        if rows is None or len(rows) < 2:
            continue
        head = brace.text.rstrip()[:-1]
        lead = replace(brace, text=head) if head.strip() else None
        folded = _fold([brace], lead or brace, rows, size)
        if folded is None:
            continue
        taken = {id(brace), *(id(p) for ln in rows for p in ln)}
        current = [p for p in current if id(p) not in taken] + ([lead] if lead else []) + [folded]
        done += 1
    current, n = _part_braces(current)
    return current, done + n


def _part_braces(pieces: list[Piece]) -> tuple[list[Piece], int]:
    """Braces drawn from parts (``⎧ ⎨ ⎩``, one column) with rows beside them, after something
    (``f(x) =``): the rows lie within the column's height."""
    current = list(pieces)
    done = 0
    for col in bracket_columns([p for p in current if not p.katex and is_bracket_part(p)]):
        if not all(ch in "⎧⎨⎩⎪" for p in col for ch in p.text.strip()) or not any("⎨" in p.text for p in col):
            continue
        size = max(p.size for p in col)
        top, bottom = min(p.top for p in col), max(p.bottom for p in col)
        x = max(p.x1 for p in col)
        right = _right_lines(current, x, top, bottom + 0.3 * size, size, {id(p) for p in col})
        if len(right) < 2 or not all(_starts_at(ln, x, size) for ln in right):
            continue
        if any(is_bracket_part(p) for ln in right for p in ln):
            continue  # a closing brace or a nested bracket: a set or a matrix, not cases
        bases = [_base(ln) for ln in right]
        gaps = [y - x0 for x0, y in zip(bases, bases[1:], strict=False)]
        if max(gaps) > _MAX_GAP * size:
            continue
        folded = _fold(col, None, right, size)
        if folded is None:
            continue
        mid = (top + bottom) / 2
        before = [
            p for p in current if p.x1 <= min(q.x0 for q in col) + 0.1 * size and p.top <= mid <= p.bottom
        ]
        if before:
            folded = replace(folded, baseline=max(before, key=lambda p: p.x1).baseline)
        taken = {*(id(p) for p in col), *(id(p) for ln in right for p in ln)}
        current = [p for p in current if id(p) not in taken] + [folded]
        done += 1
    return current, done
