"""Tall brackets drawn from parts (``⎡ ⎢ ⎣``, TeX's private-use codes for them): matrices and systems.

A TeX or browser print draws a tall bracket as a column of parts; its entries sit between a left and a
right column, one baseline per row. :func:`bracket_matrices` reads them back by the columns the entries
form (``matrices.column_zones``), written as ``matrices`` writes the KaTeX stacks it rebuilds. A left brace
opening a display with nothing before it is a system of equations (:func:`system_braces`): its rows read
as they stand. A bracket whose inside is not a clean grid is left alone, and its parts keep the row lossy.
"""

from __future__ import annotations

from dataclasses import replace

from grader.transcripts.pdf.katex import Piece
from grader.transcripts.pdf.mathglyphs import LEFT_PARTS, RIGHT_PARTS, is_bracket_part
from grader.transcripts.pdf.matrices import RELATION, cell_text, column_zones


def bracket_columns(parts: list[Piece]) -> list[list[Piece]]:
    """Delimiter parts stacked into columns: same left edge, each part just under the last."""
    columns: list[list[Piece]] = []
    for p in sorted(parts, key=lambda q: (q.top, q.x0)):
        col = next(
            (
                c
                for c in columns
                if abs(c[-1].x0 - p.x0) <= 0.3 * p.size and p.top - c[-1].bottom <= 1.5 * p.size
            ),
            None,
        )
        if col is None:
            columns.append([p])
        else:
            col.append(p)
    return columns


def _rows_of_cells(cells: list[Piece]) -> list[list[Piece]]:
    """The cells' pieces grouped by line (scripts set smaller join the line they are nearest)."""
    big = max(p.size for p in cells)
    lines: list[list[Piece]] = []
    for p in sorted((p for p in cells if p.size >= 0.8 * big), key=lambda q: q.baseline):
        if lines and abs(p.baseline - lines[-1][0].baseline) <= 0.3 * big:
            lines[-1].append(p)
        else:
            lines.append([p])
    for p in cells:
        if p.size < 0.8 * big:
            min(lines, key=lambda ln: abs(ln[0].baseline - p.baseline)).append(p)
    return lines


def _cells_latex(cells: list[Piece]) -> str | None:
    lines = _rows_of_cells(cells)
    stack = [_CellRow(ln[0].baseline, min(p.top for p in ln), max(p.bottom for p in ln), ln) for ln in lines]
    zones = column_zones(stack)  # type: ignore[arg-type]
    if not zones or any(not p.text.strip() for z in zones for p, _ in z[2]):
        return None
    out = []
    for i in range(len(stack)):
        row = [cell_text(z[2], i, stack) for z in zones]  # type: ignore[arg-type]
        if not all(row):
            return None  # a ragged grid (brackets nested in brackets, a misread row): not read
        if any(RELATION.search(c) for c in row):
            return None  # an aligned system in braces, not a matrix
        out.append(" & ".join(row))
    return "\\begin{bmatrix} " + " \\\\ ".join(out) + " \\end{bmatrix}"


class _CellRow:
    """A line of a matrix's cells, with what :func:`_zones` and :func:`_text` read of a row."""

    def __init__(self, baseline: float, top: float, bottom: float, pieces: list[Piece]) -> None:
        self.baseline, self.top, self.bottom, self.pieces = baseline, top, bottom, pieces


