"""Bad input never crashes: it raises one of grader.errors' input errors, with what and where."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    UnknownFormatError,
)
from grader.models import Transcript
from grader.transcripts import decode, read_path, read_text
from tests.transcripts.helpers import SEEDS

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"

BAD_FILES = [
    # empty and blank
    (b"", EmptyInputError, "file is empty"),
    (b"  \n\t\n   \r\n", EmptyInputError, "only whitespace"),
    (b"\xef\xbb\xbf\n\n", EmptyInputError, "only whitespace"),
    # binary
    (PNG, BinaryInputError, "PNG image"),
    (b"User: hello\x00\x00Assistant: hi", BinaryInputError, "NUL bytes at offset 11"),
    # a PDF header with nothing behind it: the PDF reader says it is corrupt (or that PyMuPDF is missing)
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", InputError, "PDF"),
    (b"PK\x03\x04\x14\x00\x00\x00", BinaryInputError, "ZIP archive"),
    # text that is no chat
    (b"eggs\nmilk\nbread\n2 apples\nbutter\n", UnknownFormatError, "no chat structure found"),
    (b"name,score,grade\nalice,91,A\nbob,78,C+\ncarol,85,B\n", UnknownFormatError, "no chat structure found"),
    (
        b"purple elephant window quietly seven marble under thunder basket orange silent river "
        b"piano lantern morning copper violin meadow crystal shadow whisper candle harbor velvet",
        UnknownFormatError,
        "no chat structure found",
    ),
]


@pytest.mark.parametrize("data,error,message", BAD_FILES)
def test_bad_file_raises_clear_error(
    tmp_path: Path, data: bytes, error: type[InputError], message: str
) -> None:
    path = tmp_path / "upload.txt"
    path.write_bytes(data)
    with pytest.raises(error) as info:
        read_path(path)
    assert message in info.value.message
    assert info.value.where == "upload.txt"


def test_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode, "MAX_BYTES", 100)
    path = tmp_path / "big.md"
    path.write_text("## User\nhi\n## Assistant\n" + "x" * 200, encoding="utf-8")
    with pytest.raises(InputTooLargeError) as info:
        read_path(path)
    assert "over the 100-byte cap" in info.value.message and info.value.where == "big.md"


@pytest.mark.parametrize(
    "data,warned",
    [
        # undecodable as UTF-8: Latin-1 fallback with a warning
        (b"User: caf\xe9 au lait?\nAssistant: Voil\xe0.\n", True),
        # UTF-8 with a BOM, and UTF-16 with a BOM: no warning
        ("\ufeffUser: café?\nAssistant: voilà\n".encode(), False),
        ("User: café?\nAssistant: voilà\n".encode("utf-16"), False),
        # Windows newlines
        (b"User: hi\r\nAssistant: hello\r\n", False),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, warned: bool) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(data)
    transcript = read_path(path)
    assert [t.role for t in transcript.turns] == ["user", "assistant"]
    assert transcript.turns[0].text().startswith("caf") or transcript.turns[0].text() == "hi"
    assert any("decoded as Latin-1" in w for w in transcript.warnings) == warned
    assert "\r" not in transcript.turns[1].text() and "\ufeff" not in transcript.turns[0].text()


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_path(tmp_path / "nope.txt")
    assert info.value.where == "nope.txt"


@pytest.mark.parametrize("text,error", [("", EmptyInputError), (" \n ", EmptyInputError)])
def test_read_text_bad_input(text: str, error: type[InputError]) -> None:
    with pytest.raises(error) as info:
        read_text(text, source="pasted")
    assert info.value.where == "pasted"


@pytest.mark.shared
@pytest.mark.parametrize("name", ["003_3307836bae2e3f2b.txt", "004_569e23a1cfa6bc73.txt"])
def test_lecture_slides_are_not_transcripts(name: str) -> None:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip("../shared data absent")
    with pytest.raises(UnknownFormatError):
        read_path(path)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_reads_or_raises_an_input_error(text: str) -> None:
    try:
        result = read_text(text)
    except InputError as exc:
        assert exc.message
    else:
        assert isinstance(result, Transcript)
