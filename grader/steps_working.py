"""Does an attempt show its working? (flag ``no_derivation`` when a part asks for a derivation).

Working is a formula of the attempt that is neither one of its answer statements nor a restatement
of the problem (the part's objective under one of its names, or an ``argmin``).
"""

from __future__ import annotations

from grader.align import Attempt
from grader.latex import math_segments, normalize_name, split_top_level
from grader.models import Flag
from grader.rubric import PartSpec

__all__ = ["no_derivation", "shows_working"]


def _restates_objective(seg: str, part: PartSpec) -> bool:
    """An equation that only restates the problem (its objective, or an argmin)."""
    if "argmin" in seg or "arg\\min" in seg:
        return True
    lhs = normalize_name(split_top_level(seg)[0][1])
    names = {normalize_name(n) for o in part.objectives for n in o.names}
    return bool(lhs) and lhs in names


def shows_working(attempt: Attempt, claim_texts: list[str], part: PartSpec) -> bool:
    """True when the attempt has a formula that is working: neither an answer statement nor a
    restatement of the problem."""
    claimed = [t.strip() for t in claim_texts if t and t.strip()]
    for _, b in attempt.blocks:
        if b.kind not in ("text", "math"):
            continue
        for seg in math_segments(b.text) or ([b.text] if b.kind == "math" else []):
            if "=" not in seg and "\\le" not in seg:
                continue
            if any(seg.strip() == c or c in seg for c in claimed):
                continue
            if _restates_objective(seg, part):
                continue
            return True
    return False


def no_derivation(
    attempt: Attempt, part: PartSpec, claim_texts: list[str], derived_before: bool
) -> list[Flag]:
    """``no_derivation``: the part asks for a derivation, and neither this attempt nor an earlier one
    shows working beyond the answer statements themselves."""
    if not part.asks_derivation or derived_before or shows_working(attempt, claim_texts, part):
        return []
    return ["no_derivation"]
