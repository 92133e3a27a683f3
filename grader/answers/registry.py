"""The registry of answer kinds: ``kind:`` in a rubric -> the class that implements it.

Every kind module registers its class with :func:`register`; :func:`get` loads them all on first use
(:mod:`grader.answers.kinds` lists the modules), so a new kind is one new module plus one line there.
"""

from __future__ import annotations

import importlib
from typing import TypeVar

from grader.answers.base import AnswerKind

__all__ = ["get", "kind_of", "names", "register"]

_KINDS: dict[str, AnswerKind] = {}
_ALIASES: dict[str, str] = {}
_loaded = False

K = TypeVar("K", bound=type[AnswerKind])


def register(cls: K) -> K:
    """Class decorator: make ``cls`` the implementation of ``kind: cls.name``."""
    if cls.name in _KINDS and type(_KINDS[cls.name]) is not cls:
        raise ValueError(f"answer kind {cls.name!r} registered twice")
    _KINDS[cls.name] = cls()
    return cls


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        importlib.import_module("grader.answers.kinds")


def get(name: str) -> AnswerKind | None:
    """The kind registered under ``name`` (None when there is none)."""
    _load()
    return _KINDS.get(_ALIASES.get(name, name))


def kind_of(name: str) -> AnswerKind:
    """The kind registered under ``name``; raises KeyError naming the known kinds."""
    kind = get(name)
    if kind is None:
        raise KeyError(f"unknown answer kind {name!r}; kinds: {', '.join(names())}")
    return kind


def names() -> list[str]:
    """Every registered kind name, sorted."""
    _load()
    return sorted(_KINDS)
