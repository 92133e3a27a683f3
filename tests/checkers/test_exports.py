"""The package re-exports every public name of its modules, and only names that exist."""

from __future__ import annotations

import doctest
import importlib

import pytest

import grader.checkers as checkers

MODULES = ["choices", "concept", "names", "quantity", "text_utils", "tokens"]


def test_all_names_exist() -> None:
    for name in checkers.__all__:
        assert hasattr(checkers, name), name


@pytest.mark.parametrize("module", MODULES)
def test_module_public_functions_have_docstrings(module: str) -> None:
    mod = importlib.import_module(f"grader.checkers.{module}")
    for name in mod.__all__:
        obj = getattr(mod, name)
        if callable(obj):
            assert obj.__doc__, f"{module}.{name} has no docstring"


def test_package_reexports_every_module_name() -> None:
    names = set()
    for module in MODULES:
        names.update(importlib.import_module(f"grader.checkers.{module}").__all__)
    assert names == set(checkers.__all__)


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(f"grader.checkers.{module}")
    failures, tried = doctest.testmod(mod)
    assert tried > 0
    assert failures == 0
