"""The student's comment typed on in a colour of its own right after the model's text, on the same line.

A write-up that pastes the model's answer in black and adds the student's remarks in red or blue often
starts a remark mid-line (an invented example: "... so the cost is O(n log n) The step before was not
needed"). The
row's colour is then the black text's or the remark's, and the remark's first words are read inside
the model's line. :func:`split_coloured_tails` cuts such a row where its trailing run of saturated-colour
prose starts, so the remark is a row of its own, which ``reasoning.coloured_commentary`` then judges like
any other coloured line (a colour the model also uses stays the model's text). Nothing is lost: both
parts stay rows in reading order.
"""

from __future__ import annotations

import re

from grader.transcripts.pdf.geometry import MONO_FONT
from grader.transcripts.pdf.katex import KATEX_ERROR_COLOR, Piece
from grader.transcripts.pdf.layout import Row, build_row, saturated

MIN_TAIL_WORDS = 3
"""A coloured tail needs this many words of prose to be a remark (a coloured link or symbol is not)."""

_WORD = re.compile(r"[^\W\d_]{2,}")


def _tail_start(pieces: list[Piece]) -> int | None:
    """Index in ``pieces`` (left to right) where the trailing run of one saturated colour starts, when
    it follows text in another, unsaturated colour; None otherwise."""
    inked = [i for i, p in enumerate(pieces) if p.text.strip()]
    if len(inked) < 2:
        return None
    colour = pieces[inked[-1]].color
    if not saturated(colour) or colour == KATEX_ERROR_COLOR:
        return None
    start = None
    for i in reversed(inked):
        p = pieces[i]
        if p.color != colour or p.katex or MONO_FONT.search(p.font):
            break
        start = i
    if start is None or start == inked[0]:
        return None
    head = [pieces[i] for i in inked if i < start]
    if any(saturated(p.color) for p in head):
        return None  # the line is coloured throughout (a heading, a link list): no remark starts here
    tail_text = " ".join(p.text for p in pieces[start:])
    if len(_WORD.findall(tail_text)) < MIN_TAIL_WORDS:
        return None
    return start


def split_coloured_tails(rows: list[Row]) -> list[Row]:
    """``rows`` with every row that ends in a coloured remark after the model's text cut in two (see the
    module docstring); other rows unchanged, order kept."""
    out: list[Row] = []
    for row in rows:
        if row.note or len(row.pieces) < 2:
            out.append(row)
            continue
        pieces = sorted(row.pieces, key=lambda p: (p.x0, p.baseline))
        start = _tail_start(pieces)
        head = build_row(pieces[:start], row.page) if start is not None else None
        tail = build_row(pieces[start:], row.page) if start is not None else None
        if head is None or tail is None:
            out.append(row)
            continue
        for part in (head, tail):
            part.meta = {**row.meta, **part.meta}
        tail.meta["coloured_tail"] = True
        out.extend((head, tail))
    return out
