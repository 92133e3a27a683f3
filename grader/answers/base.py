"""The one interface every answer kind implements, and what it hands around.

An answer kind (``expression``, ``choice``, ``concept``...) is a class in its own module of
:mod:`grader.answers` that says:

* which rubric fields it reads (:attr:`AnswerKind.fields`) and what its ``reference`` may look like
  (:meth:`AnswerKind.validate`, run when a rubric loads; :meth:`AnswerKind.audit`, run by
  ``grader rubric check``: formulas parse, symbols are declared, options exist);
* how a reference written as data becomes a :class:`~reference_solutions.types.Reference`
  (:meth:`AnswerKind.reference_from_data`); ``{compute: "module:function"}`` is handled once for all
  kinds by :mod:`grader.references`;
* where an attempt states the answer (:meth:`AnswerKind.extract`);
* how one stated value compares with one accepted reference (:meth:`AnswerKind.compare`);
* what an attempt's claims add up to (:meth:`AnswerKind.outcome`).

The verdict rule is the same for all: ``incorrect`` only with positive evidence against every
accepted reference; anything the kind cannot read is ``unparseable`` with the reason.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from grader.models import ClaimResult, ClaimVerdict
from grader.verdicts import CheckResult
from reference_solutions.types import Reference

if TYPE_CHECKING:
    from grader.align import Attempt
    from grader.claim import Claim
    from grader.mathx.symbols import SymbolTable
    from grader.rubric import AnswerSpec, PartSpec, Rubric
    from grader.score import AnswerOutcome

COMMON_FIELDS = frozenset(
    {"id", "kind", "points", "label", "reference", "accept", "examples", "note", "slide_note", "symbols"}
)
"""Rubric keys every answer may set; each kind adds its own in :attr:`AnswerKind.fields`."""

Problem = tuple[str, str]
"""(rubric key, what is wrong with it) found when validating an answer."""


@dataclass
class Context:
    """Everything a kind needs to judge one answer of one part."""

    rubric: Rubric
    part: PartSpec
    answer: AnswerSpec
    variant: str | None = None
    """The part variant the transcript shows (None: the default)."""

    @property
    def target(self) -> str:
        """``homework.part.answer``."""
        return f"{self.rubric.id}.{self.part.id}.{self.answer.id}"

    def symbol_table(self) -> SymbolTable:
        """The symbols in force for this answer: the rubric's, with its part's and its own ``symbols``
        merged over them (:meth:`grader.rubric.Rubric.symbol_table`)."""
        return self.rubric.symbol_table(self.part.id, self.answer.id)

    @property
    def key(self) -> str:
        """``part.answer``: the key a ``compute`` function receives."""
        return f"{self.part.id}.{self.answer.id}"


@dataclass(frozen=True)
class Accepted:
    """One reference a claim may match: the rubric's own, or an accepted alternative."""

    reference: Reference
    note: str = ""
    """Why an alternative is accepted ("" for the rubric's own reference)."""
    origin: str = "reference"
    """Where it is written in the rubric: ``reference`` or ``accept[i]``."""
    mode: str = "value"
    """For formulas: value, positive_scale or nonzero_scale."""
    credit: str = "full"
    """``partial``: a claim that matches only this reference is partial (``accept[i].credit``)."""
    names: tuple[str, ...] = ()
    """The names of the other quantity this alternative is the value of (``accept[i].names``): it applies
    only to the claims labelled by one of them, and those claims only to it."""


@dataclass
class Settled:
    """A claim's result against each accepted reference, combined into one verdict."""

    result: CheckResult
    tried: list[tuple[Accepted, CheckResult]] = field(default_factory=list)


_RANK: dict[str, int] = {"correct": 0, "partial": 1, "incorrect": 2, "timeout": 3, "unparseable": 4}


