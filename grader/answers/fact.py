"""``kind: fact``: a short fact of a reading stated in words (who won, which dataset, what method).

Rubric fields: ``reference`` (the fact as a phrase, "Ben Johnson"), ``synonyms`` (other phrasings),
``source`` (the sentence of the reading it comes from, cited as evidence). The rubric's
``vocabulary`` may list the wrong candidates a model is likely to give: naming one is incorrect;
naming nothing known is unparseable (a person reads it).
"""

from __future__ import annotations

from grader.align import Attempt
from grader.answers.base import Accepted, Context
from grader.answers.name import NameKind
from grader.answers.registry import register
from grader.claim import Claim
from grader.verdicts import CheckResult
from reference_solutions.types import Reference


@register
class FactKind(NameKind):
    """A fact in words, matched as a phrase; cites the source sentence."""

    name = "fact"
    summary = "a fact of a reading in words, with the sentence it comes from"
    fields = frozenset({"synonyms", "context", "source"})

    def reference_from_data(self, value: object, ctx: Context) -> Reference:
        ref = super().reference_from_data(value, ctx)
        ref.kind = self.name
        if ctx.answer.source:
            ref.evidence["sentence"] = ctx.answer.source
            ref.method = "fact of the source"
        return ref

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        return super().extract(attempt, ctx)

    def check(self, value: str, refs: list[Accepted], ctx: Context) -> CheckResult:
        result = super().check(value, refs, ctx)
        if ctx.answer.source:
            result.evidence.setdefault("source_sentence", ctx.answer.source)
        return result
