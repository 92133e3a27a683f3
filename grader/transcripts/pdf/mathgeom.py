"""Rebuild math from glyph geometry in any print, not only KaTeX's: scripts, fractions, radicals.

A TeX or browser print keeps each glyph run of a formula where it was drawn, but its text layer
reads them line by line: a raised ``T`` becomes a line of its own above ``x``, ``√`` loses the bar
over its radicand, a fraction becomes a numerator line and a denominator line. Here the layout is
read back from the pieces (PyMuPDF spans) and the thin rules the page draws, with every threshold
relative to the glyphs' own size:

- ``mathscripts.attach_scripts``: a run set smaller than a neighbour whose baseline sits above
  (below) the neighbour's and that starts where the neighbour ends is its superscript (subscript):
  ``x^{T}``; over and under a big operator (``∑``, ``∏``, ``∫``) it is a limit: ``∑_{i=1}^{n}``;
- :func:`plain_fraction`: a rule with runs directly above and below it, both centred on it and
  as wide as it, is a fraction;
- :func:`radical`: a ``√`` glyph with a rule starting at its right edge is ``\\sqrt{..}`` of the
  runs under the rule.

Tall brackets drawn from parts (``⎡ ⎢ ⎣``, or TeX's private-use codes for them, see ``mathglyphs``)
are matrices: ``brackets.bracket_matrices``. :func:`fold_rules` reads every rule of a page, KaTeX's
fractions (``katex.katex_fraction``) included. What is not rebuilt keeps its glyphs and leaves its row
lossy.
"""

from __future__ import annotations

import re
from dataclasses import replace

from grader.transcripts.pdf.katex import (
    Piece,
    Rule,
    fraction_piece,
    katex_fraction,
    main_katex_size,
    pieces_text,
)

_WORD = re.compile(r"[A-Za-z]{3,}")
_OPERATOR_WORDS = frozenset(
    "var cov exp log sin cos tan tanh max min arg argmax argmin det diag softmax sup inf lim".split()
)


def _line_of(pieces: list[Piece], nearest: float) -> list[Piece]:
    """The pieces on the line whose baseline is ``nearest`` (their scripts included)."""
    anchor = max(p.size for p in pieces if abs(p.baseline - nearest) < 0.5)
    line = [p for p in pieces if abs(p.baseline - nearest) < 0.8 * anchor]
    main = max(line, key=lambda p: p.size)  # the line's own glyphs: its scripts on both sides join
    return [p for p in pieces if abs(p.baseline - main.baseline) < 0.8 * main.size]


def _extent(pieces: list[Piece]) -> tuple[float, float]:
    return min(p.x0 for p in pieces), max(p.x1 for p in pieces)


def _straddled(rule: Rule, line: list[Piece], pieces: list[Piece]) -> bool:
    """A run on the same line crosses an end of the rule: the rule underlines text, it is no bar."""
    base = max(line, key=lambda p: p.size)
    ids = {id(p) for p in line}
    for p in pieces:
        if id(p) in ids or not p.text.strip() or abs(p.baseline - base.baseline) > 0.3 * base.size:
            continue
        tol = 0.3 * base.size
        if any(p.x0 < end - tol and p.x1 > end + tol for end in (rule.x0, rule.x1)):
            return True
    return False


def plain_fraction(rule: Rule, pieces: list[Piece]) -> tuple[list[Piece], list[Piece]] | None:
    """(numerator, denominator) runs when ``rule`` is a fraction bar over glyphs of any font, else None.

    Both parts sit within a line's height of the bar, are centred on it, the wider one is as wide
    as the bar, and nothing else on their lines crosses the bar's ends (an underline, a separator
    between two lines of prose, is no fraction).
    """
    inside = [
        p
        for p in pieces
        if p.text.strip() and p.x0 >= rule.x0 - 0.3 * p.size and p.x1 <= rule.x1 + 0.3 * p.size
    ]
    if not inside:
        return None
    big = max(p.size for p in inside)  # a script in a part is set smaller and shifted further
    num = [p for p in inside if rule.y - 1.2 * big <= p.baseline <= rule.y - 0.02 * p.size]
    num = [p for p in num if p.bottom <= rule.y + 0.4 * p.size]
    den = [p for p in inside if rule.y + 0.3 * p.size <= p.baseline <= rule.y + 1.5 * big]
    den = [p for p in den if p.top >= rule.y - 0.4 * p.size]
    if not num or not den:
        return None
    num = _line_of(num, max(p.baseline for p in num))  # the lines nearest the bar
    den = _line_of(den, min(p.baseline for p in den))
    size = max(p.size for p in num + den)
    width = rule.x1 - rule.x0
    centre = (rule.x0 + rule.x1) / 2
    for part in (num, den):
        x0, x1 = _extent(part)
        if abs((x0 + x1) / 2 - centre) > 0.25 * size + 0.05 * width:
            return None
    widest = max(_extent(num)[1] - _extent(num)[0], _extent(den)[1] - _extent(den)[0])
    if widest < width - 1.0 * size:
        return None
    if _straddled(rule, num, pieces) or _straddled(rule, den, pieces):
        return None
    if _prose(num) or _prose(den):
        return None  # lines of prose about a rule (a box's border, a separator) are no fraction
    return num, den


