"""The examples in the renderers' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        # helpers with examples in their docstrings
        "grader.reports.marks",
        "grader.reports.html_blocks",
        "grader.reports.mathml",
        "grader.reports.markdown_report",
        "grader.reports.gradebook",
        "grader.reports.index",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
