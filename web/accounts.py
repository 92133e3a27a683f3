"""Courses, accounts and roles: the library behind ``grader course add`` / ``grader user add``.

A course lists its homeworks (rubric ids), whether students may see reference answers in the
self-check, and its question PDFs. A user has one role per course (instructor, ta, student);
instructors and TAs are the course's staff. Passwords are stored as Argon2id hashes only.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker, undefer

from web.blobs import load_blob, remove_blob, save_blob, sha256_hex
from web.db import ROLES, Course, CourseFile, Membership, User, utcnow
from web.errors import AccountError, NotFoundError
from web.passwords import MIN_PASSWORD_CHARS, hash_password, needs_rehash, verify_password
from web.store import blob_referenced

COURSE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,189}")


@dataclass(frozen=True)
class QuestionPdf:
    """A question PDF stored with a course; ``data()`` returns its bytes."""

    id: str
    course_id: str
    homework: str | None
    filename: str
    size: int
    content_hash: str
    loader: Callable[[], bytes] = field(repr=False, compare=False)

    def data(self) -> bytes:
        """The PDF's bytes."""
        return self.loader()


@dataclass(frozen=True)
class CourseInfo:
    """A course as the app and the grader use it."""

    id: str
    title: str
    homeworks: list[str]
    """Rubric ids of the course's homeworks, in the order the course gives them."""
    allow_reference: bool
    """Whether students see reference answers in the self-check."""
    question_pdfs: list[QuestionPdf]
    """The course's question PDFs (for grading to read the question text at run time)."""


def normalise_email(email: str) -> str:
    """The login name of an address: trimmed, lower-case; AccountError when it is not an address."""
    value = email.strip().lower()
    if not EMAIL.fullmatch(value):
        raise AccountError(f"not an e-mail address: {email.strip()[:80]!r}", "email")
    return value


