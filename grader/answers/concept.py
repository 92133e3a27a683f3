"""``kind: concept``: a short free-text answer with a definite key, judged by its key ideas.

Rubric fields: ``ideas`` (each ``{id, text, from, match, math, required}``: the idea in a sentence,
where it comes from — the question, the lecture, the catalog —, term sets ``"a|b + c|d"`` matched by
stemmed words in one sentence, and formulas that state it), ``misconceptions`` (same shape: wrong
ideas a rubric author expects from the question), and optionally ``reference`` (a model answer in
prose, shown to the reader). Verdicts and their confidence: :mod:`grader.checkers.concept`.
"""

from __future__ import annotations

from typing import Any

from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context, Problem
from grader.answers.formula import guarded
from grader.answers.registry import register
from grader.checkers.concept import Idea, check_concept, ideas_from_config
from grader.claim import Claim
from grader.extract_text import free_claims
from grader.rubric import AnswerSpec, IdeaSpec
from grader.score import AnswerOutcome
from grader.verdicts import CheckResult
from reference_solutions.types import Reference


def to_ideas(specs: list[IdeaSpec]) -> list[Idea]:
    """Rubric idea specs as matchable ideas."""
    return ideas_from_config([s.model_dump(by_alias=True) for s in specs])


def word_limit_flag(text: str, ctx: Context, outcome: AnswerOutcome) -> None:
    """Raise ``word_limit`` on an outcome whose text ignores the part's word limit (a soft 25% margin)."""
    from grader.checkers.text_utils import check_word_limit

    if not ctx.part.word_limit:
        return
    ok, words = check_word_limit(text, ctx.part.word_limit)
    for r in outcome.claims:
        r.evidence["words"] = words
    if not ok:
        outcome.flags.append("word_limit")
        for r in outcome.claims:
            r.explanation = (
                f"{r.explanation}; {words} words for a limit of about {ctx.part.word_limit}".strip("; ")
            )


@register
class ConceptKind(AnswerKind):
    """Free text with a definite key, matched by meaning."""

    name = "concept"
    summary = "free text with a definite key: key ideas and misconceptions matched by meaning"
    fields = frozenset({"ideas", "misconceptions", "min_ideas"})
    needs_reference = False

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        return [] if isinstance(value, str) else ["a concept reference is a model answer in prose"]

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        if not spec.ideas:
            return [("ideas", "a concept answer needs at least one key idea")]
        if spec.min_ideas is not None and spec.min_ideas > len(spec.ideas):
            return [
                ("min_ideas", f"min_ideas is {spec.min_ideas} but only {len(spec.ideas)} ideas are listed")
            ]
        problems: list[Problem] = [
            (f"ideas[{n}].{key}", f"{key} is for misconceptions (a known incomplete answer), not key ideas")
            for n, idea in enumerate(spec.ideas)
            for key in ("credit", "instead_of")  # misconceptions' fields
            if getattr(idea, key)
        ]
        ids = {idea.id for idea in spec.ideas}
        for n, mis in enumerate(spec.misconceptions):
            unknown = [i for i in mis.instead_of if i not in ids]
            if unknown:
                problems.append((f"misconceptions[{n}].instead_of", f"no key idea {', '.join(unknown)}"))
        return problems

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        return Reference(
            ctx.target, self.name, str(value), value=str(value), method="model answer in the rubric"
        )

    def derived_references(self, ctx: Context) -> list[Accepted]:
        """Without a written reference, the key ideas are the reference."""
        ideas = ctx.answer.ideas
        shown = "; ".join(i.text for i in ideas if i.required or ctx.answer.min_ideas)
        if ctx.answer.min_ideas:
            shown = f"at least {ctx.answer.min_ideas} of: {shown}"
        return [Accepted(Reference(ctx.target, self.name, shown, method="key ideas of the rubric"))]

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        # a summary table of the answer ("what must change | why") states ideas as prose does
        return free_claims(attempt, ctx.answer, with_math=True, with_tables=True)

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        def run() -> CheckResult:
            ideas, wrong = to_ideas(ctx.answer.ideas), to_ideas(ctx.answer.misconceptions)
            return check_concept(value, ideas, wrong, need=ctx.answer.min_ideas)

        return guarded(run, accepted.reference.display)

    def check(self, value: str, refs: list[Accepted], ctx: Context) -> CheckResult:
        # the ideas are the reference: one comparison, whatever model answers the rubric shows
        return self.compare(value, refs[0] if refs else self.derived_references(ctx)[0], ctx)

    def outcome(
        self, claims: list[Claim], attempt: Attempt, refs: list[Accepted], ctx: Context
    ) -> AnswerOutcome:
        outcome = super().outcome(claims, attempt, refs, ctx)
        if claims:
            word_limit_flag(claims[0].value, ctx, outcome)
        return outcome
