"""The app's outer layer (pure ASGI): Host allow-list, same-origin check, body cap, security headers.

::

    request ─▶ Host in allowed_hosts?                          no ─▶ 400
            ─▶ unsafe method with an Origin of another site?   yes ─▶ 403
            ─▶ body over its cap (Content-Length, or counted)?  yes ─▶ 413 (nothing more is read)
            ─▶ app ─▶ response + CSP, X-Frame-Options, nosniff, Referrer-Policy

Upload routes stream their own body through :mod:`web.multipart`, which enforces the upload
cap while reading; every other body is read here, at most ``SMALL_BODY_BYTES``, before the app
sees it, so no route can be made to buffer more.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from html import escape
from typing import Any
from urllib.parse import urlsplit

from web.auth import STREAMED_FORMS
from web.blobs import human_size
from web.errors import error_body
from web.settings import FORM_OVERHEAD_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SMALL_BODY_BYTES = 1024 * 1024
"""Cap of every request body that is not an upload (JSON, login and settings forms)."""
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def host_allowed(host: str, allowed: list[str]) -> bool:
    """True when the Host header's name (port removed) is allowed; ``*.x.org`` matches subdomains.

    >>> host_allowed("localhost:8000", ["localhost"]), host_allowed("evil.com", ["localhost"])
    (True, False)
    >>> host_allowed("a.x.org", ["*.x.org"]), host_allowed("[::1]:8000", ["::1"])
    (True, True)
    """
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    name = name.rstrip(".")
    for pattern in allowed:
        if pattern == "*" or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]) and name != pattern[2:]:
            return True
    return False


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _same_origin(origin: str, host: str, scheme: str) -> bool:
    if origin == "null":
        return False
    parts = urlsplit(origin)
    if not parts.netloc:
        return False
    default = {"http": 80, "https": 443}

    def norm(netloc: str, sch: str) -> str:
        netloc = netloc.lower()
        if netloc.endswith(f":{default.get(sch, 0)}"):
            netloc = netloc.rsplit(":", 1)[0]
        return netloc

    return norm(parts.netloc, parts.scheme) == norm(host, scheme) or parts.netloc.lower() == host.lower()


class SecurityMiddleware:
    """Wraps the app; see the module docstring for what it checks and adds."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str], upload_cap: Callable[[], int]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.upload_cap = upload_cap

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        html = "text/html" in headers.get("accept", "") and not scope.get("path", "").startswith("/api/")
        host = headers.get("host", "")
        if not host_allowed(host, self.allowed_hosts):
            await _send_error(
                send, 400, f"host {host[:100]!r} is not allowed; set GRADER_ALLOWED_HOSTS", "Host", html
            )
            return
        method = scope.get("method", "GET")
        origin = headers.get("origin")
        if method in UNSAFE_METHODS and origin is not None:
            if not _same_origin(origin, host, scope.get("scheme", "http")):
                await _send_error(
                    send, 403, "cross-site request refused (its Origin is another site)", "Origin", html
                )
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in existing
                ]
            await send(message)

        if method not in UNSAFE_METHODS:
            await self.app(scope, receive, send_with_headers)
            return
        streamed = STREAMED_FORMS.fullmatch(scope.get("path", "")) is not None
        cap = self.upload_cap() if streamed else SMALL_BODY_BYTES
        limit = cap + FORM_OVERHEAD_BYTES if streamed else cap
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await _send_error(send_with_headers, 413, _too_big(int(length), cap, streamed), "request", html)
            return
        if streamed:  # the route counts the body as it streams (chunked bodies included)
            await self.app(scope, receive, send_with_headers)
            return
        body, more, received = [], True, 0
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > cap:
                await _send_error(
                    send_with_headers, 413, _too_big(received, cap, at_least=True), "request", html
                )
                return
            body.append(chunk)
            more = message.get("more_body", False)
        replay = [{"type": "http.request", "body": b"".join(body), "more_body": False}]

        async def replay_receive() -> Message:
            return replay.pop() if replay else await receive()

        await self.app(scope, replay_receive, send_with_headers)


def _too_big(size: int, cap: int, upload: bool = False, at_least: bool = False) -> str:
    what = "the upload" if upload else "the request"
    if at_least:
        return f"{what} is over the {human_size(cap)} limit"
    rest = " (all the files of one submission together); split it into several submissions" if upload else ""
    return f"{what} is {human_size(size)}, over the {human_size(cap)} limit{rest}"


async def _send_error(send: Send, status: int, message: str, where: str, html: bool = False) -> None:
    if html:
        text = escape(message)
        body = (
            f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{status}</title>'
            f'<h1>{status}</h1><p>{text}</p><p><a href="/">Back</a></p></html>'
        ).encode()
        content_type = b"text/html; charset=utf-8"
    else:
        body = json.dumps(error_body(status, message, where)).encode()
        content_type = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
