"""A statement of an answer found in an attempt, before it is checked."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Claim:
    """A statement of an answer found in an attempt.

    Attributes:
        answer: the answer id it states.
        text: the claim as it appears (a formula or a sentence).
        value: the part to check (the right-hand side of an equation, a cell, a sentence).
        source: where it was found: boxed, answer-line, bold, equation, table, body, text.
        block: index of the block within its turn.
        final: whether it is stated as a final answer (as opposed to a working step).
        bare: whether it says nothing of what it is about (a boxed value with no label), so that it
            was given to this answer by its words or its order (:mod:`grader.extract_assign`).
    """

    answer: str
    text: str
    value: str
    source: str
    block: int | None
    final: bool = True
    bare: bool = False
