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


COPIED_CHATGPT = """You said:
Solve part (a): the optimal step size of gradient descent on a quadratic with eigenvalues 1 and 10.

ChatGPT said:
The optimal step size is $\\eta = 2/(1 + 10) = 2/11$.

**Answer:** $\\eta = 2/11$.

You said:
Now part (b): the convergence rate.

ChatGPT said:
Response: the error shrinks by $9/11$ per step.
"""


def test_copied_chat_ui_labels_split_turns() -> None:
    """The chat UI's own "You said:" / "ChatGPT said:" lines in copied text are speaker labels."""
    t = read_text(COPIED_CHATGPT, "copied.txt")
    assert t.format == "role-markdown"
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]
    assert t.turns[0].blocks[0].text.startswith("Solve part (a)")
    # the model's own "Answer:" and "Response:" lines stay inside its reply
    assert "**Answer:**" in t.turns[1].blocks[-1].text
    assert t.turns[3].blocks[0].text.startswith("Response: the error")
    assert t.model == "ChatGPT"


def test_run_in_labels_of_a_typed_transcript() -> None:
    text = (
        "Me: Please solve question 3(a), the variance of the output.\n\n"
        "Grok: The variance is $d \\sigma^2$ because the terms are independent.\n\n"
        "Me: And 3(b)?\n\n"
        "Grok: Scaling by $1/\\sqrt{d}$ makes it $\\sigma^2$.\n"
    )
    t = read_text(text, "typed.txt")
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]
    assert t.turns[1].blocks[0].text.startswith("The variance is")


def test_one_speakers_labels_alone_are_not_a_chat() -> None:
    """A label of one speaker only (a model's repeated "Response:") does not make the text a chat."""
    from grader.transcripts.role_markdown import find_markers

    text = "Response:\nThe gradient is $g$.\n\nResponse:\nThe Hessian is $H$.\n\nResponse:\nDone.\n"
    assert find_markers(text) == []
