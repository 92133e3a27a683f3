"""The JSON API: grading life cycle, deduplication, errors as JSON bodies (as the TA, by bearer token)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import (
    COURSE,
    NO_HOMEWORK,
    TA,
    UNREADABLE,
    hw2_transcript,
    make_settings,
    prepare,
    upload,
    wait_finished,
)
from web.app import create_app


def test_healthz(client: TestClient) -> None:
    client.headers.pop("Authorization")  # no login needed
    body = client.get("/healthz").json()
    assert body == {"status": "ok", "database": "ok", "pending": 0}


def test_grade_lifecycle(client: TestClient) -> None:
    response = upload(client, hw2_transcript(), "gemini chat.md")
    assert response.status_code == 202
    accepted = response.json()
    assert accepted["status"] in ("queued", "running", "done")
    assert accepted["duplicate"] is False
    assert accepted["owner"] == TA and accepted["uploaded_by"] == TA
    assert accepted["course"] == COURSE
    assert accepted["filename"] == "gemini chat.md"
    assert accepted["transcripts"] == 1
    done = wait_finished(client, accepted["id"])
    assert done["status"] == "done", done["error"]
    report = done["report"]
    assert report["schema"] == "grader.report/1"
    assert report["homework"] == "cs182-fa25-hw2"
    assert report["model"] == "Gemini"
    assert "transcript" not in report
    q1a = next(p for p in report["parts"] if p["id"] == "q1a")
    assert q1a["final"] == "correct"
    assert done["homework"] == "cs182-fa25-hw2" and done["model"] == "Gemini"
    assert done["error"] is None
    assert [r["source"] for r in done["results"]] == ["gemini chat.md"]
    assert done["results"][0]["url"] == f"/submissions/{accepted['id']}/reports/0"
    with_transcript = client.get(f"/api/submissions/{accepted['id']}", params={"transcript": "true"}).json()
    assert with_transcript["report"]["transcript"]["source"] == "gemini chat.md"


def test_identical_upload_returns_existing(client: TestClient) -> None:
    first = upload(client, hw2_transcript(), "a.md").json()
    again = upload(client, hw2_transcript(), "renamed.md")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["duplicate"] is True
    # A different homework choice is a different grading job.
    other = upload(client, hw2_transcript(), "a.md", homework="cs182-fa25-hw7")
    assert other.status_code == 202 and other.json()["id"] != first["id"]
    listed = client.get("/api/submissions").json()
    assert len(listed) == 2


def test_chosen_homework_is_used(client: TestClient) -> None:
    accepted = upload(client, hw2_transcript(), homework="cs182-fa25-hw2").json()
    assert accepted["homework_requested"] == "cs182-fa25-hw2"
    assert wait_finished(client, accepted["id"])["report"]["homework"] == "cs182-fa25-hw2"


def test_unreadable_upload_is_refused_at_once(client: TestClient) -> None:
    # the upload is read off the event loop before anything is stored: the CLI's error, at once
    response = upload(client, UNREADABLE, "broken.md")
    assert response.status_code == 415
    assert "unknown shape" in response.json()["error"]["message"]
    assert client.get("/api/submissions").json() == []


def test_transcript_of_no_known_homework_gets_a_rubricless_report(client: TestClient) -> None:
    accepted = upload(client, NO_HOMEWORK, "smalltalk.md").json()
    body = wait_finished(client, accepted["id"])
    assert body["status"] == "done"
    assert body["report"]["homework"] == "unknown"
    assert any("cannot tell which homework" in w for w in body["report"]["warnings"])
    assert {p["final"] for p in body["report"]["parts"]} <= {"needs_review", "unanswered"}


def test_submission_list_filters(client: TestClient) -> None:
    ok = upload(client, hw2_transcript(), "ok.md").json()
    bad = upload(client, NO_HOMEWORK, "bad.md").json()
    wait_finished(client, ok["id"])
    wait_finished(client, bad["id"])
    assert [s["id"] for s in client.get("/api/submissions", params={"homework": "unknown"}).json()] == [
        bad["id"]
    ]
    assert client.get("/api/submissions", params={"status": "failed"}).json() == []
    assert [s["id"] for s in client.get("/api/submissions", params={"model": "Gemini"}).json()] == [ok["id"]]


# Errors: (what is uploaded, expected status, words in the message)
BAD_UPLOADS = [
    # binary content
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 415, "PNG"),
    (b"hello\x00world " * 10, 415, "NUL"),
    # text in no known format
    (b"milk, eggs, flour, butter\n", 415, "no chat structure"),
    # empty
    (b"", 422, "empty"),
    (b"   \n\n  ", 422, "whitespace"),
]


@pytest.mark.parametrize("data,status,words", BAD_UPLOADS)
def test_bad_upload_is_refused(client: TestClient, data: bytes, status: int, words: str) -> None:
    response = upload(client, data, "bad.bin")
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status
    assert words.lower() in error["message"].lower()
    assert error["where"] == "bad.bin"
    assert client.get("/api/submissions").json() == []


def test_upload_over_cap_is_413(tmp_path) -> None:
    settings = make_settings(tmp_path, max_upload_bytes=2000)
    with TestClient(create_app(settings)) as client:
        prepare(client)
        text = hw2_transcript(extra="x" * 2500)
        response = upload(client, text, "big.md")
        assert response.status_code == 413
        assert "over the 2 KB limit" in response.json()["error"]["message"]
        # Just under the cap is accepted.
        assert upload(client, hw2_transcript(), "small.md").status_code == 202
        assert len(client.get("/api/submissions").json()) == 1


def test_huge_request_refused_before_reading(tmp_path) -> None:
    settings = make_settings(tmp_path, max_upload_bytes=1000)
    with TestClient(create_app(settings)) as client:
        prepare(client)
        response = upload(client, b"a" * (1024 * 1024 + 2000), "huge.md")
        assert response.status_code == 413
        assert response.json()["error"]["status"] == 413


# API errors: (method, path, kwargs, status)
API_ERRORS = [
    # unknown submission
    ("get", "/api/submissions/doesnotexist", {}, 404),
    ("get", "/api/submissions/" + "x" * 500, {}, 404),
    ("get", "/api/submissions/doesnotexist/results.json", {}, 404),
    # missing or bad fields
    ("post", "/api/grade", {"data": {"homework": "cs182-fa25-hw2"}}, 422),
    (
        "post",
        "/api/grade",
        {"files": {"file": ("a.md", b"## User\nhi\n## Assistant\nyo")}, "data": {"homework": "hw99"}},
        422,
    ),
    ("post", "/api/check", {"json": {"target": "cs182-fa25-hw2.q1a.u"}}, 422),
    ("get", "/api/submissions?status=lost", {}, 422),
    # unknown route
    ("get", "/api/nothing-here", {}, 404),
]


@pytest.mark.parametrize("method,path,kwargs,status", API_ERRORS)
def test_api_errors_are_json(client: TestClient, method: str, path: str, kwargs: dict, status: int) -> None:
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) == {"status", "message", "where"}


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/healthz",
        "/api/grade",
        "/api/submissions",
        "/api/submissions/{submission_id}",
        "/api/check",
        "/api/targets",
        "/api/export/gradebook.csv",
        "/api/export/gradescope.zip",
        "/api/submissions/{submission_id}/results.json",
        "/api/submissions/{submission_id}/regrade",
        "/api/token",
        "/api/me",
        "/api/courses/{course_id}/questions",
        "/api/audit",
    ):
        assert path in paths, path
    assert "/submissions/{submission_id}" not in paths  # HTML pages stay out of the API schema
    grade = paths["/api/grade"]["post"]
    assert "multipart/form-data" in grade["requestBody"]["content"]
    assert {"401", "403", "413", "415"} <= set(grade["responses"])
    assert (
        schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"]
        == "/api/token"
    )
