"""Typed symbols: the kind, shape and assumptions the rubric declares for each symbol."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SymbolKind = Literal["scalar", "vector", "matrix"]


@dataclass(frozen=True)
class SymbolSpec:
    """Declared type of one symbol of a problem.

    Attributes:
        name: canonical name used by the engine and by reference solutions (``alpha``, ``g``, ``W1``).
        kind: scalar, vector (a column in R^d) or matrix.
        shape: dimension names or sizes: ``()`` for scalars, ``("d",)`` for a vector, ``("k", "m")``.
        positive: drawn > 0 (e.g. a step size).
        integer: drawn as an integer (counts such as the number of workers n).
        min / max: bounds for scalar draws (inclusive for integers).
        multiple_of: name of another integer symbol this one must be a multiple of (``p`` of ``n``).
        value: a fixed constant (e.g. the data vector ``a = [1, 0.1, 0.01]``); not drawn.
        aliases: other spellings in LaTeX or plain text that mean this symbol
            (``\\nabla f(\\theta)`` for ``g``, ``\\Delta\\theta`` for ``u``).
        orthonormal_columns / symmetric_psd: structural assumptions for matrix draws.
        identity: the identity matrix of its (square) shape (``I_k``), not drawn.
        diagonal: drawn diagonal (``\\Lambda_k``).
        inferred: not declared by anyone: kind and shape inferred from use (see ``infer``), so a
            statement that depends on its value cannot be refuted by a random draw.
    """

    name: str
    kind: SymbolKind = "scalar"
    shape: tuple[str | int, ...] = ()
    positive: bool = False
    integer: bool = False
    min: float | None = None
    max: float | None = None
    multiple_of: str | None = None
    value: tuple[float, ...] | float | None = None
    aliases: tuple[str, ...] = ()
    orthonormal_columns: bool = False
    symmetric_psd: bool = False
    identity: bool = False
    diagonal: bool = False
    inferred: bool = False


@dataclass(frozen=True)
class SymbolTable:
    """All symbols of a problem, plus the ranges from which dimension sizes are drawn.

    Attributes:
        symbols: by canonical name.
        dims: dimension name -> (low, high) inclusive range for random sizes, e.g. {"d": (2, 6)}.
        functions: names that are functions, not symbols (``f`` in ``\\nabla f(\\theta)``).
    """

    symbols: dict[str, SymbolSpec] = field(default_factory=dict)
    dims: dict[str, tuple[int, int]] = field(default_factory=dict)
    functions: tuple[str, ...] = ()

    def get(self, name: str) -> SymbolSpec | None:
        """The spec of a symbol by canonical name, or None."""
        return self.symbols.get(name)

    def merged(self, other: SymbolTable) -> SymbolTable:
        """A new table with ``other``'s entries overriding this one's."""
        return SymbolTable(
            symbols={**self.symbols, **other.symbols},
            dims={**self.dims, **other.dims},
            functions=tuple(dict.fromkeys(self.functions + other.functions)),
        )
