"""The public API of grader.transcripts.exports stays complete and documented."""

from __future__ import annotations

import inspect

import grader.transcripts.exports as exports

FORMAT_IDS = {
    "chatgpt-json", "claude-json", "lechat-json", "deepseek-json", "openwebui-json",
    "librechat-json", "gemini-takeout-json", "openwebui-txt", "exporter-markdown",
}  # fmt: skip


def test_all_lists_every_public_name() -> None:
    public = {n for n, v in vars(exports).items() if not n.startswith("_") and not inspect.ismodule(v)}
    public -= {"annotations", "Callable", "Transcript"}
    assert public == set(exports.__all__)


def test_readers_cover_every_format_id() -> None:
    assert set(exports.EXPORT_READERS) == FORMAT_IDS


def test_public_functions_have_docstrings() -> None:
    for name in exports.__all__:
        value = getattr(exports, name)
        if callable(value):
            assert inspect.getdoc(value), name
