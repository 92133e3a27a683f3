"""Which exporter or printer made a PDF, and who speaks in each row, from its visual cues.

- ``claude-exporter`` (claudexporter): the assistant's messages sit on beige rectangles; a
  timestamp closes every message;
- ``chatgpt-exporter`` (chatgptexporter.com) and browser prints of ChatGPT/DeepSeek/Gemini: the
  user's messages are light bubbles indented from the left margin; the rest is the assistant's;
- ``google-docs``: a write-up document (screenshots of the chat plus the student's typed text);
- ``generic``: no cue; every row is taken as the assistant's and the roles are marked inferred.
"""

from __future__ import annotations

import re
from typing import Any

from grader.models import Role
from grader.transcripts.pdf.layout import Row

Rect = tuple[float, float, float, float]

THOUGHT = re.compile(
    r"^\s*(?:Thought for [\w .]+|Thought:.*|Thinking\.{0,3}|Thought for \d+ seconds?)\s*$", re.I
)


def detect_flavour(first_text: str, title: str) -> str:
    """The PDF's producer flavour from its first pages' text and its title.

    >>> detect_flavour("... Powered by Claude Exporter 1 / 19", "about:blank")
    'claude-exporter'
    """
    if re.search(r"Claude Exporter", first_text):
        return "claude-exporter"
    if re.search(r"ChatGPT Exporter", first_text):
        return "chatgpt-exporter"
    if re.search(r"Google Docs", title):
        return "google-docs"
    if re.search(r"chat\.deepseek\.com|DeepSeek", title + first_text[:3000]):
        return "deepseek-print"
    if re.search(r"https?://\S*(chatgpt\.com|gemini\.google|claude\.ai|grok|kimi|qwen)", first_text):
        return "browser-print"
    return "generic"


def bubbles(page: Any, flavour: str) -> list[Rect]:
    """Filled rectangles that mark one side's messages on a page (see the module docstring)."""
    out: list[Rect] = []
    bars: list[Rect] = []
    width = page.rect.width
    for drawing in page.get_drawings():
        fill = drawing.get("fill")
        if not fill and flavour == "claude-exporter":
            fill = drawing.get("color")  # a message box drawn as an outline only
        elif not fill and _attachment_card(drawing["rect"], width):
            out.append(tuple(drawing["rect"]))  # type: ignore[arg-type]
            continue
        if not fill or len(fill) < 3:
            continue
        r = drawing["rect"]
        red, green, blue = fill[:3]
        light = min(fill[:3]) >= 0.8 and min(fill[:3]) < 0.985  # pale, but not white
        if not light or (flavour == "claude-exporter") != (red - blue > 0.03):
            continue
        if r.width <= 3 and r.height >= 15:
            bars.append((r.x0, r.y0, r.x1, r.y1))
        elif 80 <= r.width <= 0.98 * width and r.height >= 15:
            out.append((r.x0, r.y0, r.x1, r.y1))
    return out + _bar_pairs(bars, out) if flavour == "claude-exporter" else out


def _attachment_card(r: Any, width: float) -> bool:
    """An outlined card on the right-hand (user) side: the file a user attached to a message."""
    return r.x0 > 0.25 * width and 80 <= r.width <= 0.75 * width and 15 <= r.height <= 120


def _bar_pairs(bars: list[Rect], fills: list[Rect]) -> list[Rect]:
    """Bubbles drawn only as their two side borders (a message running over a whole page).

    The Claude exporter fills the bubble of a message that starts or ends on a page, but on a page
    that lies wholly inside a long message it draws only the left and right borders, which span the
    same height: the rectangle between them is the bubble.
    """
    out: list[Rect] = []
    for left in bars:
        for right in bars:
            if right[0] - left[2] < 80 or abs(right[1] - left[1]) > 2 or abs(right[3] - left[3]) > 2:
                continue
            rect = (left[0], min(left[1], right[1]), right[2], max(left[3], right[3]))
            if not any(_covers(f, rect) for f in fills):
                out.append(rect)
    return out


def _covers(outer: Rect, inner: Rect) -> bool:
    return all(
        (
            outer[0] <= inner[0] + 2,
            outer[1] <= inner[1] + 2,
            outer[2] >= inner[2] - 2,
            outer[3] >= inner[3] - 2,
        )
    )


def row_role(row: Row, rects: list[Rect], flavour: str, left_margin: float) -> Role:
    """The role of one row, from the bubble rectangles of its page."""
    cx, cy = (row.x0 + min(row.x1, row.x0 + 40)) / 2, (row.top + row.bottom) / 2
    inside = any(r[0] - 1 <= cx <= r[2] + 1 and r[1] - 1 <= cy <= r[3] + 1 for r in rects)
    if flavour == "claude-exporter":
        return "assistant" if inside else "user"
    if flavour in ("chatgpt-exporter", "deepseek-print", "browser-print"):
        indented = [r for r in rects if r[0] > left_margin + 20]
        hit = any(r[0] - 1 <= cx <= r[2] + 1 and r[1] - 1 <= cy <= r[3] + 1 for r in indented)
        return "user" if hit else "assistant"
    return "assistant"


def is_thinking_colour(color: int) -> bool:
    """A mid-grey text colour: DeepSeek prints its reasoning in grey, the answer near-black."""
    r, g, b = (color >> 16) & 255, (color >> 8) & 255, color & 255
    lum = (0.299 * r + 0.587 * g + 0.114 * b) / 255
    return 0.3 <= lum <= 0.7 and max(r, g, b) - min(r, g, b) < 0x30
