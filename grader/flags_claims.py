"""Flags that the evidence of checked claims establishes (beside the answer kinds' own flags).

``false_statement``: a claim of the answer states one of the rubric's known misconceptions (a concept
answer's ``misconceptions``, matched in a sentence that does not offer it as one alternative among
others), and the checker judged the claim ``incorrect`` for it (the misconception and none of the key
ideas), or judged it ``partial`` with the misconception stated flat out: in a sentence that states no key
idea and qualifies nothing (no condition, contrast, hedge or negation). Otherwise, beside key ideas a
misconception's words are no proof: they may be those of a qualified, true statement ("the penalty
encourages small singular values, but not zero"). A claim read from lossy text
(a PDF's destroyed math, OCR), or one the checker could not judge, raises nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from grader.models import Block, ClaimResult, Flag

__all__ = ["claim_flags", "states_misconception"]


def states_misconception(claim: ClaimResult, blocks: dict[int, Block]) -> bool:
    """Whether a judged claim, read from exact text, states a known misconception of the rubric.

    ``blocks``: the attempt's blocks by index (a claim whose block is unknown or lossy is not evidence).
    """
    if claim.verdict == "partial" and claim.evidence.get("plain_misconceptions"):
        pass  # stated flat out beside the key ideas it has: no qualified true statement (see the docstring)
    elif claim.verdict != "incorrect" or not claim.evidence.get("misconceptions"):
        return False
    if claim.evidence.get("fidelity") == "lossy":
        return False
    block = blocks.get(claim.block) if claim.block is not None else None
    return block is not None and block.fidelity == "exact"


def claim_flags(claims: Iterable[ClaimResult], blocks: dict[int, Block]) -> list[Flag]:
    """The flags the checked claims of one attempt establish (see the module docstring)."""
    if any(states_misconception(c, blocks) for c in claims):
        return ["false_statement"]
    return []
