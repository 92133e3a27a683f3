"""Readers for real chat exports: vendor JSON, exporter Markdown, Open WebUI text, zips.

::

    bytes ─▶ read_archive (zip: safe members) ─▶ text ─▶ sniff(text) ─▶ format id
    text ─▶ EXPORT_READERS[format id](text, source) ─▶ [Transcript, ...]   (one per conversation)

Format ids: ``chatgpt-json``, ``claude-json``, ``lechat-json``, ``deepseek-json``,
``openwebui-json``, ``librechat-json``, ``gemini-takeout-json``, ``openwebui-txt``,
``exporter-markdown``. A transcript read from a multi-conversation file has the source
``file.json#<title or index>``. Bad input raises :class:`grader.errors.InputError` (or
``UnknownFormatError``) naming the file and the JSON path or archive member.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.models import Transcript
from grader.transcripts.exports.archive import read_archive
from grader.transcripts.exports.chatgpt import read_chatgpt_json
from grader.transcripts.exports.claude import read_claude_json
from grader.transcripts.exports.common import split_blocks, strip_citations
from grader.transcripts.exports.deepseek import read_deepseek_json
from grader.transcripts.exports.exporter_markdown import read_exporter_markdown
from grader.transcripts.exports.gemini_takeout import read_gemini_takeout_json
from grader.transcripts.exports.lechat import read_lechat_json
from grader.transcripts.exports.librechat import read_librechat_json
from grader.transcripts.exports.openwebui import read_openwebui_json, read_openwebui_txt
from grader.transcripts.exports.sniffing import sniff

__all__ = [
    "EXPORT_READERS",
    "read_archive",
    "read_chatgpt_json",
    "read_claude_json",
    "read_deepseek_json",
    "read_exporter_markdown",
    "read_gemini_takeout_json",
    "read_lechat_json",
    "read_librechat_json",
    "read_openwebui_json",
    "read_openwebui_txt",
    "sniff",
    "split_blocks",
    "strip_citations",
]

EXPORT_READERS: dict[str, Callable[[str, str], list[Transcript]]] = {
    "chatgpt-json": read_chatgpt_json,
    "claude-json": read_claude_json,
    "lechat-json": read_lechat_json,
    "deepseek-json": read_deepseek_json,
    "openwebui-json": read_openwebui_json,
    "librechat-json": read_librechat_json,
    "gemini-takeout-json": read_gemini_takeout_json,
    "openwebui-txt": read_openwebui_txt,
    "exporter-markdown": read_exporter_markdown,
}
"""Format id -> reader(text, source) -> transcripts (one per conversation in the file)."""
