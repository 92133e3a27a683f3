"""Fixtures of the web tests: an app on a real SQLite file in tmp_path, accounts, small transcripts.

Every test app has one course (``COURSE``) with an instructor, a TA and two students (see
``USERS``). The ``client`` fixture is logged in as the TA with a bearer token; ``login`` and
``bearer`` switch users; ``cookie_login`` logs in through the login form like a browser.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.settings import Settings

HW2_PROMPT = (
    "CS182 HW2, Penalized Linear Improvement. Part (a): Euclidean distance penalty. "
    "Find the update u that minimises $g^T u + \\frac{1}{\\alpha}\\|u\\|_2^2$."
)


def hw2_transcript(model: str = "Gemini", answer: str = "-\\frac{\\alpha}{2} g", extra: str = "") -> str:
    """A two-turn role-markdown chat answering HW2 q1a with ``u = <answer>``."""
    return (
        f"## User\n{HW2_PROMPT} {extra}\n\n"
        f"## {model}\n"
        "Setting the gradient to zero gives the stationary point, so\n\n"
        f"**Answer:** $u = {answer}$\n\n"
        "This is gradient descent with learning rate alpha/2.\n"
    )


NO_HOMEWORK = "## User\nWhat is 2+2?\n\n## Assistant\nIt is 4.\n"
"""A chat in a known format that answers no homework: graded without a rubric (homework ``unknown``)."""

UNREADABLE = "[\n## User\nWhat is 2+2?\n\n## Assistant\nIt is 4.\n"
"""Role markers pass the upload check, but the text opens like JSON of no known export: reading fails."""


POSTGRES_ADMIN_URL = os.environ.get("GRADER_TEST_POSTGRES_URL")
"""A PostgreSQL server to run the web tests against instead of SQLite, e.g.
``postgresql+psycopg://grader@127.0.0.1:5432/postgres``: each test gets a fresh database there."""


def _fresh_postgres_database(tmp_path: Path) -> str:
    """Create an empty database on the test server for one test; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert POSTGRES_ADMIN_URL is not None
    name = "grader_test_" + hashlib.sha1(str(tmp_path).encode()).hexdigest()[:12]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings with a real database for this test: an SQLite file under ``tmp_path``, or a fresh
    PostgreSQL database when ``GRADER_TEST_POSTGRES_URL`` is set. The test client's host
    (``testserver``) is allowed besides the localhost names."""
    url = _fresh_postgres_database(tmp_path) if POSTGRES_ADMIN_URL else f"sqlite:///{tmp_path / 'grader.db'}"
    values: dict[str, Any] = {
        "database_url": url,
        "workers": 2,
        "allowed_hosts": ["testserver", "localhost", "127.0.0.1", "::1"],
    }
    values.update(overrides)
    return Settings(**values)


COURSE = "cs182-test"
OTHER_COURSE = "cs189-test"
PASSWORD = "correct horse battery"
INSTRUCTOR, TA, ALICE, BOB = "prof@example.edu", "ta@example.edu", "alice@example.edu", "bob@example.edu"
OUTSIDER = "eve@example.edu"
"""A student of another course only."""
USERS = [(INSTRUCTOR, "instructor"), (TA, "ta"), (ALICE, "student"), (BOB, "student")]


def seed_accounts(client: TestClient) -> None:
    """The test course and its members (plus an outsider in another course)."""
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    if accounts.course(COURSE) is None:
        accounts.add_course(COURSE, "CS 182 (test)")
        accounts.add_course(OTHER_COURSE, "CS 189 (test)")
        for email, role in USERS:
            accounts.add_user(email, PASSWORD, role, COURSE)
        accounts.add_user(OUTSIDER, PASSWORD, "student", OTHER_COURSE)


def bearer(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    """The Authorization header of a fresh bearer token for ``email``."""
    response = client.post("/api/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def login(client: TestClient, email: str) -> TestClient:
    """Make ``client`` act as ``email`` (bearer token on every request; cookies cleared)."""
    client.cookies.clear()
    client.headers.update(bearer(client, email))
    return client


def cookie_login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the login form like a browser; returns the session's CSRF token."""
    client.headers.pop("Authorization", None)
    client.cookies.clear()
    page = client.get("/login", headers={"Accept": "text/html"})
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    response = client.post(
        "/login",
        data={"username": email, "password": password, "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    home = client.get("/", headers={"Accept": "text/html"})
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', home.text)
    assert meta, home.text
    return meta.group(1)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default test settings (a real SQLite file in tmp_path)."""
    return make_settings(tmp_path)


def prepare(client: TestClient, as_user: str | None = TA) -> TestClient:
    """Seed the accounts and log in as ``as_user`` (None: stay anonymous)."""
    seed_accounts(client)
    if as_user:
        login(client, as_user)
    return client


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A started app (migrated database, workers running), logged in as the TA."""
    with TestClient(create_app(settings)) as test_client:
        yield prepare(test_client)


def wait_finished(client: TestClient, submission_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """Poll the API until the submission is done or failed; returns its JSON."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/submissions/{submission_id}").json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def upload(
    client: TestClient,
    text: str | bytes,
    name: str = "chat.md",
    homework: str | None = None,
    headers: dict[str, str] | None = None,
    **fields: str,
) -> Any:
    """POST one file to /api/grade (extra form fields: ``owner``, ``course``...)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    form = dict(fields)
    if homework is not None:
        form["homework"] = homework
    return client.post(
        "/api/grade", files={"file": (name, data, "text/markdown")}, data=form or None, headers=headers
    )
