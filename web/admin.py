"""Administration from the command line: ``grader course add`` and ``grader user add`` call these.

They open the configured database (``GRADER_DATABASE_URL`` or the SQLite file in
``GRADER_DATA_DIR``), migrate it, and go through :class:`web.accounts.Accounts`, as the app does.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from web.accounts import Accounts, CourseInfo
from web.db import User, make_engine, make_sessionmaker
from web.errors import AccountError
from web.migrate import upgrade
from web.settings import Settings, get_settings


@contextmanager
def open_accounts(settings: Settings | None = None) -> Iterator[Accounts]:
    """The accounts of the configured database, migrated to the latest schema."""
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url())
    try:
        upgrade(engine)
        yield Accounts(make_sessionmaker(engine), settings.files_dir)
    finally:
        engine.dispose()


def add_course(
    course_id: str,
    title: str = "",
    homeworks: list[str] | None = None,
    allow_reference: bool = False,
    settings: Settings | None = None,
) -> CourseInfo:
    """Create a course in the configured database."""
    with open_accounts(settings) as accounts:
        return accounts.add_course(course_id, title, homeworks, allow_reference)


def add_user(email: str, password: str, role: str, course_id: str, settings: Settings | None = None) -> User:
    """Create (or update) an account and give it a role in a course, in the configured database."""
    with open_accounts(settings) as accounts:
        return accounts.add_user(email, password, role, course_id)


def read_password(stream: TextIO | None = None) -> str:
    """The password: asked twice without echo on a terminal, else the first line of ``stream``."""
    stream = stream or sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise AccountError("the two passwords differ", "password")
        return first
    line = stream.readline()
    if not line:
        raise AccountError(
            "no password on standard input (pipe it in, e.g. from a password manager)", "password"
        )
    return line.rstrip("\r\n")
