"""A worker process of the local pool: ``python -m grader.batch.worker``.

It imports the grader once, then reads tasks from stdin and writes outcomes to stdout, each as a
length-prefixed pickle (the parent is the same program: pickle between the two is trusted). Anything
the libraries print goes to stderr, never into the protocol. After a file that hit its time limit or
memory cap the worker exits, so the next file starts in a clean process.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import IO, Any

_HEADER = struct.Struct("!Q")
RESTART_AFTER = frozenset({"FileTimeLimitError", "FileMemoryError"})
"""After these the process may be in a poor state (half-freed memory, interrupted C code): exit."""


def send(stream: IO[bytes], obj: Any) -> None:
    """Write one length-prefixed pickle and flush."""
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def receive(stream: IO[bytes]) -> Any | None:
    """Read one length-prefixed pickle; None at end of stream (the other side went away)."""
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    payload = _read_exactly(stream, size)
    if payload is None:
        return None
    return pickle.loads(payload)  # noqa: S301 - our own parent/child protocol, never user data


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def warm_up() -> None:
    """Pay the per-process costs once, before the first file: imports (sympy, numpy, PyMuPDF, the
    checkers, the reference modules), the rubrics, the version hash. Otherwise the first file of each
    process pays them, and its memory cap counts them."""
    import numpy
    import sympy  # noqa: F401

    import grader.check  # noqa: F401
    import grader.pipeline  # noqa: F401
    import grader.reports  # noqa: F401
    import grader.transcripts  # noqa: F401
    from grader.batch.cache import grader_version
    from grader.errors import GraderError
    from grader.references import load_function
    from grader.rubric import rubrics

    try:
        import grader.transcripts.pdf  # noqa: F401 - PyMuPDF, when installed
    except ImportError:
        pass
    try:
        for rubric in rubrics().values():
            for part in rubric.parts:
                for answer in part.answers:
                    ref = answer.reference
                    if isinstance(ref, dict) and isinstance(ref.get("compute"), str):
                        load_function(ref["compute"])  # imports the reference module once
    except GraderError:
        pass  # a broken rubric or reference is reported with each file, by the task that needs it
    grader_version()
    # BLAS allocates its work buffers on first use; under a file's memory cap a failure there ends the
    # process (OpenBLAS calls exit()), so they are allocated now.
    numpy.ones((128, 128)) @ numpy.ones((128, 128))


def main() -> int:
    """Serve tasks until stdin closes."""
    from grader.batch.task import run_task

    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the protocol
    inbox = sys.stdin.buffer
    warm_up()
    send(protocol, {"ready": os.getpid()})
    while True:
        task = receive(inbox)
        if task is None:
            return 0
        outcome = run_task(task)
        send(protocol, outcome)
        if outcome.error is not None and outcome.error.kind in RESTART_AFTER:
            return 0


if __name__ == "__main__":
    sys.exit(main())
