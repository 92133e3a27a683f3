"""A radical sign that a PDF's text layer lost, restored where the attempt's own working asks for it.

Chat UIs draw the radical sign of ``\\sqrt{d}`` as a picture, not a glyph, so a PDF printed from them
keeps only the radicand: ``s = \\sqrt{d}`` is read ``s = d``. When such a statement, read from a layout
that may have lost marks (:func:`grader.answers.layout_marks.scripts_set_apart`), is wrong as read, two
independent pieces of evidence can show what was written: the square root of what was read is the
reference, and an equation of the attempt's working in the answer's symbol (``\\frac{d}{s^2} = 1``, the
step the answer is solved from) holds for that square root and not for what was read. Both are needed;
the restoration can only show an answer right, never wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.extract import block_maths, statements
from grader.latex import split_top_level

if TYPE_CHECKING:
    from grader.align import Attempt
    from grader.answers.base import Accepted, AnswerKind, Context
    from grader.claim import Claim

MAX_WORKING_EQUATIONS = 40
"""Equations of the working tried at most (each is two small equivalence checks)."""


def _holds(side: str, other: str, symbol: str, value: str, ctx: Context) -> bool | None:
    """Whether ``side = other`` holds with ``symbol`` set to ``value`` (None: could not tell)."""
    from grader import mathx
    from grader.errors import BudgetExceeded, GraderError

    try:
        res = mathx.equiv(
            other, f"{side} \\text{{ where }} {symbol} = {value}", ctx.symbol_table(), budget_s=1.0
        )
    except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError, RecursionError):
        return None
    return {"correct": True, "incorrect": False}.get(res.verdict)


def _mentions(side: str, symbol: str, ctx: Context) -> bool | None:
    """Whether the formula ``side`` uses ``symbol`` (None: it does not parse)."""
    from grader import mathx
    from grader.errors import BudgetExceeded, GraderError
    from grader.mathx import ast as A

    try:
        return symbol in A.free_symbols(mathx.parse(side, ctx.symbol_table(), budget_s=0.5))
    except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError, RecursionError):
        return None


def working_supports(attempt: Attempt, symbol: str, restored: str, read: str, ctx: Context) -> str | None:
    """An equation of the attempt that holds for ``symbol = restored`` and not for ``symbol = read``
    (one side in the symbol, the other free of it), as written; else None."""
    tried = 0
    for _, math, _ in block_maths(attempt.blocks):
        for statement, _ in statements(math):
            chain = [side.strip().rstrip(".,;") for _, side in split_top_level(statement, ("=",))]
            for side, other in zip(chain, chain[1:], strict=False):
                if not side or not other:
                    continue
                uses = (_mentions(side, symbol, ctx), _mentions(other, symbol, ctx))
                if uses == (False, True):
                    side, other = other, side
                elif uses != (True, False):
                    continue
                tried += 1
                if tried > MAX_WORKING_EQUATIONS:
                    return None
                if (
                    _holds(side, other, symbol, restored, ctx)
                    and _holds(side, other, symbol, read, ctx) is False
                ):
                    return f"{side} = {other}"
    return None


def restore_radical(
    kind: AnswerKind, claim: Claim, attempt: Attempt, refs: list[Accepted], ctx: Context
) -> tuple[str, str] | None:
    """``(restored formula, supporting equation)`` when the square root of the claim's value is the
    reference and the working supports it (:func:`working_supports`); else None. Only for an answer
    that defines a symbol (``defines: s``), whose working can be solved for it."""
    symbol = ctx.answer.defines
    read = claim.value.strip().rstrip(".,;").strip()
    if not symbol or symbol.startswith("\\partial") or not read:
        return None
    restored = f"\\sqrt{{{read}}}"
    if kind.check(restored, refs, ctx).verdict != "correct":
        return None
    support = working_supports(attempt, symbol, restored, read, ctx)
    return (restored, support) if support else None
