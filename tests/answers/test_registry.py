"""Every answer kind is one module behind one interface, registered by name, documented."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import grader.answers as answers
from grader.answers import AnswerKind, kind_of, names
from grader.answers.base import COMMON_FIELDS
from grader.rubric import AnswerSpec

KINDS = {
    "expression", "vector", "number", "quantity", "count_formula", "condition", "choice", "choices",
    "tokens", "name", "fact", "yes_no", "concept", "free_text", "proof",
}  # fmt: skip


def test_registry_holds_every_kind() -> None:
    assert set(names()) == KINDS
    for name in KINDS:
        kind = kind_of(name)
        assert isinstance(kind, AnswerKind) and kind.name == name and kind.summary


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown answer kind 'essay'; kinds: choice"):
        kind_of("essay")


def test_every_kind_module_is_listed_in_kinds() -> None:
    listed = set(re.findall(r"^\s+(\w+),$", Path(answers.__file__).with_name("kinds.py").read_text(), re.M))
    modules = {m.name for m in pkgutil.iter_modules(answers.__path__)}
    infrastructure = {
        "base",
        "registry",
        "kinds",
        "formula",
        "layout_marks",
        "lost_radical",
        "proof_reading",
        "proof_targets",
    }
    assert listed == modules - infrastructure
    for module in listed:
        importlib.import_module(f"grader.answers.{module}")


def test_kind_fields_are_rubric_fields() -> None:
    known = set(AnswerSpec.model_fields)
    for name in KINDS:
        assert kind_of(name).fields <= known, name
    assert COMMON_FIELDS <= known


def test_docs_describe_every_kind_and_field(root: Path) -> None:
    doc = (root / "docs" / "rubrics.md").read_text(encoding="utf-8")
    for name in KINDS:
        assert f"`{name}`" in doc, name
    for field in set(AnswerSpec.model_fields) - {"id"}:
        assert f"`{field}`" in doc or f"{field}:" in doc, field
