"""Marks a PDF's text layer set apart from the formula they belong to.

A PDF draws a superscript, a subscript or a radical sign as separate glyphs on their own baseline. Its
text layer often gives them as a line of their own next to the formula, which then reads as something
else: ``(X^T X)^{-1} X^T y`` becomes the line ``w = (X X) X y`` followed by the line ``* T −1 T``, and
``s = \\sqrt{d}`` becomes ``s = d`` under a line holding a lone ``√``. What is read is then not what was
written, so a check that finds it wrong is no evidence that the answer is wrong
(:func:`scripts_set_apart`). A column vector or matrix is laid out the same way, one row a line, so a
value of the wrong shape between lines of numbers may be one row of it (:func:`rows_set_apart`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.align import Attempt
    from grader.claim import Claim

_MARKS = frozenset("√∗*†′'⊤^+-−–~·")
"""Glyphs that decorate a formula (radical, star, dagger, prime, transpose, signs of an exponent)."""
_SCRIPT_WORDS = frozenset({"T", "top", "ref", "max", "min"})
"""Words that are written as scripts (``X^T``, ``\\pi_{ref}``, ``\\sigma_{max}``)."""
MAX_MARKS_LINE = 40
"""A longer line is prose or a formula of its own, not scripts that lost their base."""
_SEPARATORS = re.compile(r"[\s~{}_^]+")
"""What separates the marks of one line: spaces, LaTeX's ``~`` and the script braces a reader added."""
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
"""A number alone: a row of a vector or matrix laid out line by line."""


def _token_is_script(tok: str) -> bool:
    tok = unicodedata.normalize("NFKC", tok)
    if all(c in _MARKS for c in tok):
        return True
    core = tok.strip("".join(_MARKS)).strip("(){}")
    if not core:
        return True
    if core.isdigit() and len(core) <= 2:
        return True  # the 2 of a square, the -1 of an inverse
    if len(core) == 1 and core.isalpha():
        return True  # an index i, j, k, or the T of a transpose
    return core in _SCRIPT_WORDS


def is_marks_line(line: str) -> bool:
    """Whether ``line`` holds only scripts and marks set apart from their formula.

    The line must hold a radical, a star, a dagger, a prime, a transpose ``T`` or a signed exponent
    (not only letters and digits, which may be a short answer of its own), and no word of prose.

    >>> is_marks_line("∗ 𝑇 −1 𝑇"), is_marks_line("s √"), is_marks_line("$$~†~T_{-1}$$"), is_marks_line("d = 4")
    (True, True, True, False)
    """
    text = line.strip().strip("$").strip()
    if not text or len(text) > MAX_MARKS_LINE:
        return False
    tokens = [t for t in _SEPARATORS.split(text) if t]
    if not all(_token_is_script(t) for t in tokens):
        return False
    flat = unicodedata.normalize("NFKC", text)
    strong = (
        any(c in "√∗*†′⊤" for c in flat) or "-1" in flat.replace("−", "-") or "T" in _SEPARATORS.split(flat)
    )
    return strong


def _claim_lines(attempt: Attempt, claim: Claim) -> tuple[list[str], list[int]] | None:
    """The lines of the claim's block and the indices of the lines holding the claim's first line."""
    if claim.block is None:
        return None
    block = next((b for sec in attempt.sections for bi, b in sec.blocks if bi == claim.block), None)
    if block is None:
        return None
    lines = block.text.splitlines()
    needle = claim.text.strip().splitlines()[0].strip() if claim.text.strip() else ""
    # a claim may be read across the math delimiters of its line ("output = $445$" states "output = 445")
    return lines, [k for k, line in enumerate(lines) if needle and (needle in line or needle in _bare(line))]


def _bare(line: str) -> str:
    """A line without its math delimiters (``$213$`` is ``213``)."""
    return line.replace("$", "")


_EXPONENT_TOKEN = re.compile(r"\d{1,2}|[>∗*†′'⊤^+\-−–]")


def is_exponent_line(line: str) -> bool:
    """Whether ``line`` holds only one to three short exponents and marks, with a digit and a mark among
    them (``> 2``, ``+ 2``): the transpose and square of ``q^\\top k`` and ``\\mu^2`` that a PDF set on
    the line above their formula (some fonts draw ``⊤`` as ``>``). A digit alone is no mark (it may be a
    value or a row of its own). Counted only right beside a formula found wrong.

    >>> is_exponent_line("> 2"), is_exponent_line("2"), is_exponent_line("x 2"), is_exponent_line("> T")
    (True, False, False, False)
    """
    tokens = line.split()
    return (
        0 < len(tokens) <= 3
        and all(_EXPONENT_TOKEN.fullmatch(t) for t in tokens)
        and any(t.isdigit() for t in tokens)
        and not all(t.isdigit() for t in tokens)
    )


def is_numbers_line(line: str) -> bool:
    """Whether ``line`` holds only a few numbers (a row of a vector or matrix laid out line by line).

    >>> is_numbers_line("1"), is_numbers_line("2 −1 0"), is_numbers_line("$213$"), is_numbers_line("x = 1")
    (True, True, True, False)
    """
    tokens = _bare(line).replace("−", "-").split()
    return 0 < len(tokens) <= 6 and all(_NUMBER.fullmatch(t) for t in tokens)


def rows_set_apart(attempt: Attempt, claim: Claim) -> str | None:
    """Why the value of ``claim`` may be one row of a vector laid out over lines, else None: the lines
    right before and right after the claim's line both hold only numbers."""
    found = _claim_lines(attempt, claim)
    if found is None:
        return None
    lines, hits = found
    for k in hits:
        if 0 < k < len(lines) - 1 and is_numbers_line(lines[k - 1]) and is_numbers_line(lines[k + 1]):
            return (
                f"the lines {lines[k - 1].strip()!r} and {lines[k + 1].strip()!r} around it look like the other "
                "rows of a vector laid out line by line"
            )
    return None


def scripts_set_apart(attempt: Attempt, claim: Claim) -> str | None:
    """Why the formula of ``claim`` may have lost scripts or a radical in the text layer, else None.

    Evidence: a line of marks (:func:`is_marks_line`) right before or after the claim's line in its
    block, or a block of marks alone in the section of the transcript that answers the part.
    """
    found = _claim_lines(attempt, claim)
    if found is None:
        return None
    lines, hits = found
    for k in hits:
        for j in (k - 1, k + 1):
            if 0 <= j < len(lines) and (is_marks_line(lines[j]) or is_exponent_line(lines[j])):
                return (
                    f"the line {lines[j].strip()!r} beside it holds scripts or a radical set apart by the PDF"
                )
    section = next(sec for sec in attempt.sections if any(bi == claim.block for bi, _ in sec.blocks))
    for bi, other in section.blocks:
        if bi != claim.block and is_marks_line(other.text):
            return f"the block {other.text.strip()!r} of this answer holds scripts set apart by the PDF"
    return None
