"""The HTML pages: upload form, list, report, waiting/failed pages, escaping, HTML error pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import hw2_transcript, upload, wait_finished

HTML = {"Accept": "text/html,application/xhtml+xml"}


# Pages that render with an empty database: (path, text that must appear)
EMPTY_PAGES = [
    ("/", "Upload and grade"),
    ("/submissions", "No submissions yet"),
    ("/dashboard", "No graded submissions"),
    ("/check", "cs182-fa25-hw2.q1a.u"),
    ("/check?target=cs182-fa25-hw7.q7b.tokens", 'value="cs182-fa25-hw7.q7b.tokens" selected'),
    ("/static/style.css", "--accent"),
    ("/static/check.js", "/api/check"),
]


@pytest.mark.parametrize("path,text", EMPTY_PAGES)
def test_pages_render(client: TestClient, path: str, text: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200
    assert text in response.text


def test_pages_load_nothing_from_outside(client: TestClient) -> None:
    for path in ("/", "/submissions", "/dashboard", "/check"):
        page = client.get(path, headers=HTML).text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), path


def test_report_page_after_grading(client: TestClient) -> None:
    sid = upload(client, hw2_transcript()).json()["id"]
    wait_finished(client, sid)
    page = client.get(f"/submissions/{sid}", headers=HTML)
    assert page.status_code == 200
    assert "data-claim=" in page.text  # the grader's HTML report
    assert 'href="/dashboard"' in page.text  # with the app's navigation


def test_waiting_page_refreshes(client: TestClient) -> None:
    queue = client.app.state.queue  # type: ignore[attr-defined]
    queue.stop()  # nothing gets graded: the submission stays queued
    sid = upload(client, hw2_transcript()).json()["id"]
    page = client.get(f"/submissions/{sid}", headers=HTML).text
    assert 'http-equiv="refresh"' in page
    assert ">queued<" in page


def test_failed_page_shows_the_error(client: TestClient) -> None:
    # Every readable upload is graded now (a rubric-less report at worst): a grading failure is an
    # internal one, recorded by the worker as the store records it.
    client.app.state.queue.stop()  # type: ignore[attr-defined]
    sid = upload(client, hw2_transcript()).json()["id"]
    client.app.state.store.fail(sid, 500, "the grader failed: unknown shape of a reference", "chat.md")  # type: ignore[attr-defined]
    page = client.get(f"/submissions/{sid}", headers=HTML)
    assert page.status_code == 200
    assert "could not be graded" in page.text
    assert "unknown shape" in page.text
    assert 'http-equiv="refresh"' not in page.text


# Hostile text: (where it goes, payload)
HOSTILE = [
    ("prompt", "<script>alert('x')</script>"),
    ("prompt", '<img src=x onerror="alert(1)">'),
    ("answer", "\\href{javascript:alert(1)}{click} <b>bold</b>"),
]


@pytest.mark.parametrize("where,payload", HOSTILE)
def test_transcript_html_is_inert(client: TestClient, where: str, payload: str) -> None:
    text = hw2_transcript(extra=payload) if where == "prompt" else hw2_transcript(answer=payload)
    sid = upload(client, text, "evil.md").json()["id"]
    assert wait_finished(client, sid)["status"] == "done"
    page = client.get(f"/submissions/{sid}", headers=HTML).text
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "<b>bold</b>" not in page


def test_file_name_is_escaped_in_lists(client: TestClient) -> None:
    name = "<img src=x onerror=alert(1)>.md"
    upload(client, hw2_transcript(), name)
    page = client.get("/submissions", headers=HTML).text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.md" in page


EMPTY_FILE_INPUT = ("files", ("", b"", "application/octet-stream"))
"""What a browser sends for a file input left empty."""


def test_upload_form_files_and_pasted_text_are_one_submission(client: TestClient) -> None:
    files = [
        ("files", ("one.md", hw2_transcript("Gemini").encode(), "text/markdown")),
        ("files", ("two.md", hw2_transcript("Claude", "\\alpha g").encode(), "text/markdown")),
    ]
    data = {"text": hw2_transcript("Mistral"), "homework": ""}
    response = client.post("/upload", files=files, data=data, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    sid = response.headers["location"].rsplit("/", 1)[1]
    body = wait_finished(client, sid)
    assert body["status"] == "done" and body["files"] == 3 and body["reports"] == 3
    assert [r["source"] for r in body["results"]] == ["one.md", "two.md", "pasted.txt"]
    assert [r["report"]["model"] for r in body["results"]] == ["Gemini", "Claude", "Mistral"]
    assert body["filename"] == "one.md (+2 more)"
    page = client.get(f"/submissions/{sid}", headers=HTML).text
    assert page.count(f'href="/submissions/{sid}/reports/') == 3
    assert len(client.get("/api/submissions").json()) == 1


def test_one_unreadable_file_refuses_the_whole_upload(client: TestClient) -> None:
    files = [
        ("files", ("one.md", hw2_transcript("Gemini").encode(), "text/markdown")),
        ("files", ("bad.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")),
    ]
    page = client.post("/upload", files=files, data={"homework": ""}, headers=HTML)
    assert page.status_code == 415
    assert "PNG" in page.text and "bad.png" in page.text
    assert client.get("/api/submissions").json() == []


def test_upload_form_single_file_redirects_to_its_page(client: TestClient) -> None:
    files = [("files", ("one.md", hw2_transcript().encode(), "text/markdown"))]
    response = client.post(
        "/upload", files=files, data={"homework": ""}, headers=HTML, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/submissions/")


# HTML error pages: (form files, form data, status, words)
FORM_ERRORS = [
    ([("files", ("x.png", b"\x89PNG\r\n\x1a\n\x00", "image/png"))], {}, 415, "PNG"),
    ([("files", ("list.txt", b"milk, eggs\n", "text/plain"))], {}, 415, "no chat structure"),
    ([EMPTY_FILE_INPUT], {"text": "   "}, 422, "choose at least one file"),
    (
        [EMPTY_FILE_INPUT],
        {"text": "## User\nhi\n## Assistant\nyo", "homework": "hw99"},
        422,
        "unknown homework",
    ),
]


@pytest.mark.parametrize("files,data,status,words", FORM_ERRORS)
def test_form_errors_are_html_pages(
    client: TestClient, files: list, data: dict, status: int, words: str
) -> None:
    response = client.post("/upload", files=files, data=data, headers=HTML)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<h1>{status}" in response.text
    assert words in response.text


def test_unknown_report_page_is_an_html_404(client: TestClient) -> None:
    response = client.get("/submissions/nope", headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no such submission" in response.text


def test_page_error_is_json_for_non_browsers(client: TestClient) -> None:
    response = client.get("/submissions/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "no such submission"
