"""A model's final answers in an attempt, and final answers that contradict each other, without a rubric.

Final answers are found as :func:`grader.mathx.extract.extract_answers` finds them (``\\boxed{}``,
"Final answer:", "Answer:" lines, the last display formula), per block, so that every place that
states one is listed. Two final answers contradict each other when they give the same quantity (the
same left-hand side, ``u = ...`` and ``u = ...``) two values that the math engine separates on a
random instance; answers it cannot read, or without a left-hand side to tie them, are listed, never
called contradictory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from grader.align import Attempt
from grader.errors import BudgetExceeded, GraderError
from grader.latex import normalize_name, split_top_level
from grader.mathx.extract import extract_answers

_FINAL_SOURCES = ("boxed", "final-answer", "answer-line")
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,20}")
_MAX_TEXT = 400


@dataclass
class FinalAnswer:
    """One final answer stated in an attempt."""

    block: int
    """Index of the block within its turn."""
    text: str
    """The answer as written (cleaned by the extractor)."""
    source: str
    """boxed | final-answer | answer-line | last-math."""


@dataclass
class Contradiction:
    """Two final answers of one attempt that give the same quantity different values."""

    name: str
    first: FinalAnswer
    second: FinalAnswer
    explanation: str
    evidence: dict[str, Any]


def final_answers(attempt: Attempt) -> list[FinalAnswer]:
    """Every final answer the attempt states, in order; the last display formula when none is marked."""
    out: list[FinalAnswer] = []
    last_math: FinalAnswer | None = None
    for bi, block in attempt.blocks:
        if block.kind not in ("text", "math", "table"):
            continue
        for cand in extract_answers(block.text):
            if cand.source in _FINAL_SOURCES:
                for item in cand.items:
                    if item and all(a.text != item or a.block != bi for a in out):
                        out.append(FinalAnswer(bi, item[:_MAX_TEXT], cand.source))
        if block.kind == "math" and block.text.strip():
            # A display formula block is its own text: the last one stands for the answer if none is marked.
            last_math = FinalAnswer(bi, block.text.strip().strip("$").strip()[:_MAX_TEXT], "last-math")
    if not out and last_math is not None:
        out.append(last_math)
    return out


def _definition(text: str) -> tuple[str, str] | None:
    """``u = -\\alpha g/2`` -> ("u", "-\\alpha g/2"); None when the answer defines no name."""
    pieces = split_top_level(text)
    if len(pieces) < 2:
        return None
    lhs, rhs = pieces[0][1].strip(), pieces[-1][1].strip()
    name = normalize_name(lhs)
    if not _NAME_RE.fullmatch(name) or len(lhs) > 40 or not rhs:
        return None
    return name, rhs


def contradictions(answers: list[FinalAnswer], budget_s: float = 2.0) -> list[Contradiction]:
    """Pairs of final answers that define the same name with values the engine separates."""
    from grader.mathx.checks import equiv

    by_name: dict[str, list[tuple[FinalAnswer, str]]] = {}
    for a in answers:
        d = _definition(a.text)
        if d is not None:
            by_name.setdefault(d[0], []).append((a, d[1]))
    out = []
    for name, stated in by_name.items():
        first, first_value = stated[0]
        for other, value in stated[1:]:
            if value.replace(" ", "") == first_value.replace(" ", ""):
                continue
            try:
                res = equiv(first_value, value, None, budget_s=budget_s)
            except (GraderError, BudgetExceeded, RecursionError, ValueError):
                continue
            instance = res.evidence.get("instance") if isinstance(res.evidence, dict) else None
            if res.verdict == "incorrect" and instance is not None:
                out.append(
                    Contradiction(
                        name=name,
                        first=first,
                        second=other,
                        explanation=(
                            f"two different final answers for {name}: {first.text} and {other.text} "
                            f"({res.explanation})"
                        ),
                        evidence=dict(res.evidence),
                    )
                )
                break
    return out
