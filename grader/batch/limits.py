"""Per-file limits of a batch: a memory cap and a time limit around the grading of one file.

- **Memory**: on Linux the soft ``RLIMIT_AS`` of the process is lowered to its current address-space
  size plus the cap for the duration of the file, then restored. An allocation past it fails with
  ``MemoryError`` (Python, numpy) or an allocation error of a C library, which
  :mod:`grader.batch.task` turns into :class:`~grader.errors.FileMemoryError`. The cap bounds what *one
  file* may add to the process, so it is a per-file cap even in a long-lived worker.
- **Time**: a watchdog thread sends ``SIGUSR1`` to the main thread when the limit passes; the handler
  raises :class:`FileTimeLimit`, a ``BaseException`` so that no ``except Exception`` in the reading or
  grading code can swallow it. It uses its own signal, so it never disturbs the math engine's
  ``SIGALRM`` budgets. Off the main thread (no signals there) only the worker pool's kill applies.

Both apply on the main thread only (a process-wide limit set from a server's thread would starve its
other threads), and are no-ops where the platform lacks the mechanism (no ``resource`` module, no
``SIGUSR1``). Off the main thread, run files in a :class:`~grader.batch.pool.WorkerPool` to have both.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class FileTimeLimit(BaseException):  # noqa: N818 - reads as the event
    """The per-file time limit passed (a ``BaseException`` so that library code cannot swallow it)."""


def address_space_bytes() -> int | None:
    """The process's current virtual address-space size in bytes (Linux), else None."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def release_memory() -> bool:
    """Give memory the previous file left behind back to the system: a garbage collection, PyMuPDF's
    cache of decoded images and fonts emptied, and (glibc) ``malloc_trim`` so that freed heap pages leave
    the process instead of staying resident. Returns whether ``malloc_trim`` ran.

    Between files, a worker otherwise keeps the high-water mark of every file it read (measured on the
    corpus: resident memory grew from 100 MB after warm-up to ~640 MB, against ~260 MB with this)."""
    import gc

    gc.collect()
    pymupdf = sys.modules.get("pymupdf")
    if pymupdf is not None:
        try:
            pymupdf.TOOLS.store_shrink(100)
        except Exception:  # an old PyMuPDF without the store API: nothing to release there
            pass
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
        return True
    except (OSError, AttributeError):  # not glibc (musl): nothing to trim
        return False


def reset_peak_rss() -> bool:
    """Start measuring the peak resident memory afresh (Linux: ``/proc/self/clear_refs``); False if unable."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """The peak resident memory of this process in MB, since :func:`reset_peak_rss` where that worked
    (Linux ``VmHWM``), else over the process's life (0 where unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # not on POSIX
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@contextmanager
def memory_cap(megabytes: float | None) -> Iterator[bool]:
    """Let the enclosed block grow the address space by at most ``megabytes``; yields whether it is enforced."""
    if not megabytes or megabytes <= 0 or threading.current_thread() is not threading.main_thread():
        # The limit is process-wide: from a thread of a server it would starve the other threads. Callers
        # off the main thread isolate files in worker processes (``WorkerPool``) instead.
        yield False
        return
    try:
        import resource
    except ImportError:
        yield False
        return
    current = address_space_bytes()
    if current is None or not hasattr(resource, "RLIMIT_AS"):
        yield False
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + int(megabytes * 1024 * 1024)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        yield False
        return
    try:
        yield True
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def time_limit(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`FileTimeLimit` in the enclosed block after ``seconds``; yields whether it is enforced."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "SIGUSR1")
        and hasattr(signal, "pthread_kill")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield False
        return
    assert seconds is not None
    active = threading.Event()
    main_ident = threading.main_thread().ident

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if active.is_set():
            active.clear()
            raise FileTimeLimit(f"{seconds:g} s")
        if callable(previous):
            previous(signum, frame)

    def fire() -> None:
        if active.is_set() and main_ident is not None:
            signal.pthread_kill(main_ident, signal.SIGUSR1)

    previous = signal.getsignal(signal.SIGUSR1)
    signal.signal(signal.SIGUSR1, on_signal)
    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    active.set()
    timer.start()
    try:
        yield True
    finally:
        active.clear()
        timer.cancel()
        timer.join()
        # A signal sent just before ``cancel`` may still be on its way: the default action of SIGUSR1
        # would end the process, so only a real previous handler is put back; ours stays, inert.
        if callable(previous):
            signal.signal(signal.SIGUSR1, previous)