def _prose(pieces: list[Piece]) -> bool:
    """Two or more words that are not operator names: prose, not a numerator or a denominator."""
    words = [w for p in pieces for w in _WORD.findall(p.text) if w.lower() not in _OPERATOR_WORDS]
    return len(words) >= 2


def radical(rule: Rule, pieces: list[Piece]) -> tuple[Piece, list[Piece]] | None:
    """(the run ending in ``√``, the radicand's runs) when ``rule`` is the bar of a radical, else None."""
    surds = [
        p
        for p in pieces
        if p.text.rstrip().endswith("√")
        and p.x1 - 0.6 * p.size <= rule.x0 <= p.x1 + 0.4 * p.size
        and p.top - 0.4 * p.size <= rule.y <= p.bottom + 0.2 * p.size
    ]
    if not surds:
        return None
    surd = min(surds, key=lambda p: abs(p.x1 - rule.x0))
    under = [
        p
        for p in pieces
        if p is not surd
        and p.text.strip()
        and p.x0 >= rule.x0 - 0.2 * p.size
        and p.x1 <= rule.x1 + 0.15 * p.size
        and p.top >= rule.y - 0.4 * p.size
        and rule.y < p.baseline <= rule.y + 1.6 * p.size
    ]
    if not under:
        return None
    big = [p for p in under if p.size >= 0.8 * max(q.size for q in under)]
    return surd, _line_of(under, min(p.baseline for p in big))


def fold_radical(surd: Piece, radicand: list[Piece], rule: Rule) -> list[Piece]:
    """The pieces that replace a radical: what preceded ``√`` in its run, and ``\\sqrt{..}``."""
    size = max(p.size for p in radicand)
    big = [p for p in radicand if p.size >= 0.8 * size]
    base = sorted(p.baseline for p in big)[len(big) // 2]
    text = "\\sqrt{" + pieces_text(radicand, base, size) + "}"
    head = surd.text.rstrip()[:-1]
    root = replace(
        surd,
        text=text,
        x0=min(rule.x0 - 0.5 * size, surd.x1 - 0.8 * surd.size),
        x1=max(rule.x1, *(p.x1 for p in radicand)),
        top=min(surd.top, rule.y),
        bottom=max(p.bottom for p in radicand),
        baseline=base,
        size=size,
        katex=surd.katex and all(p.katex for p in radicand),
        rebuilt=tuple(sorted({*surd.rebuilt, "sqrt", *(k for p in radicand for k in p.rebuilt)})),
    )
    if not head.strip():
        return [root]
    return [replace(surd, text=head, x1=root.x0), root]


def _row_size(rule: Rule, pieces: list[Piece], parts: list[Piece]) -> float:
    """The size of the text the fraction stands in: runs beside it whose height spans the bar."""
    size = max(p.size for p in parts)
    beside = [
        p.size
        for p in pieces
        if p.text.strip() and p.top <= rule.y <= p.bottom and abs(p.center_x - (rule.x0 + rule.x1) / 2) < 400
    ]
    beside = [s for s in beside if s >= size]
    return sorted(beside)[len(beside) // 2] if beside else size


def fold_rules(pieces: list[Piece], rules: list[Rule]) -> tuple[list[Piece], dict[str, int]]:
    """Fold each rule's fraction (``\\frac{num}{den}``) or radical (``\\sqrt{..}``) into one piece.

    Shorter rules are read first, so that what is nested comes out nested. KaTeX fractions are
    read as ``katex`` reads them; other fonts need the stricter :func:`plain_fraction`. Returns the
    new pieces and how many fractions and radicals were folded.
    """
    counts = {"frac": 0, "sqrt": 0}
    current = list(pieces)
    # A KaTeX fraction stands on the line of the math around it: its row size is the page's main
    # KaTeX size (numerators and denominators of inline fractions are set smaller than that).
    main = main_katex_size(pieces)
    for rule in sorted(rules, key=lambda r: r.x1 - r.x0):
        root = radical(rule, current)
        if root is not None:
            surd, radicand = root
            taken = {id(surd), *map(id, radicand)}
            current = [p for p in current if id(p) not in taken] + fold_radical(surd, radicand, rule)
            counts["sqrt"] += 1
            continue
        parts = katex_fraction(rule, current)
        row_size = main
        if parts is None:
            parts = plain_fraction(rule, [p for p in current if not p.katex])
            row_size = _row_size(rule, current, parts[0] + parts[1]) if parts else 0.0
        if parts is None:
            continue
        num, den = parts
        taken = {id(p) for p in num + den}
        current = [p for p in current if id(p) not in taken] + [fraction_piece(num, den, rule, row_size)]
        counts["frac"] += 1
    return current, counts
