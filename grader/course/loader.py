"""Load a course's question files: one PDF, a folder of PDFs, or a course file (YAML).

A course file lists the homeworks and their question PDFs (paths relative to the file)::

    course: cs182-fa25                # optional: the prefix of homework ids
    homeworks:
      - id: cs182-fa25-hw2
        questions: hw2.pdf
      - id: cs182-fa25-hw7
        questions: pdfs/hw7.pdf

A folder holding ``course.yaml`` (or ``course.yml``) is read through it. Any other folder: each
``*.pdf`` is one homework whose id is its file stem, prefixed like the known rubrics when one of them
is ``<prefix>-<stem>`` (``hw2.pdf`` beside rubric ``cs182-fa25-hw2`` makes every PDF of the folder a
``cs182-fa25-...`` homework). The file names here name the question files a TA supplied; a
transcript's homework is never read from its own file name.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from grader.course.model import Course, QuestionSet
from grader.course.pdf_questions import read_question_pdf
from grader.errors import InputError

COURSE_FILES = ("course.yaml", "course.yml")


def _homework_ids(stems: list[str], known: Iterable[str]) -> dict[str, str]:
    """Stem -> homework id, with the prefix of a known rubric id that ends in ``-<stem>``."""
    known = list(known)
    prefix = ""
    for stem in stems:
        hit = next((k for k in known if k.endswith(f"-{stem}")), None)
        if hit:
            prefix = hit[: -len(stem)]
            break
    return {stem: f"{prefix}{stem}" for stem in stems}


def _course_file(path: Path) -> Course:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read course file: {exc.strerror or exc}", str(path)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"invalid YAML: {getattr(exc, 'problem', exc)}", where) from exc
    if not isinstance(data, dict) or not isinstance(data.get("homeworks"), list):
        raise InputError("a course file is a mapping with a 'homeworks' list", str(path))
    course = Course(source=str(path))
    for i, entry in enumerate(data["homeworks"]):
        where = f"{path}: homeworks[{i}]"
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("questions"):
            raise InputError("each homework needs 'id' and 'questions' (a PDF path)", where)
        hw_id = str(entry["id"])
        if hw_id in course.homeworks:
            raise InputError(f"homework {hw_id!r} listed twice", where)
        pdf = (path.parent / str(entry["questions"])).resolve()
        if not pdf.is_file():
            raise InputError(f"question file {entry['questions']!r} not found", where)
        course.homeworks[hw_id] = _read(pdf, hw_id)
    return course


@lru_cache(maxsize=64)
def _read_cached(path: str, mtime: float, size: int, homework: str) -> QuestionSet:
    return read_question_pdf(Path(path), homework)


def _read(pdf: Path, homework: str) -> QuestionSet:
    st = pdf.stat()
    return _read_cached(str(pdf), st.st_mtime, st.st_size, homework)


def load_course(path: Path | str, known_ids: Iterable[str] = ()) -> Course:
    """The question sets of the course at ``path`` (a PDF, a folder of PDFs, or a course YAML).

    ``known_ids``: the homework ids of the rubrics, used to name the PDFs of a plain folder.

    Raises:
        InputError: a missing path, an unreadable or structureless PDF, an invalid course file
            (each naming the file).
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", str(path))
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        return _course_file(path)
    if path.is_file():
        stem = path.stem
        ids = _homework_ids([stem], known_ids)
        return Course(homeworks={ids[stem]: _read(path, ids[stem])}, source=str(path))
    for name in COURSE_FILES:
        if (path / name).is_file():
            return _course_file(path / name)
    pdfs = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")
    if not pdfs:
        raise InputError("the folder holds no question PDF and no course.yaml", str(path))
    ids = _homework_ids([p.stem for p in pdfs], known_ids)
    course = Course(source=str(path))
    for pdf in pdfs:
        course.homeworks[ids[pdf.stem]] = _read(pdf, ids[pdf.stem])
    return course
