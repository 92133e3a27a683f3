"""Exports: CSV gradebook and Gradescope results.json (endpoints and the builders)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient

from grader.models import PartResult, Report
from tests.web.conftest import hw2_transcript, upload, wait_finished
from web.exports import gradebook_csv, gradescope_results


def _report() -> Report:
    return Report(
        source="=cmd.md",
        format="role-markdown",
        model="Claude",
        homework="cs182-fa25-hw2",
        score=3.0,
        max_score=5.0,
        parts=[
            PartResult(id="q1a", first="incorrect", final="correct", hinted=True, score=2.0, max_score=2.0),
            PartResult(
                id="q5",
                first="partial",
                final="partial",
                flags=["derivation_error"],
                score=1.0,
                max_score=3.0,
                reason="ring size wrong",
            ),
        ],
    )


def test_gradescope_results_shape() -> None:
    results = gradescope_results(_report())
    assert results["score"] == 3.0
    assert [t["name"] for t in results["tests"]] == ["cs182-fa25-hw2 q1a", "cs182-fa25-hw2 q5"]
    assert [(t["score"], t["max_score"], t["status"]) for t in results["tests"]] == [
        (2.0, 2.0, "passed"),
        (1.0, 3.0, "failed"),
    ]
    assert "(hinted)" in results["tests"][0]["output"]
    assert "ring size wrong" in results["tests"][1]["output"]
    assert results["tests"][1]["tags"] == ["derivation_error"]
    assert "3/5" in results["output"]


# (layout, expected header start, rows)
LAYOUTS = [
    ("long", ["submission", "owner", "source", "model", "homework", "part"], 2),
    ("wide", ["submission", "owner", "source", "model", "homework", "score"], 1),
]


@pytest.mark.parametrize("layout,header,nrows", LAYOUTS)
def test_gradebook_csv_layouts(layout: str, header: list[str], nrows: int) -> None:
    rows = list(csv.reader(io.StringIO(gradebook_csv([("abc", "anonymous", _report())], layout))))
    assert rows[0][: len(header)] == header
    assert len(rows) == 1 + nrows
    assert rows[1][0] == "abc"
    assert rows[1][2] == "'=cmd.md"  # a formula-looking file name is defused


def test_export_endpoints(client: TestClient) -> None:
    ids = []
    for model, answer in (("Gemini", "-\\frac{\\alpha}{2} g"), ("Claude", "\\alpha g")):
        ids.append(upload(client, hw2_transcript(model, answer), f"{model}.md").json()["id"])
    for sid in ids:
        assert wait_finished(client, sid)["status"] == "done"

    response = client.get("/api/export/gradebook.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    q1a = {r["model"]: r["final"] for r in rows if r["part"] == "q1a"}
    assert q1a == {"Gemini": "correct", "Claude": "incorrect"}

    only_claude = list(csv.DictReader(io.StringIO(client.get("/api/export/gradebook.csv?model=Claude").text)))
    assert {r["model"] for r in only_claude} == {"Claude"}

    wide = list(csv.DictReader(io.StringIO(client.get("/api/export/gradebook.csv?layout=wide").text)))
    assert len(wide) == 2 and "q1a_final" in wide[0]

    one = client.get(f"/api/submissions/{ids[0]}/results.json").json()
    assert one["tests"][0]["name"] == "cs182-fa25-hw2 q1a" and one["tests"][0]["status"] == "passed"

    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/export/gradescope.zip").content))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(n.endswith("/results.json") for n in names)
    assert all("tests" in json.loads(archive.read(n)) for n in names)


def test_gradescope_of_ungraded_submission_is_404(client: TestClient) -> None:
    client.app.state.queue.stop()  # type: ignore[attr-defined]
    sid = upload(client, hw2_transcript()).json()["id"]
    response = client.get(f"/api/submissions/{sid}/results.json")
    assert response.status_code == 404
    assert "queued" in response.json()["error"]["message"]
