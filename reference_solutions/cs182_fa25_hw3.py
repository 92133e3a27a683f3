"""CS182 Fall 2025 HW3, Q5: tensor rematerialisation, counted by simulating the backward pass.

A 10-layer network stores the input and the activations of layers 5 and 10 in the forward pass. In
the backward pass, the activations of each layer are either loaded (stored ones) or recomputed from
the last stored activation below them (``fwd`` operations), one memory load per layer. ``get(key)``
builds the :class:`~reference_solutions.types.Reference` of ``q5a.fwd_ops``, ``q5b.loadmem_ops`` and
``q5c.loaddisk_ns`` from :func:`backward_pass`; everything else in HW3 is data in
``rubrics/cs182-fa25-hw3.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .types import Reference

HOMEWORK = "cs182-fa25-hw3"
LAYERS = 10
STORED = (5, 10)
FWD_NS = 20.0
LOADMEM_NS = 10.0

KEYS: tuple[str, ...] = ("q5a.fwd_ops", "q5b.loadmem_ops", "q5c.loaddisk_ns")
__all__ = ["KEYS", "Schedule", "backward_pass", "get", "loaddisk_budget"]


@dataclass(frozen=True)
class Schedule:
    """What one backward pass costs: forward recomputations, memory loads, and the log of steps."""

    fwd: int
    loadmem: int
    steps: tuple[str, ...]


def backward_pass(layers: int = LAYERS, stored: tuple[int, ...] = STORED) -> Schedule:
    """Walk the backward pass from the last layer to the first: for layer ``l`` load the closest
    stored activation at or below ``l`` (layer 0 is the input) and run forward up to ``l``.

    Example:
        >>> s = backward_pass(4, (2, 4)); (s.fwd, s.loadmem)
        (2, 4)
    """
    fwd = loads = 0
    steps = []
    for layer in range(layers, 0, -1):
        base = max([s for s in stored if s <= layer] + [0])
        loads += 1
        fwd += layer - base
        steps.append(f"layer {layer}: load {'input' if base == 0 else f'layer {base}'}, {layer - base} fwd")
    return Schedule(fwd, loads, tuple(steps))


def loaddisk_budget(schedule: Schedule, fwd_ns: float = FWD_NS, loadmem_ns: float = LOADMEM_NS) -> float:
    """Latency per loaddisk that makes loading every activation from disk (one load per layer) take
    as long as rematerialisation.

    Example:
        >>> loaddisk_budget(backward_pass())
        50.0
    """
    total = schedule.fwd * fwd_ns + schedule.loadmem * loadmem_ns
    return total / len(schedule.steps)


def get(key: str, variant: str | None = None) -> Reference:
    """The reference of ``q5a.fwd_ops``, ``q5b.loadmem_ops`` or ``q5c.loaddisk_ns``.

    Example:
        >>> get("q5a.fwd_ops").value
        20
    """
    if key not in KEYS:
        raise KeyError(f"{HOMEWORK} has no computed reference {key!r}; computed: {', '.join(KEYS)}")
    sched = backward_pass()
    evidence = {"schedule": list(sched.steps)}
    target = f"{HOMEWORK}.{key}"
    if key == "q5a.fwd_ops":
        method = "simulated backward pass: recompute each layer from the last stored activation"
        return Reference(target, "number", str(sched.fwd), value=sched.fwd, method=method, evidence=evidence)
    if key == "q5b.loadmem_ops":
        method = "simulated backward pass: one load per layer"
        return Reference(
            target, "number", str(sched.loadmem), value=sched.loadmem, method=method, evidence=evidence
        )
    ns = loaddisk_budget(sched)
    method = f"({sched.fwd} x {FWD_NS:g} + {sched.loadmem} x {LOADMEM_NS:g}) ns over {LAYERS} disk loads"
    return Reference(target, "number", f"{ns:g}", value=ns, method=method, evidence=evidence)
