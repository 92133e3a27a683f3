"""The course dashboard across homeworks.

- per homework: a transcripts × parts matrix of final verdicts, a parts × models table of how
  many final answers were correct, and the same as a bar chart (:mod:`web.charts`);
- per model: the parts it gets wrong most often, over every homework.

Only answered parts count (a part the transcript never reached is not a wrong answer).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from grader.rubric import rubrics
from web.charts import Bar, accuracy_chart_svg
from web.db import ReportRow, Submission
from web.store import summary_data

UNKNOWN_MODEL = "unknown model"
WRONG = "incorrect"
DOUBTFUL = ("partial", "needs_review")
WEAKEST_SHOWN = 5


@dataclass
class Counts:
    """Final verdicts of one part by one model (answered parts only)."""

    correct: int = 0
    wrong: int = 0
    doubtful: int = 0
    total: int = 0

    def add(self, final: str) -> None:
        """Count one final verdict."""
        if final == "unanswered":
            return
        self.total += 1
        self.correct += final == "correct"
        self.wrong += final == WRONG
        self.doubtful += final in DOUBTFUL

    @property
    def share(self) -> float:
        """Correct / answered (0 with nothing answered)."""
        return self.correct / self.total if self.total else 0.0

    @property
    def tone(self) -> str:
        """Colour of the cell: good from 80% correct, bad under 50%, warn between."""
        if not self.total:
            return "none"
        return "good" if self.share >= 0.8 else "bad" if self.share < 0.5 else "warn"


@dataclass
class MatrixRow:
    """One graded transcript: its final verdict per part (None when the part is missing)."""

    submission: str
    position: int
    source: str
    owner: str
    model: str
    score: float | None
    max_score: float | None
    cells: list[str | None]

    @property
    def href(self) -> str:
        """The report page of this transcript."""
        return f"/submissions/{self.submission}/reports/{self.position}"


@dataclass
class HomeworkView:
    """Everything the dashboard shows for one homework."""

    homework: str
    parts: list[str]
    rows: list[MatrixRow] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    counts: dict[tuple[str, str], Counts] = field(default_factory=dict)

    def cell(self, part: str, model: str) -> Counts:
        """The counts of one part × model (zeros when none)."""
        return self.counts.get((part, model), Counts())

    def chart(self) -> Markup:
        """The per-part accuracy chart as inline SVG."""
        bars = [Bar(part, model, c.correct, c.total) for (part, model), c in self.counts.items()]
        return accuracy_chart_svg(
            self.parts, self.models, bars, title=f"{self.homework}: share correct (final)"
        )


@dataclass(frozen=True)
class WeakPart:
    """A part one model gets wrong: how often, out of how many answers."""

    homework: str
    part: str
    wrong: int
    doubtful: int
    total: int

    @property
    def share(self) -> float:
        """Wrong / answered."""
        return self.wrong / self.total if self.total else 0.0


@dataclass
class ModelView:
    """One model across every homework: how many transcripts, and its weakest parts."""

    model: str
    transcripts: int = 0
    answered: int = 0
    correct: int = 0
    weakest: list[WeakPart] = field(default_factory=list)


@dataclass
class Dashboard:
    """The whole dashboard."""

    homeworks: list[HomeworkView]
    models: list[ModelView]


def _part_order(homework: str, seen: list[str]) -> list[str]:
    known = rubrics()
    if homework in known:
        ids = [p.id for p in known[homework].parts]
        return [p for p in ids if p in seen] + [p for p in seen if p not in ids]
    return seen


def build_dashboard(items: list[tuple[Submission, ReportRow]]) -> Dashboard:
    """Count final verdicts per homework, part and model from graded reports."""
    by_homework: dict[str, list[tuple[Submission, ReportRow, dict[str, str]]]] = {}
    for sub, row in items:
        if row.status != "done" or not row.homework:
            continue
        finals = {p["id"]: p["final"] for p in summary_data(row)}
        by_homework.setdefault(row.homework, []).append((sub, row, finals))
    views: list[HomeworkView] = []
    per_model: dict[str, ModelView] = {}
    weak: dict[tuple[str, str, str], Counts] = {}
    for homework in sorted(by_homework):
        entries = by_homework[homework]
        seen: list[str] = []
        for _, _, finals in entries:
            seen += [p for p, v in finals.items() if p not in seen and v != "unanswered"]
        view = HomeworkView(homework=homework, parts=_part_order(homework, seen))
        for sub, row, finals in entries:
            model = row.model or UNKNOWN_MODEL
            if model not in view.models:
                view.models.append(model)
            mv = per_model.setdefault(model, ModelView(model))
            mv.transcripts += 1
            view.rows.append(
                MatrixRow(sub.id, row.position, row.source, sub.owner, model, row.score, row.max_score,
                          [finals.get(p) for p in view.parts])
            )  # fmt: skip
            for part, final in finals.items():
                view.counts.setdefault((part, model), Counts()).add(final)
                weak.setdefault((model, homework, part), Counts()).add(final)
                if final != "unanswered":
                    mv.answered += 1
                    mv.correct += final == "correct"
        view.models.sort()
        views.append(view)
    for (model, homework, part), c in weak.items():
        if c.wrong or c.doubtful:
            per_model[model].weakest.append(WeakPart(homework, part, c.wrong, c.doubtful, c.total))
    for mv in per_model.values():
        mv.weakest.sort(key=lambda w: (-w.share, -w.wrong, -w.doubtful, w.homework, w.part))
        mv.weakest = mv.weakest[:WEAKEST_SHOWN]
    return Dashboard(views, sorted(per_model.values(), key=lambda m: m.model))
