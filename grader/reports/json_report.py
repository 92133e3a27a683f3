"""The JSON report (``schema: grader.report/1``), the contract of ``grader grade --format json``."""

from __future__ import annotations

import json

from grader.models import Report


def report_json(report: Report, include_transcript: bool = False) -> str:
    """The report as pretty-printed JSON, ``schema`` first, UTF-8 text kept as is, newline-terminated.

    The transcript is left out unless ``include_transcript`` (it can be large and is already
    in the input file).
    """
    data = report.to_json_dict(include_transcript=include_transcript)
    ordered = {"schema": data.pop("schema"), **data}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"
