"""Signed credentials: the session cookie of the pages and the bearer tokens of the API.

Both are ``itsdangerous`` timed signatures over ``{"uid", "pw"}`` with the deployment's secret
key (``GRADER_SECRET_KEY``, or one generated once and kept in the ``app_secrets`` table so that
every process of a deployment shares it). ``pw`` is a fingerprint of the user's password hash:
changing the password ends every session and token of that user. The session cookie also
carries the session's CSRF token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from web.db import AppSecret, User

SESSION_COOKIE = "grader_session"
LOGIN_CSRF_COOKIE = "grader_login_csrf"
SECRET_NAME = "signing_key"


def load_or_create_secret(sessions: sessionmaker) -> str:
    """The deployment's generated signing key (created on first use, shared through the DB)."""
    with sessions() as session:
        row = session.get(AppSecret, SECRET_NAME)
        if row is not None:
            return row.value
    try:
        with sessions.begin() as session:
            session.add(AppSecret(name=SECRET_NAME, value=secrets.token_urlsafe(48)))
    except IntegrityError:  # another process created it first
        pass
    with sessions() as session:
        row = session.get(AppSecret, SECRET_NAME)
        assert row is not None
        return row.value


def password_fingerprint(user: User) -> str:
    """A short digest of the user's password hash (not the hash itself)."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SessionData:
    """What a valid session cookie says."""

    user_id: int
    fingerprint: str
    csrf: str


class Signer:
    """Makes and checks session cookies and bearer tokens with one secret key."""

    def __init__(self, secret: str, session_max_age_s: int, token_max_age_s: int) -> None:
        self._sessions = URLSafeTimedSerializer(secret, salt="grader.session")
        self._tokens = URLSafeTimedSerializer(secret, salt="grader.token")
        self._login = URLSafeTimedSerializer(secret, salt="grader.login-csrf")
        self.session_max_age_s = session_max_age_s
        self.token_max_age_s = token_max_age_s

    def session_cookie(self, user: User) -> tuple[str, str]:
        """A new session for ``user``: ``(cookie value, its CSRF token)``."""
        csrf = secrets.token_urlsafe(32)
        value = self._sessions.dumps({"uid": user.id, "pw": password_fingerprint(user), "csrf": csrf})
        return str(value), csrf

    def read_session(self, value: str | None) -> SessionData | None:
        """The session a cookie value carries, or None when absent, forged or expired."""
        data = self._loads(self._sessions, value, self.session_max_age_s)
        if data is None or not isinstance(data.get("csrf"), str):
            return None
        return SessionData(int(data["uid"]), str(data["pw"]), data["csrf"])

    def token(self, user: User) -> str:
        """A bearer token for ``user`` (valid for ``token_max_age_s``)."""
        return str(self._tokens.dumps({"uid": user.id, "pw": password_fingerprint(user)}))

    def read_token(self, value: str | None) -> tuple[int, str] | None:
        """``(user id, fingerprint)`` of a valid bearer token, or None."""
        data = self._loads(self._tokens, value, self.token_max_age_s)
        return (int(data["uid"]), str(data["pw"])) if data is not None else None

    def login_csrf(self) -> tuple[str, str]:
        """A token for the login form: ``(cookie value, form value)`` (double-submit)."""
        token = secrets.token_urlsafe(32)
        return str(self._login.dumps(token)), token

    def check_login_csrf(self, cookie: str | None, submitted: str | None) -> bool:
        """True when the login form's token matches the signed cookie set with the form."""
        if not cookie or not submitted:
            return False
        try:
            expected = self._login.loads(cookie, max_age=3600)
        except BadSignature:
            return False
        return isinstance(expected, str) and secrets.compare_digest(expected, submitted)

    @staticmethod
    def _loads(serializer: URLSafeTimedSerializer, value: str | None, max_age: int) -> dict[str, Any] | None:
        if not value or len(value) > 4096:
            return None
        try:
            data = serializer.loads(value, max_age=max_age)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(data, dict) or not isinstance(data.get("uid"), int) or "pw" not in data:
            return None
        return data
