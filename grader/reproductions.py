"""Run the numeric reproductions of reference solutions, and cache their results per rubric version.

A reproduction re-derives a reference by running the model of the problem (an optimizer to
convergence, a message-level protocol simulation, an autoencoder trained with weight decay). Reports
cite the result as evidence. Results are cached in-process per (rubric version, target), where the
version is a hash of the rubric file and the reference module's source, so grading many transcripts
runs each reproduction once; ``GRADER_CACHE_DIR`` (if set) also keeps them on disk between runs.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from grader.errors import GraderError, TargetError
from grader.references import load_function, reproduce_function
from grader.rubric import Rubric, parse_target

MAX_INSTANCES = 2_000_000
"""Above this many instances a reproduction would need gigabytes; refused with a clear message."""


class ReproductionError(GraderError):
    """A reproduction cannot run as asked (device, size, or nothing to reproduce)."""

    status_code = 422


def _modules(rubric: Rubric) -> tuple[str, ...]:
    """The Python modules a rubric's references name (compute, reproduce, verify, instance)."""
    found: set[str] = set()
    for part in rubric.parts:
        for a in part.answers:
            for value in [a.reference, *(acc.reference for acc in a.accept)]:
                if isinstance(value, dict):
                    found.update(
                        str(v).partition(":")[0] for k, v in value.items() if k in ("compute", "reproduce")
                    )
            for spec in (a.verify, a.instance):
                if spec:
                    found.add(spec.partition(":")[0])
    return tuple(sorted(found))


def rubric_version(rubric: Rubric) -> str:
    """A short hash of the rubric file and its reference modules' source (computed once per process)."""
    return _version(rubric.path, _modules(rubric))


@lru_cache(maxsize=32)
def _version(path: str | None, modules: tuple[str, ...]) -> str:
    import importlib

    h = hashlib.sha256()
    if path:
        h.update(Path(path).read_bytes())
    for module in modules:
        try:
            h.update(inspect.getsource(importlib.import_module(module)).encode())
        except (OSError, TypeError, ImportError):
            h.update(module.encode())
    return h.hexdigest()[:16]


def reproduce(target: str, device: str = "auto", instances: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Run the reproduction of ``homework.part.answer``.

    Returns ``{"target", "device", "instances", "result", "reference", "max_rel_error", "seconds", ...}``.

    Raises:
        TargetError: unknown target.
        ReproductionError: nothing to reproduce for this target, CUDA asked for but absent, or a size
            that would not fit in memory.
    """
    rubric, part, answer = parse_target(target)
    if device not in ("auto", "cpu", "cuda"):
        raise ReproductionError(f"unknown device {device!r}; choose auto, cpu or cuda", target)
    if not 1 <= instances <= MAX_INSTANCES:
        raise ReproductionError(
            f"--instances must be between 1 and {MAX_INSTANCES:,} ({instances:,} would not fit in memory)",
            target,
        )
    spec = reproduce_function(part, answer)
    if spec is None:
        raise TargetError(
            "this answer has no numeric reproduction (its reference names no 'reproduce')", target
        )
    fn = load_function(spec, target)
    key = f"{part.id}.{answer.id}"
    try:
        return as_json_data(dict(fn(key, device=device, instances=instances, seed=seed)))
    except ValueError as exc:
        raise ReproductionError(str(exc), target) from None


def as_json_data(value: Any) -> Any:
    """Numbers and arrays as JSON numbers and lists (numpy scalars and arrays included); other
    objects as their string form. ``reproduce --json`` prints ``result`` and ``reference`` this way.

    Example:
        >>> as_json_data({"result": np.array([0.5, 1.0]), "n": np.int64(3)})
        {'result': [0.5, 1.0], 'n': 3}
    """
    if isinstance(value, dict):
        return {str(k): as_json_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json_data(v) for v in value]
    if isinstance(value, np.ndarray):
        return as_json_data(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if np.isfinite(value) else str(value)
    return str(value)


def _disk_path(version: str, target: str) -> Path | None:
    root = os.environ.get("GRADER_CACHE_DIR")
    if not root:
        return None
    safe = target.replace("/", "_")
    return Path(root) / "reproductions" / version / f"{safe}.json"


@lru_cache(maxsize=512)
def _cached(version: str, target: str) -> dict[str, Any] | None:
    path = _disk_path(version, target)
    if path and path.exists():
        try:
            return dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            pass
    try:
        # Evidence runs are small: numpy on the CPU, without importing torch to look for a GPU.
        result = reproduce(target, device="cpu", instances=64)
    except GraderError:
        return None
    result = json.loads(json.dumps(result, default=str))
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def cached_evidence(rubric: Rubric, part_id: str, answer_id: str) -> dict[str, Any] | None:
    """The reproduction of a target for citing in a report (None when it has none)."""
    part = rubric.part(part_id)
    answer = part.answer(answer_id)
    if answer is None or reproduce_function(part, answer) is None:
        return None
    return _cached(rubric_version(rubric), f"{rubric.id}.{part_id}.{answer_id}")
