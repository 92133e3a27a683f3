"""benchmarks/bench_corpus_gold.py: the split by thread parity, and one gold entry graded and compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_corpus_gold import Split, grade_entry, split_of, thread_number
from grader.evaluation import load_gold


@pytest.mark.parametrize(
    "file,number,split",
    [
        ("thread_346/Special_Participation_A.pdf", 346, "even"),
        ("thread_607/chat_history.md", 607, "odd"),
        ("loose.pdf", None, "odd"),  # no thread number: never in the development split
    ],
)
def test_split_by_thread_parity(file: str, number: int | None, split: str) -> None:
    assert thread_number(file) == number
    assert split_of(file) == split


@pytest.mark.shared
@pytest.mark.slow
def test_one_development_entry_is_graded_and_compared(shared: Path, tmp_path: Path) -> None:
    entry = next(e for e in load_gold(shared / "gold" / "hw9_dev.yaml") if split_of(e["file"]) == "even")
    split = Split("even")
    grade_entry(entry, split, tmp_path)
    labelled = sum(
        1 for p in entry["parts"] for k in ("first", "final") if p.get(k) not in (None, "needs_review")
    )
    assert split.files == 1 and split.detected == 1
    assert split.agreement.verdict_pairs == labelled
    assert list(tmp_path.glob("*.report.json"))
