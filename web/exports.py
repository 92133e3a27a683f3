"""Exports: the CSV gradebook and Gradescope autograder ``results.json``.

``grader.reports`` writes the gradebook to a path; the web app needs it in memory and with
the submission id and owner in front, so the rows are written here with the same cell
escaping (:func:`grader.reports.gradebook.csv_safe`). Gradescope's format is documented at
https://gradescope-autograders.readthedocs.io/en/latest/specs/ (``tests`` with per-test
``score``/``max_score``/``status``/``output``).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import PurePath
from typing import Any

from grader.models import Report
from grader.reports.gradebook import LONG_COLUMNS, csv_safe, gradebook_rows, wide_columns, wide_rows
from grader.reports.gradescope import gradescope_results

__all__ = ["gradebook_csv", "gradescope_results", "gradescope_zip"]

ID_COLUMNS = ("submission", "owner")


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="raise", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_safe(v) for k, v in row.items()})
    return out.getvalue()


def gradebook_csv(items: list[tuple[str, str, Report]], layout: str = "long") -> str:
    """The gradebook of ``(submission id, owner, report)`` items as CSV text.

    ``layout="long"``: one row per submission × part; ``"wide"``: one row per submission.
    """
    rows: list[dict[str, Any]] = []
    if layout == "wide":
        reports = [r for _, _, r in items]
        columns = [*ID_COLUMNS, *wide_columns(reports)]
        for (sid, owner, _), row in zip(items, wide_rows(reports), strict=True):
            rows.append({"submission": sid, "owner": owner, **row})
        return _csv(columns, rows)
    for sid, owner, report in items:
        for row in gradebook_rows([report]):
            rows.append({"submission": sid, "owner": owner, **row})
    return _csv([*ID_COLUMNS, *LONG_COLUMNS], rows)


def gradescope_zip(items: list[tuple[str, str, Report]]) -> bytes:
    """A zip with one ``<stem>-<id8>/results.json`` per submission."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for sid, _owner, report in items:
            stem = PurePath(report.source).stem or "submission"
            folder = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)[:80]
            archive.writestr(
                f"{folder}-{sid[:8]}/results.json", json.dumps(gradescope_results(report), indent=2)
            )
    return buffer.getvalue()
