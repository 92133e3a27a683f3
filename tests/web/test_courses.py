"""Courses: the CLI that creates them and their accounts, their question PDFs, and the migration of old data."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from grader.cli import main
from tests.web.conftest import ALICE, COURSE, INSTRUCTOR, TA, bearer, make_settings
from web.admin import read_password
from web.app import create_app
from web.settings import get_settings


def pdf_bytes(text: str = "Homework 2 questions") -> bytes:
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    return bytes(doc.tobytes())


@pytest.fixture
def env_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """GRADER_* pointing the CLI at a fresh database (and the app at the same one)."""
    monkeypatch.chdir(tmp_path)
    settings = make_settings(tmp_path)
    monkeypatch.setenv("GRADER_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("GRADER_ALLOWED_HOSTS", "testserver")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_cli_creates_course_and_first_instructor(
    env_db: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    assert main(["course", "add", "cs182-fa25", "--title", "CS 182", "--homework", "cs182-fa25-hw2"]) == 0
    assert "created course cs182-fa25" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "Prof@Example.edu", "--role", "instructor", "--course", "cs182-fa25"]) == 0
    assert "prof@example.edu is instructor of cs182-fa25" in capsys.readouterr().out
    with TestClient(create_app(get_settings())) as client:
        token = client.post(
            "/api/token", data={"username": "prof@example.edu", "password": "a long enough password"}
        )
        assert token.status_code == 200 and token.json()["token_type"] == "bearer"
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}).json()
        assert me["roles"] == {"cs182-fa25": "instructor"}


# CLI mistakes: (argv, stdin, words in the error)
CLI_ERRORS = [
    (["course", "add", "CS 182"], "", "lower-case"),
    (["course", "add", "cs1", "--homework", "hw99"], "", "unknown homework hw99"),
    (
        ["user", "add", "not-an-address", "--role", "ta", "--course", "c"],
        "long password\n",
        "not an e-mail address",
    ),
    (
        ["user", "add", "a@b.edu", "--role", "ta", "--course", "nowhere"],
        "long password\n",
        "grader course add nowhere",
    ),
    (["user", "add", "a@b.edu", "--role", "ta", "--course", "c"], "short\n", "at least 8 characters"),
    (["user", "add", "a@b.edu", "--role", "ta", "--course", "c"], "", "no password on standard input"),
]


@pytest.mark.parametrize("argv,stdin,words", CLI_ERRORS)
def test_cli_errors(
    env_db: Path, monkeypatch: pytest.MonkeyPatch, capsys, argv: list[str], stdin: str, words: str
) -> None:
    assert main(["course", "add", "c"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_password_read_from_a_pipe_keeps_inner_spaces() -> None:
    assert read_password(io.StringIO("  two words  \nignored\n")) == "  two words  "


def test_question_pdfs_are_stored_with_the_course(client: TestClient) -> None:
    data = pdf_bytes()
    response = client.post(
        f"/api/courses/{COURSE}/questions",
        files={"file": ("hw2.pdf", data, "application/pdf")},
        data={"homework": "cs182-fa25-hw2"},
    )
    assert response.status_code == 201, response.text
    pdf = response.json()
    assert (pdf["filename"], pdf["homework"], pdf["size"]) == ("hw2.pdf", "cs182-fa25-hw2", len(data))
    # The library view grading will use.
    course = client.app.state.accounts.course(COURSE)  # type: ignore[attr-defined]
    (stored,) = course.question_pdfs
    assert stored.homework == "cs182-fa25-hw2" and stored.data() == data
    # Staff read it; students neither list nor read it.
    assert client.get(f"/api/courses/{COURSE}/questions/{pdf['id']}").content == data
    alice = bearer(client, ALICE)
    assert client.get(f"/api/courses/{COURSE}", headers=alice).json()["question_pdfs"] == []
    assert client.get(f"/api/courses/{COURSE}/questions/{pdf['id']}", headers=alice).status_code == 403
    assert (
        client.post(
            f"/api/courses/{COURSE}/questions", files={"file": ("x.pdf", data)}, headers=alice
        ).status_code
        == 403
    )
    # Not a PDF: refused.
    bad = client.post(f"/api/courses/{COURSE}/questions", files={"file": ("x.pdf", b"hello")})
    assert bad.status_code == 422 and "PDF" in bad.json()["error"]["message"]
    assert client.delete(f"/api/courses/{COURSE}/questions/{pdf['id']}").status_code == 204
    assert client.app.state.accounts.course(COURSE).question_pdfs == []  # type: ignore[attr-defined]


def test_course_page_lists_members_and_pdfs_for_staff(client: TestClient) -> None:
    page = client.get(f"/courses/{COURSE}", headers={"Accept": "text/html"}).text
    for text in (ALICE, INSTRUCTOR, TA, 'id="questions"', 'id="audit"'):
        assert text in page


def test_migration_keeps_old_submissions(tmp_path: Path) -> None:
    """A database of the first schema (0001) with a graded submission upgrades without losing it."""
    from alembic import command

    from web.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0001")
    report = {"schema": "grader.report/1", "source": "old.md", "homework": "cs182-fa25-hw2", "parts": []}
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute(
            "INSERT INTO submissions (id, owner, filename, content_hash, size, content, homework_requested,"
            " status, homework, score, max_score, report_json, summary_json, runs, created_at)"
            " VALUES ('abc', 'anonymous', 'old.md', 'h', 5, x'68656c6c6f', '', 'done', 'cs182-fa25-hw2',"
            " 1.0, 2.0, ?, '[]', 1, '2025-01-01 00:00:00')",
            (json.dumps(report),),
        )
    settings = make_settings(tmp_path, database_url=url)
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        row = store.get("abc")
        assert (row.course_id, row.owner, row.report_count) == ("legacy", "anonymous", 1)
        (stored,) = store.files("abc")
        assert stored.content == b"hello" and stored.filename == "old.md"
        (graded,) = store.reports("abc")
        assert graded.source == "old.md" and json.loads(graded.report_json) == report
        client.app.state.accounts.add_user("ta@old.edu", "a long password", "ta", "legacy")  # type: ignore[attr-defined]
        listed = client.get(
            "/api/submissions", headers=bearer(client, "ta@old.edu", "a long password")
        ).json()
        assert [s["id"] for s in listed] == ["abc"]
