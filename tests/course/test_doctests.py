"""The examples in the docstrings of grader.course run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["model", "numbering", "phrases", "prefilter", "profiles", "scaffold", "text"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"grader.course.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0
