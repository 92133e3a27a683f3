"""What ``grader grade`` shows while a batch runs.

On a terminal: a tqdm bar on stderr with the files done out of the total, the rate, the ETA, how many
failed or came from the cache, and the file(s) being graded now. Per-file errors are printed above the
bar as they happen. When stdout is not a terminal (a pipe, a CI log) the bar is left out: only the
errors, and the summary at the end.
"""

from __future__ import annotations

import sys
from typing import TextIO

from grader.batch.executor import FileResult


class BatchProgress:
    """The :class:`grader.batch.executor.Progress` of the command line."""

    def __init__(self, total: int, bar: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.failed = 0
        self.cached = 0
        self.running: list[str] = []
        if bar is None:
            bar = sys.stdout.isatty() and self.stream.isatty()
        self._bar = None
        if bar and total > 0:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: nothing else runs in this process
            self._bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True, leave=False)

    def started(self, name: str) -> None:
        """A file was handed to a worker."""
        self.running.append(name)
        self._refresh()

    def finished(self, result: FileResult) -> None:
        """A file is done: count it, print its errors."""
        if result.name in self.running:
            self.running.remove(result.name)
        self.cached += result.cached
        failures = result.failures
        self.failed += bool(failures)
        for _, failure in failures:
            detail = "" if failure.where == str(result.path) else _detail(result.path.name, failure.where)
            self.write(f"error: {result.path}{detail}: {failure.message}")
        if self._bar is not None:
            self._bar.update(1)
        self._refresh()

    def write(self, line: str) -> None:
        """Print a line above the bar (or plainly without one)."""
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """Remove the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _refresh(self) -> None:
        if self._bar is None:
            return
        now = ", ".join(n.rsplit("/", 1)[-1] for n in self.running[-2:])
        extra = f" +{len(self.running) - 2}" if len(self.running) > 2 else ""
        status = f"failed {self.failed}, cached {self.cached}"
        self._bar.set_postfix_str(f"{status} | {now}{extra}" if now else status, refresh=True)


def _detail(file_name: str, where: str) -> str:
    """The error's own location when it says more than the file name (a zip member, a line)."""
    if not where or where == file_name or file_name not in where and "/" not in where:
        return ""
    return f" ({where})"
