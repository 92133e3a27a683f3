"""The role-marked Markdown reader: markers, the model's own headings, exporter residue."""

from __future__ import annotations

import pytest

from grader.transcripts import read_text
from grader.transcripts.role_markdown import read_role_markdown

OWN_HEADINGS = """## User
Solve part (a).

## Assistant
## Part (a)
The gradient is $g$.

### User experience
Nothing to add.
"""

EXPORTER = """Pilot project

User: Jane Doe (jane@example.com)
Created: 9/27/2025 16:11:11
Link: https://chatgpt.com/c/abc

## Prompt:
Solve HW2 Q1(a).

## Response:
Thought for 24s

The minimiser is $u = -\\frac{\\alpha}{2} g$.

## Prompt:
Thanks.

## Response:
You're welcome.

Powered by ChatGPT Exporter (https://www.chatgptexporter.com)
"""

DEEPSEEK = """# test_chat

## User

Solve Q5.

---

## Assistant

**Thought for 7 seconds**

### Thought Process

> Hmm, count the messages first.

There are $n(n-1)$ messages.

---
"""


def test_model_headings_are_not_role_markers() -> None:
    transcript = read_text(OWN_HEADINGS)
    assert [t.role for t in transcript.turns] == ["user", "assistant"]
    reply = transcript.turns[1].text()
    assert "## Part (a)" in reply and "### User experience" in reply


def test_exporter_metadata_does_not_split_the_chat() -> None:
    # read_text sends exporter Markdown to the exporter reader; both readers keep the same turns.
    assert [t.role for t in read_text(EXPORTER, source="export.md").turns] == ["user", "assistant"] * 2
    transcript = read_role_markdown(EXPORTER, "export.md")
    assert [t.role for t in transcript.turns] == ["user", "assistant", "user", "assistant"]
    first = transcript.turns[0]
    assert all(b.kind == "residue" for b in first.blocks[:-1]) and first.text() == "Solve HW2 Q1(a)."
    reply = transcript.turns[1]
    assert [b.kind for b in reply.blocks] == ["thinking", "text"]
    assert transcript.turns[3].blocks[-1].kind == "residue"
    assert transcript.source == "export.md" and not any(t.role_inferred for t in transcript.turns)


def test_deepseek_thinking_and_separators() -> None:
    transcript = read_text(DEEPSEEK)
    assert transcript.title == "test_chat" and transcript.model is None
    user, reply = transcript.turns
    assert user.blocks[-1].kind == "residue"  # the '---' separator
    kinds = [b.kind for b in reply.blocks]
    assert kinds == ["thinking", "thinking", "thinking", "text", "residue"]
    assert reply.text() == "There are $n(n-1)$ messages."


@pytest.mark.parametrize(
    "marker,role",
    [("## System", "system"), ("## Human", "user"), ("## Gemini", "assistant"), ("#### You:", "user")],
)
def test_marker_words(marker: str, role: str) -> None:
    text = f"## User\nhi\n\n## Assistant\nhello\n\n{marker}\nmore"
    assert read_text(text).turns[-1].role == role
