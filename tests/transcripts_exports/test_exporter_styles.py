"""Each exporter Markdown marker style, and the model's own headings never taken as markers."""

from __future__ import annotations

import pytest

from grader.transcripts.exports import read_exporter_markdown, sniff
from tests.transcripts_exports.helpers import kinds_text, roles

SAVE_MY_CHATBOT = """# HW2 Q1(a)
Exported on 10/3/2025 [from Perplexity](https://perplexity.ai) - with [Save my Chatbot](https://save.my.chatbot)

___
**You:** Solve HW2 Q1(a) and name the optimizer.
___
**Perplexity answer:**
**Answer:** $u = -\\frac{\\alpha}{2} g$, gradient descent.
"""

CURSOR = """# Understanding autoencoders and PCA derivations
_Exported on 12/2/2025 at 02:10:12 PST from Cursor (2.1.46)_

---

**User**

Solve HW7 Q3(b)(i).

---

**Cursor**

## User-facing summary

The first-order conditions are $\\nabla_{W_1} L = 0$ and $\\nabla_{W_2} L = 0$.
"""

PIONXZH = """# HW2

#### You:
What is u for HW2 Q1(a)?

#### ChatGPT:
<details><summary>Thought for 5 seconds</summary>
> quadratic, set gradient to zero
</details>

#### You: are not a marker when text follows
$$u = -\\frac{\\alpha}{2} g$$
"""

NUMBERED = """# Chat

### 1. User
 - model: `deepseek-chat` | time: `2025-03-30T04:49:37+08:00`

```markdown
HW2 Q1(a)?
```

### 2. Think
 - model: `deepseek-reasoner` | time: `2025-03-30T04:49:38+08:00`

```markdown
Set the gradient to zero.
```

### 3. Assistant
 - model: `deepseek-reasoner` | time: `2025-03-30T04:49:40+08:00`

```markdown
### 1. User experience
$u = -\\alpha g / 2$
```
"""


@pytest.mark.parametrize(
    "text,expected_roles,model",
    [
        # --- Save my Chatbot: bold labels with the text on the same line, '___' separators
        (SAVE_MY_CHATBOT, "ua", "Perplexity"),
        # --- Cursor: bold role lines; the model's '## User-facing summary' is content
        (CURSOR, "ua", "Cursor"),
        # --- pionxzh: '#### You: text' (text after the colon) is not a marker
        (PIONXZH, "ua", "ChatGPT"),
        # --- DeepSeek official → Markdown: Think joins the answer; '### 1. User experience' is inside a fence
        (NUMBERED, "ua", "DeepSeek (deepseek-reasoner)"),
    ],
)
def test_exporter_styles(text: str, expected_roles: str, model: str) -> None:
    assert sniff(text) == "exporter-markdown"
    [t] = read_exporter_markdown(text, "chat.md")
    assert roles(t) == expected_roles and t.model == model


def test_save_my_chatbot_inline_text() -> None:
    [t] = read_exporter_markdown(SAVE_MY_CHATBOT, "chat.md")
    assert t.turns[0].text() == "Solve HW2 Q1(a) and name the optimizer."
    assert t.turns[1].text() == "**Answer:** $u = -\\frac{\\alpha}{2} g$, gradient descent."
    assert t.title == "HW2 Q1(a)"


def test_cursor_keeps_model_heading() -> None:
    [t] = read_exporter_markdown(CURSOR, "chat.md")
    assert t.turns[1].text().startswith("## User-facing summary")


def test_pionxzh_details_thinking() -> None:
    [t] = read_exporter_markdown(PIONXZH, "chat.md")
    assert kinds_text(t.turns[1], "thinking") == "quadratic, set gradient to zero"
    assert "#### You: are not a marker" in t.turns[1].text()
    assert kinds_text(t.turns[1], "math") == "u = -\\frac{\\alpha}{2} g"


def test_numbered_think_and_fence_unwrapped() -> None:
    [t] = read_exporter_markdown(NUMBERED, "chat.md")
    assert t.turns[0].text() == "HW2 Q1(a)?"
    assert kinds_text(t.turns[1], "thinking") == "Set the gradient to zero."
    assert t.turns[1].text() == "### 1. User experience\n$u = -\\alpha g / 2$"
    assert t.turns[1].timestamp == "2025-03-30T04:49:40+08:00"
