"""The public API of grader.reports is re-exported and listed in __all__."""

from __future__ import annotations

import inspect

import pytest

import grader.reports as reports

EXPECTED = {
    "IndexEntry",
    "gradebook_rows",
    "gradescope_results",
    "render_html",
    "render_index",
    "render_markdown",
    "report_css",
    "report_json",
    "write_gradebook_csv",
    "write_wide_csv",
}


def test_all_lists_exactly_the_api() -> None:
    assert set(reports.__all__) == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exported_member_exists_and_is_documented(name: str) -> None:
    member = getattr(reports, name)
    assert inspect.getdoc(member), f"{name} has no docstring"
