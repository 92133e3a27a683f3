"""Batch mode of ``grader check`` and ``grader equiv``: one JSON object out for every line in.

A batch never stops on a bad line. Each non-blank input line gets exactly one output line: the
result, or an error object that names the line (``{"line": 7, "verdict": "unparseable", "error":
"line 7: expected a JSON object, got an array"}``) for a line that is not UTF-8, not JSON, not an
object, nested too deeply, missing a field, or holding a non-string field. Every line runs under a
wall-clock budget (``LINE_BUDGET_S``) on top of the checks' own, so nothing hangs the batch, and
anything a check raises becomes that line's error object.

Each output line carries ``line`` (the input line number) and ``seconds`` (wall time of that line).
Output is always encodable JSON (:func:`to_json`): lone surrogates are replaced by U+FFFD, NaN and
infinities become strings, numpy values become numbers or lists.
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from grader.errors import BudgetExceeded, GraderError

LINE_BUDGET_S = 20.0
"""Wall-clock limit of one batch line (each check has its own, shorter budget inside it)."""

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class BatchLine:
    """One input line: its number, the object read (None when unreadable) and what was wrong."""

    number: int
    obj: dict[str, Any] | None
    error: str | None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def read_lines(path: str, fields: tuple[str, ...]) -> Iterator[BatchLine]:
    """The lines of a JSONL file, each read or explained (module notes). Raises GraderError only when
    the file itself cannot be opened."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; bytes: a bad line must not stop the rest
    except OSError as exc:
        raise GraderError(f"cannot read batch file: {exc.strerror}", path) from exc
    with handle:
        for n, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            yield _read_line(n, raw, fields)


def _read_line(n: int, raw: bytes, fields: tuple[str, ...]) -> BatchLine:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BatchLine(n, None, f"line {n}: not UTF-8 text (bad byte at offset {exc.start})")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return BatchLine(n, None, f"line {n}: invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return BatchLine(n, None, f"line {n}: JSON nested too deeply")
    if not isinstance(obj, dict):
        return BatchLine(n, None, f"line {n}: expected a JSON object, got {_kind(obj)}")
    missing = [f for f in fields if f not in obj]
    if missing:
        return BatchLine(n, obj, f"line {n}: missing field(s) {', '.join(missing)}")
    wrong = [f for f in fields if not isinstance(obj[f], str)]
    if wrong:
        f = wrong[0]
        return BatchLine(n, obj, f"line {n}: field {f!r} must be a string, got {_kind(obj[f])}")
    return BatchLine(n, obj, None)


def _identifier(obj: dict[str, Any] | None) -> Any:
    value = (obj or {}).get("id")
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)[:200]


def run_batch(path: str, fields: tuple[str, ...], one: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
    """Answer every line of ``path`` with ``one(obj)`` or an error object; print JSON lines.

    Returns the number of lines that were errors (unreadable, or the check failed to run).
    """
    from grader.mathx.budget import time_budget

    failures = 0
    for line in read_lines(path, fields):
        started = time.perf_counter()
        head = {"id": _identifier(line.obj), "line": line.number}
        if line.obj is not None and isinstance(line.obj.get("target"), str):
            head["target"] = line.obj["target"]
        if line.error is not None or line.obj is None:
            failures += 1
            out = {**head, "verdict": "unparseable", "error": line.error, "explanation": line.error}
        else:
            try:
                with time_budget(LINE_BUDGET_S):
                    out = {**head, **one(line.obj)}
            except BudgetExceeded:
                out = {
                    **head,
                    "verdict": "timeout",
                    "explanation": f"line {line.number}: over {LINE_BUDGET_S:g} s",
                }
            except GraderError as exc:
                failures += 1
                msg = f"line {line.number}: {exc}"
                out = {**head, "verdict": "unparseable", "error": msg, "explanation": msg}
            except Exception as exc:  # noqa: BLE001 - one line's failure never stops the batch
                failures += 1
                msg = f"line {line.number}: internal error: {type(exc).__name__}: {exc}"
                out = {**head, "verdict": "unparseable", "error": msg, "explanation": msg}
        out["seconds"] = round(time.perf_counter() - started, 4)
        print(to_json(out), flush=False)
    sys.stdout.flush()
    return failures


def clean(value: Any, depth: int = 0) -> Any:
    """``value`` made JSON-safe: surrogates replaced, non-finite floats as strings, numpy and
    fractions as numbers, unknown objects as their (cleaned) text."""
    if depth > 50:
        return "…"
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return (
            value
            if not isinstance(value, int) or value.bit_length() < 4000
            else str(value.bit_length()) + " bits"
        )
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Fraction):
        from grader.mathx.display import short_number

        return short_number(value)
    if isinstance(value, dict):
        return {clean(str(k), depth + 1): clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean(v, depth + 1) for v in value]
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return clean(tolist(), depth + 1)
    return clean(str(value)[:1000], depth + 1)


def to_json(obj: Any) -> str:
    """One line of JSON that always encodes (see :func:`clean`)."""
    return json.dumps(clean(obj), ensure_ascii=False, allow_nan=False)
