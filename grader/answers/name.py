"""``kind: name``: the name of a method or object (gradient descent, sign descent, Adam).

Rubric fields: ``reference`` (an id of the rubric's ``vocabulary``, or the name itself as a phrase),
``synonyms`` (more phrases for the reference), ``context`` (a label that introduces the name in
prose: "optimizer", "method"). The rubric's ``vocabulary`` lists the names a model may give
instead (other methods): naming one of those is positive evidence of a wrong answer; naming
nothing the vocabulary knows is ``unparseable`` (a person reads it).
"""

from __future__ import annotations

from typing import Any

from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context, combine, unsure
from grader.answers.formula import guarded
from grader.answers.registry import register
from grader.checkers.names import Vocabulary, check_name, identify_names
from grader.claim import Claim
from grader.extract_text import name_claims
from grader.rubric import AnswerSpec
from grader.verdicts import CheckResult
from reference_solutions.types import Reference


def _names(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


def vocabulary_for(ctx: Context, refs: list[Accepted]) -> Vocabulary:
    """The rubric's vocabulary, plus every accepted name (a name that is no id is its own phrase);
    the answer's ``synonyms`` join the first name of its own reference."""
    vocab: Vocabulary = {k: list(v) for k, v in ctx.rubric.vocabulary.items()}
    for acc in refs:
        for name in _names(acc.reference.value):
            vocab.setdefault(name, [name])
    own = _names(ctx.answer.reference) if not isinstance(ctx.answer.reference, dict) else []
    if own:
        vocab.setdefault(own[0], [own[0]])
        vocab[own[0]] = vocab[own[0]] + [s for s in ctx.answer.synonyms if s not in vocab[own[0]]]
    return vocab


@register
class NameKind(AnswerKind):
    """A named method or object, matched against the rubric's vocabulary."""

    name = "name"
    summary = "a method or object name; another known name is wrong, an unknown one needs review"
    fields = frozenset({"synonyms", "context"})

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        if isinstance(value, str) and value.strip():
            return []
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return []
        return ["a name reference is a vocabulary id or the name itself (or a list of them)"]

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        names = _names(value)
        shown = " or ".join(n.replace("_", " ") for n in names)
        return Reference(ctx.target, self.name, shown, value=names, method="name given in the rubric")

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        from grader.references import accepted_references

        vocab = vocabulary_for(ctx, accepted_references(ctx))
        return name_claims(attempt, ctx.answer, lambda text: identify_names(text, vocab))

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        return self.check(value, [accepted], ctx)

    def check_claim(self, claim: Claim, refs: list[Accepted], ctx: Context) -> CheckResult:
        """As :meth:`check`; a name found only as some label's value (``q = einsum(...)``), with nothing
        saying it answers this question, is no evidence against the answer when it is another name."""
        result = self.check(claim.value, refs, ctx)
        if claim.bare and result.verdict == "incorrect":
            return unsure(result, "a name given as the value of a label that may be about something else")
        return result

    def check(self, value: str, refs: list[Accepted], ctx: Context) -> CheckResult:
        # every accepted name is in the vocabulary, so naming an accepted alternative is never "another name"
        vocab = vocabulary_for(ctx, refs)

        def one(acc: Accepted) -> CheckResult:
            ref = acc.reference
            return guarded(
                lambda: check_name(value, _names(ref.value), vocab, display=ref.display), ref.display
            )

        return combine([(acc, one(acc)) for acc in refs])
