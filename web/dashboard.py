"""The course dashboard: a submissions × parts matrix of final verdicts per homework, and the
share of correct final answers per part and model (drawn by :mod:`web.charts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from grader.rubric import rubrics
from web.charts import Bar, accuracy_chart_svg
from web.db import Submission
from web.store import summary_data

UNKNOWN_MODEL = "unknown model"


@dataclass
class MatrixRow:
    """One submission's row: its final verdict per part (None when the part is missing)."""

    id: str
    filename: str
    owner: str
    model: str
    score: float | None
    max_score: float | None
    cells: list[str | None]


@dataclass
class HomeworkMatrix:
    """Everything the dashboard shows for one homework."""

    homework: str
    parts: list[str]
    rows: list[MatrixRow] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)

    def chart(self) -> Markup:
        """The per-part accuracy chart as inline SVG."""
        return accuracy_chart_svg(
            self.parts, self.models, self.bars, title=f"{self.homework}: share correct (final)"
        )


def _part_order(homework: str, seen: list[str]) -> list[str]:
    known = rubrics()
    if homework in known:
        ids = [p.id for p in known[homework].parts]
        return ids + [p for p in seen if p not in ids]
    return seen


def build_dashboard(submissions: list[Submission]) -> list[HomeworkMatrix]:
    """Group done submissions by homework and count final verdicts per part and model."""
    by_homework: dict[str, list[tuple[Submission, dict[str, str]]]] = {}
    for row in submissions:
        if row.status != "done" or not row.homework:
            continue
        finals = {p["id"]: p["final"] for p in summary_data(row)}
        by_homework.setdefault(row.homework, []).append((row, finals))
    matrices = []
    for homework in sorted(by_homework):
        items = by_homework[homework]
        seen: list[str] = []
        for _, finals in items:
            seen += [p for p in finals if p not in seen]
        matrix = HomeworkMatrix(homework=homework, parts=_part_order(homework, seen))
        counts: dict[tuple[str, str], list[int]] = {}
        for row, finals in items:
            model = row.model or UNKNOWN_MODEL
            if model not in matrix.models:
                matrix.models.append(model)
            matrix.rows.append(
                MatrixRow(
                    id=row.id,
                    filename=row.filename,
                    owner=row.owner,
                    model=model,
                    score=row.score,
                    max_score=row.max_score,
                    cells=[finals.get(p) for p in matrix.parts],
                )
            )
            for part, final in finals.items():
                c = counts.setdefault((part, model), [0, 0])
                c[0] += final == "correct"
                c[1] += 1
        matrix.models.sort()
        matrix.bars = [Bar(part, model, c[0], c[1]) for (part, model), c in counts.items()]
        matrices.append(matrix)
    return matrices
