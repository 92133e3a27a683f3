"""The in-flight window shared by the worker-pool and Dask backends."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from grader.batch.window import run_windowed


def test_every_task_comes_back_once_and_the_window_is_never_exceeded() -> None:
    taken: list[int] = []
    in_flight: list[int] = []
    peak = 0

    def tasks() -> Iterator[tuple[int, str]]:
        for i in range(10):
            taken.append(i)
            yield i, f"task {i}"

    def submit(index: int, task: str) -> int:
        nonlocal peak
        in_flight.append(index)
        peak = max(peak, len(in_flight))
        return index * 100

    def finished(running: dict[int, tuple[int, str]]) -> list[int]:
        oldest = min(running)  # one at a time, oldest first
        in_flight.remove(oldest // 100)
        return [oldest]

    out = list(run_windowed(tasks(), 3, submit, finished))
    assert [(h, i, t) for h, i, t in out] == [(i * 100, i, f"task {i}") for i in range(10)]
    assert peak == 3
    assert taken == list(range(10))


def test_tasks_are_taken_only_when_there_is_room() -> None:
    """A task is drawn from the (lazy) iterator only when the window has room: with a window of 2,
    the third task is read only after the first result came back."""
    events: list[str] = []

    def tasks() -> Iterator[tuple[int, int]]:
        for i in range(3):
            events.append(f"take {i}")
            yield i, i

    def finished(running: dict[int, tuple[int, int]]) -> list[int]:
        done = min(running)
        events.append(f"done {done}")
        return [done]

    results = run_windowed(tasks(), 2, lambda index, task: index, finished)
    assert next(results)[1] == 0
    assert events == ["take 0", "take 1", "done 0"]
    assert [r[1] for r in results] == [1, 2]
    assert events == ["take 0", "take 1", "done 0", "take 2", "done 1", "done 2"]


def test_with_real_futures_several_may_finish_at_once() -> None:
    with ThreadPoolExecutor(max_workers=2) as threads:

        def finished(running: dict[Future[int], tuple[int, int]]) -> set[Future[int]]:
            return wait(running, return_when=FIRST_COMPLETED)[0]

        out = run_windowed(
            ((i, i) for i in range(7)), 2, lambda i, t: threads.submit(lambda: t * t), finished
        )
        got = {index: future.result() for future, index, _ in out}
    assert got == {i: i * i for i in range(7)}


def test_no_tasks() -> None:
    assert list(run_windowed(iter([]), 4, lambda i, t: i, lambda r: list(r))) == []
