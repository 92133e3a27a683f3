"""Size-less values of the numeric evaluator and block matrices assembled from evaluated entries.

``\\mathbf{1}`` and ``I`` are :class:`Adaptive` until an operand gives them a size. A block matrix
whose ``0`` or ``I`` blocks its own entries cannot size (``[y; 0]``) is a :class:`LazyBlock` until a
sum or product gives its total height or width; one that is never sized is an error, not a guess.
Errors here are BlockSizeError; :func:`grader.mathx.numeric.evaluate` reports them as EvalError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.mathx import ast as A
from grader.mathx.blocks import BlockSizeError, Cell, solve_sized


@dataclass(frozen=True)
class Adaptive:
    """``\\mathbf{1}`` (``kind == "ones"``, a column, or a row when ``row``) or ``I``, times ``scale``."""

    kind: str  # "ones" or "I"
    scale: float = 1.0
    row: bool = False

    def sized(self, n: int) -> np.ndarray:
        """The concrete array of size ``n``."""
        if self.kind == "I":
            return self.scale * np.eye(n)
        return self.scale * (np.ones((1, n)) if self.row else np.ones((n, 1)))


class _Zero:
    def __repr__(self) -> str:
        return "ZERO"


ZERO = _Zero()
"""The marker of a literal ``0`` entry of a block matrix: a zero block its neighbours size."""


@dataclass(frozen=True)
class LazyBlock:
    """A block matrix (entries: arrays, floats, :class:`Adaptive` or :data:`ZERO`) not yet sized,
    times ``scale``, transposed when ``transposed``."""

    grid: tuple[tuple[Any, ...], ...]
    scale: float = 1.0
    transposed: bool = False

    def scaled(self, factor: float) -> LazyBlock:
        """This block times a scalar."""
        return LazyBlock(self.grid, self.scale * factor, self.transposed)

    def transpose(self) -> LazyBlock:
        """The transpose of this block."""
        return LazyBlock(self.grid, self.scale, not self.transposed)

    def resolve(self, rows: int | None = None, cols: int | None = None) -> np.ndarray:
        """The concrete array, given its total height and/or width where known.

        Raises BlockSizeError when the blocks do not fit those sizes or some block stays unsized.
        """
        if self.transposed:
            rows, cols = cols, rows
        out = assemble(self.grid, rows, cols)
        if out is None:
            raise BlockSizeError("cannot size a 0 or I block of a block matrix from its neighbours")
        out = out.T if self.transposed else out
        return self.scale * out


def _cell(v: Any) -> Cell[int]:
    if isinstance(v, np.ndarray):
        return Cell(v.shape[0], v.shape[1])
    if isinstance(v, Adaptive):
        if v.kind == "I":
            return Cell(None, None, square=True)
        return Cell(1, None) if v.row else Cell(None, 1)
    if isinstance(v, LazyBlock):
        raise BlockSizeError("cannot size a block matrix nested in another")
    if v is ZERO:
        return Cell(None, None)
    return Cell(1, 1)  # a scalar entry is a 1×1 block


def _block(v: Any, h: int, w: int) -> np.ndarray:
    if isinstance(v, np.ndarray):
        return v
    if isinstance(v, Adaptive):
        return v.sized(h) if v.kind == "I" or not v.row else v.sized(w)
    if v is ZERO:
        return np.zeros((h, w))
    return np.array([[float(v)]])


def assemble(
    grid: tuple[tuple[Any, ...], ...], rows: int | None = None, cols: int | None = None
) -> np.ndarray | None:
    """The block matrix of the evaluated entries (numpy ``np.block``), with ``0`` and ``I`` blocks
    sized by their neighbours and by the total ``rows`` / ``cols`` where given; None when some block's
    size is still unknown.

    Raises BlockSizeError when the blocks do not fit.

    Example:
        >>> assemble(((np.ones((3, 2)),), (Adaptive("I", 2.0),))).shape
        (5, 2)
    """
    cells = [[_cell(v) for v in row] for row in grid]
    sizes = solve_sized(cells, rows, cols)
    if not sizes.complete:
        return None
    hs = [h for h in sizes.heights if h is not None]
    ws = [w for w in sizes.widths if w is not None]
    return np.block([[_block(v, hs[i], ws[j]) for j, v in enumerate(row)] for i, row in enumerate(grid)])


def mul_block(a: Any, b: Any, mul: Callable[[Any, Any], Any]) -> Any:
    """A product with a block matrix whose size the other factor gives (``[X; \\sqrt{\\lambda} I] w``)."""
    if isinstance(a, LazyBlock) and isinstance(b, LazyBlock):
        raise BlockSizeError("cannot size a product of two block matrices with unsized 0 or I blocks")
    if isinstance(a, Adaptive) or isinstance(b, Adaptive):
        raise BlockSizeError("cannot size a product of \\mathbf{1} or I and a block matrix")
    if isinstance(a, LazyBlock):
        return a.scaled(b) if not isinstance(b, np.ndarray) else mul(a.resolve(cols=b.shape[0]), b)
    if isinstance(b, LazyBlock):
        if not isinstance(a, np.ndarray):
            return b.scaled(a)
        try:
            return mul(a, b.resolve(rows=a.shape[1]))
        except BlockSizeError:
            if a.shape[1] != 1 or a.shape[0] == 1:
                raise
            return mul(a, b.resolve(rows=a.shape[0]))  # g · u
    return mul(a, b)


def add_block(a: Any, b: Any, add: Callable[[Any, Any], Any]) -> Any:
    """A sum with a block matrix whose size the other term gives (``[y; 0] - [X; \\sqrt{\\lambda} I] w``)."""
    if isinstance(a, LazyBlock):
        a, b = b, a  # b is the block whose size a gives
    if isinstance(a, LazyBlock) or isinstance(a, Adaptive):
        raise BlockSizeError("cannot size a sum of block matrices with unsized 0 or I blocks")
    if not isinstance(a, np.ndarray):
        if a == 0:
            return b
        raise BlockSizeError("cannot add a scalar and a block matrix")
    return add(a, b.resolve(rows=a.shape[0], cols=a.shape[1]))


def _is_zero_literal(node: A.Node) -> bool:
    if isinstance(node, A.Neg):
        node = node.arg
    return isinstance(node, A.Num) and node.value == 0


def block_matrix(grid: tuple[tuple[A.Node, ...], ...], vals: list[list[Any]]) -> Any:
    """A matrix with matrix or vector entries, concatenated as ``np.block`` does; a literal ``0`` is a
    zero block and ``I`` an identity block, sized by their neighbours (or later, by the expression)."""
    cells = tuple(
        tuple(ZERO if _is_zero_literal(x) else v for x, v in zip(row, vrow, strict=True))
        for row, vrow in zip(grid, vals, strict=True)
    )
    if any(isinstance(v, LazyBlock) for row in cells for v in row):
        raise BlockSizeError("cannot size a block matrix nested in another")
    out = assemble(cells)
    return LazyBlock(cells) if out is None else out
