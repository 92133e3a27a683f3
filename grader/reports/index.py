"""``reports/index.html``: one page listing every report of a run and every file that failed."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from grader.models import Report
from grader.reports.marks import one_line
from grader.reports.templating import environment


@dataclass
class IndexEntry:
    """One input file of a grading run, graded or not."""

    source: str
    """The input file name, as the user gave it."""
    html_href: str | None
    """Link to its HTML report, relative to the index (None when none was written)."""
    json_href: str | None
    """Link to its JSON report, relative to the index (None when none was written)."""
    report: Report | None
    """The report, or None when the file could not be graded."""
    error: str | None
    """Why the file could not be graded (first line shown), or None."""


def safe_href(href: str | None) -> str | None:
    """``href`` if it is a relative path or an http(s) URL, else None (no ``javascript:`` links).

    >>> safe_href("a/b.report.html"), safe_href("javascript:alert(1)")
    ('a/b.report.html', None)
    """
    if not href:
        return None
    scheme = urlsplit(href).scheme.lower()
    return href if scheme in ("", "http", "https") else None


def error_line(error: str | None) -> str:
    """The first non-empty line of an error message, shortened; ``unknown error`` when empty."""
    lines = [line for line in (error or "").splitlines() if line.strip()]
    return one_line(lines[0], 300) if lines else "unknown error"


def render_index(entries: list[IndexEntry]) -> str:
    """Render the run's index page: graded reports first (table), then the files that failed."""
    graded = [e for e in entries if e.report is not None]
    failed = [e for e in entries if e.report is None]
    total = sum(e.report.score for e in graded if e.report is not None)
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            graded=graded,
            failed=failed,
            total_files=len(entries),
            total_score=total,
            safe_href=safe_href,
            error_line=error_line,
        )
    )