def combine(tried: list[tuple[Accepted, CheckResult]]) -> CheckResult:
    """One verdict from a claim checked against several accepted references.

    Correct against any reference is correct (the note of an alternative is appended); partial next
    (a match of an alternative with ``credit: partial`` counts as partial);
    ``incorrect`` only when every reference that could be compared says so; otherwise the result of
    the rubric's own reference (unparseable / timeout, with its reason).
    """
    if not tried:
        return CheckResult("unparseable", explanation="the rubric gives no reference for this answer")
    tried = [(acc, _with_credit(acc, res)) for acc, res in tried]
    best_acc, best = min(tried, key=lambda ar: _RANK.get(ar[1].verdict, 9))
    if best.verdict in ("correct", "partial"):
        if best_acc.note:
            best.explanation = f"{best.explanation} (accepted: {best_acc.note})".strip()
            best.evidence["accepted"] = {"origin": best_acc.origin, "note": best_acc.note}
        return best
    definite = [r for _, r in tried if r.verdict == "incorrect"]
    undecided = [r for _, r in tried if r.verdict in ("unparseable", "timeout")]
    if definite and not undecided:
        main = definite[0]
        if len(tried) > 1:
            main.evidence["alternatives_checked"] = [a.origin for a, _ in tried]
        return main
    return undecided[0] if undecided else tried[0][1]


def _with_credit(acc: Accepted, result: CheckResult) -> CheckResult:
    """A match of a partial-credit alternative (``credit: partial``) is partial, saying why."""
    if acc.credit != "partial" or result.verdict != "correct":
        return result
    result.evidence["credit"] = "partial"
    return CheckResult(
        "partial",
        result.interpreted,
        result.reference,
        f"{result.explanation}; matches an alternative that earns partial credit".strip("; "),
        result.evidence,
    )


class AnswerKind(ABC):
    """One answer kind: its rubric fields, extraction, check and outcome (see the module docstring)."""

    name: ClassVar[str]
    """The ``kind:`` value in a rubric."""
    summary: ClassVar[str]
    """One line for the docs and ``grader check --list``."""
    fields: ClassVar[frozenset[str]] = frozenset()
    """Kind-specific rubric keys this kind reads (beyond :data:`COMMON_FIELDS`)."""
    needs_reference: ClassVar[bool] = True
    """Whether an answer of this kind must give ``reference``."""
    formula: ClassVar[bool] = False
    """Whether stated values are formulas checked by the math engine."""

    # ------------------------------------------------------------------ rubric fields

    def validate(self, spec: AnswerSpec) -> list[Problem]:
        """Static problems of an answer spec: fields of other kinds, a missing or malformed reference."""
        allowed = COMMON_FIELDS | self.fields
        foreign = sorted(f for f in spec.set_fields() - allowed)
        if foreign:
            return [
                (
                    foreign[0],
                    f"not a field of kind {self.name} (its fields: {', '.join(sorted(self.fields)) or 'none'})",
                )
            ]
        if self.needs_reference and spec.reference is None:
            return [("reference", f"an answer of kind {self.name} needs a reference")]
        problems: list[Problem] = []
        entries = [("reference", spec.reference)]
        entries += [(f"accept.{i}.reference", acc.reference) for i, acc in enumerate(spec.accept)]
        for key, value in entries:
            if value is None:
                continue
            if isinstance(value, dict) and is_compute(value):
                problems += [(key, m) for m in compute_problems(value)]
            else:
                problems += [(key, m) for m in self.reference_problems(value, spec)]
        for key in ("verify", "instance"):
            target = getattr(spec, key)
            if target is not None and not _FUNCTION.fullmatch(str(target)):
                problems.append((key, f"expected 'package.module:function', got {target!r}"))
        return problems + self.field_problems(spec)

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        """Why a reference written as data has the wrong form for this kind ([] when fine)."""
        return []

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        """Other static problems of this kind's fields ([] when fine)."""
        return []

    def audit(self, ctx: Context, refs: list[Accepted]) -> list[Problem]:
        """Deeper checks for ``grader rubric check`` (formulas parse and are well-typed...)."""
        return []

    @abstractmethod
    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        """The reference of a ``reference:`` (or ``accept``) entry written as data."""

    # ------------------------------------------------------------------ grading

    @abstractmethod
    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        """The claims of an attempt that state this answer ([] when it does not state it)."""

    @abstractmethod
    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        """One stated value against one accepted reference (never raises on bad input)."""

    def prepare(self, value: str, ctx: Context) -> str:
        """A value typed by a user (``grader check``) made ready for :meth:`compare`."""
        return value.strip()

    def check(self, value: str, refs: list[Accepted], ctx: Context) -> CheckResult:
        """A stated value against every accepted reference, combined (see :func:`combine`)."""
        return combine([(acc, self.compare(value, acc, ctx)) for acc in refs])

    def check_claim(self, claim: Claim, refs: list[Accepted], ctx: Context) -> CheckResult:
        """A claim found in an attempt against every accepted reference (default: its value checked)."""
        return self.check(claim.value, refs, ctx)

    def check_in_attempt(
        self, claim: Claim, attempt: Attempt, refs: list[Accepted], ctx: Context
    ) -> CheckResult:
        """As :meth:`check_claim`; for a formula kind, a claim found wrong whose text lost scripts or a
        radical to the PDF's layout (:func:`grader.answers.layout_marks.scripts_set_apart`) is not shown
        wrong: what was read is not what was written. A closing formula that nothing marks as the answer
        (source ``closing``, :func:`grader.extract_assign.closing_formula`) can show it right, never
        wrong."""
        result = self.check_claim(claim, refs, ctx)
        if claim.source == "closing" and result.verdict == "incorrect":
            return unsure(
                result,
                "the formula closing the working, not marked as the answer: it may state something else; "
                "a person must check",
            )
        if self.formula and result.verdict == "incorrect":
            from grader.answers.layout_marks import rows_set_apart, scripts_set_apart

            why = scripts_set_apart(attempt, claim)
            if not why and result.evidence.get("shape_mismatch"):
                why = rows_set_apart(attempt, claim)
            if why:
                result.evidence["layout_lossy"] = True
                return unsure(
                    result, f"read from a PDF layout that sets scripts apart ({why}); a person must check"
                )
        return result

    def outcome(
        self, claims: list[Claim], attempt: Attempt, refs: list[Accepted], ctx: Context
    ) -> AnswerOutcome:
        """What an attempt establishes for this answer from its claims (default: check each, combine)."""
        from grader.score import AnswerOutcome, claim_confidence, outcome_of

        results = [
            claim_result(c, ctx.answer.id, self.check_in_attempt(c, attempt, refs, ctx)) for c in claims
        ]
        outcome = AnswerOutcome(
            ctx.answer.id, outcome_of(results), results, confidence=claim_confidence(results)
        )
        if outcome.outcome == "inconsistent":
            outcome.flags.append("inconsistent_final")
        if any("dimension_error" in r.evidence for r in results if r.verdict == "incorrect"):
            outcome.flags.append("dimension_error")
        return outcome


