"""Find the executable reference of a target: the rubric names the module, the module computes it."""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

from grader.errors import ReferenceError_, TargetError
from grader.rubric import Rubric
from reference_solutions.types import Reference


@lru_cache(maxsize=8)
def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ReferenceError_(f"cannot import reference module: {exc}", name) from exc


@lru_cache(maxsize=256)
def _cached(module: str, key: str, variant: str | None) -> Reference:
    mod = _module(module)
    keys = getattr(mod, "KEYS", ())
    if key not in keys:
        raise TargetError(f"no reference solution for {key!r} in {module}", key)
    try:
        return mod.get(key, variant=variant)  # type: ignore[no-any-return]
    except (TargetError, ReferenceError_):
        raise
    except Exception as exc:  # a broken reference must say where it broke, not crash a batch
        raise ReferenceError_(f"reference solution failed: {type(exc).__name__}: {exc}", key) from exc


def reference_for(rubric: Rubric, part_id: str, answer_id: str, variant: str | None = None) -> Reference:
    """The computed reference of ``rubric.part.answer`` (cached per process).

    Raises:
        TargetError: when the reference module has no such key.
        ReferenceError_: when the reference module fails.
    """
    return _cached(rubric.reference_module, f"{part_id}.{answer_id}", variant)


def reference_module(rubric: Rubric) -> ModuleType:
    """The imported reference module of a rubric (for reproductions and instances)."""
    return _module(rubric.reference_module)
