"""Load and validate rubrics (``rubrics/*.yaml``).

A rubric names the homework's parts and answers (the ids of DESIGN.md), their points, the words that
identify each part in a transcript, each answer's kind, and the typed symbols of the problem. Invalid
rubrics raise :class:`grader.errors.RubricError` naming the file, the key path and the line.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from grader.errors import RubricError, TargetError
from grader.mathx.symbols import SymbolSpec, SymbolTable

AnswerKind = Literal[
    "expression",  # a formula in the problem's symbols (u = -alpha/2 g)
    "vector",  # a concrete vector (theta = [1/3, 10/3, 100/3])
    "count_formula",  # a formula in integer parameters, tested against a simulation (n(n-1))
    "condition",  # an equation equivalent to a gradient being zero
    "derivation",  # a proof whose steps are checked at an instance
    "name",  # a method name with synonyms (gradient descent)
    "choice",  # one option of a multiple choice
    "choices",  # a set of options
    "tokens",  # a token sequence (<sos>, I, see, a, dog)
    "quantity",  # a number with a unit (341 s, 94%)
    "yes_no",  # a yes/no conclusion
    "concept",  # free text checked against key ideas
    "free_text",  # free text checked for facts and form only
]

RUBRICS_DIR = Path(__file__).resolve().parent.parent / "rubrics"


class IdeaSpec(BaseModel):
    """A key idea (or misconception) of a free-text answer."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    patterns: list[str] = Field(min_length=1)
    required: bool = True

    @field_validator("patterns")
    @classmethod
    def _compile(cls, v: list[str]) -> list[str]:
        for pat in v:
            try:
                re.compile(pat)
            except re.error as exc:
                raise ValueError(f"invalid regex {pat!r}: {exc}") from exc
        return v


class AnswerSpec(BaseModel):
    """One answer of a part (the last component of a target id)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    kind: AnswerKind
    points: float = Field(ge=0)
    defines: str | None = Field(default=None, description="Symbol or label the answer defines (u, theta).")
    of: str | None = Field(default=None, description="For conditions: the gradient answer they set to zero.")
    row: str | None = Field(default=None, description="For table answers: a regex matching the row's label.")
    column: str | None = Field(default=None, description="For table answers: count | size.")
    unit: str | None = None
    label: str | None = None
    options: list[str] = Field(default_factory=list)
    ideas: list[IdeaSpec] = Field(default_factory=list)
    misconceptions: list[IdeaSpec] = Field(default_factory=list)
    check_facts: bool = False
    establishes: list[str] = Field(
        default_factory=list, description="For derivations: 'part.answer' equations the proof must show."
    )
    substitute: dict[str, str] = Field(
        default_factory=dict, description="For derivations: symbol -> LaTeX value substituted in the proof."
    )
    slide_note: str | None = Field(
        default=None, description="Where the course material (slides) differs from the reference, if it does."
    )

    @field_validator("row")
    @classmethod
    def _row_regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"invalid regex {v!r}: {exc}") from exc
        return v

    @model_validator(mode="after")
    def _kind_fields(self) -> AnswerSpec:
        if self.kind in ("choice", "choices") and not self.options:
            raise ValueError(f"answer {self.id!r} of kind {self.kind} needs 'options'")
        if self.kind == "concept" and not self.ideas:
            raise ValueError(f"answer {self.id!r} of kind concept needs 'ideas'")
        if self.kind == "quantity" and self.unit not in ("s", "percent", "ratio"):
            raise ValueError(f"answer {self.id!r} of kind quantity needs unit s|percent|ratio")
        return self


class ObjectiveSpec(BaseModel):
    """The function a part minimises or differentiates, so that restated objectives and derivation
    steps can be checked (e.g. ``g^T u + (1/alpha) ||u||_2^2`` in ``u``)."""

    model_config = ConfigDict(extra="forbid")

    expression: str = Field(
        description="LaTeX of the objective in the rubric's symbols (trusted: rubric text)."
    )
    variables: list[str] = Field(
        min_length=1, description="Symbols it is minimised over / differentiated by."
    )
    names: list[str] = Field(default_factory=list, description="How transcripts name it: J, L, f(\\theta)...")
    variant: str | None = Field(default=None, description="The part variant this objective belongs to.")


class PartSpec(BaseModel):
    """One homework part."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^q[0-9][a-z0-9_]*$")
    question: str
    label: str = ""
    title: str = ""
    points: float = Field(gt=0)
    asks_derivation: bool = False
    word_limit: int | None = None
    identify: list[str] = Field(default_factory=list)
    variants: dict[str, list[str]] = Field(default_factory=dict)
    objectives: list[ObjectiveSpec] = Field(default_factory=list)
    default_variant: str | None = None
    answers: list[AnswerSpec] = Field(min_length=1)

    @field_validator("identify")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        for pat in v:
            try:
                re.compile(pat)
            except re.error as exc:
                raise ValueError(f"invalid regex {pat!r}: {exc}") from exc
        return v

    @model_validator(mode="after")
    def _check(self) -> PartSpec:
        ids = [a.id for a in self.answers]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate answer ids in part {self.id!r}: {ids}")
        if self.variants and self.default_variant not in self.variants:
            raise ValueError(f"default_variant of {self.id!r} must be one of {sorted(self.variants)}")
        total = sum(a.points for a in self.answers)
        if abs(total - self.points) > 1e-9:
            raise ValueError(f"answer points of {self.id!r} sum to {total}, part points are {self.points}")
        return self

    def objective(self, variant: str | None = None) -> ObjectiveSpec | None:
        """The objective of the part for a variant (or the variant-free one), if declared."""
        return next((o for o in self.objectives if o.variant in (variant, None)), None)

    def answer(self, answer_id: str) -> AnswerSpec | None:
        """The answer spec by id, or None."""
        return next((a for a in self.answers if a.id == answer_id), None)


