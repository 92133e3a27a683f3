"""The public API is complete and documented."""

import inspect

import grader.mathx as mathx

REQUIRED = [
    "parse", "interpret", "shape_of", "evaluate", "sample_env", "equiv", "check_against",
    "check_equation", "split_label", "scalar_equal", "Equation", "Inequality", "Interval", "Union",
    "Set", "Tuple", "Node", "DimensionError", "SymbolTable", "SymbolSpec",
]  # fmt: skip


def test_all_names_exist_and_required_are_exported() -> None:
    for name in mathx.__all__:
        assert hasattr(mathx, name), name
    assert set(REQUIRED) <= set(mathx.__all__)


def test_public_functions_have_docstrings() -> None:
    for name in mathx.__all__:
        obj = getattr(mathx, name)
        if inspect.isfunction(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name


def test_dimension_error_is_a_parse_error() -> None:
    assert issubclass(mathx.DimensionError, mathx.MathParseError)
