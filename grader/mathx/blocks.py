"""Block matrices: the sizes of the row and column blocks of ``\\begin{bmatrix} X \\\\ \\sqrt{\\lambda} I
\\end{bmatrix}``, shared by numeric evaluation and shape inference so that both read a block alike.

Each entry is a :class:`Cell`: a block of known size (a matrix, a vector, a scalar as 1×1), or one whose
size its neighbours imply, as mathematicians write it: a ``0`` (a zero block: height from its row,
width from its column) or an ``I`` (an identity: square, so its row's height is its column's width).
A block's height must agree with every other block in its row, its width with every other block in its
column; a conflict is a :class:`BlockSizeError` naming the row or column, never a value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from grader.errors import MathParseError

D = TypeVar("D")


class BlockSizeError(MathParseError):
    """The blocks of a block matrix do not fit (two heights in one row, two widths in one column)."""


@dataclass(frozen=True, slots=True)
class Cell(Generic[D]):
    """One entry of a block matrix: its height and width (None where its neighbours decide), and
    ``square`` for an identity block, whose height and width are one size."""

    rows: D | None
    cols: D | None
    square: bool = False


@dataclass
class Sizes(Generic[D]):
    """The height of each row of blocks and the width of each column of blocks (None: not implied)."""

    heights: list[D | None]
    widths: list[D | None]

    @property
    def complete(self) -> bool:
        """True when every row height and column width is known."""
        return None not in self.heights and None not in self.widths


def _merge(current: D | None, new: D, same: Callable[[D, D], bool], what: str) -> tuple[D, bool]:
    if current is None:
        return new, True
    if not same(current, new):
        raise BlockSizeError(f"{what}: blocks of sizes {current} and {new} do not fit")
    return current, False


def _propagate(grid: Sequence[Sequence[Cell[D]]], sizes: Sizes[D], same: Callable[[D, D], bool]) -> None:
    changed = True
    while changed:
        changed = False
        for i, row in enumerate(grid):
            for j, cell in enumerate(row):
                for value, target, k, what in (
                    (cell.rows, sizes.heights, i, f"block row {i + 1}"),
                    (cell.cols, sizes.widths, j, f"block column {j + 1}"),
                ):
                    if value is not None:
                        target[k], moved = _merge(target[k], value, same, what)
                        changed |= moved
                if not cell.square:
                    continue
                h, w = sizes.heights[i], sizes.widths[j]
                if h is not None and w is None:
                    sizes.widths[j], changed = h, True
                elif w is not None and h is None:
                    sizes.heights[i], changed = w, True
                elif h is not None and w is not None and not same(h, w):
                    raise BlockSizeError(
                        f"the identity block in row {i + 1}, column {j + 1} would be {h}×{w}, not square"
                    )


def _fill_total(sizes: list[int | None], total: int | None, what: str) -> bool:
    """Give the one unknown size what the total leaves; True when it filled one."""
    if total is None or sizes.count(None) != 1:
        return False
    rest = total - sum(s for s in sizes if s is not None)
    if rest < 1:
        raise BlockSizeError(f"the {what} of the blocks exceed the {total} the expression needs")
    sizes[sizes.index(None)] = rest
    return True


def solve(grid: Sequence[Sequence[Cell[D]]], same: Callable[[D, D], bool]) -> Sizes[D]:
    """The row heights and column widths the cells imply; unknown ones stay None.

    Raises BlockSizeError when two blocks in a row differ in height, two in a column differ in width,
    or an identity block would not be square.

    Example:
        >>> solve([[Cell(5, 3)], [Cell(None, None, square=True)]], int.__eq__).heights
        [5, 3]
    """
    sizes: Sizes[D] = Sizes([None] * len(grid), [None] * len(grid[0]))
    _propagate(grid, sizes, same)
    return sizes


def solve_sized(
    grid: Sequence[Sequence[Cell[int]]], total_rows: int | None = None, total_cols: int | None = None
) -> Sizes[int]:
    """Integer sizes, where the whole block's height or width (from what it is added to or multiplied
    by) gives the one row or column no neighbour sizes: ``[y; 0]`` minus a vector of n + d entries.

    Example:
        >>> solve_sized([[Cell(5, 1)], [Cell(None, None)]], total_rows=8).heights
        [5, 3]
    """
    sizes = solve(grid, int.__eq__)
    while not sizes.complete:
        filled = _fill_total(sizes.heights, total_rows, "heights")
        filled |= _fill_total(sizes.widths, total_cols, "widths")
        if not filled:
            break
        _propagate(grid, sizes, int.__eq__)
    for got, total, what in ((sizes.heights, total_rows, "rows"), (sizes.widths, total_cols, "columns")):
        have = sum(s for s in got if s is not None)
        if total is not None and None not in got and have != total:
            raise BlockSizeError(f"the block matrix has {have} {what} where {total} are needed")
    return sizes