def bracket_matrices(pieces: list[Piece]) -> tuple[list[Piece], int]:
    """Fold each pair of tall bracket columns drawn from parts, with the runs between them, into one
    ``\\begin{bmatrix}..\\end{bmatrix}`` piece. Returns the new pieces and the number folded; a
    pair whose inside is not a clean grid is left as it is (its parts keep the row lossy)."""
    parts = [p for p in pieces if not p.katex and is_bracket_part(p)]
    if not parts:
        return pieces, 0
    columns = bracket_columns(parts)
    lefts = [c for c in columns if all(ch in LEFT_PARTS or ch == "⎪" for p in c for ch in p.text.strip())]
    rights = [c for c in columns if all(ch in RIGHT_PARTS or ch == "⎪" for p in c for ch in p.text.strip())]
    current = list(pieces)
    done = 0
    for left in sorted(lefts, key=lambda c: -c[0].x0):  # innermost first
        size = max(p.size for p in left)
        top, bottom = min(p.top for p in left), max(p.bottom for p in left) + 0.8 * size
        x_in = max(p.x1 for p in left)
        right = min(
            (
                c
                for c in rights
                if c[0].x0 > x_in
                and abs(min(p.top for p in c) - top) <= 0.5 * size
                and all(id(p) in {id(q) for q in current} for p in c)
            ),
            key=lambda c: c[0].x0,
            default=None,
        )
        if right is None:
            continue
        x_out = min(p.x0 for p in right)
        cells = [
            p
            for p in current
            if p.text.strip()
            and not is_bracket_part(p)
            and x_in - 0.1 * size <= p.center_x <= x_out + 0.1 * size
            and top <= (p.top + p.bottom) / 2 <= bottom
        ]
        if not cells or any(p.x0 < x_in - 0.3 * size or p.x1 > x_out + 0.3 * size for p in cells):
            continue
        latex = _cells_latex(cells)
        if latex is None:
            continue
        taken = {id(p) for p in [*left, *right, *cells]}
        mid = (top + bottom - 0.8 * size) / 2
        beside = [
            p
            for p in current
            if id(p) not in taken
            and p.text.strip()
            and p.top <= mid <= p.bottom
            and p.x1 <= x_in + 0.3 * size
        ]
        near = max(beside, key=lambda p: p.x1, default=None)
        lines = _rows_of_cells(cells)
        baseline = near.baseline if near is not None else lines[len(lines) // 2][0].baseline
        cell_size = max(p.size for p in cells)
        matrix = replace(
            min(cells, key=lambda p: p.x0),
            text=latex,
            x0=min(p.x0 for p in left),
            x1=max(p.x1 for p in right),
            top=top,
            bottom=max(p.bottom for p in [*right, *cells]),
            baseline=baseline,
            size=near.size if near is not None else cell_size,
            rebuilt=tuple(sorted({"matrix", *(k for p in cells for k in p.rebuilt)})),
        )
        current = [p for p in current if id(p) not in taken] + [matrix]
        done += 1
    return current, done


def system_braces(pieces: list[Piece]) -> tuple[list[Piece], int]:
    """Drop a tall left brace drawn from parts that opens a display with nothing before it: a system
    of equations, whose rows read as they stand. A brace after ``f(x) =`` (cases) is kept, and keeps
    its rows lossy. Returns the new pieces and the number of braces dropped."""
    parts = [p for p in pieces if not p.katex and is_bracket_part(p)]
    columns = bracket_columns(parts)
    braces = [c for c in columns if all(ch in "⎧⎨⎩⎪" for p in c for ch in p.text.strip())]
    closing = [c for c in columns if all(ch in "⎫⎬⎭⎪" for p in c for ch in p.text.strip())]
    dropped: set[int] = set()
    count = 0
    for brace in braces:
        if not any("⎨" in p.text for p in brace):
            continue  # the middle piece says it is a brace, not a bar of its own
        size = max(p.size for p in brace)
        top, bottom = min(p.top for p in brace), max(p.bottom for p in brace)
        x0 = min(p.x0 for p in brace)
        if any(c[0].x0 > x0 and abs(min(p.top for p in c) - top) <= 0.5 * size for c in closing):
            continue  # a set {..}: its inside is read by bracket_matrices or stays lossy
        before = [
            p
            for p in pieces
            if p.text.strip()
            and not is_bracket_part(p)
            and p.x1 <= x0 + 0.1 * size
            and p.x1 >= x0 - 3 * size
            and top <= (p.top + p.bottom) / 2 <= bottom + 0.8 * size
        ]
        if not before:
            dropped.update(id(p) for p in brace)
            count += 1
    if not dropped:
        return pieces, 0
    return [p for p in pieces if id(p) not in dropped], count
