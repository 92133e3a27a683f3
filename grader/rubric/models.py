"""The rubric file as typed data (pydantic): homework, parts, answers, symbols, sources.

The format is documented field by field in ``docs/rubrics.md``. Fields common to every answer are
declared here; which of the kind-specific fields an answer may use, and what its ``reference`` must
look like, is decided by the answer kind's module (:mod:`grader.answers`), so that a new kind brings
its own fields. Errors carry the key path; :mod:`grader.rubric.load` adds the file and line.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from grader.errors import TargetError
from grader.mathx.symbols import SymbolSpec, SymbolTable
from grader.phrases import PhraseItem, compile_phrase, phrase_error
from grader.rubric.symbol_decls import (
    StrictModel,
    SymbolDecl,
    SymbolMergeError,
    merge_symbol,
    symbols_problem,
)

ReferenceValue = str | bool | int | float | list[str | int | float] | dict[str, Any] | None
"""What ``reference:`` may hold: a LaTeX formula or text, a number, a list (tokens, choices), or a
mapping (``{compute: "module:function"}``, ``{value: 341, unit: s}``). Each kind says which."""

Mode = Literal["value", "positive_scale", "nonzero_scale"]


def _phrases(items: list[Any], what: str) -> list[Any]:
    for item in items:
        err = phrase_error(item)
        if err:
            raise ValueError(f"{what}: {err}")
    return items


class ExampleItem(StrictModel):
    """An example answer with options (a plain string is the common case)."""

    answer: str = Field(description="The answer text as a student or a model would write it.")
    variant: str | None = Field(
        default=None, description="Check it as if the transcript showed this variant."
    )
    note: str = ""
    known_issue: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "What the math engine gets wrong on this example: rubric check lists it as a known issue"
            " (counted, never silently passed) instead of a failure, and says when it no longer fails."
        ),
    )


class Examples(StrictModel):
    """Example answers run as tests by ``grader rubric check``."""

    right: list[str | ExampleItem] = Field(default_factory=list, description="Each must check correct.")
    wrong: list[str | ExampleItem] = Field(default_factory=list, description="Each must check incorrect.")
    partial: list[str | ExampleItem] = Field(
        default_factory=list,
        description="Each must check partial (an accepted alternative with credit: partial).",
    )


class AcceptSpec(StrictModel):
    """An accepted alternative reference (a disputed key, a re-released question)."""

    reference: ReferenceValue = Field(description="Same forms as the answer's own reference.")
    note: str = Field(min_length=1, description="Why it is accepted (shown with the verdict).")
    variant: str | None = Field(default=None, description="Only for transcripts showing this part variant.")
    mode: Mode | None = None
    credit: Literal["full", "partial"] = Field(
        default="full",
        description="partial: a claim that matches this alternative (and no full reference) is partial, e.g. a "
        "special case the question's general setting does not allow (d mu^2 for ||mu||^2).",
    )
    names: list[str] = Field(
        default_factory=list,
        description="The alternative is the value of another quantity, named so on the left side of a claim "
        "((X^T X + lambda I)^{-1} X^T for the matrix that maps y to w); it applies to those claims only.",
    )


class TableSpec(StrictModel):
    """Where a table answer sits: the row and column whose labels contain these phrases."""

    row: list[PhraseItem] = Field(min_length=1)
    column: list[PhraseItem] = Field(min_length=1)
    not_column: list[PhraseItem] = Field(
        default_factory=list, description="Phrases that rule a header out (a 'size' column is not a count)."
    )

    @field_validator("row", "column", "not_column")
    @classmethod
    def _ok(cls, v: list[Any]) -> list[Any]:
        return _phrases(v, "phrase")


class IdeaSpec(StrictModel):
    """A key idea (or known misconception) of a concept answer, matched by meaning."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    text: str = Field(min_length=1, description="The idea in a sentence, as a TA would state it.")
    from_: str = Field(
        alias="from",
        min_length=1,
        description="Where the idea comes from: question, lecture, catalog, course key, reading.",
    )
    match: list[str | dict[str, str]] = Field(
        default_factory=list,
        description="Term sets: 'a|b + c|d' = (a or b) and (c or d) in one sentence; {regex: ...} allowed.",
    )
    math: list[str] = Field(default_factory=list, description="Formulas that state the idea (LaTeX).")
    required: bool = True
    credit: Literal["partial"] | None = Field(
        default=None,
        description="On a misconception: a known incomplete answer that earns partial credit, not a wrong one.",
    )
    instead_of: list[str] = Field(
        default_factory=list,
        description="On a misconception: the key ideas it stands in place of (it counts while none is found).",
    )

    @field_validator("match")
    @classmethod
    def _term_sets(cls, v: list[str | dict[str, str]]) -> list[str | dict[str, str]]:
        from grader.checkers.meaning import TermSet

        for n, item in enumerate(v):
            if isinstance(item, dict):
                err = phrase_error(item)
                if err:
                    raise ValueError(f"item {n}: {err}")
                continue
            for group in item.split("+"):
                try:
                    TermSet.parse(group)
                except ValueError:
                    raise ValueError(
                        f"item {n} {item!r}: the group {group.strip()!r} has no word to match "
                        "(only punctuation or spaces); write words, or use {regex: ...}"
                    ) from None
        return v

    @model_validator(mode="after")
    def _some_evidence(self) -> IdeaSpec:
        if not self.match and not self.math:
            raise ValueError(f"idea {self.id!r} needs 'match' term sets or 'math' formulas")
        return self


