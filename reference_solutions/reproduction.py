"""The frame every ``reproduce(key, ...)`` shares: validate, pick the backend, time, report.

A homework module supplies only the body: ``body(backend, rng, instances) -> Reproduced``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .backend import NUMPY, Backend, resolve

CPU_ONLY = "this reproduction runs on cpu (numpy) only"


@dataclass
class Reproduced:
    """What a reproduction found.

    Attributes:
        result: the reproduced value (for HW2 Q2, the theta of the homework's own problem).
        reference: the closed form it is compared with.
        max_rel_error: the worst relative disagreement over all instances.
        what: one line on what was run.
        backend: the backend it actually ran on.
        cpu_only: the reproduction has no torch path (numpy whatever the device asked).
        instances: how many instances it really used, when not the number asked for.
        details: labelled extra measurements (``result`` and ``reference`` stay numbers or arrays).
    """

    result: Any
    reference: Any
    max_rel_error: float
    what: str
    backend: Backend = NUMPY
    cpu_only: bool = True
    instances: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def reproduce_with(
    homework: str,
    key: str,
    keys: Collection[str],
    body: Callable[[Backend, np.random.Generator, int], Reproduced],
    *,
    device: str = "auto",
    instances: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Run ``body`` for ``key`` and return ``{"target", "device", "instances", "result", "reference",
    "max_rel_error", "seconds", "note"}`` (plus ``details`` when the body gives labelled extras);
    ``result`` and ``reference`` are numbers or (nested) lists of numbers.

    Raises KeyError for an unknown key, ValueError for ``instances < 1`` or an unavailable device.
    """
    if key not in keys:
        raise KeyError(f"{homework}: unknown key {key!r}; known keys: {', '.join(keys)}")
    if instances < 1:
        raise ValueError(f"instances must be >= 1 (got {instances})")
    requested = resolve(device)
    start = time.perf_counter()
    out = body(requested, np.random.default_rng(seed), instances)
    notes = [out.what, requested.note, CPU_ONLY if out.cpu_only else ""]
    return {
        "target": f"{homework}.{key}",
        "device": out.backend.device,
        "instances": out.instances or instances,
        "result": out.result,
        "reference": out.reference,
        "max_rel_error": out.max_rel_error,
        "seconds": time.perf_counter() - start,
        "note": "; ".join(n for n in dict.fromkeys(notes) if n),
        **({"details": out.details} if out.details else {}),
    }
