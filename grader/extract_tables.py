"""Answers stated in tables and in per-row sections ("## Ring All-Reduce ... **Total Messages:** $2n(n-1)$").

Every place that states a cell is a claim, so that a summary table contradicting the body is seen.
"""

from __future__ import annotations

import re

from grader.align import Attempt
from grader.claim import Claim
from grader.latex import math_segments, split_top_level
from grader.rubric import AnswerSpec


def parse_table(text: str) -> list[list[str]]:
    """Rows of a Markdown (pipes) or tab-separated table, cells stripped; separator rows dropped."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if "|" in line and "\t" not in line:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
        else:
            cells = [c.strip() for c in line.split("\t")]
        if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
            continue
        rows.append(cells)
    return rows


def clean_cell(cell: str) -> str:
    """A table cell reduced to its math: ``<b><math>n(n-1)</math></b>`` -> ``n(n-1)``."""
    s = re.sub(r"</?(?:b|strong|math|em|i)>", "", cell)
    s = s.replace("**", "")
    segs = math_segments(s)
    return segs[-1] if segs else s.strip()


_COLUMN_PATTERNS = {"count": r"number|messages|count|total", "size": r"size"}
"""Header words of the two columns of a messages table (the rubric names the column: count | size)."""


def table_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    out: list[Claim] = []
    if not answer.row or not answer.column:
        return out
    for bi, b in attempt.blocks:
        if b.kind != "table" and not (b.kind == "text" and "\t" in b.text):
            continue
        rows = parse_table(b.text)
        if not rows:
            continue
        header_idx = next(
            (i for i, r in enumerate(rows) if any(re.search(r"size|messages", c, re.I) for c in r)), None
        )
        if header_idx is None:
            continue
        header = rows[header_idx]
        col = next(
            (
                j
                for j, c in enumerate(header)
                if re.search(_COLUMN_PATTERNS[answer.column], c, re.I)
                and not (answer.column == "count" and re.search("size", c, re.I))
            ),
            None,
        )
        if col is None:
            continue
        offset = 1 if header and header[0] == "" and len(header) > 1 else 0
        for r in rows[header_idx + 1 :]:
            if r and re.search(answer.row, r[0], re.I):
                j = col if len(r) > col else col - offset
                if 0 <= j < len(r) and r[j].strip():
                    out.append(Claim(answer.id, r[j], clean_cell(r[j]), "table", bi))
    return out


def body_row_claims(attempt: Attempt, answer: AnswerSpec, rows: list[str]) -> list[Claim]:
    """Lines like "**Total Messages:** $n(n-1)$" under a heading naming the row."""
    if not answer.row or not answer.column:
        return []
    found: list[Claim] = []
    current: str | None = None
    for bi, b in attempt.blocks:
        if b.kind != "text":
            continue
        for line in b.text.splitlines():
            s = line.strip()
            if not s:
                continue
            is_heading = s.startswith("#") or re.fullmatch(r"\**[^$]{0,60}\**:?", s) is not None
            if is_heading:
                current = next((row for row in rows if re.search(row, s, re.I)), current)
                continue
            if current != answer.row:
                continue
            maths = math_segments(s)
            if not maths:
                continue
            low = s.lower()
            if answer.column == "count":
                ok = ("total" in low and "message" in low) or bool(
                    re.match(r"^[-*\s]*(?:\*\*)?total\s*(?:\*\*)?:", low)
                )
                ok = ok and "timestep" not in low
            else:
                ok = bool(re.search(r"size|each message (?:contains|is)|per message", low))
            if ok:
                value = maths[-1]
                chain = split_top_level(value)
                found.append(Claim(answer.id, s, chain[-1][1], "body", bi))
    return found[-1:]
