"""Time and size budgets for every public entry point of the math engine.

Two mechanisms, chosen by thread:

* On the main thread an outermost :func:`time_budget` arms ``signal.setitimer(ITIMER_REAL)``;
  the handler raises :class:`~grader.errors.BudgetExceeded`, which interrupts pure-Python work
  (sympy included) between bytecodes. It raises only inside the budgeted block whose deadline has
  passed: a stale alarm (its block already ended) is ignored, and an alarm that lands in a
  finalizer (``__del__``, a garbage-collector callback), where Python would swallow the exception
  as "unraisable", is re-armed to fire again a few milliseconds later, back in the block.
* Everywhere, a deadline is kept in a thread-local; the parser, the evaluator and the comparison
  loops call :func:`check` cooperatively. sympy work off the main thread runs in a daemon worker
  thread joined with a timeout (see :func:`run_bounded`); on timeout the worker is abandoned.

``BudgetExceeded`` derives from ``BaseException`` so that ``except Exception`` cannot swallow it.
Hard size caps (input length, nesting depth, node count, exponent size) live here too.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

from grader.errors import BudgetExceeded

MAX_INPUT_CHARS = 20_000
"""Longer inputs are refused before lexing."""
MAX_DEPTH = 120
"""Maximum nesting depth of groups/fractions/arguments while parsing."""
MAX_NODES = 20_000
"""Maximum number of AST nodes built for one input."""
MAX_EXPONENT_BITS = 20_000
"""Exact powers whose result would need more bits than this are refused before computing."""
MAX_FACTORIAL = 500
"""Exact factorials above this argument are refused."""

T = TypeVar("T")
_state = threading.local()


def _deadline() -> float | None:
    return getattr(_state, "deadline", None)


def remaining() -> float | None:
    """Seconds left in the current budget, or None when no budget is active."""
    d = _deadline()
    return None if d is None else d - time.monotonic()


def check() -> None:
    """Raise BudgetExceeded if the current deadline has passed (cooperative check)."""
    d = _deadline()
    if d is not None and time.monotonic() > d:
        raise BudgetExceeded("time budget exceeded")


_collecting = False
"""True while the garbage collector runs (its finalizers must not be interrupted: see _on_alarm)."""


def _gc_phase(phase: str, info: dict[str, int]) -> None:
    global _collecting
    _collecting = phase == "start"


gc.callbacks.append(_gc_phase)

_RETRY_S = 0.005
"""Delay before an alarm that fell inside a finalizer or a `with` block's set-up or clean-up fires again."""


_CLEANUP_CODES = frozenset(
    getattr(getattr(contextlib._GeneratorContextManager, name, None), "__code__", None)
    for name in ("__enter__", "__exit__")
) - {None}
"""The code of a generator context manager's entry and exit: a ``with`` block's set-up and clean-up
(this module's own :func:`time_budget`, the transcript budget of :mod:`grader.deadline`) run under them."""


def _in_finalizer(frame: FrameType | None) -> bool:
    """Whether the interrupted code must not be interrupted: a finalizer (the collector's callbacks or a
    ``__del__``, where an exception is not raised to anyone but printed as "unraisable" and lost), or
    the set-up or clean-up of a ``with`` block (an exception there skips the rest of the clean-up: a
    budget block left armed would then interrupt every later block a millisecond after it starts)."""
    if _collecting:
        return True
    depth = 0
    while frame is not None and depth < 64:
        if frame.f_code.co_name == "__del__" or frame.f_code in _CLEANUP_CODES:
            return True
        frame, depth = frame.f_back, depth + 1
    return False


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    """The interval timer's handler: raise BudgetExceeded in the budgeted block, and only there.

    A stale alarm (its block has ended: no deadline, or a later one) is ignored or re-armed for the
    deadline in force; an alarm that lands inside a finalizer (a ``__del__``, a collector callback),
    where the exception would be swallowed as unraisable, or inside a ``with`` block's set-up or
    clean-up, whose remaining clean-up it would skip, is re-armed to fire again a moment later, in the
    block itself. The deadline also stays expired for the cooperative :func:`check`.
    """
    deadline = _deadline()
    if deadline is None or not getattr(_state, "armed", False):
        return
    left = deadline - time.monotonic()
    if left > 0:
        signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
        return
    if _in_finalizer(frame):
        signal.setitimer(signal.ITIMER_REAL, _RETRY_S)
        return
    raise BudgetExceeded("time budget exceeded")