class SymbolDecl(BaseModel):
    """A symbol as declared in YAML (converted to :class:`SymbolSpec`)."""

    model_config = ConfigDict(extra="forbid")

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

    @model_validator(mode="after")
    def _shape(self) -> SymbolDecl:
        want = {"scalar": 0, "vector": 1, "matrix": 2}[self.kind]
        if len(self.shape) != want:
            raise ValueError(f"a {self.kind} needs a shape of length {want}, got {self.shape}")
        return self


class Rubric(BaseModel):
    """A homework rubric."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    reference_module: str
    names: list[str] = Field(
        default_factory=list, description="Regexes of the homework's own name ('HW\\s*2'): a strong signal."
    )
    identify: list[str] = Field(default_factory=list)
    dims: dict[str, tuple[int, int]] = Field(default_factory=dict)
    symbols: dict[str, SymbolDecl] = Field(default_factory=dict)
    parts: list[PartSpec] = Field(min_length=1)
    path: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _check(self) -> Rubric:
        ids = [p.id for p in self.parts]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate part ids: {ids}")
        for name, sym in self.symbols.items():
            for dim in sym.shape:
                if isinstance(dim, str) and dim not in self.dims:
                    raise ValueError(f"symbol {name!r} uses dimension {dim!r}, not declared under dims")
            if sym.multiple_of and sym.multiple_of not in self.symbols:
                raise ValueError(f"symbol {name!r}: multiple_of {sym.multiple_of!r} is not a symbol")
        return self

    @property
    def max_score(self) -> float:
        """Total points of the homework."""
        return sum(p.points for p in self.parts)

    def part(self, part_id: str) -> PartSpec:
        """The part by id; raises TargetError when unknown."""
        for p in self.parts:
            if p.id == part_id:
                return p
        raise TargetError(f"unknown part {part_id!r}; parts: {', '.join(x.id for x in self.parts)}", self.id)

    def symbol_table(self) -> SymbolTable:
        """The typed symbols of the homework, for the math engine (built once per rubric)."""
        return self._symbol_table

    @cached_property
    def _symbol_table(self) -> SymbolTable:
        specs = {}
        for name, d in self.symbols.items():
            value: tuple[float, ...] | float | None
            value = tuple(d.value) if isinstance(d.value, list) else d.value
            specs[name] = SymbolSpec(
                name=name,
                kind=d.kind,
                shape=tuple(d.shape),
                positive=d.positive,
                integer=d.integer,
                min=d.min,
                max=d.max,
                multiple_of=d.multiple_of,
                value=value,
                aliases=tuple(d.aliases),
                orthonormal_columns=d.orthonormal_columns,
                symmetric_psd=d.symmetric_psd,
            )
        return SymbolTable(symbols=specs, dims=dict(self.dims), functions=("f",))

    def targets(self) -> list[str]:
        """All target ids ``homework.part.answer``."""
        return [f"{self.id}.{p.id}.{a.id}" for p in self.parts for a in p.answers]


def _key_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line number of a key path in a YAML document (for error messages)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == str(key)), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1 if node is not None else None


def load_rubric_file(path: Path) -> Rubric:
    """Load and validate one rubric file.

    Raises:
        RubricError: with ``where`` = ``file:line`` and the key path in the message.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RubricError(f"cannot read rubric: {exc.strerror}", str(path)) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RubricError(f"invalid YAML: {getattr(exc, 'problem', exc)}", where) from exc
    if not isinstance(data, dict):
        raise RubricError("a rubric must be a YAML mapping", str(path))
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = ".".join(str(x) for x in loc) or "<root>"
        line = _key_line(text, loc)
        where = f"{path}:{line}" if line else str(path)
        raise RubricError(f"key {key}: {err['msg']}", where) from exc
    rubric.path = str(path)
    return rubric


@lru_cache(maxsize=1)
def _all_rubrics(directory: str) -> dict[str, Rubric]:
    out: dict[str, Rubric] = {}
    for f in sorted(Path(directory).glob("*.yaml")):
        r = load_rubric_file(f)
        if r.id != f.stem:
            raise RubricError(f"rubric id {r.id!r} does not match the file name", str(f))
        out[r.id] = r
    return out


def rubrics(directory: Path | None = None) -> dict[str, Rubric]:
    """All rubrics of a directory (default: the project's ``rubrics/``), by homework id."""
    return _all_rubrics(str(directory or RUBRICS_DIR))


def get_rubric(homework: str, directory: Path | None = None) -> Rubric:
    """One rubric by homework id; raises TargetError with the known ids when unknown."""
    all_ = rubrics(directory)
    if homework not in all_:
        raise TargetError(f"unknown homework {homework!r}; known: {', '.join(sorted(all_))}")
    return all_[homework]


def parse_target(target: str, directory: Path | None = None) -> tuple[Rubric, PartSpec, AnswerSpec]:
    """Split ``homework.part.answer`` and resolve each piece; raises TargetError saying which is wrong."""
    pieces = target.split(".")
    if len(pieces) != 3:
        raise TargetError("a target is <homework>.<part>.<answer>, e.g. cs182-fa25-hw2.q1a.u", target)
    rubric = get_rubric(pieces[0], directory)
    part = rubric.part(pieces[1])
    answer = part.answer(pieces[2])
    if answer is None:
        ids = ", ".join(a.id for a in part.answers)
        raise TargetError(f"part {part.id} has no answer {pieces[2]!r}; answers: {ids}", target)
    return rubric, part, answer
