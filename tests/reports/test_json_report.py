"""report_json: the grader.report/1 contract."""

from __future__ import annotations

import json

import pytest

from grader.models import Report
from grader.reports import report_json


def test_schema_is_the_first_key(sample_report: Report) -> None:
    data = json.loads(report_json(sample_report))
    assert next(iter(data)) == "schema"
    assert data["schema"] == "grader.report/1"


def test_round_trips_to_the_same_report(sample_report: Report) -> None:
    again = Report.model_validate(json.loads(report_json(sample_report)))
    assert again == sample_report.model_copy(update={"transcript": None})


@pytest.mark.parametrize(
    "include_transcript,has_transcript",
    [
        # default: the transcript stays in the input file
        (False, False),
        # on request: kept for re-rendering
        (True, True),
    ],
)
def test_transcript_only_on_request(
    sample_report: Report, include_transcript: bool, has_transcript: bool
) -> None:
    data = json.loads(report_json(sample_report, include_transcript=include_transcript))
    assert ("transcript" in data) is has_transcript


def test_pretty_printed_utf8_and_newline_terminated(sample_report: Report) -> None:
    text = report_json(sample_report)
    assert text.endswith("}\n")
    assert '\n  "source": "000_sample.txt",' in text
    assert "α" in text  # from q1a's reason, not \u03b1


def test_claim_shape_matches_design_example(sample_report: Report) -> None:
    claim = json.loads(report_json(sample_report))["parts"][0]["attempts"][0]["claims"][0]
    assert {"answer", "text", "verdict", "explanation"} <= claim.keys()
    assert claim["text"] == "u = -\\frac{\\alpha}{2} g"