_FUNCTION = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")


def compute_problems(value: dict[str, Any]) -> list[str]:
    """Why ``{compute: ..., reproduce: ...}`` is malformed ([] when fine); nothing is imported here."""
    extra = sorted(set(value) - {"compute", "reproduce"})
    if extra:
        return [f"a computed reference has keys compute and reproduce only, not {', '.join(extra)}"]
    bad = [str(v) for k, v in value.items() if not _FUNCTION.fullmatch(str(v))]
    return [f"expected 'package.module:function', got {b!r}" for b in bad]


def is_compute(value: Any) -> bool:
    """Whether a reference entry is ``{compute: "module:function"}`` (computed by Python)."""
    return isinstance(value, dict) and "compute" in value


def claim_result(claim: Claim, answer_id: str, res: CheckResult) -> ClaimResult:
    """A checked claim as it goes into the report."""
    return ClaimResult(
        answer=answer_id,
        text=claim.text,
        verdict=res.verdict,
        explanation=res.explanation,
        interpreted=res.interpreted,
        reference=res.reference,
        evidence=res.evidence,
        source=claim.source,
        block=claim.block,
    )


def unsure(result: CheckResult, why: str) -> CheckResult:
    """Turn a verdict that rests on no positive evidence into ``unparseable``, saying why."""
    verdict: ClaimVerdict = "unparseable"
    result.evidence["not_incorrect_because"] = why
    return CheckResult(
        verdict,
        result.interpreted,
        result.reference,
        f"{why}; {result.explanation}".strip("; "),
        result.evidence,
    )
