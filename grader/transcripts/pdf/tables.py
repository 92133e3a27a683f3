"""Tables drawn with ruled grids: their rows are read cell by cell (tab-separated), not as prose.

Exporters draw a table's row borders as thin filled rectangles, one per cell, laid end to end on
the same baseline. Those segments give the column boundaries; a visual row inside the grid whose
glyph runs each stay within one column is a table row. Without this, "Parameter Server 2n p" reads
as one sentence and no cell can be told from another.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from grader.transcripts.pdf.katex import Piece, Rule

_JOIN = 2.5  # how far apart two segments of one ruled line may be (points)


@dataclass(frozen=True)
class Grid:
    """A ruled table on one page: its column boundaries and the baselines of its rules."""

    columns: tuple[float, ...]
    rules: tuple[float, ...]

    @property
    def pitch(self) -> float:
        """The distance between two row rules (a row's height)."""
        gaps = [b - a for a, b in zip(self.rules, self.rules[1:], strict=False) if b - a > 4]
        return median(gaps) if gaps else 30.0

    def column_of(self, piece: Piece) -> int | None:
        """The column a glyph run lies in, or None when it crosses a boundary or lies outside."""
        for i, (left, right) in enumerate(zip(self.columns, self.columns[1:], strict=False)):
            if left - _JOIN <= piece.x0 and piece.x1 <= right + _JOIN:
                return i
        return None


def table_grids(rules: list[Rule]) -> list[Grid]:
    """Grids made by ruled lines of two or more adjacent segments that share their boundaries.

    >>> segs = [Rule(49, 172, 160), Rule(172, 381, 160), Rule(49, 172, 190), Rule(172, 381, 190)]
    >>> table_grids(segs)
    [Grid(columns=(49, 172, 381), rules=(160, 190))]
    """
    lines: dict[tuple[float, ...], list[float]] = {}
    by_y: list[list[Rule]] = []
    for rule in sorted(rules, key=lambda r: (r.y, r.x0)):
        if by_y and abs(rule.y - by_y[-1][0].y) <= 1.0:
            by_y[-1].append(rule)
        else:
            by_y.append([rule])
    for segs in by_y:
        segs = sorted(segs, key=lambda r: r.x0)
        columns = _columns(segs)
        if columns is None:
            continue
        key = next((k for k in lines if _same_columns(k, columns)), columns)
        if not lines.get(key) or abs(lines[key][-1] - segs[0].y) > 1.0:
            lines.setdefault(key, []).append(segs[0].y)
    return [Grid(columns=k, rules=tuple(ys)) for k, ys in lines.items()]


def _columns(segs: list[Rule]) -> tuple[float, ...] | None:
    """Column boundaries of one ruled line, or None when it is not a row of adjacent cell borders."""
    chain = [segs[0]]
    for seg in segs[1:]:
        if abs(seg.x0 - chain[-1].x1) <= _JOIN:
            chain.append(seg)
        elif seg.x0 < chain[-1].x1:  # the same border drawn twice (two colours on one line)
            continue
        else:
            break
    if len(chain) < 2:
        return None
    return tuple([s.x0 for s in chain] + [chain[-1].x1])


def _same_columns(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= _JOIN for x, y in zip(a, b, strict=True))


def table_cells(pieces: list[Piece], baseline: float, grids: list[Grid]) -> list[list[Piece]] | None:
    """The pieces of one visual row split into the cells of the grid it lies in, or None.

    A row lies in a grid when its baseline is between the first rule (less a row's height) and the
    last rule (plus a row's height), every glyph run keeps within one column, and, outside the
    rules, it fills at least two columns (a caption or paragraph next to a table does not).
    """
    for grid in grids:
        first, last, pitch = grid.rules[0], grid.rules[-1], grid.pitch
        if not first - pitch <= baseline <= last + pitch:
            continue
        columns = [grid.column_of(p) for p in pieces]
        if any(c is None for c in columns):
            continue
        used = {c for c in columns if c is not None}
        if not first <= baseline <= last and len(used) < 2:
            continue
        cells: list[list[Piece]] = [[] for _ in grid.columns[1:]]
        for piece, col in zip(pieces, columns, strict=True):
            cells[col].append(piece)  # type: ignore[index]
        return cells
    return None
