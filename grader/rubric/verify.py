"""``grader rubric check``: is a rubric file right, before it grades anyone?

For each file: it loads (schema, kinds, fields: errors name file, line and key); every reference is
built and audited by its answer kind (formulas parse, use only declared symbols, are well-shaped; a
``verify`` computation agrees; options exist; a proof's targets hold at its instance); objectives
parse; and every example runs: each ``right`` example must check ``correct`` and each ``wrong`` one
``incorrect``. An example marked ``known_issue: "<what the engine gets wrong>"`` that does not is listed
as a known issue (counted, never passed silently), and as resolved once it does. The result is a
:class:`RubricCheck` with one problem per failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.answers import Context, kind_of
from grader.answers.formula import formula_problems
from grader.errors import GraderError, RubricError
from grader.rubric.load import key_line, load_rubric_file
from grader.rubric.models import ExampleItem, Rubric

__all__ = ["RubricCheck", "RubricProblem", "verify_rubric_file"]


@dataclass
class RubricProblem:
    """One thing wrong with a rubric file."""

    where: str
    """``file:line`` (the line of the key when it can be found)."""
    key: str
    """The key path, e.g. ``parts.0.answers.1.reference``."""
    message: str

    def __str__(self) -> str:
        return (
            f"{self.where}: key {self.key}: {self.message}" if self.key else f"{self.where}: {self.message}"
        )


@dataclass
class RubricCheck:
    """What ``grader rubric check`` found in one file."""

    path: str
    homework: str | None = None
    answers: int = 0
    references: int = 0
    examples: int = 0
    problems: list[RubricProblem] = field(default_factory=list)
    known_issues: list[RubricProblem] = field(default_factory=list)
    """Examples marked ``known_issue`` that still check otherwise than expected (not failures)."""
    resolved: list[RubricProblem] = field(default_factory=list)
    """Examples marked ``known_issue`` that now check as expected: the mark can go."""

    @property
    def ok(self) -> bool:
        """Whether the file passed every check (a marked known issue is listed, not failed)."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "file": self.path,
            "homework": self.homework,
            "ok": self.ok,
            "answers": self.answers,
            "references": self.references,
            "examples": self.examples,
            "problems": [_plain(p) for p in self.problems],
            "known_issues": [_plain(p) for p in self.known_issues],
            "resolved": [_plain(p) for p in self.resolved],
        }

    def notes(self) -> list[str]:
        """The known issues and resolved marks, one line each, for the text output."""
        return [f"known issue: {p}" for p in self.known_issues] + [f"resolved: {p}" for p in self.resolved]

    def summary(self) -> str:
        """One line per file: ok or FAILED, with the counts."""
        counts = f"{self.answers} answers, {self.references} references, {self.examples} examples"
        if self.known_issues:
            counts += f", {len(self.known_issues)} known issue(s)"
        if self.resolved:
            counts += f", {len(self.resolved)} known issue(s) resolved: remove the mark"
        if self.ok:
            return f"{self.path}: ok ({self.homework}: {counts})"
        return f"{self.path}: FAILED, {len(self.problems)} problem(s) ({counts})"


def _plain(p: RubricProblem) -> dict[str, str]:
    return {"where": p.where, "key": p.key, "message": p.message}


class _Collector:
    def __init__(self, path: Path, text: str, report: RubricCheck) -> None:
        self.path, self.text, self.report = path, text, report

    def problem(self, loc: tuple[Any, ...], message: str) -> RubricProblem:
        line = key_line(self.text, loc)
        where = f"{self.path}:{line}" if line else str(self.path)
        return RubricProblem(where, ".".join(str(x) for x in loc), message)

    def add(self, loc: tuple[Any, ...], message: str) -> None:
        self.report.problems.append(self.problem(loc, message))


def _example(item: str | ExampleItem) -> tuple[str, str | None, str | None]:
    """(answer text, variant, known issue) of an example."""
    return (item, None, None) if isinstance(item, str) else (item.answer, item.variant, item.known_issue)


def _check_objectives(rubric: Rubric, col: _Collector) -> None:
    for pi, part in enumerate(rubric.parts):
        for oi, obj in enumerate(part.objectives):
            ctx = Context(rubric, part, part.answers[0], obj.variant)
            for msg in formula_problems(obj.expression, ctx, "objective"):
                col.add(("parts", pi, "objectives", oi, "expression"), msg)
            unknown = [v for v in obj.variables if v not in rubric.symbol_decls(part.id)]
            if unknown:
                col.add(
                    ("parts", pi, "objectives", oi, "variables"), f"undeclared symbol(s) {', '.join(unknown)}"
                )


def _check_answer(rubric: Rubric, pi: int, ai: int, col: _Collector) -> None:
    from grader.check import check_value
    from grader.references import accepted_references

    part = rubric.parts[pi]
    answer = part.answers[ai]
    here = ("parts", pi, "answers", ai)
    kind = kind_of(answer.kind)
    col.report.answers += 1
    for variant in [None, *[v for v in part.variants if v != part.default_variant]]:
        ctx = Context(rubric, part, answer, variant)
        try:
            refs = accepted_references(ctx)
        except GraderError as exc:
            col.add((*here, "reference"), f"cannot build the reference: {exc.message}")
            return
        col.report.references += len(refs)
        for key, msg in kind.audit(ctx, refs):
            col.add((*here, *key.split(".")), msg)
    if answer.examples is None:
        return
    for label, items, want in (
        ("right", answer.examples.right, "correct"),
        ("wrong", answer.examples.wrong, "incorrect"),
        ("partial", answer.examples.partial, "partial"),
    ):
        for ei, item in enumerate(items):
            text, variant, known = _example(item)
            col.report.examples += 1
            loc = (*here, "examples", label, ei)
            if variant is not None and variant not in part.variants:
                col.add(loc, f"variant {variant!r} is not a variant of {part.id}")
                continue
            ctx = Context(rubric, part, answer, variant)
            result = check_value(kind.prepare(text, ctx), answer, part, rubric, variant)
            said = f"{label} example {text[:60]!r} checks {result.verdict}, expected {want}"
            if result.verdict == want and known:
                col.report.resolved.append(
                    col.problem(loc, f"{said.split(' checks')[0]} now checks {want} ({known})")
                )
            elif result.verdict != want and known:
                col.report.known_issues.append(
                    col.problem(loc, f"{said} ({known}): {result.explanation[:120]}")
                )
            elif result.verdict != want:
                col.add(loc, f"{said}: {result.explanation[:160]}")


def verify_rubric_file(path: Path) -> RubricCheck:
    """Validate one rubric file, audit its references and run its examples (never raises)."""
    report = RubricCheck(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.problems.append(
            RubricProblem(str(path), "", f"cannot read: {getattr(exc, 'strerror', None) or exc}")
        )
        return report
    try:
        rubric = load_rubric_file(path)
    except RubricError as exc:
        where, _, _ = exc.where.partition(" ")
        key = exc.message.split(":", 1)[0].removeprefix("key ") if exc.message.startswith("key ") else ""
        message = exc.message.split(": ", 1)[1] if key else exc.message
        report.problems.append(RubricProblem(where or str(path), key, message))
        return report
    report.homework = rubric.id
    col = _Collector(path, text, report)
    _check_objectives(rubric, col)
    for pi, part in enumerate(rubric.parts):
        for ai in range(len(part.answers)):
            _check_answer(rubric, pi, ai, col)
    return report
