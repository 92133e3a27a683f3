"""``kind: tokens``: a token sequence (``<sos>, I, see, a, dog``).

Rubric fields: ``reference`` (a list of tokens, or one comma-separated string). Special tokens are
canonical (``<SOS>`` = ``⟨sos⟩`` = ``[SOS]`` = ``<bos>``); words are case-sensitive. A sequence that
differs at a position is incorrect, naming the position; no sequence found is unparseable.
"""

from __future__ import annotations

from typing import Any

from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context
from grader.answers.formula import guarded
from grader.answers.registry import register
from grader.checkers.tokens import canonical_token, check_tokens
from grader.claim import Claim
from grader.extract_text import token_claims
from grader.rubric import AnswerSpec
from grader.verdicts import CheckResult
from reference_solutions.types import Reference


def _tokens(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value]
    return [t.strip() for t in str(value).split(",") if t.strip()]


@register
class TokensKind(AnswerKind):
    """A token sequence compared in order."""

    name = "tokens"
    summary = "a token sequence, compared in order (special tokens canonical, words case-sensitive)"

    def reference_problems(self, value: Any, spec: AnswerSpec) -> list[str]:
        if isinstance(value, dict) or not _tokens(value):
            return ["a tokens reference is a list of tokens or a comma-separated string"]
        return []

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        toks = _tokens(value)
        return Reference(
            ctx.target, self.name, ", ".join(toks), value=toks, method="sequence given in the rubric"
        )

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        from grader.references import accepted_references

        refs = accepted_references(ctx)
        tokens = list(refs[0].reference.value or []) if refs else []
        first = canonical_token(str(tokens[0])) if tokens else None
        start = first if first and first.startswith("<") else None
        return token_claims(attempt, ctx.answer, start, length=len(tokens))

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        ref = accepted.reference
        return guarded(lambda: check_tokens(value, [str(t) for t in ref.value or []]), ref.display)
