"""Memory a file leaves behind is given back before the next file (grader.batch.limits.release_memory)."""

from __future__ import annotations

import sys

import pytest

from grader.batch.limits import release_memory


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmRSS and malloc_trim are Linux's")
def test_freed_heap_leaves_the_process() -> None:
    # ~200 MB of malloc'd chunks (over pymalloc's 512-byte limit), then one more allocation on top so
    # that freeing them leaves a hole glibc keeps resident until it is trimmed
    chunks = [bytearray(2000) for _ in range(100_000)]
    sentinel = bytearray(2000)
    del chunks
    before = _rss_mb()
    trimmed = release_memory()
    after = _rss_mb()
    if not trimmed:
        pytest.skip("no glibc malloc_trim here")
    assert after < before - 100, (before, after)
    assert len(sentinel) == 2000
