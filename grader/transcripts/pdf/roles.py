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
    width = page.rect.width
    for drawing in page.get_drawings():
        fill = drawing.get("fill")
        if not fill or len(fill) < 3:
            continue
        r = drawing["rect"]
        if r.width < 80 or r.height < 15 or r.width > 0.98 * width:
            continue
        red, green, blue = fill[:3]
        light = min(fill[:3]) >= 0.8 and max(fill[:3]) < 0.995
        if not light:
            continue
        beige = red - blue > 0.03
        if (flavour == "claude-exporter") == beige:
            out.append((r.x0, r.y0, r.x1, r.y1))
    return out


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
