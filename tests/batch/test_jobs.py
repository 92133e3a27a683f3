"""`grader grade --jobs N`: the same reports as one job, per-file errors that never lose the batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.batch import BatchOptions, grade_files
from grader.cli import main
from tests.batch.conftest import outputs


def _grade(inputs: Path, out: Path, *extra: str) -> int:
    return main(["grade", str(inputs), "--out", str(out), "--format", "json,html,md,csv,jsonl", *extra])


def test_two_jobs_write_the_same_reports_as_one(inputs: Path, tmp_path: Path, capsys) -> None:
    assert _grade(inputs, tmp_path / "one", "--jobs", "1", "--no-cache") == 1  # empty.txt fails
    one_log = capsys.readouterr()
    assert _grade(inputs, tmp_path / "two", "--jobs", "2", "--no-cache") == 1
    two_log = capsys.readouterr()
    one, two = outputs(tmp_path / "one"), outputs(tmp_path / "two")
    assert one == two
    # every per-transcript document, the index and the run exports are there
    assert {"chatgpt_hw2_writeup.report.json", "claude_hw7_roles.report.html", "index.html"} <= set(one)
    assert {"gradebook.csv", "reports.jsonl"} <= set(one)
    assert sum(name.startswith("exports/gemini_takeout_hw2") and name.endswith(".json") for name in one) == 2
    assert "in-process" in one_log.out and "2 worker processes" in two_log.out
    # the same error line, naming the file, from both
    assert [ln for ln in one_log.err.splitlines() if "empty.txt" in ln] == [
        ln for ln in two_log.err.splitlines() if "empty.txt" in ln
    ]


def test_a_failing_file_does_not_lose_the_batch(inputs: Path, tmp_path: Path) -> None:
    (inputs / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (inputs / "cooking.md").write_text("User: how do I bake bread?\n\nAssistant: Knead and bake.\n", "utf-8")
    missing = inputs / "missing.txt"
    result = grade_files([inputs, missing], BatchOptions(jobs=2))
    failed = {name: f.kind for name, f in result.failures}
    assert failed == {
        "binary": "BinaryInputError",
        "empty": "EmptyInputError",
        "missing": "InputError",
    }
    graded = [t.name for f in result.files for t in f.transcripts if t.report_json]
    assert "chatgpt_hw2_writeup" in graded and "claude_hw7_roles" in graded
    # a chat of no homework is graded all the same: a rubric-less report (homework "unknown")
    assert "cooking" in graded
    # results come back in input order whatever order the workers finished in
    assert [f.name for f in result.files] == sorted(f.name for f in result.files if f.name != "missing") + [
        "missing"
    ]


def test_memory_cap_is_a_clear_per_file_error(inputs: Path, tmp_path: Path, capsys) -> None:
    jobs = "2"  # the cap applies in worker processes (in-process, a C library failing an allocation may exit)
    # a 19 MB transcript (under the 20 MB input cap): its first decoded copy alone is over a 10 MB cap,
    # so the cap is hit at a known place, before any code that could mistake the MemoryError for
    # something else
    line = "Assistant: the gradient is $u = -\\frac{\\alpha}{2} g$ and nothing else matters here.\n"
    (inputs / "huge.md").write_text("User: solve HW2 Q1(a)\n\n" + line * 230_000, encoding="utf-8")
    out = tmp_path / "out"
    argv = ["grade", str(inputs), "--out", str(out), "--format", "json,html", "--jobs", jobs, "--no-cache"]
    assert main([*argv, "--max-memory-mb", "10"]) == 1
    err = capsys.readouterr().err
    huge = [ln for ln in err.splitlines() if "huge.md" in ln]
    assert len(huge) == 1 and "memory cap of 10 MB" in huge[0] and "--max-memory-mb" in huge[0], err
    # the batch went on: every file has its line in the index, the empty file its own error
    assert any("empty.txt" in ln and "empty" in ln.split(":", 2)[-1] for ln in err.splitlines())
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "huge" in index and "empty" in index and "chatgpt_hw2_writeup" in index
    # the pool replaced the worker that hit the cap; a batch without the cap grades normally
    files = [str(inputs / "chatgpt_hw2_writeup.txt")]
    assert main(["grade", *files, "--out", str(tmp_path / "again"), "--jobs", jobs, "--format", "json"]) == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_time_limit_is_a_clear_per_file_error(jobs: int, inputs: Path) -> None:
    result = grade_files([inputs / "claude_hw7_roles.md"], BatchOptions(jobs=jobs, time_limit_s=0.001))
    [(name, failure)] = result.failures
    assert name == "claude_hw7_roles"
    assert failure.kind == "FileTimeLimitError" and "time limit of 0.001 s" in failure.message


def test_more_jobs_than_files_start_one_worker_per_file(tmp_path: Path) -> None:
    source = tmp_path / "one.md"
    source.write_text("User: What is 2 + 2?\n\nAssistant: It is 4.\n", "utf-8")
    result = grade_files([source], BatchOptions(jobs=3))
    assert result.backend == "1 worker process"  # its OCR gets the three cores
    assert result.files[0].outcome.worker  # graded in a worker process, under its memory and time limits
