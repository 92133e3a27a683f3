"""Symbols as a rubric declares them (``symbols:`` of a rubric, a part or an answer) and how a part's or an
answer's declaration merges over the rubric's. :mod:`grader.rubric.models` turns them into the engine's
:class:`~grader.mathx.symbols.SymbolTable`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = ["StrictModel", "SymbolDecl", "SymbolMergeError", "merge_symbol", "symbols_problem"]


class StrictModel(BaseModel):
    """A rubric model that refuses unknown keys (a typo is an error, never ignored)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SymbolDecl(StrictModel):
    """A symbol as declared in YAML (converted to :class:`SymbolSpec`)."""

    kind: Literal["scalar", "vector", "matrix"] = "scalar"
    shape: list[str | int] = Field(default_factory=list)
    positive: bool = False
    integer: bool = False
    min: float | None = None
    max: float | None = None
    multiple_of: str | None = None
    value: list[float] | float | None = None
    aliases: list[str] = Field(default_factory=list)
    orthonormal_columns: bool = False
    symmetric_psd: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> SymbolDecl:
        # a part's {shape: [p]} over the rubric's vector keeps its kind: checked once merged
        if "kind" in self.model_fields_set or not self.shape:
            problem = self.shape_problem()
            if problem:
                raise ValueError(problem)
        return self

    def shape_problem(self) -> str | None:
        """What is wrong with the shape for the kind (a vector needs one dimension), or None."""
        want = {"scalar": 0, "vector": 1, "matrix": 2}[self.kind]
        if len(self.shape) != want:
            return f"a {self.kind} needs a shape of length {want}, got {self.shape}"
        return None


def merge_symbol(base: SymbolDecl | None, over: SymbolDecl, name: str) -> SymbolDecl:
    """``over`` (a part's or an answer's declaration of ``name``) merged over ``base`` (the rubric's):
    the keys ``over`` writes replace ``base``'s, the others are kept.

    Example:
        >>> base = SymbolDecl(aliases=["y_vec"])
        >>> merged = merge_symbol(base, SymbolDecl(kind="vector", shape=["n"]), "y")
        >>> (merged.kind, merged.shape, merged.aliases)
        ('vector', ['n'], ['y_vec'])

    Raises:
        SymbolMergeError: the merged declaration is inconsistent (a vector without a shape).
    """
    if base is None:
        return over
    data = {**base.model_dump(exclude_unset=True), **over.model_dump(exclude_unset=True)}
    if "kind" in over.model_fields_set and "shape" not in over.model_fields_set:
        data.pop("shape", None)  # a new kind needs its own shape (checked below)
    try:
        merged = SymbolDecl.model_validate(data)
    except ValidationError as exc:
        why = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise SymbolMergeError(name, f"symbol {name!r} merged over the rubric's: {why}") from None
    problem = merged.shape_problem()
    if problem:
        raise SymbolMergeError(name, f"symbol {name!r} merged over the rubric's: {problem}")
    return merged


class SymbolMergeError(ValueError):
    """A part's or an answer's symbol declaration that is inconsistent once merged (:func:`merge_symbol`)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def symbols_problem(
    decls: dict[str, SymbolDecl], dims: dict[str, tuple[int, int]], only: set[str] | None = None
) -> tuple[str, str] | None:
    """(symbol, what is wrong) for the first declaration (of ``only``, if given) that names an undeclared
    dimension or ``multiple_of`` symbol, or whose name or alias another symbol of ``decls`` also uses."""
    spelled: dict[str, str] = {}
    for name, decl in decls.items():
        for spelling in (name, *decl.aliases):
            spelled.setdefault(spelling, name)
    for name, sym in decls.items():
        if only is not None and name not in only:
            continue
        problem = sym.shape_problem()
        if problem:
            return name, f"symbol {name!r}: {problem}"
        for dim in sym.shape:
            if isinstance(dim, str) and dim not in dims:
                return name, f"symbol {name!r} uses dimension {dim!r}, not declared under dims"
        if sym.multiple_of and sym.multiple_of not in decls:
            return name, f"symbol {name!r}: multiple_of {sym.multiple_of!r} is not a symbol"
        if only is not None:
            for spelling in (name, *sym.aliases):
                owner = spelled.get(spelling, name)
                if owner != name:
                    return name, f"symbol {name!r}: the spelling {spelling!r} already means {owner!r}"
    return None
