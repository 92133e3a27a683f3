"""Safe by default: CSRF, same-origin, Host allow-list, security headers, session cookies, the size cap
while streaming (chunked bodies included), and /docs working offline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import (
    TA,
    bearer,
    cookie_login,
    hw2_transcript,
    make_settings,
    prepare,
    upload,
    wait_finished,
)
from web.app import create_app
from web.settings import FORM_OVERHEAD_BYTES

HTML = {"Accept": "text/html"}


def stored(client: TestClient) -> list[Any]:
    return client.get("/api/submissions", headers=bearer(client, TA)).json()


# --------------------------------------------------------------------------- CSRF


def test_cookie_upload_needs_the_csrf_token(client: TestClient) -> None:
    token = cookie_login(client, TA)
    files = {"files": ("a.md", hw2_transcript().encode(), "text/markdown")}
    refused = client.post("/upload", files=files, headers=HTML)
    assert refused.status_code == 403 and "CSRF" in refused.text
    wrong = client.post("/upload", data={"csrf_token": "x" * 43}, files=files, headers=HTML)
    assert wrong.status_code == 403
    api = client.post("/api/grade", files={"file": ("a.md", hw2_transcript().encode())})
    assert api.status_code == 403 and api.json()["error"]["where"] == "csrf_token"
    assert stored(client) == []
    cookie_login(client, TA)  # stored() used a bearer token: log the cookie session in again
    token = cookie_login(client, TA)
    accepted = client.post(
        "/upload", data={"csrf_token": token}, files=files, headers=HTML, follow_redirects=False
    )
    assert accepted.status_code == 303
    header = client.post(
        "/api/grade",
        files={"file": ("b.md", hw2_transcript("Claude").encode())},
        headers={"X-CSRF-Token": token},
    )
    assert header.status_code == 202


def test_csrf_token_after_the_files_is_refused(client: TestClient) -> None:
    token = cookie_login(client, TA)
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.md"\r\n'
        "Content-Type: text/markdown\r\n\r\n"
        + hw2_transcript()
        + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n--{boundary}--\r\n'
    ).encode()
    response = client.post(
        "/upload", content=body, headers={**HTML, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert response.status_code == 403


def test_cookie_json_and_form_requests_need_the_token(client: TestClient) -> None:
    sid = upload(client, hw2_transcript()).json()["id"]
    wait_finished(client, sid)
    token = cookie_login(client, TA)
    check = {"target": "cs182-fa25-hw2.q1a.u", "answer": "-\\alpha g/2"}
    assert client.post("/api/check", json=check).status_code == 403
    assert client.post("/api/check", json=check, headers={"X-CSRF-Token": token}).status_code == 200
    assert client.delete(f"/api/submissions/{sid}").status_code == 403
    assert client.post(f"/submissions/{sid}/delete", data={"confirm": "yes"}, headers=HTML).status_code == 403
    assert client.post(f"/submissions/{sid}/regrade", data={}, headers=HTML).status_code == 403
    assert client.post("/logout", headers=HTML).status_code == 403
    assert client.get(f"/api/submissions/{sid}").status_code == 200  # nothing happened
    gone = client.post(
        f"/submissions/{sid}/delete", data={"csrf_token": token, "confirm": "yes"}, follow_redirects=False
    )
    assert gone.status_code == 303
    assert client.get(f"/api/submissions/{sid}").status_code == 404
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/api/me").status_code == 401


def test_login_form_needs_its_own_token(client: TestClient) -> None:
    client.headers.pop("Authorization")
    response = client.post(
        "/login", data={"username": TA, "password": "x", "csrf_token": "forged"}, headers=HTML
    )
    assert response.status_code == 403


def test_cross_site_requests_are_refused_before_reading(client: TestClient) -> None:
    cookie_login(client, TA)
    evil = {"Origin": "https://evil.example", **HTML}
    form = client.post("/upload", files={"files": ("a.md", b"## User\nhi")}, headers=evil)
    assert form.status_code == 403 and "cross-site" in form.text
    no_cors = client.post("/api/grade", files={"file": ("a.md", b"x")}, headers={"Origin": "null"})
    assert no_cors.status_code == 403
    assert stored(client) == []
    same = client.get("/api/me", headers={"Origin": "http://testserver"})
    assert same.status_code == 401 or same.status_code == 200


def test_session_cookie_flags(tmp_path: Path) -> None:
    with TestClient(
        create_app(make_settings(tmp_path, secure_cookies=True)), base_url="https://testserver"
    ) as client:
        prepare(client, None)
        page = client.get("/login", headers=HTML)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        response = client.post(
            "/login",
            data={"username": TA, "password": "correct horse battery", "csrf_token": token},
            follow_redirects=False,
        )
        cookie = response.headers["set-cookie"]
        assert "grader_session=" in cookie
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie and "Path=/" in cookie


def test_login_shows_first_run_hint_until_an_account_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(create_app(make_settings(tmp_path))) as client:
        assert "grader user add" in capsys.readouterr().out
        assert 'id="first-run"' in client.get("/login", headers=HTML).text
        prepare(client, None)
        assert 'id="first-run"' not in client.get("/login", headers=HTML).text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil"])
def test_login_never_redirects_off_site(client: TestClient, target: str) -> None:
    client.headers.pop("Authorization")
    page = client.get("/login", params={"next": target}, headers=HTML)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login",
        data={"username": TA, "password": "correct horse battery", "csrf_token": token, "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


# --------------------------------------------------------------------------- Host and headers


@pytest.mark.parametrize(
    "host,status",
    [
        ("evil.example", 400),  # DNS rebinding onto a laptop's server
        ("evil.example:8000", 400),
        ("localhost.evil.example", 400),
        ("localhost:8000", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:8000", 200),
    ],
)
def test_host_allow_list(client: TestClient, host: str, status: int) -> None:
    response = client.get("/healthz", headers={"Host": host})
    assert response.status_code == status
    if status == 400:
        assert "GRADER_ALLOWED_HOSTS" in response.json()["error"]["message"]


def test_configured_hosts(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, allowed_hosts=["grader.example.edu", "*.cs.example.edu", "testserver"])
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz", headers={"Host": "grader.example.edu"}).status_code == 200
        assert client.get("/healthz", headers={"Host": "hw.cs.example.edu"}).status_code == 200
        assert client.get("/healthz", headers={"Host": "localhost"}).status_code == 400


@pytest.mark.parametrize(
    "path", ["/login", "/healthz", "/api/submissions", "/static/style.css", "/nope", "/docs"]
)
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    headers = client.get(path, headers=HTML).headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"


def test_report_page_has_no_inline_style_or_script(client: TestClient) -> None:
    sid = upload(client, hw2_transcript()).json()["id"]
    wait_finished(client, sid)
    page = client.get(f"/submissions/{sid}", headers=HTML).text
    assert "<style" not in page and "<script" not in page and " style=" not in page
    assert '<link rel="stylesheet" href="/assets/report.css">' in page
    css = client.get("/assets/report.css")
    assert css.status_code == 200 and ".note" in css.text


def test_docs_work_offline(client: TestClient) -> None:
    page = client.get("/docs", headers=HTML).text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 100, asset
    assert "/static/swagger/swagger-ui-bundle.js" in page


# --------------------------------------------------------------------------- size cap while streaming


def call_streaming(
    client: TestClient, path: str, headers: dict[str, str], chunks: Iterator[bytes]
) -> tuple[int, int]:
    """POST ``chunks`` to the app as a chunked body, straight over ASGI; returns (status, bytes the app pulled)."""

    async def run() -> tuple[int, int]:
        pulled = 0
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal pulled
            chunk = next(chunks, None)
            if chunk is None:
                return {"type": "http.request", "body": b"", "more_body": False}
            pulled += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": True}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        await client.app(scope, receive, send)  # type: ignore[arg-type]
        return status, pulled

    return client.portal.call(run)  # type: ignore[union-attr]


def endless(prefix: bytes, chunk: int = 64 * 1024, total: int = 300 * 1024 * 1024) -> Iterator[bytes]:
    """A 300 MB body: ``prefix`` then filler, in 64 KB chunks (only as much as is pulled is made)."""
    yield prefix
    sent = len(prefix)
    while sent < total:
        yield b"a" * chunk
        sent += chunk


def test_chunked_oversize_upload_is_refused_without_reading_past_the_cap(tmp_path: Path) -> None:
    cap = 200_000
    settings = make_settings(tmp_path, max_upload_bytes=cap, files_dir=tmp_path / "files")
    with TestClient(create_app(settings)) as client:
        prepare(client)
        boundary = "xyz"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.md"\r\n'
            "Content-Type: text/markdown\r\n\r\n## User\nhi\n"
        ).encode()
        headers = {
            "host": "testserver",
            "authorization": client.headers["Authorization"],
            "content-type": f"multipart/form-data; boundary={boundary}",
            "transfer-encoding": "chunked",
        }
        status, pulled = call_streaming(client, "/api/grade", headers, endless(head))
        assert status == 413
        assert pulled <= cap + 64 * 1024 + len(head), pulled  # stopped at the cap, not at 300 MB
        # A pasted text over the cap is the same 413, not a 400.
        text_head = f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'.encode()
        status, pulled = call_streaming(
            client, "/upload", {**headers, "accept": "text/html"}, endless(text_head)
        )
        assert status == 413 and pulled <= cap + 64 * 1024 + len(text_head)
        # Every other body is capped too (1 MB), chunked or not.
        status, pulled = call_streaming(
            client, "/api/check", {**headers, "content-type": "application/json"}, endless(b'{"target": "')
        )
        assert status == 413 and pulled <= 1024 * 1024 + 64 * 1024
        assert client.get("/api/submissions").json() == []
        assert not (tmp_path / "files").exists() or not any((tmp_path / "files").rglob("*"))


def test_declared_oversize_body_is_refused_before_reading(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_upload_bytes=1000)
    with TestClient(create_app(settings)) as client:
        prepare(client)
        response = upload(client, b"a" * (FORM_OVERHEAD_BYTES + 5000), "huge.md")
        assert response.status_code == 413
        assert "limit" in response.json()["error"]["message"]


def test_error_pages_use_human_sizes_and_browser_words(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_upload_bytes=20 * 1024 * 1024 // 100)  # 204.8 KB
    with TestClient(create_app(settings)) as client:
        prepare(client)
        big = hw2_transcript(extra="x" * 300_000).encode()
        page = client.post("/api/grade", files={"file": ("big.md", big)}).json()["error"]["message"]
        assert "205 KB" in page and "bytes" not in page
        sid = upload(client, "## User\nWhat is 2+2?\n\n## Assistant\nIt is 4.\n", "smalltalk.md").json()["id"]
        wait_finished(client, sid)
        html = client.get(f"/submissions/{sid}", headers=HTML).text
        assert "cannot tell which homework" in html and "--homework" not in html
