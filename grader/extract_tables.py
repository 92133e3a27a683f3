"""Answers stated in tables and in per-row sections ("## Ring All-Reduce ... **Total Messages:** $2n(n-1)$").

Every place that states a cell is a claim, so that a summary table contradicting the body is seen.
"""

from __future__ import annotations

import re

from grader.align import Attempt
from grader.claim import Claim
from grader.latex import math_segments, split_top_level
from grader.phrases import PhraseItem, search_any
from grader.rubric import TableSpec
from grader.tables import merge_wrapped_rows, parse_table

__all__ = ["body_row_claims", "clean_cell", "keyed_rows", "merge_wrapped_rows", "parse_table", "table_claims"]


def keyed_rows(attempt: Attempt) -> list[tuple[int, str, list[str]]]:
    """(block index, first cell, other cells) of every row of the attempt's tables, wrapped lines joined:
    a row keyed by an answer's label ("A", "W_k shape") states that answer in its other cells."""
    out = []
    for bi, b in attempt.blocks:
        if b.kind != "table" and not (b.kind == "text" and "\t" in b.text):
            continue
        for row in merge_wrapped_rows(parse_table(b.text)):
            if len(row) >= 2 and row[0].strip():
                out.append((bi, row[0].strip(), [c for c in row[1:] if c.strip()]))
    return out


def clean_cell(cell: str) -> str:
    """A table cell reduced to its math: ``<b><math>n(n-1)</math></b>`` -> ``n(n-1)``."""
    s = re.sub(r"</?(?:b|strong|math|em|i)>", "", cell)
    s = s.replace("**", "")
    segs = math_segments(s)
    return segs[-1] if segs else s.strip()


def _matches(items: list[PhraseItem], text: str) -> bool:
    return search_any(items, text) is not None


def _column(header: list[str], spec: TableSpec) -> int | None:
    """Index of the header cell that names the answer's column (and none of ``not_column``)."""
    for j, cell in enumerate(header):
        if _matches(spec.column, cell) and not _matches(spec.not_column, cell):
            return j
    return None


def table_claims(attempt: Attempt, answer_id: str, spec: TableSpec) -> list[Claim]:
    """Every cell at the answer's row and column, in every table of the attempt."""
    out: list[Claim] = []
    for bi, b in attempt.blocks:
        if b.kind != "table" and not (b.kind == "text" and "\t" in b.text):
            continue
        rows = parse_table(b.text)
        header_idx = next((i for i, r in enumerate(rows) if _column(r, spec) is not None), None)
        if header_idx is None:
            continue
        header = rows[header_idx]
        col = _column(header, spec)
        assert col is not None
        offset = 1 if header and header[0] == "" and len(header) > 1 else 0
        for r in rows[header_idx + 1 :]:
            if r and _matches(spec.row, r[0]):
                j = col if len(r) > col else col - offset
                if 0 <= j < len(r) and r[j].strip():
                    out.append(Claim(answer_id, r[j], clean_cell(r[j]), "table", bi))
    return out


def body_row_claims(
    attempt: Attempt, answer_id: str, spec: TableSpec, rows: list[list[PhraseItem]]
) -> list[Claim]:
    """Lines like "**Total Messages:** $n(n-1)$" under a heading naming the row (the last one)."""
    found: list[Claim] = []
    current: int | None = None
    mine = next((i for i, r in enumerate(rows) if r == spec.row), None)
    for bi, b in attempt.blocks:
        if b.kind != "text":
            continue
        for line in b.text.splitlines():
            s = line.strip()
            if not s:
                continue
            is_heading = s.startswith("#") or re.fullmatch(r"\**[^$]{0,60}\**:?", s) is not None
            if is_heading:
                current = next((i for i, row in enumerate(rows) if _matches(row, s)), current)
                continue
            if current is None or current != mine:
                continue
            maths = math_segments(s)
            if not maths:
                continue
            label = s[: s.find("$")] if "$" in s else s
            if _matches(spec.column, label) and not _matches(spec.not_column, label):
                chain = split_top_level(maths[-1])
                found.append(Claim(answer_id, s, chain[-1][1], "body", bi))
    return found[-1:]
