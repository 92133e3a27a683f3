"""benchmarks/bench_alignment.py: the corpus table read at run time, the development splits (odd threads
refused), the ablations and one file measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_alignment import Ablation, ablate, measure, split_threads, thread_homeworks
from grader.models import Block, Transcript, Turn

README = """# corpus

| thread | homework | title | files |
|---|---|---|---|
| 100 | HW3 | a | x.pdf |
| 102 | HW12 | b | y.pdf |
| 101 | HW0 | c | z.pdf |
| 104 | HW1 | d | w.pdf |
"""


def test_the_table_and_the_splits(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    table = thread_homeworks(tmp_path / "README.md")
    assert table == {
        100: "cs182-fa25-hw3",
        102: "cs182-fa25-hw12",
        101: "cs182-fa25-hw0",
        104: "cs182-fa25-hw1",
    }
    assert split_threads(table, "dev0") == [100, 104]
    assert split_threads(table, "dev2") == [102]  # 101 is odd: held out, in no split
    for held_out in ("odd", "all", "heldout"):
        with pytest.raises(SystemExit):
            split_threads(table, held_out)


def test_hide_notes_drops_the_annotations_only() -> None:
    t = Transcript(
        source="x.pdf",
        format="pdf",
        turns=[
            Turn(
                index=0,
                role="user",
                blocks=[Block(kind="text", text="Q"), Block(kind="annotation", text="n")],
            )
        ],
    )
    ablate(t, Ablation(hide_notes=True))
    assert [b.kind for b in t.turns[0].blocks] == ["text"]
    ablate(t, Ablation(no_questions=True))
    assert [b.kind for b in t.turns[0].blocks] == ["text"]


def test_a_reply_that_reaches_no_part_is_counted() -> None:
    from grader.rubric import get_rubric

    rubric = get_rubric("cs182-fa25-hw2")
    words = " ".join(["word"] * 30)
    q1a = rubric.parts[0]
    turns = [
        Turn(index=0, role="user", blocks=[Block(kind="text", text=f"Solve {q1a.question}({q1a.label}).")]),
        Turn(index=1, role="assistant", blocks=[Block(kind="text", text=f"It is 3. {words}")]),
        Turn(index=2, role="user", blocks=[Block(kind="text", text="Thanks, that is all.")]),
        Turn(index=3, role="assistant", blocks=[Block(kind="text", text="ok")]),  # not substantive
    ]
    t = Transcript(source="x.md", format="role-markdown", turns=turns)
    gold = {
        "parts": [{"id": q1a.id, "first": "correct", "final": "correct"}, {"id": "q2a", "final": "correct"}]
    }
    figures = measure("x.md", t, "cs182-fa25-hw2", Ablation(), None, gold)
    assert (figures.replies, figures.aligned, figures.answered, figures.parts) == (1, 1, 1, len(rubric.parts))
    assert figures.gold_unanswered == 1  # q2a: gold has a verdict, the grader has no attempt
