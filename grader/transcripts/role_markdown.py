"""Reader for chats with explicit role markers (format id ``role-markdown``).

Handles exporter Markdown and pasted text: ``## User`` / ``## Assistant``, ``#### You:`` /
``#### ChatGPT:``, ``### USER`` / ``### ASSISTANT``, ``## Prompt:`` / ``## Response:``,
``**User:** ...``, ``_Prompt_: ...`` and plain ``User: ...`` / ``Assistant: ...`` lines.

A marker is a line that is ONLY the marker (a heading with a known role word, optionally
followed by a colon), or, for the bold, italic and plain styles, a known role word and a
colon at the start of the line. The model's own headings ("## Part (a)", "### User
experience") are therefore never mistaken for markers. When a file holds markers of several
styles, the style with the most markers (and both roles) wins, so that an exporter's
metadata line ("User: Jane Doe") does not split the chat.

A last style reads the speaker labels people put in any transcript with the same vocabulary and
acceptance rules as the PDF reader (:mod:`grader.transcripts.pdf.labels`): the chat UIs' own
"You said:" / "ChatGPT said:" lines in copied text, "Me:" / "Grok:", "User Prompt 2" / "Gemini
Output". A label is kept only when it behaves like one in the whole file (recurring, set off on
its own line or in bold, the two speakers taking turns), so a model's "Response:" or "Answer:"
inside its text does not split it. The student's commentary labels ("Note:") are left in the
text: a model writes them too, and plain text has no colour to tell the two apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.models import Block, Role, Transcript, Turn
from grader.transcripts.blocks import unit_blocks
from grader.transcripts.pdf.labels import LabelHit, accepted_labels, label_key, speaker_label
from grader.transcripts.residue import canonical_model, find_model, is_timestamp
from grader.transcripts.units import Line, split_lines, split_units

FORMAT_ID = "role-markdown"

_USER_WORDS = r"user|you|human|me|prompt|student"
_ASSISTANT_WORDS = (
    r"assistant|chatgpt|claude|gemini|mistral|le chat|deepseek|grok|kimi|qwen|copilot|ai|bot|response"
)
_ROLE = rf"(?P<role>{_USER_WORDS}|{_ASSISTANT_WORDS}|system)"
_HEADING_ROLE = rf"(?P<role>{_USER_WORDS}|{_ASSISTANT_WORDS}|model|system)"
STYLES: dict[str, re.Pattern[str]] = {
    "heading": re.compile(rf"^\s{{0,3}}#{{1,6}}\s*{_HEADING_ROLE}\s*:?\s*$", re.IGNORECASE),
    "bold": re.compile(rf"^\s*\*\*{_ROLE}\s*:?\s*\*\*\s*:?[ \t]*(?P<rest>.*)$", re.IGNORECASE),
    "italic": re.compile(rf"^\s*_{_ROLE}_\s*:[ \t]*(?P<rest>.*)$", re.IGNORECASE),
    "plain": re.compile(
        r"^(?P<role>User|You|Human|Me|Assistant|ChatGPT|Claude|Gemini|Mistral|DeepSeek|Grok|Kimi|Qwen"
        r"|Copilot|AI|Bot)\s*:[ \t]*(?P<rest>.*)$"
    ),
}


@dataclass(frozen=True)
class Marker:
    """One role marker line."""

    line: Line
    role: Role
    label: str
    rest_start: int  # offset where the turn's text begins on the marker line (== line.end if none)


def role_of(word: str) -> Role:
    """Map a marker word to a role ("ChatGPT" -> assistant, "Prompt" -> user)."""
    lowered = word.strip().lower()
    if lowered == "system":
        return "system"
    return "user" if re.fullmatch(_USER_WORDS, lowered) else "assistant"


def find_markers(text: str) -> list[Marker]:
    """The role markers of the best style, or [] when no style has both a user and an assistant."""
    lines = split_lines(text)
    best: list[Marker] = []
    for pattern in STYLES.values():
        found: list[Marker] = []
        for line in lines:
            match = pattern.match(line.text)
            if not match:
                continue
            rest = match.groupdict().get("rest")
            rest_start = line.start + match.start("rest") if rest else line.end
            label = match.group("role")
            found.append(Marker(line, role_of(label), label, rest_start))
        roles = {m.role for m in found}
        if {"user", "assistant"} <= roles and len(found) > len(best):
            best = found
    labelled = _label_markers(lines)
    if len(labelled) > len(best):
        best = labelled
    return best


def _label_hit(line: Line) -> LabelHit | None:
    stripped = line.text.strip()
    if not stripped or len(stripped) > 200:
        return None
    styled = stripped.startswith(("#", "**", "__"))
    return speaker_label(stripped, styled=styled)


def _label_markers(lines: list[Line]) -> list[Marker]:
    """Markers from speaker labels accepted over the whole text (see the module notes)."""
    hits = [(line, hit) for line in lines if (hit := _label_hit(line)) is not None and hit.role != "note"]
    accepted = accepted_labels([hit for _, hit in hits])
    markers: list[Marker] = []
    for line, hit in hits:
        if label_key(hit) not in accepted or hit.role == "note":
            continue
        rest_start = line.end
        if hit.rest:
            at = line.text.rfind(hit.rest)
            rest_start = line.start + at if at >= 0 else line.end
        role: Role = "user" if hit.role == "user" else "assistant"
        markers.append(Marker(line, role, hit.label, rest_start))
    if {m.role for m in markers} >= {"user", "assistant"}:
        return markers
    return []


def _body_lines(text: str, start: int, end: int, first_line: int) -> list[Line]:
    return split_lines(text[start:end], first_line=first_line, offset=start)


def _blocks(lines: list[Line]) -> list[Block]:
    units = split_units(lines)
    blocks: list[Block] = []
    in_thought = False
    for k, unit in enumerate(units):
        produced = unit_blocks(unit)
        first = unit.text.lstrip()
        if first.startswith("### Thought Process") or (first.startswith("<details") and "Thought" in first):
            in_thought = True
            produced = [b.model_copy(update={"kind": "thinking"}) for b in produced]
        elif in_thought and (first.startswith(">") or first.startswith("</details")):
            produced = [b.model_copy(update={"kind": "thinking"}) for b in produced]
        else:
            in_thought = False
        if k == len(units) - 1 and re.fullmatch(r"-{3,}|\*{3,}", unit.text.strip()):
            produced = [b.model_copy(update={"kind": "residue"}) for b in produced]
        blocks.extend(produced)
    return blocks


def read_role_markdown(text: str, source: str = "<text>") -> Transcript:
    """Read a chat with explicit role markers into a Transcript (roles are not inferred)."""
    markers = find_markers(text)
    title: str | None = None
    turns: list[Turn] = []
    preamble: list[Block] = []
    first_start = markers[0].line.start if markers else len(text)
    for block in _blocks(_body_lines(text, 0, first_start, 1)):
        raw = str(block.meta.get("raw", block.text))
        if title is None and raw.startswith("# "):
            title = raw[2:].strip()
            block = block.model_copy(update={"kind": "residue", "text": raw})
        kind = block.kind if block.kind in ("annotation", "thinking") else "residue"
        preamble.append(block.model_copy(update={"kind": kind, "meta": {**block.meta, "preamble": True}}))
    for k, marker in enumerate(markers):
        end = markers[k + 1].line.start if k + 1 < len(markers) else len(text)
        body_start = marker.rest_start if marker.rest_start < marker.line.end else marker.line.end + 1
        body_start = min(body_start, end)
        first_line = marker.line.number if marker.rest_start < marker.line.end else marker.line.number + 1
        blocks = _blocks(_body_lines(text, body_start, end, first_line))
        timestamp = next(
            (b.text.strip() for b in blocks if b.kind == "residue" and is_timestamp(b.text)), None
        )
        if k == 0:
            blocks = preamble + blocks
        turns.append(
            Turn(index=k, role=marker.role, blocks=blocks, timestamp=timestamp, meta={"label": marker.label})
        )
    labels = [canonical_model(m.label) for m in markers if m.role == "assistant"]
    model = next((name for name in labels if name), None) or find_model(text, title)
    warnings = [] if turns else ["no role markers found"]
    return Transcript(
        source=source, format=FORMAT_ID, model=model, title=title, turns=turns, warnings=warnings
    )
