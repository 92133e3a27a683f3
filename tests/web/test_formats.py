"""One way in: the app accepts what ``grader grade`` accepts (PDFs, exports, zips, several conversations,
several files), reads them with the same library call, and grades every transcript.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from grader.pipeline import choose_rubric, grade
from grader.transcripts import read_bytes
from tests.conftest import ROOT
from tests.web.conftest import hw2_transcript, upload, wait_finished

EXPORTS = ROOT / "transcripts" / "exports"


def chat_pdf(text: str) -> bytes:
    """A one-page PDF holding ``text`` (built with PyMuPDF, as a chat printed to PDF would be)."""
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=10)
    return bytes(doc.tobytes())


def finals(report: dict) -> dict[str, str]:
    return {p["id"]: p["final"] for p in report["parts"]}


def test_pdf_upload_is_graded_like_the_cli(client: TestClient) -> None:
    data = chat_pdf(hw2_transcript().replace("$", ""))
    accepted = upload(client, data, "chat.pdf")
    assert accepted.status_code == 202, accepted.text
    body = wait_finished(client, accepted.json()["id"])
    assert body["status"] == "done", body["error"]
    report = body["report"]
    assert report["format"].startswith("pdf") and report["homework"] == "cs182-fa25-hw2"
    # The same bytes through the library calls of `grader grade` give the same verdicts.
    (transcript,) = read_bytes(data, "chat.pdf")
    assert finals(report) == {p.id: p.final for p in grade(transcript, choose_rubric(transcript)).parts}


def test_zip_of_transcripts_gives_a_report_each(client: TestClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("gemini.md", hw2_transcript("Gemini"))
        archive.writestr("claude.md", hw2_transcript("Claude", "\\alpha g"))
        archive.writestr("__MACOSX/._gemini.md", b"junk")
    accepted = upload(client, buffer.getvalue(), "chats.zip")
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["transcripts"] == 2
    body = wait_finished(client, accepted.json()["id"])
    assert body["status"] == "done" and body["reports"] == 2
    by_model = {r["report"]["model"]: finals(r["report"])["q1a"] for r in body["results"]}
    assert by_model == {"Gemini": "correct", "Claude": "incorrect"}
    assert all(r["source"].startswith("chats.zip/") for r in body["results"])


def test_corrupt_zip_is_refused_with_its_reason(client: TestClient) -> None:
    response = upload(client, b"PK\x03\x04" + b"\x00" * 40, "broken.zip")
    assert response.status_code == 415
    assert "zip" in response.json()["error"]["message"].lower()
    assert client.get("/api/submissions").json() == []


def test_every_conversation_of_an_export_is_graded(client: TestClient) -> None:
    data = (EXPORTS / "gemini_takeout_hw2.json").read_bytes()
    expected = [t.source for t in read_bytes(data, "takeout.json")]
    assert len(expected) == 2
    accepted = upload(client, data, "takeout.json").json()
    assert accepted["transcripts"] == 2
    body = wait_finished(client, accepted["id"])
    assert [r["source"] for r in body["results"]] == expected


def test_json_exports_of_the_repository_are_accepted(client: TestClient) -> None:
    ids = []
    for path in sorted(EXPORTS.glob("*.json")):
        response = upload(client, path.read_bytes(), path.name)
        assert response.status_code == 202, (path.name, response.text)
        ids.append((path, response.json()["id"]))
    for path, sid in ids:
        body = wait_finished(client, sid)
        assert len(body["results"]) == len(read_bytes(path.read_bytes(), path.name)), path.name
        graded = [r for r in body["results"] if r["status"] == "done"]
        assert graded, (path.name, body["results"])


@pytest.mark.shared
@pytest.mark.slow
def test_real_pdfs_are_graded(client: TestClient, shared: Path) -> None:
    pdfs = sorted((shared / "real").glob("*.pdf"))
    assert pdfs
    ids = []
    for pdf in pdfs:
        response = upload(client, pdf.read_bytes(), pdf.name)
        assert response.status_code == 202, (pdf.name, response.text)
        ids.append((pdf.name, response.json()["id"]))
    for name, sid in ids:
        body = wait_finished(client, sid, timeout=240)
        assert body["status"] == "done", (name, body["error"])
        assert body["report"]["format"].startswith("pdf") and body["report"]["homework"].startswith(
            "cs182-fa25-"
        )


@pytest.mark.shared
def test_real_json_exports_are_read_like_the_cli(client: TestClient, shared: Path) -> None:
    for path in sorted((shared / "formats").glob("*.json")):
        data = path.read_bytes()
        try:
            expected = len(read_bytes(data, path.name))
        except Exception as exc:  # the CLI refuses it too: so must the app, with the same message
            response = upload(client, data, path.name)
            assert response.status_code in (415, 422), path.name
            assert response.json()["error"]["message"] == getattr(exc, "message", str(exc))
            continue
        response = upload(client, data, path.name, homework="cs182-fa25-hw2")
        assert response.status_code == 202, (path.name, response.text)
        body = wait_finished(client, response.json()["id"])
        assert body["status"] == "done" and len(body["results"]) == expected, path.name


def test_claude_export_with_two_conversations(client: TestClient) -> None:
    one = json.loads((EXPORTS / "claude_hw7_q3b.json").read_text())
    conversations = one if isinstance(one, list) else [one]
    second = json.loads(json.dumps(conversations[0]))
    second["uuid"] = "00000000-0000-4000-8000-000000000002"
    second["name"] = "the same chat, exported twice"
    data = json.dumps([conversations[0], second]).encode()
    accepted = upload(client, data, "conversations.json").json()
    assert accepted["transcripts"] == 2
    body = wait_finished(client, accepted["id"])
    assert len(body["results"]) == 2 and body["results"][1]["source"].endswith("exported twice")


def test_files_are_read_off_the_event_loop(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import web.uploads

    seen: list[bool] = []
    real = web.uploads.count_transcripts

    def spy(files: list) -> int:
        try:
            asyncio.get_running_loop()
            seen.append(True)  # called on the event loop: /healthz would wait for it
        except RuntimeError:
            seen.append(False)
        return real(files)

    monkeypatch.setattr(web.uploads, "count_transcripts", spy)
    assert upload(client, hw2_transcript(), "a.md").status_code == 202
    assert seen == [False]
