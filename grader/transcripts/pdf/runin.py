"""Run-in speaker labels that follow another run-in heading on the same line.

A typed write-up (LaTeX's ``\\paragraph``, a Word document's bold lead-ins) often sets a section's
heading and the speaker's label as one bold run at the start of a paragraph: "**Part (a): Figure 1.
User Input.** I provided a screenshot ...". The label then does not start its row, so it is not read
as a label. :func:`split_run_in_labels` cuts such a row in two where a speaker label starts inside
its leading bold run, after a sentence's end: the heading stays a row of its own (nothing is lost)
and the label starts the next one.
"""

from __future__ import annotations

import dataclasses
import re

from grader.transcripts.pdf.labels import speaker_label
from grader.transcripts.pdf.layout import Row

_SENTENCE_END = re.compile(r"[.:)]\s+")


def _leading_bold_words(row: Row) -> int:
    """How many words the row's leading bold run holds (0 when the row does not start bold)."""
    words = 0
    for piece in sorted(row.pieces, key=lambda p: p.x0):
        if not piece.text.strip():
            continue
        if not piece.bold:
            break
        words += len(piece.text.split())
    return words


def split_row(row: Row, words: int) -> tuple[Row, Row]:
    """``row`` cut before its ``words``-th word: the pieces go to the side their words fall on (the
    meta is copied to both parts)."""
    tokens = row.text.split()
    head_text, tail_text = " ".join(tokens[:words]), " ".join(tokens[words:])
    head_pieces, tail_pieces, seen = [], [], 0
    for piece in sorted(row.pieces, key=lambda p: p.x0):
        n = len(piece.text.split())
        if seen < words < seen + n:  # the cut falls inside this run: share it out by characters
            before = " ".join(piece.text.split()[: words - seen]) + " "
            at = piece.x0 + (piece.x1 - piece.x0) * len(before) / max(len(piece.text), 1)
            head_pieces.append(dataclasses.replace(piece, text=before, x1=at))
            tail_pieces.append(
                dataclasses.replace(piece, text=" ".join(piece.text.split()[words - seen :]), x0=at)
            )
        else:
            (head_pieces if seen < words else tail_pieces).append(piece)
        seen += n
    tail_x0 = tail_pieces[0].x0 if tail_pieces else row.x0
    head = dataclasses.replace(row, text=head_text, pieces=head_pieces, x1=tail_x0, meta=dict(row.meta))
    tail = dataclasses.replace(row, text=tail_text, pieces=tail_pieces, x0=tail_x0, meta=dict(row.meta))
    return head, tail


def split_run_in_labels(rows: list[Row]) -> list[Row]:
    """``rows`` with every row whose leading bold run holds a speaker label after a heading cut in two
    (see the module docstring); other rows unchanged, order kept."""
    out: list[Row] = []
    for row in rows:
        bold_words = _leading_bold_words(row)
        if bold_words < 3 or row.note or speaker_label(row.text, True) is not None:
            out.append(row)
            continue
        bold_text = " ".join(row.text.split()[:bold_words])
        cut = None
        for m in _SENTENCE_END.finditer(bold_text):
            at = len(bold_text[: m.end()].split())
            hit = speaker_label(" ".join(row.text.split()[at:]), True)
            if hit is not None and len(hit.label.split()) <= bold_words - at:
                cut = at
                break
        if cut is None:
            out.append(row)
            continue
        out.extend(split_row(row, cut))
    return out