class FactSpec(StrictModel):
    """A number the source material states, with the sentence it comes from."""

    value: float
    unit: str = Field(description="s | percent | ratio")
    sentence: str = Field(min_length=1)
    label: str = ""

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str) -> str:
        if v not in ("s", "percent", "ratio"):
            raise ValueError("a fact's unit is s, percent or ratio")
        return v


class SourceSpec(StrictModel):
    """A reading the homework is about (a blog post, a paper): its numbers, for fact checks."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    title: str
    url: str | None = None
    facts: list[FactSpec] = Field(default_factory=list)


class AnswerSpec(StrictModel):
    """One answer of a part (the last component of a target id).

    Common fields are typed here; kind-specific fields are checked by the kind's module.
    """

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    kind: str
    points: float = Field(ge=0)
    reference: ReferenceValue = None
    accept: list[AcceptSpec] = Field(default_factory=list)
    examples: Examples | None = None
    label: str | None = Field(
        default=None, description="How the answer is shown to a student ('baseline time')."
    )
    note: str | None = Field(default=None, description="For the TA: where the reference comes from.")
    slide_note: str | None = Field(
        default=None, description="Where the course material (slides) differs from the reference, if it does."
    )
    # kind-specific (each kind module lists the ones it reads)
    defines: str | None = Field(default=None, description="Symbol or label the answer defines (u, theta).")
    names: list[str] = Field(
        default_factory=list,
        description="Other names of the answer's quantity in the question's own notation (K for sim).",
    )
    mode: Mode | None = None
    verify: str | None = Field(
        default=None, description="module:function that re-computes a formula reference."
    )
    of: str | None = Field(default=None, description="For conditions: the gradient answer they set to zero.")
    table: TableSpec | None = None
    unit: str | None = None
    tolerance: float | str | None = None
    context: list[PhraseItem] = Field(default_factory=list)
    options: list[str] = Field(default_factory=list)
    synonyms: list[PhraseItem] = Field(default_factory=list)
    ideas: list[IdeaSpec] = Field(default_factory=list)
    misconceptions: list[IdeaSpec] = Field(default_factory=list)
    min_ideas: int | None = Field(
        default=None, ge=1, description="For concepts: ideas a correct answer needs."
    )
    check_facts: bool = False
    source: str | None = Field(default=None, description="The sentence of the source a fact comes from.")
    target: list[str] = Field(default_factory=list, description="For proofs: the identities to show.")
    target_any: list[list[str]] = Field(
        default_factory=list,
        description="For proofs: other groups of targets, any one of which (all of its targets) shows the result.",
    )
    goal: list[str] = Field(
        default_factory=list,
        description="For proofs: the result as the question states it; cited as known without a step that "
        "reaches a target, it earns partial credit and the flag no_derivation.",
    )
    given: dict[str, str] = Field(default_factory=dict, description="For proofs: symbol -> LaTeX value.")
    instance: str | None = Field(default=None, description="For proofs: module:function drawing an instance.")
    symbols: dict[str, SymbolDecl] = Field(
        default_factory=dict,
        description="Symbols of this answer only, merged over its part's (see PartSpec.symbols).",
    )

    @field_validator("options", mode="before")
    @classmethod
    def _options_text(cls, v: Any) -> Any:
        return [str(x) for x in v] if isinstance(v, list) else v

    @field_validator("context", "synonyms")
    @classmethod
    def _phrase_fields(cls, v: list[Any]) -> list[Any]:
        return _phrases(v, "phrase")

    @field_validator("target", mode="before")
    @classmethod
    def _one_target(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("target_any", mode="before")
    @classmethod
    def _target_groups(cls, v: Any) -> Any:
        # a group of one target may be written as the target itself
        return [[x] if isinstance(x, str) else x for x in v] if isinstance(v, list) else v

    @model_validator(mode="after")
    def _kind_fields(self) -> AnswerSpec:
        from grader.answers import registry  # the kinds import this module: import late

        kind = registry.get(self.kind)
        if kind is None:
            raise PydanticCustomError(
                "answer_kind",
                "unknown kind '{kind}'; kinds: {known}",
                {"kind": self.kind, "known": ", ".join(registry.names()), "field": "kind"},
            )
        problems = kind.validate(self)
        if problems:
            field, message = problems[0]
            raise PydanticCustomError("answer_field", "{message}", {"message": message, "field": field})
        return self

    def set_fields(self) -> set[str]:
        """The keys this answer sets in the rubric file."""
        return set(self.model_fields_set)


class ObjectiveSpec(StrictModel):
    """The function a part minimises or differentiates, so that restated objectives and derivation
    steps can be checked (e.g. ``g^T u + (1/alpha) ||u||_2^2`` in ``u``)."""

    expression: str = Field(
        description="LaTeX of the objective in the rubric's symbols (trusted: rubric text)."
    )
    variables: list[str] = Field(
        min_length=1, description="Symbols it is minimised over / differentiated by."
    )
    names: list[str] = Field(default_factory=list, description="How transcripts name it: J, L, f(\\theta)...")
    variant: str | None = Field(default=None, description="The part variant this objective belongs to.")


class PartSpec(StrictModel):
    """One homework part."""

    id: str = Field(pattern=r"^q[0-9][a-z0-9_]*$")
    question: str
    label: str = ""
    title: str = ""
    note: str | None = None
    points: float = Field(gt=0)
    asks_derivation: bool = False
    word_limit: int | None = None
    identify: list[PhraseItem] = Field(default_factory=list)
    variants: dict[str, list[PhraseItem]] = Field(default_factory=dict)
    objectives: list[ObjectiveSpec] = Field(default_factory=list)
    default_variant: str | None = None
    symbols: dict[str, SymbolDecl] = Field(
        default_factory=dict,
        description=(
            "Symbols of this part only, merged over the rubric's: a new name is declared for the part; a name"
            " the rubric declares is overridden key by key (the keys written here replace the rubric's, the"
            " others, aliases included, are kept), e.g. Q4's label vector y where the rubric's y is Q5's scalar."
        ),
    )
    answers: list[AnswerSpec] = Field(min_length=1)

    @field_validator("question", mode="before")
    @classmethod
    def _question_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    @field_validator("identify")
    @classmethod
    def _identify(cls, v: list[Any]) -> list[Any]:
        return _phrases(v, "identify")

    @field_validator("variants")
    @classmethod
    def _variants(cls, v: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for name, items in v.items():
            _phrases(items, f"variant {name}")
        return v

    @model_validator(mode="after")
    def _check(self) -> PartSpec:
        ids = [a.id for a in self.answers]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate answer ids in part {self.id!r}: {ids}")
        if self.variants and self.default_variant not in self.variants:
            raise ValueError(f"default_variant of {self.id!r} must be one of {sorted(self.variants)}")
        for a in self.answers:
            for acc in a.accept:
                if acc.variant is not None and acc.variant not in self.variants:
                    raise ValueError(
                        f"answer {a.id!r}: accept variant {acc.variant!r} is not a variant of {self.id!r}"
                    )
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

    def identified_in(self, text: str) -> bool:
        """Whether any of the part's identifying phrases occurs in ``text``."""
        return any(compile_phrase(p).search(text) for p in self.identify)

    def variant_in(self, question_text: str) -> str | None:
        """The variant whose phrase occurs first in ``question_text`` (the default when none does)."""
        if not self.variants:
            return None
        first: tuple[int, str] | None = None
        for name, items in self.variants.items():
            for item in items:
                m = compile_phrase(item).search(question_text)
                if m and (first is None or m.start() < first[0]):
                    first = (m.start(), name)
        return first[1] if first else self.default_variant


