"""Upload checks done before anything is stored: names, homework, owner, course, and a first read.

Each file is read with :func:`grader.transcripts.read_bytes` (the CLI's reader: every export
format, zips, text) in a worker thread, off the event loop, so a file nobody can grade is refused
at once with its reader's error (415 binary or unknown format, 422 empty) and nothing is stored.
A PDF is checked by reading its first page only with the same PDF reader (a whole PDF can take
half a minute, OCR included); the background grading reads every file in full.
"""

from __future__ import annotations

import re
import unicodedata

import anyio

from grader.errors import GraderError, HomeworkError, InputError
from grader.rubric import rubrics
from grader.transcripts import read_bytes
from grader.transcripts.decode import check_size
from web.accounts import Accounts, CourseInfo
from web.auth import Principal
from web.errors import AccountError, ForbiddenError, NotFoundError
from web.multipart import UploadForm
from web.store import UploadedFile

PASTED_NAME = "pasted.txt"


def safe_filename(name: str | None, default: str = "upload.txt") -> str:
    """The base name of an uploaded file, printable and at most 200 characters.

    >>> safe_filename("../../etc/passwd"), safe_filename("C:\\\\x\\\\chat log.md"), safe_filename("")
    ('passwd', 'chat log.md', 'upload.txt')
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return base[:200] or default


def form_files(form: UploadForm, field: str = "files") -> list[UploadedFile]:
    """The files of an upload form (field ``files`` or ``file``) and its pasted text, in order."""
    files = [
        UploadedFile(safe_filename(f.filename), f.data) for f in form.files if f.field in (field, "file")
    ]
    pasted = form.get("text") or ""
    if pasted.strip():
        files.append(UploadedFile(PASTED_NAME, pasted.encode("utf-8")))
    return files


def count_transcripts(files: list[UploadedFile]) -> int:
    """Read every file as the grader will (PDFs: the first page); returns how many transcripts they hold.

    Raises the reader's GraderError, naming the file.
    """
    total = 0
    for f in files:
        if b"%PDF-" in f.data[:1024]:  # grader.transcripts.pdf.is_pdf, as read_bytes decides
            from grader.transcripts.pdf import read_pdf  # imported here: PyMuPDF is an optional extra

            check_size(len(f.data), f.filename)
            read_pdf(f.data, f.filename, max_pages=1)
            total += 1
            continue
        total += len(read_bytes(f.data, f.filename))
    return total


async def check_readable(files: list[UploadedFile]) -> int:
    """:func:`count_transcripts` in a worker thread (PDF reading can take seconds)."""
    if not files:
        raise InputError("choose at least one file or paste a transcript", "files")
    return await anyio.to_thread.run_sync(count_transcripts, files)


def check_homework(homework: str | None, course: CourseInfo | None = None) -> str | None:
    """The homework id chosen by the user (None for auto-detect); HomeworkError (422) when unknown."""
    homework = (homework or "").strip()
    if not homework or homework == "auto":
        return None
    known = course.homeworks if course is not None and course.homeworks else list(rubrics())
    if homework not in known or homework not in rubrics():
        raise HomeworkError(f"unknown homework {homework!r}; this course has: {', '.join(known)}", "homework")
    return homework


def choose_course(principal: Principal, course_id: str | None, staff: bool = False) -> str:
    """The course a request is about: the one named (if the user belongs to it), or the user's only one.

    A course the user does not belong to is 404 (its existence is not revealed); a course where a
    staff action is asked of a student is 403.
    """
    course_id = (course_id or "").strip() or None
    if course_id is not None:
        if course_id not in principal.roles:
            raise NotFoundError("no such course", course_id)
        if staff:
            principal.require_staff(course_id)
        return course_id
    candidates = principal.staff_courses if staff else principal.courses
    if len(candidates) == 1:
        return candidates[0]
    if staff and not candidates:
        raise ForbiddenError("only a course's instructors and TAs may do this", "course")
    if not candidates:
        raise ForbiddenError("your account belongs to no course; ask an instructor to add you", "course")
    raise AccountError(f"choose a course: {', '.join(candidates)}", "course")


def choose_owner(
    accounts: Accounts, principal: Principal, course_id: str, owner: str | None
) -> tuple[str, int]:
    """Whose submission an upload is: the uploader's own, or (staff only) a course member's."""
    owner = (owner or "").strip().lower()
    if not owner or owner == principal.email:
        return principal.email, principal.user.id
    principal.require_staff(course_id)
    user = accounts.user_by_email(owner)
    if user is None or course_id not in accounts.roles(user.id):
        raise AccountError(f"{owner} is not a member of {course_id}", "owner")
    return user.email, user.id


def upload_error_where(exc: GraderError, files: list[UploadedFile]) -> str:
    """The file an upload error is about (the reader names it; fall back to the first file)."""
    return exc.where or (files[0].filename if files else "upload")
