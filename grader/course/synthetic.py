"""Stand-in rubrics for grading without one: the parts found, no reference, symbols inferred.

Alignment (:mod:`grader.align`) and the step checker (:mod:`grader.steps`) read parts and typed
symbols from a :class:`grader.rubric.Rubric`. Without a rubric, a stand-in holds the parts found (in
the question PDF or the transcript's own numbering), each with one ``free_text`` answer that nothing
checks, and, for the step checker, the symbols of the attempt's formulas declared as positive
scalars: a step that holds for every matrix holds for 1×1 ones, so treating symbols as scalars can
miss a wrong matrix step but not invent one (dimension counts such as ``tr(I_d) = d`` aside).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader.align import Attempt
from grader.course.model import QuestionSet
from grader.course.numbering import FoundPart
from grader.errors import BudgetExceeded, MathParseError
from grader.latex import math_segments, split_top_level
from grader.mathx import ast as A
from grader.mathx import parse
from grader.mathx.symbols import SymbolTable
from grader.rubric import AnswerSpec, PartSpec, Rubric, SymbolDecl

UNKNOWN_HOMEWORK = "unknown"
"""The homework id of a report whose homework could not be told."""
_MAX_SYMBOLS = 40


def _part(pid: str, question: str, label: str, title: str = "") -> PartSpec:
    return PartSpec(
        id=pid,
        question=question,
        label=label,
        title=title,
        points=1,
        answers=[AnswerSpec(id="answer", kind="free_text", points=1)],
    )


def stand_in_rubric(
    homework: str,
    parts: Sequence[tuple[str, str, str, str]],
    symbols: dict[str, SymbolDecl] | None = None,
) -> Rubric:
    """A rubric with the given parts ``(id, question, label, title)`` and nothing to check."""
    slug = re.sub(r"[^a-z0-9-]+", "-", (homework or "").lower()).strip("-")
    return Rubric(
        id=slug or UNKNOWN_HOMEWORK,
        title=f"{homework} (no rubric)",
        parts=[_part(*p) for p in parts] or [_part("q1", "1", "")],
        symbols=symbols or {},
    )


def parts_of_questions(qs: QuestionSet) -> list[tuple[str, str, str, str]]:
    """The parts of a question PDF as stand-in rows (title: the question's title)."""
    titles = {q.number: q.title for q in qs.questions}
    return [(p.id, p.question, p.label, titles.get(p.question, "")) for p in qs.parts()]


def parts_of_numbering(found: Sequence[FoundPart]) -> list[tuple[str, str, str, str]]:
    """The parts a transcript names as stand-in rows."""
    return [(p.id, p.question, p.label, "") for p in found]


def attempt_symbols(attempt: Attempt) -> dict[str, SymbolDecl] | None:
    """The symbols of the attempt's formulas, each declared a positive scalar (None: too many to check,
    the math is likely garbled).

    A symbol the attempt solves for (the bare left side of an equation, ``x = ...``) stays undeclared:
    the step checker treats it as the unknown and checks that its value solves the equation before.
    """
    names: set[str] = set()
    solved: set[str] = set()
    table = SymbolTable(functions=("f",))
    for _, block in attempt.blocks:
        if block.kind not in ("text", "math"):
            continue
        for seg in math_segments(block.text) or ([block.text] if block.kind == "math" else []):
            sides = split_top_level(seg)
            for i, (_, side) in enumerate(sides):
                if not side or len(side) > 300:
                    continue
                try:
                    node = parse(side, table, budget_s=0.2)
                except (MathParseError, BudgetExceeded, RecursionError, ValueError):
                    continue
                names |= A.free_symbols(node)
                if i == 0 and len(sides) > 1 and isinstance(node, A.Sym):
                    solved.add(node.name)
                if len(names) > _MAX_SYMBOLS:
                    return None
    return {n: SymbolDecl(kind="scalar", positive=True) for n in sorted(names - solved) if n.isidentifier()}
