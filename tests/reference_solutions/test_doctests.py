"""The examples in the docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "argmin",
    "autoencoder",
    "backend",
    "cs182_fa25_hw2",
    "cs182_fa25_hw7",
    "hw2_q1",
    "hw2_q2",
    "hw7_facts",
    "optimizers",
    "protocols",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"reference_solutions.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0
