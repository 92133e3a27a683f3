"""The gradebook: long rows per transcript × part, wide rows per transcript, safe CSV cells."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from grader.models import PartResult, Report
from grader.reports import gradebook_rows, write_gradebook_csv, write_wide_csv
from grader.reports.gradebook import LONG_COLUMNS, csv_safe


def second_report() -> Report:
    return Report(
        source='=HYPERLINK("http://x").txt',
        format="role-markdown",
        model=None,
        homework="cs182-fa25-hw2",
        score=1.0,
        max_score=4.0,
        parts=[
            PartResult(
                id="q2a",
                first="unanswered",
                final="partial",
                score=1.0,
                max_score=2.0,
                reason="-alpha missing",
            ),
        ],
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_long_rows_one_per_transcript_and_part(sample_report: Report) -> None:
    rows = gradebook_rows([sample_report, second_report()])
    assert [(r["source"], r["part"]) for r in rows] == [
        ("000_sample.txt", "q1a"),
        ("000_sample.txt", "q1b"),
        ('=HYPERLINK("http://x").txt', "q2a"),
    ]
    assert all(list(r) == list(LONG_COLUMNS) for r in rows)


@pytest.mark.parametrize(
    "part,column,expected",
    [
        # verdicts and points
        ("q1a", "final", "correct"),
        ("q1a", "score", 2.0),
        ("q1b", "max_score", 3.0),
        # hinted and flags
        ("q1b", "hinted", True),
        ("q1b", "flags", "false_statement"),
        ("q1b", "variant", "squared"),
        # counts from the attempts
        ("q1a", "attempts", 1),
        ("q1b", "claims_incorrect", 1),
        ("q1b", "claims_correct", 0),
    ],
)
def test_long_row_values(sample_report: Report, part: str, column: str, expected: object) -> None:
    row = next(r for r in gradebook_rows([sample_report]) if r["part"] == part)
    assert row[column] == expected


def test_long_csv_round_trip(sample_report: Report, tmp_path: Path) -> None:
    path = tmp_path / "out" / "gradebook.csv"
    write_gradebook_csv([sample_report, second_report()], path)
    rows = read_csv(path)
    assert len(rows) == 3
    assert rows[1]["reason"] == "Missing the factor ||g||_1 / 2."
    # formula-like cells from uploads are defused, plain values untouched
    assert rows[2]["source"] == '\'=HYPERLINK("http://x").txt'
    assert rows[2]["reason"] == "'-alpha missing"
    assert rows[2]["score"] == "1.0"


def test_wide_csv_one_row_per_transcript(sample_report: Report, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    write_wide_csv([sample_report, second_report()], path)
    rows = read_csv(path)
    assert [r["source"] for r in rows] == ["000_sample.txt", '\'=HYPERLINK("http://x").txt']
    assert rows[0]["q1b_final"] == "incorrect" and rows[0]["q1b_hinted"] == "True"
    assert rows[0]["score"] == "2.0" and rows[0]["max_score"] == "5.0" and rows[0]["warnings"] == "1"
    # a part the transcript lacks stays empty
    assert rows[0]["q2a_final"] == "" and rows[1]["q1a_final"] == ""
    assert rows[1]["q2a_score"] == "1.0"


def test_empty_gradebooks_have_headers(tmp_path: Path) -> None:
    write_gradebook_csv([], tmp_path / "long.csv")
    write_wide_csv([], tmp_path / "wide.csv")
    assert (tmp_path / "long.csv").read_text().splitlines() == [",".join(LONG_COLUMNS)]
    assert (tmp_path / "wide.csv").read_text().splitlines() == [
        "source,model,homework,score,max_score,warnings,needs_review"
    ]


@pytest.mark.parametrize(
    "value,expected",
    [
        # formula starters are prefixed
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        # everything else passes
        ("q1a", "q1a"),
        ("", ""),
        (-1.5, -1.5),
        (True, True),
    ],
)
def test_csv_safe(value: object, expected: object) -> None:
    assert csv_safe(value) == expected