class _Entry:
    """One active :func:`time_budget` block of a thread: its deadline, and whether it armed the timer."""

    __slots__ = ("deadline", "signal")

    def __init__(self, deadline: float, uses_signal: bool) -> None:
        self.deadline = deadline
        self.signal = uses_signal


_saved_handler: object = None
"""The SIGALRM handler in force before the first signal budget (main thread), restored after the last."""


def _entries() -> list[_Entry]:
    entries: list[_Entry] | None = getattr(_state, "entries", None)
    if entries is None:
        entries = _state.entries = []
    return entries


def _sync(entries: list[_Entry], on_main: bool) -> None:
    """Make the thread's deadline, ``armed`` flag and (main thread) timer and handler those of the blocks
    still active, whatever order they were left in: the deadline first, so that an alarm for a block that
    has ended finds it stale."""
    global _saved_handler
    _state.deadline = min((e.deadline for e in entries), default=None)
    _state.armed = any(e.signal for e in entries)
    if not on_main:
        return
    try:
        if _state.armed:
            signal.setitimer(signal.ITIMER_REAL, max(_state.deadline - time.monotonic(), 0.001))
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if _saved_handler is not None:
                signal.signal(signal.SIGALRM, _saved_handler)  # type: ignore[arg-type]
                _saved_handler = None
    except (ValueError, OSError):  # signals unavailable here: cooperative checks only
        pass


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Bound the enclosed block to ``seconds``; nested budgets keep the tighter deadline.

    On the main thread the interval timer is (re)armed for the innermost deadline and re-armed for
    the outer one on exit, so a nested budget (e.g. for sympy) interrupts only its own block.

    Example::

        with time_budget(2.0):
            parse(text)
    """
    global _saved_handler
    entries = _entries()
    deadline = time.monotonic() + max(seconds, 0.001)
    outer = _deadline()
    if outer is not None:
        deadline = min(outer, deadline)
    on_main = threading.current_thread() is threading.main_thread()
    entry = _Entry(deadline, False)
    if on_main:
        try:
            if not any(e.signal for e in entries):
                _saved_handler = signal.signal(signal.SIGALRM, _on_alarm)
            entry.signal = True
        except (ValueError, OSError):  # signals unavailable here: cooperative checks only
            pass
    try:
        # Inside the try: an alarm that lands while the timer is being armed (a tiny budget on a busy
        # machine) still removes this block's entry, instead of leaving a stale deadline armed.
        entries.append(entry)
        _sync(entries, on_main and entry.signal)
        yield
    finally:
        _state.armed = False  # first: from here on an alarm is stale (the handler ignores it) until _sync
        try:
            entries[:] = [e for e in entries if e is not entry]  # this block's, even when left out of order
        finally:
            _sync(entries, on_main and entry.signal)


def expired() -> bool:
    """True when the current (outer) deadline has passed."""
    d = _deadline()
    return d is not None and time.monotonic() > d


def bounded_call(fn: Callable[[], T], seconds: float) -> T:
    """Run ``fn`` for at most ``seconds`` inside the current budget; BudgetExceeded when over.

    Main thread: inline under a nested :func:`time_budget` (the timer interrupts it). Other
    threads: in an abandoned-on-timeout daemon worker (:func:`run_bounded`).
    """
    if threading.current_thread() is threading.main_thread():
        with time_budget(seconds):
            return fn()
    return run_bounded(fn, seconds)


def run_bounded(fn: Callable[[], T], seconds: float | None = None) -> T:
    """Run ``fn`` within the current budget (and at most ``seconds``), raising BudgetExceeded.

    On the main thread with an armed timer, ``fn`` runs inline (the timer interrupts it). Off the
    main thread it runs in a daemon worker thread that is abandoned when time runs out.
    """
    left = remaining()
    limit = seconds if left is None else (left if seconds is None else min(left, seconds))
    if limit is not None and limit <= 0:
        raise BudgetExceeded("time budget exceeded")
    if threading.current_thread() is threading.main_thread() and _deadline() is not None and seconds is None:
        return fn()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True, name="mathx-bounded")
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise BudgetExceeded("time budget exceeded (worker abandoned)")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
