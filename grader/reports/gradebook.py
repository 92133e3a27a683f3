"""The gradebook: long CSV (one row per transcript × part) and wide CSV (one row per transcript).

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) are prefixed with ``'`` in the CSV files: file names and reasons come
from untrusted uploads. :func:`gradebook_rows` returns the raw values.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from grader.models import Report

LONG_COLUMNS: tuple[str, ...] = (
    "source",
    "model",
    "homework",
    "part",
    "variant",
    "first",
    "final",
    "hinted",
    "flags",
    "score",
    "max_score",
    "attempts",
    "claims",
    "claims_correct",
    "claims_incorrect",
    "claims_other",
    "reason",
    "confidence",
)
"""Columns of the long gradebook, in order."""

WIDE_FIXED: tuple[str, ...] = (
    "source",
    "model",
    "homework",
    "score",
    "max_score",
    "warnings",
    "needs_review",
)
"""The first columns of the wide gradebook; per-part columns follow."""

WIDE_PER_PART: tuple[str, ...] = ("first", "final", "hinted", "flags", "score")
"""Per-part columns of the wide gradebook, named ``<part>_<field>``."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A cell value that no spreadsheet runs as a formula (strings only; numbers pass).

    >>> csv_safe("=HYPERLINK(1)"), csv_safe(-1.5)
    ("'=HYPERLINK(1)", -1.5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def gradebook_rows(reports: list[Report]) -> list[dict[str, Any]]:
    """One row per transcript × part with the columns of :data:`LONG_COLUMNS` (raw values)."""
    rows: list[dict[str, Any]] = []
    for report in reports:
        for part in report.parts:
            claims = [c for a in part.attempts for c in a.claims]
            correct = sum(c.verdict == "correct" for c in claims)
            incorrect = sum(c.verdict == "incorrect" for c in claims)
            rows.append(
                {
                    "source": report.source,
                    "model": report.model or "",
                    "homework": report.homework,
                    "part": part.id,
                    "variant": part.variant or "",
                    "first": part.first,
                    "final": part.final,
                    "hinted": part.hinted,
                    "flags": ";".join(part.flags),
                    "score": part.score,
                    "max_score": part.max_score,
                    "attempts": len(part.attempts),
                    "claims": len(claims),
                    "claims_correct": correct,
                    "claims_incorrect": incorrect,
                    "claims_other": len(claims) - correct - incorrect,
                    "reason": part.reason,
                    "confidence": part.confidence,
                }
            )
    return rows


def _write(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_safe(v) for k, v in row.items()})


def write_gradebook_csv(reports: list[Report], path: Path) -> None:
    """Write the long gradebook (one row per transcript × part) to ``path`` as UTF-8 CSV."""
    _write(path, list(LONG_COLUMNS), gradebook_rows(reports))


def wide_columns(reports: list[Report]) -> list[str]:
    """The wide gradebook's columns: the fixed ones, then ``<part>_<field>`` per part id seen."""
    part_ids: list[str] = []
    for report in reports:
        for part in report.parts:
            if part.id not in part_ids:
                part_ids.append(part.id)
    return [*WIDE_FIXED, *(f"{pid}_{field}" for pid in part_ids for field in WIDE_PER_PART)]


def wide_rows(reports: list[Report]) -> list[dict[str, Any]]:
    """One row per transcript; parts a transcript lacks are left empty."""
    columns = wide_columns(reports)
    rows = []
    for report in reports:
        row: dict[str, Any] = dict.fromkeys(columns, "")
        row.update(
            source=report.source,
            model=report.model or "",
            homework=report.homework,
            score=report.score,
            max_score=report.max_score,
            warnings=len(report.warnings),
            needs_review=sum(p.final == "needs_review" for p in report.parts),
        )
        for part in report.parts:
            row.update(
                {
                    f"{part.id}_first": part.first,
                    f"{part.id}_final": part.final,
                    f"{part.id}_hinted": part.hinted,
                    f"{part.id}_flags": ";".join(part.flags),
                    f"{part.id}_score": part.score,
                }
            )
        rows.append(row)
    return rows


def write_wide_csv(reports: list[Report], path: Path) -> None:
    """Write the wide gradebook (one row per transcript, per-part columns) to ``path``."""
    _write(path, wide_columns(reports), wide_rows(reports))
