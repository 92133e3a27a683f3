"""Chat-UI residue: timestamps, avatar glyphs, limit banners, exporter footers, and model names.

Residue is kept (as ``residue`` blocks or turn timestamps) for fidelity but never read as
what a participant wrote.
"""

from __future__ import annotations

import re

# "10/13/2025, 12:47:31 PM" (Claude exporter PDFs), optionally followed by "· model-name"
FULL_TIMESTAMP = re.compile(
    r"^\s*\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M(?:\s*·\s*[\w.\-]+)?\s*$"
)
# "⚡ • 9:50pm", "✍️ 📄 10:43pm", "10:49pm" (Le Chat / Mistral PDFs)
SHORT_TIME = re.compile(r"^[\s\-•·*⚡✍📄\u200d\ufe0f]*\d{1,2}:\d{2}\s*(?:am|pm|AM|PM)\s*$")
_ICONS = "◆⚡✍📄👤⊙🚀✨"
_BANNERS = re.compile(
    r"(You've reached your \w+ limit|Responses will use other models until|Upgrade for higher limits"
    r"|Upgrade to (?:Plus|Pro|Claude Pro)|Powered by (?:ChatGPT|Claude|Gemini) Exporter"
    r"|^\s*\d+\s*/\s*\d+\s*$|^\s*Copy code\s*$|^\s*<time[^>]*>.*</time>\s*$)",
    re.IGNORECASE,
)
# Glyphs the chat UIs print in front of a message; they tell who speaks.
ASSISTANT_GLYPH = re.compile(r"^\s*(?:[-*]\s+)?(◆|\*\*M\*\*)\s*")
USER_GLYPH = re.compile(r"^\s*(?:[-*]\s+)?(👤|⊙)\s*")

_MODEL_NAMES: tuple[tuple[str, str], ...] = (
    (r"\bLe\s+Chat\b", "Mistral"),
    (r"\bMistral\b", "Mistral"),
    (r"\bGemini\b", "Gemini"),
    (r"\bClaude\b", "Claude"),
    (r"\bChatGPT\b|\bGPT-?[345](?:\.\d+)?o?\b", "ChatGPT"),
    (r"\bDeepSeek\b", "DeepSeek"),
    (r"\bGrok\b", "Grok"),
    (r"\bKimi\b", "Kimi"),
    (r"\bQwen\b", "Qwen"),
)
MODEL_NAME = re.compile("|".join(f"(?:{p})" for p, _ in _MODEL_NAMES), re.IGNORECASE)


def is_timestamp(line: str) -> bool:
    """True when the whole line is a message timestamp ("10/13/2025, 12:47:31 PM", "⚡ • 9:50pm")."""
    return bool(FULL_TIMESTAMP.match(line) or SHORT_TIME.match(line))


def clean_timestamp(line: str) -> str:
    """The time part of a timestamp line ("⚡ • 9:50pm" -> "9:50pm")."""
    return re.sub(r"^[^\d]*", "", line.strip())


def is_residue_line(line: str) -> bool:
    """True for a line that is chat-UI residue: a timestamp, a limit banner, a footer, a bare icon."""
    stripped = line.strip()
    if not stripped:
        return False
    if is_timestamp(stripped) or _BANNERS.search(stripped):
        return True
    return all(ch in _ICONS or ch.isspace() or ch in "•·" for ch in stripped) or stripped == "-"


def canonical_model(name: str) -> str | None:
    """The canonical chatbot name for a mention ("Le Chat" -> "Mistral"), or None."""
    for pattern, canonical in _MODEL_NAMES:
        if re.fullmatch(pattern, name.strip(), re.IGNORECASE):
            return canonical
    return None


def find_model(text: str, title: str | None = None) -> str | None:
    """Which chatbot the text says it is: the title wins, then the most mentioned name.

    >>> find_model("blah", title="Gemini Chat")
    'Gemini'
    >>> find_model("I used Mistral AI ... Mistral hallucinated ... GPT-4 style")
    'Mistral'
    """
    if title:
        match = MODEL_NAME.search(title)
        if match:
            return canonical_model(match.group(0))
    counts: dict[str, int] = {}
    for match in MODEL_NAME.finditer(text):
        canonical = canonical_model(match.group(0))
        if canonical:
            counts[canonical] = counts.get(canonical, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda k: counts[k])