def check_password(password: str) -> None:
    """AccountError when the password is too short to accept."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_CHARS} characters", "password")


def check_homeworks(homeworks: list[str]) -> list[str]:
    """The homework ids, deduplicated; AccountError naming any that no rubric defines."""
    from grader.rubric import rubrics

    known = rubrics()
    unknown = [h for h in homeworks if h not in known]
    if unknown:
        raise AccountError(
            f"unknown homework {', '.join(unknown)}; known: {', '.join(sorted(known))}", "homework"
        )
    return list(dict.fromkeys(homeworks))


class Accounts:
    """Data access for courses, users, memberships and question PDFs."""

    def __init__(self, sessions: sessionmaker, files_dir: Path | None = None) -> None:
        self.sessions = sessions
        self.files_dir = files_dir

    # ------------------------------------------------------------------ courses

    def add_course(
        self,
        course_id: str,
        title: str = "",
        homeworks: list[str] | None = None,
        allow_reference: bool = False,
    ) -> CourseInfo:
        """Create a course; ``homeworks`` defaults to every homework with a rubric."""
        from grader.rubric import rubrics

        if not COURSE_ID.fullmatch(course_id):
            raise AccountError(
                "a course id is lower-case letters, digits, '.', '_' or '-' (at most 100), e.g. cs182-fa25",
                "course",
            )
        chosen = check_homeworks(homeworks) if homeworks else list(rubrics())
        with self.sessions.begin() as session:
            if session.get(Course, course_id) is not None:
                raise AccountError(f"course {course_id} exists already", "course")
            session.add(
                Course(
                    id=course_id,
                    title=title or course_id,
                    homeworks_json=json.dumps(chosen),
                    allow_reference=allow_reference,
                    created_at=utcnow(),
                )
            )
        info = self.course(course_id)
        assert info is not None
        return info

    def update_course(
        self,
        course_id: str,
        *,
        title: str | None = None,
        homeworks: list[str] | None = None,
        allow_reference: bool | None = None,
    ) -> CourseInfo:
        """Change a course's title, homeworks or reference setting (None leaves a field as is)."""
        with self.sessions.begin() as session:
            row = session.get(Course, course_id)
            if row is None:
                raise NotFoundError("no such course", course_id)
            if title is not None:
                row.title = title.strip()[:200] or course_id
            if homeworks is not None:
                row.homeworks_json = json.dumps(check_homeworks(homeworks))
            if allow_reference is not None:
                row.allow_reference = allow_reference
        info = self.course(course_id)
        assert info is not None
        return info

    def course(self, course_id: str) -> CourseInfo | None:
        """One course with its question PDFs, or None."""
        with self.sessions() as session:
            row = session.get(Course, course_id)
            if row is None:
                return None
            files = list(
                session.scalars(
                    select(CourseFile)
                    .where(CourseFile.course_id == course_id)
                    .order_by(CourseFile.created_at)
                )
            )
        return CourseInfo(
            id=row.id,
            title=row.title,
            homeworks=list(json.loads(row.homeworks_json or "[]")),
            allow_reference=row.allow_reference,
            question_pdfs=[self._question_pdf(f) for f in files],
        )

    def course_ids(self) -> list[str]:
        """Every course id, sorted."""
        with self.sessions() as session:
            return sorted(session.scalars(select(Course.id)))

    # ------------------------------------------------------------------ users

    def add_user(self, email: str, password: str, role: str, course_id: str) -> User:
        """Create an account (or set an existing one's password) and give it ``role`` in the course."""
        email = normalise_email(email)
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; choose {', '.join(ROLES)}", "role")
        check_password(password)
        hashed = hash_password(password)
        with self.sessions.begin() as session:
            if session.get(Course, course_id) is None:
                raise AccountError(
                    f"no course {course_id}; create it with: grader course add {course_id}", "course"
                )
            user = session.scalars(select(User).where(User.email == email)).first()
            if user is None:
                user = User(email=email, password_hash=hashed, active=True, created_at=utcnow())
                session.add(user)
                session.flush()
            else:
                user.password_hash = hashed
            member = session.get(Membership, (user.id, course_id))
            if member is None:
                session.add(Membership(user_id=user.id, course_id=course_id, role=role))
            else:
                member.role = role
        return user

    def authenticate(self, email: str, password: str) -> User | None:
        """The active user with this e-mail and password, or None (same work either way)."""
        try:
            email = normalise_email(email)
        except AccountError:
            verify_password(None, password)
            return None
        with self.sessions() as session:
            user = session.scalars(select(User).where(User.email == email)).first()
        ok = verify_password(user.password_hash if user else None, password)
        if user is None or not ok or not user.active:
            return None
        if needs_rehash(user.password_hash):
            with self.sessions.begin() as session:
                fresh = session.get(User, user.id)
                if fresh is not None:
                    fresh.password_hash = hash_password(password)
                    user = fresh
        return user

    def user(self, user_id: int) -> User | None:
        """One user by id, or None."""
        with self.sessions() as session:
            return session.get(User, user_id)

    def user_by_email(self, email: str) -> User | None:
        """One user by e-mail, or None."""
        try:
            email = normalise_email(email)
        except AccountError:
            return None
        with self.sessions() as session:
            return session.scalars(select(User).where(User.email == email)).first()

    def roles(self, user_id: int) -> dict[str, str]:
        """The user's role per course id."""
        with self.sessions() as session:
            rows = session.execute(
                select(Membership.course_id, Membership.role).where(Membership.user_id == user_id)
            )
            return {course: role for course, role in rows}

    def members(self, course_id: str, role: str | None = None) -> list[tuple[str, str]]:
        """``(email, role)`` of the course's members, sorted by e-mail."""
        query = (
            select(User.email, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.course_id == course_id)
            .order_by(User.email)
        )
        if role:
            query = query.where(Membership.role == role)
        with self.sessions() as session:
            return [(email, r) for email, r in session.execute(query)]

    def count_users(self) -> int:
        """How many accounts exist."""
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(User)) or 0)

    # ------------------------------------------------------------------ question PDFs

    def _question_pdf(self, row: CourseFile) -> QuestionPdf:
        return QuestionPdf(
            id=row.id,
            course_id=row.course_id,
            homework=row.homework,
            filename=row.filename,
            size=row.size,
            content_hash=row.content_hash,
            loader=lambda: self.question_pdf_bytes(row.id),
        )

    def add_question_pdf(
        self,
        course_id: str,
        filename: str,
        data: bytes,
        homework: str | None = None,
        uploaded_by: int | None = None,
    ) -> QuestionPdf:
        """Store a question PDF with the course (checked to be a PDF; not read here)."""
        if not data.startswith(b"%PDF-"):
            raise AccountError("a question file must be a PDF (it does not start with %PDF-)", filename)
        if homework:
            check_homeworks([homework])
        digest = sha256_hex(data)
        row = CourseFile(
            id=uuid.uuid4().hex,
            course_id=course_id,
            homework=homework or None,
            filename=filename,
            content_hash=digest,
            size=len(data),
            uploaded_by=uploaded_by,
            created_at=utcnow(),
        )
        if self.files_dir is not None:
            row.file_path = save_blob(self.files_dir, digest, data)
        else:
            row.content = data
        with self.sessions.begin() as session:
            if session.get(Course, course_id) is None:
                raise NotFoundError("no such course", course_id)
            session.add(row)
        return self._question_pdf(row)

    def question_pdf_row(self, pdf_id: str) -> CourseFile | None:
        """The stored row of a question PDF (bytes loaded), or None."""
        with self.sessions() as session:
            return session.get(CourseFile, pdf_id, options=[undefer(CourseFile.content)])

    def question_pdf_bytes(self, pdf_id: str) -> bytes:
        """The bytes of a question PDF."""
        row = self.question_pdf_row(pdf_id)
        if row is None:
            raise NotFoundError("no such question PDF", pdf_id)
        return load_blob(row.content, row.file_path, f"question PDF {pdf_id}")

    def delete_question_pdf(self, pdf_id: str) -> None:
        """Remove a question PDF from its course."""
        with self.sessions.begin() as session:
            row = session.get(CourseFile, pdf_id)
            if row is None:
                raise NotFoundError("no such question PDF", pdf_id)
            path, digest = row.file_path, row.content_hash
            session.delete(row)
            session.flush()
            shared = blob_referenced(session, digest)
        if path and not shared:
            remove_blob(path)


def first_run_hint() -> str:
    """What to type to create the first course and instructor (printed while no account exists)."""
    return (
        "No accounts yet. Create a course and its first instructor:\n"
        "    grader course add cs182-fa25 --title 'CS 182 Fall 2025'\n"
        "    grader user add you@example.edu --role instructor --course cs182-fa25   "
        "(type the password, then Enter)\n"
        "TAs and students are added the same way with --role ta / --role student."
    )
