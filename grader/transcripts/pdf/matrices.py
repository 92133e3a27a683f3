"""Rebuild what KaTeX stacks over several baselines: column vectors, matrices and operator limits.

A matrix's entries sit on their own baselines, so the row builder sees a stack of short math rows
("1" / "θ = 1/1.0101 0.1" / "0.01") that no parser can read. Here a stack is read back by its
columns: glyph runs of different rows whose horizontal extents overlap form one column, and the
runs that only the main row has ("θ =", the fraction before the vector) stay outside. A column
under and over a big operator (∑, ∏, lim...) is that operator's limits.

Prints other than KaTeX's draw a tall bracket from parts (``⎡ ⎢ ⎣``): ``brackets.bracket_matrices``
reads the glyph runs between a left and a right bracket column as the matrix's cells, by the same
columns (:func:`column_zones`, :func:`cell_text`).

Only clean layouts are rebuilt; a stack whose side rows hold relations (an aligned derivation) or
runs outside every column is left alone, and the reader keeps marking it lossy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from grader.transcripts.pdf.katex import Piece, row_math_text
from grader.transcripts.pdf.mathglyphs import is_bracket_part

RELATION = re.compile(r"=|≈|<|>|≤|≥|⇒|→|⟹|≠")
_BIG_OPS = ("∑", "∏", "∫", "⋃", "⋂", "lim", "max", "min", "sup", "inf")
_DELIMS = set("()[]{}|‖∣")


class StackRow(Protocol):
    """What this module needs of a layout row."""

    baseline: float
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    math_only: bool
    pieces: list[Piece]


Zone = tuple[float, float, list[tuple[Piece, int]]]


def math_stacks(rows: list[StackRow]) -> list[list[StackRow]]:
    """Runs of two or more math-only rows that touch vertically and overlap horizontally."""
    out: list[list[StackRow]] = []
    run: list[StackRow] = []
    for row in rows:
        prev = run[-1] if run else None
        touching = (
            prev is not None
            and row.math_only
            and row.top - prev.bottom < 0.35 * max(row.size, prev.size)
            and min(row.x1, prev.x1) > max(row.x0, prev.x0)
        )
        if touching:
            run.append(row)
            continue
        if len(run) >= 2:
            out.append(run)
        run = [row] if row.math_only else []
    if len(run) >= 2:
        out.append(run)
    return out


def column_zones(stack: list[StackRow]) -> list[Zone]:
    """Horizontal zones of overlapping glyph runs across the stack's rows, left to right."""
    items = sorted(
        ((p, i) for i, r in enumerate(stack) for p in r.pieces if p.text.strip()), key=lambda t: t[0].x0
    )
    zones: list[Zone] = []
    for piece, i in items:
        if zones and piece.x0 < zones[-1][1] - 0.5:
            x0, x1, members = zones[-1]
            zones[-1] = (x0, max(x1, piece.x1), [*members, (piece, i)])
        else:
            zones.append((piece.x0, piece.x1, [(piece, i)]))
    return zones


def _rows_of(zone: Zone) -> set[int]:
    return {i for _, i in zone[2]}


def cell_text(members: list[tuple[Piece, int]], row: int, stack: list[StackRow]) -> str:
    pieces = [p for p, i in members if i == row]
    return row_math_text(pieces, stack[row].baseline) if pieces else ""


def _main_row(stack: list[StackRow], zones: list[Zone]) -> int:
    """The row the formula stands on: the one with glyphs outside the columns, else the middle one."""
    outside: dict[int, int] = {}
    for zone in zones:
        rows = _rows_of(zone)
        if len(rows) == 1:
            (i,) = rows
            outside[i] = outside.get(i, 0) + sum(len(p.text.strip()) for p, _ in zone[2])
    return max(outside, key=lambda i: outside[i]) if outside else len(stack) // 2


def _operator(zone: Zone, main: int, stack: list[StackRow]) -> str | None:
    """``\\sum_{low}^{up}`` when the zone is a big operator with limits, else None."""
    op = cell_text(zone[2], main, stack)
    if not op or not op.startswith(_BIG_OPS):
        return None
    low = " ".join(t for i in range(main + 1, len(stack)) if (t := cell_text(zone[2], i, stack)))
    up = " ".join(t for i in range(main) if (t := cell_text(zone[2], i, stack)))
    return op + (f"_{{{low}}}" if low else "") + (f"^{{{up}}}" if up else "")


def _matrix(columns: list[Zone], stack: list[StackRow]) -> str | None:
    """``\\begin{bmatrix}..\\end{bmatrix}`` of adjacent column zones, or None for an aligned layout."""
    rows = sorted(set().union(*(_rows_of(c) for c in columns)))
    size = max(p.size for c in columns for p, _ in c[2])
    if any(p.size < 0.8 * size for c in columns for p, _ in c[2]):
        return None  # a script under a fraction or a symbol, not an entry of a matrix
    lines = []
    for r in rows:
        cells = [cell_text(c[2], r, stack) for c in columns]
        if any(RELATION.search(cell) for cell in cells):
            return None  # "= b" under "a = c": an aligned derivation, not a matrix
        lines.append(" & ".join(cells))
    return "\\begin{bmatrix} " + " \\\\ ".join(lines) + " \\end{bmatrix}"


def rebuild_stack(
    stack: list[StackRow], make_row: Callable[[list[Piece]], StackRow | None]
) -> StackRow | None:
    """One row for a stack of math rows (matrices and limits rebuilt), or None to leave it alone."""
    zones = column_zones(stack)
    if any(is_bracket_part(p) for z in zones for p, _ in z[2]):
        return None  # a tall bracket drawn from parts: ``bracket_matrices`` reads those, or none does
    main = _main_row(stack, zones)
    if any(len(_rows_of(z)) == 1 and _rows_of(z) != {main} and not _is_delim(z) for z in zones):
        return None  # glyphs outside every column on a side row: not a layout read here
    base = stack[main]
    pieces: list[Piece] = []
    group: list[Zone] = []

    def flush() -> bool:
        if not group:
            return True
        latex = _matrix(group, stack)
        if latex is None:
            return False
        pieces.append(_synthetic(latex, group, base))
        group.clear()
        return True

    ops = [_operator(z, main, stack) if len(_rows_of(z)) > 1 else None for z in zones]
    column = [len(_rows_of(z)) > 1 and op is None for z, op in zip(zones, ops, strict=True)]
    for n, zone in enumerate(zones):
        if len(_rows_of(zone)) == 1:
            beside = [column[k] for k in (n - 1, n + 1) if 0 <= k < len(zones)]
            if _is_delim(zone) and any(beside):
                continue  # the bracket drawn around a matrix: \begin{bmatrix} says it
            if not flush():
                return None
            pieces += [p for p, _ in zone[2]]
            continue
        op = ops[n]
        if op is not None:
            if not flush():
                return None
            pieces.append(_synthetic(op, [zone], base))
            continue
        group.append(zone)
    if not flush() or not pieces:
        return None
    return make_row(pieces)


def _is_delim(zone: Zone) -> bool:
    return all(p.text.strip() and set(p.text.strip()) <= _DELIMS for p, _ in zone[2])


def _synthetic(latex: str, zones: list[Zone], base: StackRow) -> Piece:
    members = [p for z in zones for p, _ in z[2]]
    first = min(members, key=lambda p: p.x0)
    return replace(
        first,
        text=latex,
        x0=min(z[0] for z in zones),
        x1=max(z[1] for z in zones),
        top=min(p.top for p in members),
        bottom=max(p.bottom for p in members),
        baseline=base.baseline,
        size=max(base.size, first.size),
        katex=True,
    )
