"""Accounts and roles: what an anonymous visitor, a student, a TA and an instructor may and may not do."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import (
    ALICE,
    BOB,
    COURSE,
    INSTRUCTOR,
    OUTSIDER,
    PASSWORD,
    TA,
    bearer,
    cookie_login,
    hw2_transcript,
    upload,
    wait_finished,
)

HTML = {"Accept": "text/html"}


def as_(client: TestClient, email: str) -> dict[str, str]:
    return bearer(client, email)


@pytest.fixture
def two_students(client: TestClient) -> dict[str, str]:
    """Alice's and Bob's own graded submissions (same bytes: two submissions)."""
    client.headers.pop("Authorization")
    ids = {}
    for who in (ALICE, BOB):
        response = upload(client, hw2_transcript(), "mine.md", headers=as_(client, who))
        assert response.status_code == 202, response.text
        assert response.json()["owner"] == who
        ids[who] = response.json()["id"]
    for who, sid in ids.items():
        assert wait_finished_as(client, sid, who)["status"] == "done"
    client.headers.update(as_(client, TA))
    return ids


def wait_finished_as(client: TestClient, sid: str, who: str) -> dict:
    client.headers.update(as_(client, who))
    try:
        return wait_finished(client, sid)
    finally:
        client.headers.pop("Authorization")


def test_identical_bytes_from_two_people_are_two_submissions(two_students: dict[str, str]) -> None:
    assert two_students[ALICE] != two_students[BOB]


# Anonymous requests: (method, path) -> 401 JSON for the API
ANONYMOUS_API = [
    ("get", "/api/submissions"),
    ("get", "/api/submissions/x"),
    ("post", "/api/grade"),
    ("post", "/api/check"),
    ("get", "/api/targets"),
    ("get", "/api/export/gradebook.csv"),
    ("get", "/api/me"),
    ("get", "/api/courses"),
]


@pytest.mark.parametrize("method,path", ANONYMOUS_API)
def test_anonymous_api_is_401(client: TestClient, method: str, path: str) -> None:
    client.headers.pop("Authorization")
    response = getattr(client, method)(path)
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["/", "/submissions", "/dashboard", "/check", "/courses", "/submissions/x"])
def test_anonymous_pages_go_to_login(client: TestClient, path: str) -> None:
    client.headers.pop("Authorization")
    response = client.get(path, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_anonymous_upload_stores_nothing(client: TestClient) -> None:
    anonymous = {"Authorization": ""}
    client.headers.pop("Authorization")
    assert upload(client, hw2_transcript(), headers=anonymous).status_code == 401
    client.headers.update(as_(client, TA))
    assert client.get("/api/submissions").json() == []


def test_student_sees_only_their_own(client: TestClient, two_students: dict[str, str]) -> None:
    alice = as_(client, ALICE)
    mine, theirs = two_students[ALICE], two_students[BOB]
    assert [s["id"] for s in client.get("/api/submissions", headers=alice).json()] == [mine]
    assert client.get(f"/api/submissions/{mine}", headers=alice).status_code == 200
    assert client.get(f"/submissions/{mine}", headers={**alice, **HTML}).status_code == 200
    # Another student's submission does not exist for her: 404 on every route, as for a made-up id.
    for path in (
        f"/api/submissions/{theirs}",
        f"/submissions/{theirs}",
        f"/api/submissions/{theirs}/results.json",
    ):
        response = client.get(path, headers={**alice, **HTML})
        assert response.status_code == 404, path
    assert "no such submission" in client.get(f"/api/submissions/{theirs}", headers=alice).text
    # Nor for a student of another course.
    eve = as_(client, OUTSIDER)
    assert client.get(f"/api/submissions/{mine}", headers=eve).status_code == 404
    assert client.get("/api/submissions", headers=eve).json() == []


def test_student_may_not_do_staff_actions(client: TestClient, two_students: dict[str, str]) -> None:
    alice = as_(client, ALICE)
    mine = two_students[ALICE]
    forbidden = [
        client.get("/api/export/gradebook.csv", headers=alice),
        client.get(f"/api/export/gradebook.csv?course={COURSE}", headers=alice),
        client.get("/api/export/gradescope.zip", headers=alice),
        client.get("/api/audit", headers=alice),
        client.delete(f"/api/submissions/{mine}", headers=alice),
        client.post(f"/api/submissions/{mine}/regrade", headers=alice, json={}),
        client.get("/dashboard", headers={**alice, **HTML}),
        upload(client, hw2_transcript(), "for-bob.md", headers=alice, owner=BOB),
    ]
    assert [r.status_code for r in forbidden] == [403] * len(forbidden)
    assert client.get(f"/api/submissions/{mine}", headers=alice).status_code == 200  # still there
    # Her course page shows no question PDFs, members or audit log.
    page = client.get(f"/courses/{COURSE}", headers={**alice, **HTML}).text
    assert 'id="questions"' not in page and 'id="audit"' not in page and BOB not in page


def test_ta_sees_grades_exports_and_uploads_for_students(
    client: TestClient, two_students: dict[str, str]
) -> None:
    listed = {s["id"]: s["owner"] for s in client.get("/api/submissions").json()}
    assert listed == {two_students[ALICE]: ALICE, two_students[BOB]: BOB}
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export/gradebook.csv").text)))
    assert {r["owner"] for r in rows} == {ALICE, BOB}
    assert client.get(f"/api/export/gradescope.zip?course={COURSE}").status_code == 200
    # On behalf of a student: hers, uploaded by the TA; she sees it.
    response = upload(client, hw2_transcript("Claude"), "for-alice.md", owner=ALICE)
    assert response.status_code == 202
    assert (response.json()["owner"], response.json()["uploaded_by"]) == (ALICE, TA)
    alice_ids = [s["id"] for s in client.get("/api/submissions", headers=as_(client, ALICE)).json()]
    assert response.json()["id"] in alice_ids
    # Not for someone outside the course.
    assert upload(client, hw2_transcript(), "x.md", owner=OUTSIDER).status_code == 422


def test_ta_deletes_with_an_audit_entry(client: TestClient, two_students: dict[str, str]) -> None:
    sid = two_students[BOB]
    assert client.delete(f"/api/submissions/{sid}").status_code == 204
    assert client.get(f"/api/submissions/{sid}").status_code == 404
    (entry,) = client.get("/api/audit").json()
    assert (entry["actor"], entry["action"], entry["submission"]) == (TA, "delete", sid)
    assert entry["detail"]["owner"] == BOB and entry["detail"]["filename"] == "mine.md"
    assert entry["detail"]["content_hash"]
    page = client.get(f"/courses/{COURSE}", headers=HTML).text
    assert "delete" in page and sid[:8] in page


def test_ta_regrades_with_another_homework(client: TestClient, two_students: dict[str, str]) -> None:
    sid = two_students[ALICE]
    response = client.post(f"/api/submissions/{sid}/regrade", json={"homework": "cs182-fa25-hw7"})
    assert response.status_code == 200 and response.json()["status"] in ("queued", "running", "done")
    assert wait_finished(client, sid)["report"]["homework"] == "cs182-fa25-hw7"
    actions = [e["action"] for e in client.get("/api/audit").json()]
    assert actions == ["regrade"]
    assert client.post(f"/api/submissions/{sid}/regrade", json={"homework": "hw99"}).status_code == 422


def test_only_instructors_change_course_settings(client: TestClient) -> None:
    for who, status in ((TA, 403), (ALICE, 403), (INSTRUCTOR, 303)):
        token = cookie_login(client, who)
        response = client.post(
            f"/courses/{COURSE}/settings",
            data={"csrf_token": token, "homeworks": ["cs182-fa25-hw2"], "allow_reference": "yes"},
            headers=HTML,
            follow_redirects=False,
        )
        assert response.status_code == status, who
    course = client.get(f"/api/courses/{COURSE}").json()
    assert course["homeworks"] == ["cs182-fa25-hw2"] and course["allow_reference"] is True


def test_tokens_end_with_a_password_change(client: TestClient) -> None:
    alice = as_(client, ALICE)
    assert client.get("/api/me", headers=alice).json() == {"email": ALICE, "roles": {COURSE: "student"}}
    client.app.state.accounts.add_user(ALICE, "a new password", "student", COURSE)  # type: ignore[attr-defined]
    assert client.get("/api/me", headers=alice).status_code == 401
    assert client.get("/api/me", headers={"Authorization": "Bearer forged.token.value"}).status_code == 401
    assert client.post("/api/token", data={"username": ALICE, "password": PASSWORD}).status_code == 401


def test_failed_logins_are_rate_limited(client: TestClient) -> None:
    limit = client.app.state.settings.login_rate  # type: ignore[attr-defined]
    for _ in range(limit):
        assert client.post("/api/token", data={"username": BOB, "password": "wrong"}).status_code == 401
    response = client.post("/api/token", data={"username": BOB, "password": PASSWORD})
    assert response.status_code == 429 and int(response.headers["retry-after"]) >= 1
