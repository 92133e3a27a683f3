"""Zip archives: transcript members kept, traversal / bombs / oversize refused with the member named."""

from __future__ import annotations

import io
import zipfile

import pytest

from grader.errors import InputError
from grader.transcripts.exports import archive, read_archive
from tests.transcripts_exports.helpers import SAMPLES


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as handle:
        for name, data in members:
            handle.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def test_chatgpt_export_zip_yields_only_transcripts() -> None:
    conversations = (SAMPLES / "chatgpt_hw2_q1a_branch.json").read_bytes()
    data = _zip(
        [
            ("conversations.json", conversations),
            ("conversations-001.json", conversations),  # a shard: just another file
            ("user.json", b'{"id": "user-1", "email": "s@example.edu"}'),
            ("message_feedback.json", b"[]"),
            ("chat.html", b"<html></html>"),
            ("file-abc.png", b"\x89PNG\r\n\x1a\n"),
            ("notes/hw2.md", b"## Prompt:\nq\n\n## Response:\na\n"),
            ("__MACOSX/._conversations.json", b"junk"),
            (".DS_Store", b"junk"),
            ("folder/", b""),
        ]
    )
    members = read_archive(data, "export.zip")
    assert [name for name, _ in members] == ["conversations.json", "conversations-001.json", "notes/hw2.md"]
    assert members[0][1] == conversations


@pytest.mark.parametrize(
    "name,fragment",
    [
        # --- path traversal and absolute names
        ("../evil.json", "climbs out"),
        ("chats/../../evil.md", "climbs out"),
        ("..\\evil.txt", "climbs out"),
        ("/etc/passwd", "absolute path"),
        ("C:\\Windows\\x.txt", "absolute path"),
    ],
)
def test_unsafe_member_names_are_refused(name: str, fragment: str) -> None:
    data = _zip([("ok.md", b"text"), (name, b"x")])
    with pytest.raises(InputError) as info:
        read_archive(data, "upload.zip")
    assert fragment in info.value.message and repr(name) in info.value.message
    assert info.value.where == "upload.zip"


def test_zip_bomb_member_is_refused_by_ratio() -> None:
    data = _zip([("conversations.json", b"[" + b" " * 2_000_000 + b"]")])
    with pytest.raises(InputError, match=r"'conversations\.json' has compression ratio \d+:1"):
        read_archive(data, "bomb.zip")


def test_small_compressible_member_is_not_a_bomb() -> None:
    data = _zip([("chat.md", b"## Prompt:\n" + b"a" * 20_000 + b"\n## Response:\nb\n")])
    assert [name for name, _ in read_archive(data, "ok.zip")] == ["chat.md"]


def test_too_many_members() -> None:
    data = _zip([(f"c{i}.txt", b"x") for i in range(archive.MAX_MEMBERS + 1)], zipfile.ZIP_STORED)
    with pytest.raises(InputError, match="501 members, over the limit of 500"):
        read_archive(data, "many.zip")


def test_total_uncompressed_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)
    data = _zip([("a.txt", b"x" * 600), ("b.txt", b"y" * 600)], zipfile.ZIP_STORED)
    with pytest.raises(InputError, match=r"passes 1000 bytes at member 'b\.txt'"):
        read_archive(data, "big.zip")


def test_member_larger_than_declared_is_refused() -> None:
    data = bytearray(_zip([("chat.txt", b"z" * 5000)], zipfile.ZIP_STORED))
    # Shrink the declared size in both headers so that the content overruns it.
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(header)
        data[pos + offset : pos + offset + 4] = (100).to_bytes(4, "little")
    with pytest.raises(InputError, match="chat.txt"):
        read_archive(bytes(data), "liar.zip")


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04truncated"])
def test_not_a_zip(data: bytes) -> None:
    with pytest.raises(InputError, match="not a readable zip archive"):
        read_archive(data, "x.zip")
