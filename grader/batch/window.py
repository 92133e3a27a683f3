"""Keep a window of tasks in flight: submit until it is full, refill as results come back.

The one loop behind both remote backends (:mod:`grader.batch.executor`'s worker pool and
:mod:`grader.batch.dask_runner`): a task is taken from the (lazy) task iterator only when there is
room for it, so a file is read and announced as started when it is about to run, and at most
``window`` files' bytes are held at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

H = TypeVar("H")
"""A handle on a submitted task (a future)."""
T = TypeVar("T")
"""A task."""


def run_windowed(
    tasks: Iterator[tuple[int, T]],
    window: int,
    submit: Callable[[int, T], H],
    finished: Callable[[dict[H, tuple[int, T]]], Iterable[H]],
) -> Iterator[tuple[H, int, T]]:
    """Yield ``(handle, index, task)`` for every task of ``tasks`` as it finishes.

    ``submit(index, task)`` starts a task and returns its handle; ``finished`` waits on the handles in flight
    (the dict's keys) until at least one is done and returns those done. At most ``window`` tasks
    are in flight; a new one is submitted as soon as one finishes.
    """
    running: dict[H, tuple[int, T]] = {}
    pending = iter(tasks)
    exhausted = False
    while running or not exhausted:
        while not exhausted and len(running) < window:
            try:
                index, task = next(pending)
            except StopIteration:
                exhausted = True
                break
            running[submit(index, task)] = (index, task)
        if not running:
            break
        for handle in finished(running):
            index, task = running.pop(handle)
            yield handle, index, task
