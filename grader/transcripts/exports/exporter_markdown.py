"""Markdown written by chat exporters (format id ``exporter-markdown``).

Each exporter has ONE marker style, and a file is split on the style that has the most marker
lines with both a user and an assistant role (markers inside code fences never count):

====================  ===========================================  ==============================
style                 marker lines                                 exporter
====================  ===========================================  ==============================
prompt-response       ``## Prompt:`` / ``## Response:``            chatgptexporter.com, Claude /
                                                                   Gemini Exporter
you-chatgpt           ``#### You:`` / ``#### ChatGPT:``            pionxzh/chatgpt-exporter
user-assistant        ``## User`` / ``## Assistant``               DeepSeek userscript
numbered              ``### 1. User`` / ``### 2. Think`` / ...     DeepSeek official → Markdown
bold-label            ``**You:**`` / ``**User:**`` / ``**X answer:**``  Save my Chatbot
italic-label          ``_Prompt_:`` / ``_Claude_:``                ryanschiang/claude-export
cursor                ``**User**`` / ``**Cursor**``                Cursor "Export chat"
====================  ===========================================  ==============================

A marker is a WHOLE line of exactly that form, so the model's own headings ("## Part (a)",
"### Response time", "**Answer:**") are never taken for role markers. Reasoning is separated
into ``thinking`` blocks: ``<details><summary>Thought for…</summary>…</details>``, a bare
"Thought for 24s" line opening a response, DeepSeek's "### Thought Process" blockquote and
the "Think" sections of the numbered style. Header metadata, turn separators (``---``,
``___``) and exporter footers are dropped; the model is read from the exporter's footer,
link, per-turn "· model" line or label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.errors import UnknownFormatError
from grader.models import Block, Role, Transcript
from grader.transcripts.exports.common import Message, build_turns, model_label, single_block, split_blocks
from grader.transcripts.exports.openwebui import content_blocks

FORMAT_ID = "exporter-markdown"

STYLES: dict[str, re.Pattern[str]] = {
    "prompt-response": re.compile(r"^#{2,4} (?P<role>Prompt|Response):[ \t]*$"),
    "you-chatgpt": re.compile(r"^#### (?P<role>You|ChatGPT|Plugin(?: \([^)\n]*\))?|Tool|System):[ \t]*$"),
    "user-assistant": re.compile(r"^## (?P<role>User|Assistant)[ \t]*$"),
    "numbered": re.compile(r"^### \d+\. (?P<role>User|Think|Assistant)[ \t]*$"),
    "bold-label": re.compile(
        r"^\*\*(?P<role>You|User|Human|Assistant|[A-Z][\w .-]{0,30} answer):\*\*[ \t]*(?P<rest>.*)$"
    ),
    "italic-label": re.compile(r"^_(?P<role>Prompt|Claude)_:[ \t]*(?P<rest>.*)$"),
    "cursor": re.compile(r"^\*\*(?P<role>User|Cursor)\*\*[ \t]*$"),
}
_USER_LABELS = {"prompt", "you", "user", "human"}
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,})\s*$")
_FOOTER = re.compile(
    r"^\W*Powered by (?P<vendor>ChatGPT|Claude|Gemini|DeepSeek|Grok) Exporter\b", re.IGNORECASE
)
_THOUGHT_FOR = re.compile(r"^\s*(?:\*\*|_)?Thought for [\w .]+?(?:\*\*|_)?\s*$", re.IGNORECASE)
_THOUGHT_PROCESS = re.compile(r"^#{1,6}\s*Thought Process\s*$", re.IGNORECASE)
_TIME_TAG = re.compile(r"^\s*<time\b[^>]*>.*</time>\s*$", re.IGNORECASE)
_STAMP_MODEL = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4},? [\d:]+(?: ?[AP]M)?(?: · (?P<model>[\w.-]+))?\s*$")
_DS_META = re.compile(r"^\s*- model: `(?P<model>[^`]*)`(?: \| time: `(?P<time>[^`]*)`)?\s*$")
_LINK_VENDORS = (
    ("chatgpt.com", "ChatGPT"),
    ("chat.openai.com", "ChatGPT"),
    ("claude.ai", "Claude"),
    ("gemini.google.com", "Gemini"),
    ("chat.deepseek.com", "DeepSeek"),
)


@dataclass(frozen=True)
class _Line:
    text: str
    start: int
    number: int


@dataclass(frozen=True)
class _Marker:
    index: int  # line index of the marker
    label: str
    rest: _Line | None  # text after an inline label ("**You:** question")


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        out.append(_Line(line, pos, number))
        pos += len(line) + 1
    return out


def find_markers(lines: list[_Line]) -> tuple[str, list[_Marker]] | None:
    """The best marker style of a file and its markers, or None when no style has both roles."""
    found: dict[str, list[_Marker]] = {name: [] for name in STYLES}
    fence: str | None = None
    for i, line in enumerate(lines):
        opener = _FENCE.match(line.text)
        if opener:
            mark = opener.group(1)[0]
            fence = None if fence == mark else (fence or mark)
            continue
        if fence is not None:
            continue
        for name, pattern in STYLES.items():
            match = pattern.match(line.text)
            if match:
                rest = None
                if "rest" in match.groupdict() and match.group("rest").strip():
                    rest = _Line(match.group("rest"), line.start + match.start("rest"), line.number)
                found[name].append(_Marker(i, match.group("role"), rest))
    best: tuple[str, list[_Marker]] | None = None
    for name, markers in found.items():
        roles = {_role(m.label) for m in markers}
        if {"user", "assistant"} <= roles and (best is None or len(markers) > len(best[1])):
            best = (name, markers)
    return best


def has_markers(text: str) -> bool:
    """Whether ``text`` has an exporter marker style with both a user and an assistant."""
    return find_markers(_lines(text.replace("\r\n", "\n"))) is not None


def _role(label: str) -> Role:
    lowered = label.lower()
    if lowered in _USER_LABELS:
        return "user"
    if lowered.startswith(("plugin", "tool")):
        return "tool"
    return "system" if lowered == "system" else "assistant"


def _trim(lines: list[_Line]) -> list[_Line]:
    start, end = 0, len(lines)
    while start < end and (not lines[start].text.strip() or _SEPARATOR.match(lines[start].text)):
        start += 1
    while end > start and (not lines[end - 1].text.strip() or _SEPARATOR.match(lines[end - 1].text)):
        end -= 1
    return lines[start:end]


def _body_blocks(lines: list[_Line]) -> list[Block]:
    lines = _trim(lines)
    if not lines:
        return []
    text = "\n".join(line.text for line in lines)
    if "<details" in text.lower():
        return content_blocks(text)
    return split_blocks(text, origin=(lines[0].start, lines[0].number))


@dataclass
class _Segment:
    role: Role
    blocks: list[Block]
    timestamp: str | None
    model: str | None


def _read_segment(label: str, lines: list[_Line]) -> _Segment:
    lines = _trim(lines)
    blocks: list[Block] = []
    timestamp: str | None = None
    model: str | None = None
    # Leading exporter metadata: <time>, "7/5/2026, 7:43 AM · gpt-5", DeepSeek "- model: `x` | time: `t`".
    while lines:
        first = lines[0].text
        if _TIME_TAG.match(first):
            found = re.search(r'datetime="([^"]+)"', first)
            timestamp = found.group(1) if found else timestamp
        elif (stamp := _STAMP_MODEL.match(first)) or (stamp := _DS_META.match(first)):
            model = stamp.group("model") or model
            timestamp = stamp.groupdict().get("time") or first.split(" · ")[0].strip()
        else:
            break
        lines = _trim(lines[1:])
    if lines and _THOUGHT_FOR.match(lines[0].text):
        blocks += single_block("thinking", lines[0].text.strip("*_ \t"), recap=True)
        lines = _trim(lines[1:])
    if lines and _THOUGHT_PROCESS.match(lines[0].text):
        lines = _trim(lines[1:])
        end = 0
        while end < len(lines) and (lines[end].text.lstrip().startswith(">") or not lines[end].text.strip()):
            end += 1
        quoted = "\n".join(re.sub(r"^\s*> ?", "", line.text) for line in lines[:end])
        blocks += single_block("thinking", quoted)
        lines = lines[end:]
    lines = _trim(lines)
    if (
        len(lines) >= 2
        and re.match(r"^```+\s*(?:markdown|md)?\s*$", lines[0].text)
        and lines[-1].text.strip().startswith("```")
    ):
        lines = lines[1:-1]  # numbered style wraps every body in ```markdown
    if label.lower() == "think":
        blocks += single_block("thinking", "\n".join(line.text for line in lines))
    else:
        blocks += _body_blocks(lines)
    return _Segment(_role(label), blocks, timestamp, model)


def _vendor(header: str, footer: str, style: str, labels: set[str]) -> str | None:
    found = _FOOTER.search(footer) or _FOOTER.search(header)
    if found:
        return {"chatgpt": "ChatGPT", "claude": "Claude", "gemini": "Gemini"}.get(
            found.group("vendor").lower(), found.group("vendor")
        )
    for domain, vendor in _LINK_VENDORS:
        if domain in header:
            return vendor
    if style == "you-chatgpt":
        return "ChatGPT"
    if style == "italic-label":
        return "Claude"
    if style == "cursor":
        return "Cursor"
    if style == "numbered":
        return "DeepSeek"
    answers = [label[: -len(" answer")] for label in labels if label.lower().endswith(" answer")]
    return answers[0] if answers else None


def read_exporter_markdown(text: str, source: str) -> list[Transcript]:
    """The chat of an exporter Markdown file (one transcript).

    Raises UnknownFormatError when no marker style with both a user and an assistant is found.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _lines(text)
    found = find_markers(lines)
    if found is None:
        raise UnknownFormatError(
            "no exporter role markers (## Prompt: / ## Response:, #### You: ...)", where=source
        )
    style, markers = found
    header = "\n".join(line.text for line in lines[: markers[0].index])
    title_match = re.search(r"^#\s+(.+)$", header, re.MULTILINE) or re.search(
        r"^\s*(?!<!--)(\S.*)$", header, re.MULTILINE
    )
    segments: list[_Segment] = []
    footer = ""
    for k, marker in enumerate(markers):
        end = markers[k + 1].index if k + 1 < len(markers) else len(lines)
        body = lines[marker.index + 1 : end]
        if k + 1 == len(markers):  # the exporter's footer ends the last turn
            cut = next((j for j, line in enumerate(body) if _FOOTER.match(line.text)), None)
            if cut is not None:
                footer = "\n".join(line.text for line in body[cut:])
                body = body[:cut]
        segments.append(_read_segment(marker.label, ([marker.rest] if marker.rest else []) + body))
    slug = next((s.model for s in reversed(segments) if s.model and s.role == "assistant"), None)
    vendor = _vendor(header, footer, style, {m.label for m in markers})
    model = model_label(vendor, slug) if vendor else slug
    messages: list[Message] = []
    pending: list[Block] = []  # a numbered "Think" section joins the answer that follows it
    for marker, segment in zip(markers, segments, strict=True):
        if marker.label.lower() == "think":
            pending += segment.blocks
            continue
        blocks = pending + segment.blocks
        pending = []
        if not blocks:  # keep the turn (an image-only prompt) so that turns stay in step
            blocks = single_block("residue", "[empty message]", empty=True)
        messages.append(Message(segment.role, blocks, segment.timestamp))
    if pending:  # reasoning with no answer after it (a cut export) is still the model's turn
        messages.append(Message("assistant", pending))
    empty = sum(1 for s in segments if not s.blocks)
    warnings = [f"{empty} empty turn(s) (an image-only prompt?)"] if empty else []
    title = title_match.group(1).strip().lstrip("\\#").strip() if title_match else None
    return [
        Transcript(
            source=source,
            format=FORMAT_ID,
            model=model,
            title=title or None,
            turns=build_turns(messages, ()),
            warnings=warnings,
        )
    ]
