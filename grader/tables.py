"""Rows of a table as a transcript shows it: Markdown pipes or tab-separated text, wrapped lines joined."""

from __future__ import annotations

import re

__all__ = ["merge_wrapped_rows", "parse_table"]


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


def merge_wrapped_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows with their wrapped continuation lines joined back: a PDF's text layer breaks a long cell
    over lines, and each further line comes out as a row whose first cell is empty. Cell by cell, a
    piece is joined to the one above with a space, or directly after a hyphen (``"bd,hdq-"`` +
    ``">bhq"``, ``"per-"`` + ``"head"``).

    >>> merge_wrapped_rows([["B", "[d, k]", "keys are"], ["", "", "shared"]])
    [['B', '[d, k]', 'keys are shared']]
    """
    out: list[list[str]] = []
    for row in rows:
        if out and row and not row[0].strip() and any(c.strip() for c in row[1:]):
            prev = out[-1]
            prev += [""] * (len(row) - len(prev))
            for j, cell in enumerate(row):
                piece = cell.strip()
                if piece:
                    glue = "" if not prev[j] or prev[j].endswith("-") else " "
                    prev[j] = prev[j] + glue + piece
            continue
        out.append(list(row))
    return out
