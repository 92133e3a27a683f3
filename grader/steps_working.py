"""Does an attempt show its working? (flag ``no_derivation`` when a part asks for a derivation).

Working is a formula of the attempt that is neither one of its answer statements nor a restatement
of the problem (the part's objective under one of its names, or an ``argmin``). A formula is a math
segment (``$..$``, a math block) or, in text that has no math markup at all (a PDF's text layer), a
line that reads as an equation rather than prose (:func:`plain_equation_lines`).
"""

from __future__ import annotations

import re

from grader.align import Attempt
from grader.latex import math_segments, normalize_name, split_top_level
from grader.models import Flag
from grader.rubric import PartSpec

__all__ = ["no_derivation", "plain_equation_lines", "shows_working"]

_RELATION = re.compile(r"(?<![=<>!])(?:=|≤|≥|≈|<=|>=)(?![=>])")
_PROSE_WORD = re.compile(r"[A-Za-z]{4,}")
MAX_PROSE_WORDS = 3
"""A line with more words of four letters or more than this is prose that mentions a formula."""


def plain_equation_lines(text: str) -> list[str]:
    """The lines of plain text (no math markup) that read as equations: a relation with something on
    both sides, and at most :data:`MAX_PROSE_WORDS` words of prose.

    >>> plain_equation_lines("Step 2: expand\\nw = (X X + λI) X y\\nSo the weights shrink as lambda grows.")
    ['w = (X X + λI) X y']
    """
    out = []
    for line in text.splitlines():
        pieces = _RELATION.split(line)
        if len(pieces) < 2 or not all(p.strip() for p in pieces):
            continue
        if len(_PROSE_WORD.findall(line)) > MAX_PROSE_WORDS:
            continue
        out.append(line.strip())
    return out


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
        segments = math_segments(b.text) or (
            [b.text] if b.kind == "math" else plain_equation_lines(b.text) if "$" not in b.text else []
        )
        for seg in segments:
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
    """``no_derivation``: the part asks for a derivation, the attempt states a formula answer
    (``claim_texts``: nothing stated, or only prose, is no evidence of a bare result), and neither this
    attempt nor an earlier one shows working beyond the answer statements themselves."""
    if not part.asks_derivation or not any(t.strip() for t in claim_texts):
        return []
    if derived_before or shows_working(attempt, claim_texts, part):
        return []
    return ["no_derivation"]
