"""Load rubric files, say where an error is (file, line, key), and look targets up."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from grader.errors import RubricError, TargetError
from grader.rubric.models import AnswerSpec, PartSpec, Rubric

RUBRICS_DIR = Path(__file__).resolve().parents[2] / "rubrics"


def key_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """Line (1-based) of the deepest node of key path ``loc`` in a YAML document, best effort."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == str(key)), None)
            if match is None:
                # a key that is there but wrong (a typo): point at the key itself
                key_node = next((k for k, _ in node.value if getattr(k, "value", None) == str(key)), None)
                node = key_node or node
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and str(key).isdigit() and int(key) < len(node.value):
            node = node.value[int(key)]  # a kind's problem keys ("target_any.1.0") come as text
        else:
            break
    return node.start_mark.line + 1 if node is not None else None


def _key_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc) or "<root>"


def _error_loc(err: Any) -> tuple[Any, ...]:
    """The key path of a pydantic error, without the union-member names pydantic inserts."""
    loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and ("[" in x or x in _UNION_TAGS)))
    field = (err.get("ctx") or {}).get("field")
    if field and (not loc or loc[-1] != field):
        # a dotted field (parts.3.symbols.y) is a key path of its own, from the node that raised
        loc = (*loc, *(int(k) if k.isdigit() else k for k in str(field).split(".")))
    return loc


_UNION_TAGS = {"str", "bool", "int", "float", "list", "dict", "function-after", "ExampleItem"}


def parse_rubric_text(text: str, where: str) -> Rubric:
    """Validate a rubric's YAML text; ``where`` (a file name) prefixes every error.

    Raises:
        RubricError: with ``where`` = ``file:line`` and the key path in the message.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{where}:{mark.line + 1}" if mark else where
        raise RubricError(f"invalid YAML: {getattr(exc, 'problem', exc)}", at) from exc
    if not isinstance(data, dict):
        raise RubricError("a rubric must be a YAML mapping", where)
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = _error_loc(err)
        line = key_line(text, loc)
        at = f"{where}:{line}" if line else where
        message = str(err["msg"]).removeprefix("Value error, ")
        raise RubricError(f"key {_key_path(loc)}: {message}", at) from exc
    return rubric


def load_rubric_file(path: Path) -> Rubric:
    """Load and validate one rubric file.

    Raises:
        RubricError: with ``where`` = ``file:line`` and the key path in the message.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"cannot read rubric: {getattr(exc, 'strerror', None) or exc}", str(path)) from exc
    rubric = parse_rubric_text(text, str(path))
    rubric.path = str(path)
    return rubric


@lru_cache(maxsize=4)
def _all_rubrics(directory: str) -> dict[str, Rubric]:
    out: dict[str, Rubric] = {}
    for f in sorted(Path(directory).glob("*.yaml")):
        r = load_rubric_file(f)
        if r.id != f.stem:
            raise RubricError(f"rubric id {r.id!r} does not match the file name", str(f))
        out[r.id] = r
    return out


def rubrics(directory: Path | None = None) -> dict[str, Rubric]:
    """All rubrics of a directory (default: ``$GRADER_RUBRICS_DIR``, else the project's ``rubrics/``), by id."""
    return _all_rubrics(str(directory or os.environ.get("GRADER_RUBRICS_DIR") or RUBRICS_DIR))


def get_rubric(homework: str, directory: Path | None = None) -> Rubric:
    """One rubric by homework id; raises TargetError with the known ids when unknown."""
    all_ = rubrics(directory)
    if homework not in all_:
        raise TargetError(f"unknown homework {homework!r}; known: {', '.join(sorted(all_))}")
    return all_[homework]


def parse_target(target: str, directory: Path | None = None) -> tuple[Rubric, PartSpec, AnswerSpec]:
    """Split ``homework.part.answer`` and resolve each piece; raises TargetError saying which is wrong."""
    pieces = target.split(".")
    if len(pieces) != 3:
        raise TargetError("a target is <homework>.<part>.<answer>, e.g. cs182-fa25-hw2.q1a.u", target)
    rubric = get_rubric(pieces[0], directory)
    part = rubric.part(pieces[1])
    answer = part.answer(pieces[2])
    if answer is None:
        ids = ", ".join(a.id for a in part.answers)
        raise TargetError(f"part {part.id} has no answer {pieces[2]!r}; answers: {ids}", target)
    return rubric, part, answer
