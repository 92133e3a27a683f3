"""A per-key sliding-window rate limit (self-checks per user, failed logins per account).

Kept in the process's memory: with several server processes each holds its own count, so the
effective limit is the limit times the number of processes.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most ``limit`` hits per ``window_s`` seconds for each key."""

    def __init__(
        self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        return hits

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may hit again (0 when it may now); does not count a hit."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) < self.limit:
                return 0
            return max(1, math.ceil(hits[0] + self.window_s - now))

    def hit(self, key: str) -> int:
        """Count a hit for ``key`` unless over the limit; returns 0, or the seconds to wait."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window_s - now))
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle keys so the table cannot grow without end
                for stale in [k for k, v in self._hits.items() if not v]:
                    del self._hits[stale]
            return 0

    def reset(self, key: str) -> None:
        """Forget ``key``'s hits (e.g. after a successful login)."""
        with self._lock:
            self._hits.pop(key, None)
