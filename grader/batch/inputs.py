"""Which files a batch grades, and the unique, stable name each one's outputs get.

Naming rule (documented in the README): an input is named

- by its file name when it was given as a file (``grader grade a/x.md`` -> ``x``);
- by its path below the folder argument it was found in (``grader grade corpus/`` ->
  ``thread_315/x`` for ``corpus/thread_315/x.pdf``);

without its suffix. When two inputs would get the same name, each takes as many of its parent folders
as it needs to differ (``a/x`` and ``b/x`` for ``grader grade a/x.pdf b/x.pdf``); two that still
collide (``x.md`` and ``x.json`` side by side) keep their suffix (``x.md``, ``x.json``). Outputs are
``<out>/<name>.report.json`` etc., so the output folder mirrors those sub-folders.

The names depend only on the arguments, never on the order files finish in: a re-run of the same
command writes the same files, and a flat folder keeps the plain ``<stem>.report.json`` names.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".json", ".pdf", ".zip", ".html")
"""Suffixes picked up when a folder is given (a file named explicitly is read whatever its suffix)."""


@dataclass(frozen=True)
class BatchInput:
    """One input file of a batch."""

    path: Path
    """The file as given (or found in a folder)."""
    name: str
    """Its output name: relative path below the run's common root, POSIX separators, no suffix."""


def expand_paths(paths: Iterable[str | Path]) -> list[tuple[Path, Path]]:
    """``(file, root)`` for every input: folders are searched recursively for supported suffixes.

    A path that does not exist is kept (its error is reported per file, not here). A file found twice
    (named explicitly and inside a folder argument) is graded once.
    """
    out: list[tuple[Path, Path]] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
            pairs = [(f, p) for f in found]
        else:
            pairs = [(p, p.parent)]
        for f, root in pairs:
            key = Path(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append((f, root))
    return out


def batch_inputs(paths: Iterable[str | Path]) -> list[BatchInput]:
    """The inputs of a batch with their unique, stable output names (see the module docstring)."""
    pairs = expand_paths(paths)
    parts = [Path(os.path.abspath(f)).parts for f, _ in pairs]
    keep = [
        max(1, len(Path(os.path.relpath(os.path.abspath(f), os.path.abspath(r))).parts)) for f, r in pairs
    ]
    while True:  # grow colliding names by one parent folder at a time
        names = ["/".join(p[-k:]) for p, k in zip(parts, keep, strict=True)]
        grown = False
        for group in _collisions(names):
            for i in group:
                if keep[i] < len(parts[i]) - 1:
                    keep[i] += 1
                    grown = True
        if not grown:
            break
    stems = [_strip_suffix(n) for n in names]
    for group in _collisions(stems):
        for i in group:
            stems[i] = names[i]
    for group in _collisions(stems):  # only for names such as x.md beside x.md.pdf
        for n, i in enumerate(group[1:], 2):
            stems[i] = f"{stems[i]}_{n}"
    return [BatchInput(path=f, name=n) for (f, _), n in zip(pairs, stems, strict=True)]


def _collisions(names: Sequence[str]) -> list[list[int]]:
    where: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        where.setdefault(name, []).append(i)
    return [group for group in where.values() if len(group) > 1]


def _strip_suffix(rel: str) -> str:
    head, _, last = rel.rpartition("/")
    stem = Path(last).stem or last
    return f"{head}/{stem}" if head else stem


def transcript_names(file_name: str, sources: Sequence[str]) -> list[str]:
    """The output names of the transcripts of one file (in order).

    One transcript keeps the file's name; several (a zip, an export of many chats) are named
    ``<folder>/<safe source>`` in the file's folder, e.g. ``export.json#My chat`` -> ``export_My_chat``,
    with ``_2``, ``_3`` ... added where two conversations of the file would get the same name.
    """
    if len(sources) == 1:
        return [file_name]
    folder, _, _ = file_name.rpartition("/")
    names: list[str] = []
    for i, source in enumerate(sources):
        stem = output_stem(source, i)
        name = f"{folder}/{stem}" if folder else stem
        candidate, n = name, 1
        while candidate in names:
            n += 1
            candidate = f"{name}_{n}"
        names.append(candidate)
    return names


def output_stem(source: str, index: int) -> str:
    """A safe file stem for one of several transcripts of a file: ``export.json#My chat`` -> ``export_My_chat``."""
    base = re.sub(r"\.(?:json|md|txt|zip|markdown)(?=[#/]|$)", "", source)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:80]
    return stem or f"transcript_{index}"
