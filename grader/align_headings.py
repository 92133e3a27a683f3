"""The headings of an answer: which lines of a block are headings, a block cut at them, and the quantity a
heading restates ("(a) $E[q^T k]$"). Used by :mod:`grader.align` to split answers among parts."""

from __future__ import annotations

import re

from grader.align_labels import LETTER, ROMAN, numbered_label
from grader.latex import math_segments
from grader.models import Block

__all__ = ["heading_lines", "heading_quantities", "split_at_headings"]


def heading_lines(block: Block) -> list[str]:
    """The lines of a text block that read as headings: Markdown headings, part labels ("(a)", "Part (b)",
    "1(a) ..."), a bold line, "Problem 2"."""
    if block.kind not in ("text",):
        return []
    out = []
    for ln in block.text.splitlines():
        s = ln.strip()
        if not s:
            continue
        if s.startswith("#") or re.match(
            rf"^(?:[-*]\s+)?(?:\*\*)?\s*(?:part\s+)?(?:\(?{LETTER}\)|\({ROMAN}\))", s, re.I
        ):
            out.append(s)
        elif re.match(r"^\*\*[^*]{2,80}\*\*:?$", s) or re.match(r"^(?:Problem|Question)\s*\d", s, re.I):
            out.append(s)
        elif numbered_label(s) and re.match(r"^(?:\*\*)?\s*\d{1,2}\s*\.?\s*\(", s):
            out.append(s)  # "1(a) ..." written as a plain line
    return out


def split_at_headings(ib: tuple[int, Block]) -> list[tuple[int, Block]]:
    """A text block cut at its heading lines, each piece keeping the block's index.

    A reader may put the answers to several parts in one block ("(i) ... (ii) ..." under "Final
    answers:", "Part (c): ... Part (d): ..." on one page); each piece can then start its own section.
    A block with no heading after its first line is returned whole.
    """
    index, block = ib
    if block.kind != "text":
        return [ib]
    heads = set(heading_lines(block))
    lines = block.text.splitlines()
    cuts = [i for i, ln in enumerate(lines) if i > 0 and ln.strip() in heads]
    if not cuts:
        return [ib]
    bounds = [0, *cuts, len(lines)]
    pieces = ["\n".join(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [(index, block.model_copy(update={"text": t})) for t in pieces if t.strip()]


def heading_quantities(blocks: list[tuple[int, Block]]) -> list[str]:
    """The formulas the heading of a section (its blocks) names ("### (b) $\\mathrm{Var}(q^T k)$ for $\\mu = 0$" names
    ``\\mathrm{Var}(q^T k)``): the quantity the part asks for, restated. Equations (conditions such as
    ``\\mu = 0``) are not quantities."""
    line = _part_heading(blocks)
    if line is None:
        return []
    if "$" not in line and "\\(" not in line:
        return _plain_quantities(line)
    return [m for m in math_segments(line) if _is_quantity(m)]


_LABELLED_RE = re.compile(
    rf"^(?:[-*#>\s]*)(?:\*\*)?\s*(?:part\s+)?(?:\d{{1,2}}\s*\.?\s*)?\(?(?:{LETTER}|{ROMAN})\)", re.I
)


def _part_heading(blocks: list[tuple[int, Block]]) -> str | None:
    """The heading that opens a section: its first line when that is a heading, else the first heading
    of the section that carries a part label ("Part (a): Find ..."), which a model often writes after a
    sentence or two of setup. Other headings inside an answer ("Step 1: ...") name steps, not the part."""
    first = next((b for _, b in blocks if b.kind == "text" and b.text.strip()), None)
    if first is None:
        return None
    line = first.text.strip().splitlines()[0]
    if line in heading_lines(first):
        return line
    for _, block in blocks:
        for head in heading_lines(block):
            if _LABELLED_RE.match(head):
                return head
    return None


_PLAIN_CALL_RE = re.compile(r"(?<![\w\\])([A-Za-z]{1,4})([\[(])([^\[\]()=<>]{1,40})([\])])")


def _plain_quantities(line: str) -> list[str]:
    """The quantities a heading written without math delimiters names (a PDF's text layer: "Part (b):
    find Var(q k) in terms of d" names ``Var(q k)``): a short name applied to arguments, written
    without a space before its bracket, that no relation follows (``E[x/s] = 0`` is a condition)."""
    out = []
    for m in _PLAIN_CALL_RE.finditer(line):
        if m.group(1).lower() in ("part", "q"):
            continue
        if re.match(r"\s*(?:[=<>≤≥≈∼~]|\\[lg]eq?|\\approx)", line[m.end() :]):
            continue
        if {m.group(2), m.group(4)} not in ({"(", ")"}, {"[", "]"}):
            continue
        out.append(m.group(0))
    return out


_RELATION_RE = re.compile(r"[=<>≤≥≈∼~∈→]|\\(?:[lg]eq?|approx|sim|in|to|neq)(?![A-Za-z])")
_NAME_RE = re.compile(r"\\?[A-Za-z]+'*(?:_\{?[\w\\]+\}?)?(?:\^\{?[\w\\*]+\}?)?|\\[A-Za-z]+\{[^{}]*\}")


def _is_quantity(math: str) -> bool:
    """A compound expression the heading names (``E[q^T k]``, ``\\mathrm{Var}(q^T k)``), not a relation
    (``\\mu = 0``, ``X \\sim N(0, 1)``) nor a bare name, which may denote something else in the
    part (and which the rubric's symbols and aliases already cover)."""
    m = math.strip()
    return bool(m) and not _RELATION_RE.search(m) and not _NAME_RE.fullmatch(m)
