"""``kind: choice`` (one option) and ``kind: choices`` (a set of options): multiple choice.

Rubric fields: ``options`` (every option as printed), ``reference`` (the correct option, or the list
of correct options for ``choices``; ``accept`` adds a disputed key). Options match fuzzily (case,
punctuation, ``nn.`` prefixes, a whole-word prefix: "SGD" = "SGD optimizer").

Verdicts: the selected option(s) equal to the reference: correct; a wrong option selected, or a
correct one explicitly rejected ("not Dropout"): incorrect; for ``choices``, a strict subset with
nothing rejected: partial; nothing selected that can be read: unparseable.
"""

from __future__ import annotations

import re
from typing import Any

from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context, Problem
from grader.answers.formula import guarded
from grader.answers.registry import register
from grader.checkers import choices as choice_checker
from grader.claim import Claim
from grader.extract_assign import Bare, about_by_words, answer_lines, assign
from grader.extract_text import choice_claims
from grader.rubric import AnswerSpec
from grader.verdicts import CheckResult
from reference_solutions.types import Reference


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def bold_selection(text: str, options: list[str]) -> list[str]:
    """Options named in bold in a prose answer, in order, without repeats."""
    picked: list[str] = []
    for span in re.findall(r"\*\*([^*]+)\*\*", text):
        opt = choice_checker.match_option(span.strip(" .:"), options)
        if opt and opt not in picked:
            picked.append(opt)
    return picked


def _by_options(line: Bare, members: list[AnswerSpec]) -> AnswerSpec | None:
    """The one choice answer whose options the line selects (options that tell the answers apart),
    else the one whose label the line names."""
    hits = [a for a in members if choice_checker.parse_selection(line.text, a.options)[0]]
    if len(hits) == 1:
        return hits[0]
    return about_by_words(line, members)


@register
class ChoiceKind(AnswerKind):
    """One option of a multiple choice."""

    name = "choice"
    summary = "one option of a multiple choice"
    fields = frozenset({"options"})
    multi = False

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        picked = _as_list(value) if not isinstance(value, dict) else []
        if not picked or (not self.multi and isinstance(value, list) and len(value) != 1):
            return [f"a {self.name} reference names {'the correct options' if self.multi else 'one option'}"]
        unknown = [p for p in picked if choice_checker.match_option(p, spec.options) is None]
        if spec.options and unknown:
            return [f"{', '.join(map(repr, unknown))} is not one of the options {spec.options}"]
        return []

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        return [] if spec.options else [("options", f"an answer of kind {self.name} needs 'options'")]

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        picked = _as_list(value)
        return Reference(
            ctx.target,
            self.name,
            ", ".join(picked),
            value=picked if self.multi else picked[0],
            method="option(s) given in the rubric",
            evidence={"options": list(ctx.answer.options)},
        )

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        members = [a for a in ctx.part.answers if a.kind in ("choice", "choices")]
        if len(members) == 1:
            return choice_claims(attempt, ctx.answer, multi=self.multi)
        # several multiple choices in one part: each "Answer:" line goes to the one it is about
        lines = assign(answer_lines(attempt), members, ctx.answer, lambda _a: False, about=_by_options)
        return [Claim(ctx.answer.id, b.text, b.text, "answer-line", b.block, bare=True) for b in lines]

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        ref = accepted.reference
        correct = [ref.value] if isinstance(ref.value, str) else [str(v) for v in ref.value or []]
        options = list(ctx.answer.options or ref.evidence.get("options", []))

        def run(text: str) -> CheckResult:
            return choice_checker.check_choice(text, options, correct, multi=self.multi)

        result = guarded(lambda: run(value), ref.display)
        bold = bold_selection(value, options)
        if result.verdict == "unparseable" and bold:
            # Prose answers select options by naming them in bold ("**Weight Decay** and **SGD optimizer**").
            result = guarded(lambda: run("Answer: " + ", ".join(bold)), ref.display)
            result.evidence["read_from"] = "options named in bold"
        return result


@register
class ChoicesKind(ChoiceKind):
    """A set of options of a multiple choice (select all that apply)."""

    name = "choices"
    summary = "a set of options (select all that apply); a strict subset is partial"
    multi = True
