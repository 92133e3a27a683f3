"""The public API of grader.transcripts stays complete and documented."""

from __future__ import annotations

import inspect

import grader.transcripts as transcripts


def test_all_names_exist_and_are_documented() -> None:
    assert set(transcripts.__all__) == {
        "MAX_BYTES",
        "READERS",
        "detect",
        "read_all",
        "read_bytes",
        "read_path",
        "read_text",
        "read_text_all",
    }
    for name in transcripts.__all__:
        obj = getattr(transcripts, name)
        if inspect.isfunction(obj):
            assert obj.__doc__


def test_readers_cover_the_detected_formats() -> None:
    assert set(transcripts.READERS) == {"role-markdown", "writeup-text"}
    assert transcripts.MAX_BYTES == 20 * 1024 * 1024