class Rubric(StrictModel):
    """A homework rubric."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    course: str | None = None
    names: list[PhraseItem] = Field(
        default_factory=list, description="Phrases naming the homework itself ('HW2', 'homework 2'): strong."
    )
    identify: list[PhraseItem] = Field(default_factory=list)
    dims: dict[str, tuple[int, int]] = Field(default_factory=dict)
    symbols: dict[str, SymbolDecl] = Field(default_factory=dict)
    functions: list[str] = Field(default_factory=lambda: ["f"])
    vocabulary: dict[str, list[PhraseItem]] = Field(
        default_factory=dict, description="Named things (methods, concepts) -> phrases that name them."
    )
    sources: list[SourceSpec] = Field(default_factory=list)
    parts: list[PartSpec] = Field(min_length=1)
    path: str | None = Field(default=None, exclude=True)
    _references: dict[tuple[str, str, str | None], Any] = PrivateAttr(default_factory=dict)
    _tables: dict[tuple[str | None, str | None], SymbolTable] = PrivateAttr(default_factory=dict)

    @field_validator("names", "identify")
    @classmethod
    def _phrases_ok(cls, v: list[Any]) -> list[Any]:
        return _phrases(v, "phrase")

    @field_validator("vocabulary")
    @classmethod
    def _vocabulary(cls, v: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for name, items in v.items():
            if not items:
                raise ValueError(f"vocabulary {name!r} lists no phrase")
            _phrases(items, f"vocabulary {name}")
        return v

    @model_validator(mode="after")
    def _check(self) -> Rubric:
        ids = [p.id for p in self.parts]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate part ids: {ids}")
        problem = symbols_problem(self.symbols, self.dims)
        if problem:
            raise PydanticCustomError(
                "symbol", "{message}", {"message": problem[1], "field": f"symbols.{problem[0]}"}
            )
        for pi, part in enumerate(self.parts):
            scopes: list[tuple[str, str, str | None, dict[str, SymbolDecl]]]
            scopes = [(f"parts.{pi}.symbols", part.id, None, part.symbols)]
            scopes += [
                (f"parts.{pi}.answers.{ai}.symbols", part.id, a.id, a.symbols)
                for ai, a in enumerate(part.answers)
            ]
            for key, part_id, answer_id, own in scopes:
                if not own:
                    continue
                try:
                    merged = self.symbol_decls(part_id, answer_id)
                except SymbolMergeError as exc:
                    raise PydanticCustomError(
                        "part_symbol", "{message}", {"message": exc.message, "field": f"{key}.{exc.name}"}
                    ) from None
                problem = symbols_problem(merged, self.dims, only=set(own))
                if problem:
                    raise PydanticCustomError(
                        "part_symbol", "{message}", {"message": problem[1], "field": f"{key}.{problem[0]}"}
                    )
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

    def symbol_decls(self, part_id: str | None = None, answer_id: str | None = None) -> dict[str, SymbolDecl]:
        """The symbol declarations in force for a part (and one of its answers): the rubric's, then the
        part's ``symbols``, then the answer's, each merged key by key over the one before it.

        Raises:
            TargetError: an unknown part or answer.
            SymbolMergeError: a merged declaration is inconsistent.
        """
        decls = dict(self.symbols)
        if part_id is None:
            return decls
        part = self.part(part_id)
        layers = [part.symbols]
        if answer_id is not None:
            answer = part.answer(answer_id)
            if answer is None:
                raise TargetError(f"unknown answer {answer_id!r} of part {part_id!r}", self.id)
            layers.append(answer.symbols)
        for layer in layers:
            for name, decl in layer.items():
                decls[name] = merge_symbol(decls.get(name), decl, name)
        return decls

    def symbol_table(self, part_id: str | None = None, answer_id: str | None = None) -> SymbolTable:
        """The typed symbols for the math engine: the homework's, or those in force for one part (and
        answer) when it declares its own (built once per scope)."""
        if part_id is not None:
            part = self.part(part_id)
            answer = part.answer(answer_id) if answer_id is not None else None
            if not part.symbols and not (answer and answer.symbols):
                part_id = answer_id = None
            elif not (answer and answer.symbols):
                answer_id = None
        key = (part_id, answer_id)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = self._build_table(self.symbol_decls(part_id, answer_id))
        return table

    def _build_table(self, decls: dict[str, SymbolDecl]) -> SymbolTable:
        specs = {}
        for name, d in decls.items():
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
        return SymbolTable(symbols=specs, dims=dict(self.dims), functions=tuple(self.functions))

    def targets(self) -> list[str]:
        """All target ids ``homework.part.answer``."""
        return [f"{self.id}.{p.id}.{a.id}" for p in self.parts for a in p.answers]

    def identify_hits(self, text: str) -> int:
        """How many distinct identifying phrases (homework and parts) occur in ``text``."""
        items = list(self.identify) + [p for part in self.parts for p in part.identify]
        seen: set[str] = set()
        hits = 0
        for item in items:
            key = repr(item) if isinstance(item, dict) else " ".join(item.lower().split())
            if key in seen:
                continue
            seen.add(key)
            hits += bool(compile_phrase(item).search(text))
        return hits

    def named_in(self, text: str) -> bool:
        """Whether the homework's own name ('HW2') occurs in ``text``."""
        return any(compile_phrase(n).search(text) for n in self.names)

    def reference_cache(self) -> dict[tuple[str, str, str | None], Any]:
        """Per-rubric cache of built references (part, answer, variant) -> accepted references."""
        return self._references

    def facts(self) -> list[FactSpec]:
        """Every fact of every source of the homework."""
        return [f for s in self.sources for f in s.facts]
