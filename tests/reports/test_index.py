"""render_index: one page listing the reports of a run and the files that failed."""

from __future__ import annotations

import pytest

from grader.models import Report
from grader.reports import IndexEntry, render_index
from grader.reports.index import error_line, safe_href
from tests.reports.htmlscan import scan_html


def entries(report: Report) -> list[IndexEntry]:
    return [
        IndexEntry("000_sample.txt", "000_sample.report.html", "000_sample.report.json", report, None),
        IndexEntry("broken.pdf", None, None, None, "InputError: broken.pdf: no text layer\nTraceback ..."),
        IndexEntry("<script>x</script>.md", "javascript:alert(1)", None, None, None),
    ]


@pytest.mark.parametrize(
    "fragment",
    [
        # link to the report, model, homework, score
        '<a href="000_sample.report.html">000_sample.txt</a>',
        '<a href="000_sample.report.json">JSON</a>',
        "<td>Gemini</td>",
        "<td>cs182-fa25-hw2</td>",
        '<td class="num">2/5</td>',
        # per-part final verdict chips
        '<span class="chip tone-good">✓ q1a</span>',
        '<span class="chip tone-bad">✗ q1b</span>',
        # failures with their one-line error
        '<strong>broken.pdf</strong>: <span class="error-text">InputError: broken.pdf: no text layer</span>',
        '<span class="error-text">unknown error</span>',
        # counts
        "3 files: 1 graded, 2 could not be graded.",
    ],
)
def test_index_contains(sample_report: Report, fragment: str) -> None:
    assert fragment in render_index(entries(sample_report))


def test_index_is_inert_and_self_contained(sample_report: Report) -> None:
    html = render_index(entries(sample_report))
    scan = scan_html(html)
    assert scan.tags("script") == [] and scan.tags("link") == []
    assert sorted(e.attrs["href"] or "" for e in scan.tags("a")) == [
        "000_sample.report.html",
        "000_sample.report.html",
        "000_sample.report.json",
    ]
    assert "<script>x</script>.md" in scan.all_text
    assert "Traceback" not in html


def test_empty_index() -> None:
    html = render_index([])
    assert "0 files: 0 graded, 0 could not be graded." in html
    assert "No file could be graded." in html


@pytest.mark.parametrize(
    "href,expected",
    [
        # relative paths and http(s) pass
        ("a/b.html", "a/b.html"),
        ("https://x.org/r.html", "https://x.org/r.html"),
        # script and data URLs do not
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        # nothing
        ("", None),
        (None, None),
    ],
)
def test_safe_href(href: str | None, expected: str | None) -> None:
    assert safe_href(href) == expected


@pytest.mark.parametrize(
    "error,expected",
    [
        ("\n\n  Bad file  \nmore", "Bad file"),
        ("", "unknown error"),
        (None, "unknown error"),
    ],
)
def test_error_line(error: str | None, expected: str) -> None:
    assert error_line(error) == expected
