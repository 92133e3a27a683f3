"""Upload forms read as they stream: the size cap holds while reading, nothing is spooled to disk.

``multipart/form-data`` bodies are fed chunk by chunk to python-multipart's parser. The whole
body may not pass the upload cap plus a little form overhead, and the files (and pasted text)
together may not pass the cap: the first byte over it stops the reading with a 413, so nothing
larger than the cap is ever held in memory or written anywhere. Chunked bodies are counted the
same way, since the count is of bytes received, not of what Content-Length claims.

A cookie-authenticated form must carry its CSRF token in the ``csrf_token`` field before any
file (the forms put it first); a file arriving before it is refused without being read.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect, Request

from grader.errors import InputError, InputTooLargeError
from web.auth import CSRF_FIELD
from web.blobs import human_size
from web.errors import CsrfError
from web.settings import FORM_OVERHEAD_BYTES

FIELD_CAP = 64 * 1024
"""Most bytes of one ordinary form field (homework, owner, token)."""


@dataclass
class FormFile:
    """One file of the form, read whole (it is at most the cap)."""

    field: str
    filename: str
    data: bytes


@dataclass
class UploadForm:
    """The fields and files of a form, in the order they came."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[FormFile] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        """The first value of a field, or None."""
        values = self.fields.get(name)
        return values[0] if values else None


def too_large_error(cap: int, where: str = "upload") -> InputTooLargeError:
    """The error of an upload over the cap, in words a person reads."""
    return InputTooLargeError(
        f"the upload is over the {human_size(cap)} limit (all the files of one submission together); "
        "split it into several submissions",
        where=where,
    )


class _Collector:
    """The parser's callbacks: collects parts and enforces the limits as bytes arrive."""

    def __init__(self, cap: int, max_files: int, csrf: str | None, text_fields: frozenset[str]) -> None:
        self.cap, self.max_files, self.csrf, self.text_fields = cap, max_files, csrf, text_fields
        self.form = UploadForm()
        self.csrf_ok = csrf is None
        self.payload = 0  # bytes of files and pasted texts so far
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._filename: str | None = None
        self._chunks: list[bytes] = []
        self._size = 0

    def on_part_begin(self) -> None:
        self._headers, self._chunks, self._size = {}, [], 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        self._filename = raw.decode("utf-8", "replace") if raw is not None else None
        if self._filename is not None and not self.csrf_ok:
            raise CsrfError("missing or wrong CSRF token before the files; reload the page", CSRF_FIELD)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        n = end - start
        self._size += n
        counted = self._filename is not None or self._name in self.text_fields
        if counted:
            self.payload += n
            if self.payload > self.cap:
                raise too_large_error(self.cap, self._filename or self._name)
        elif self._size > FIELD_CAP:
            raise InputError(f"the form field {self._name!r} is over {human_size(FIELD_CAP)}", self._name)
        self._chunks.append(data[start:end])

    def on_part_end(self) -> None:
        data = b"".join(self._chunks)
        if self._filename is not None:
            if not self._filename and not data:
                return  # an empty file input
            if len(self.form.files) >= self.max_files:
                raise InputError(f"at most {self.max_files} files per submission", self._filename)
            self.form.files.append(FormFile(self._name, self._filename, data))
            return
        value = data.decode("utf-8", "replace")
        if self._name == CSRF_FIELD and self.csrf is not None:
            self.csrf_ok = secrets.compare_digest(value, self.csrf)
        self.form.fields.setdefault(self._name, []).append(value)


async def read_upload_form(
    request: Request,
    cap: int,
    max_files: int,
    csrf: str | None = None,
    text_fields: frozenset[str] = frozenset({"text"}),
) -> UploadForm:
    """Read a ``multipart/form-data`` body within the limits (see the module docstring).

    ``csrf`` is the token a cookie session must send (None for bearer-token requests).
    Raises InputTooLargeError (413), InputError (422) or CsrfError (403).
    """
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InputError("send the files as multipart/form-data", "content-type")
    collector = _Collector(cap, max_files, csrf, text_fields)
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_part_data",
            "on_part_end",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
        )
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    limit = cap + FORM_OVERHEAD_BYTES
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise too_large_error(cap)
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except ClientDisconnect:
        raise InputError("the upload was interrupted", "upload") from None
    except MultipartParseError as exc:
        raise InputError(f"malformed multipart body: {exc}", "upload") from None
    if not collector.csrf_ok:
        raise CsrfError("missing or wrong CSRF token; reload the page and try again", CSRF_FIELD)
    return collector.form
