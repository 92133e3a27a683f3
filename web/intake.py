"""Taking in an upload (API or form): read the form as it streams, check, store, queue.

One path for both entry points, so the page and the API accept exactly the same uploads.
"""

from __future__ import annotations

from dataclasses import dataclass

import anyio
from starlette.requests import Request

from grader.errors import GraderError
from web.accounts import Accounts
from web.auth import Principal
from web.db import Submission
from web.jobs import GradingQueue
from web.multipart import UploadForm, read_upload_form
from web.settings import Settings
from web.store import NewUpload, Store
from web.uploads import check_homework, check_readable, choose_course, choose_owner, form_files


@dataclass(frozen=True)
class Accepted:
    """A stored upload: its submission, whether it is new, and how many transcripts it holds."""

    row: Submission
    created: bool
    transcripts: int


async def read_form(request: Request, principal: Principal, settings: Settings) -> UploadForm:
    """The upload form, read within the cap; a cookie session's CSRF token is checked as it streams."""
    needs_token = principal.via == "cookie" and not principal.checked_csrf
    return await read_upload_form(
        request, settings.max_upload_bytes, settings.max_files, principal.csrf if needs_token else None
    )


async def accept_upload(
    form: UploadForm,
    principal: Principal,
    accounts: Accounts,
    store: Store,
    queue: GradingQueue,
) -> Accepted:
    """Check an upload form (course, owner, homework, every file readable) and store it, queued.

    Raises the first problem as a GraderError (nothing is stored then).
    """
    course_id = choose_course(principal, form.get("course"))
    course = accounts.course(course_id)
    homework = check_homework(form.get("homework"), course)
    owner, owner_id = choose_owner(accounts, principal, course_id, form.get("owner"))
    files = form_files(form)
    try:
        transcripts = await check_readable(files)
    except GraderError as exc:
        if not exc.where:
            exc.where = files[0].filename if files else "files"
        raise
    upload = NewUpload(
        files=files,
        homework=homework,
        owner=owner,
        owner_id=owner_id,
        course_id=course_id,
        uploaded_by=principal.email,
    )
    row, created = await anyio.to_thread.run_sync(store.create, upload)
    if created:
        queue.submit(row.id)
    return Accepted(row, created, transcripts)
