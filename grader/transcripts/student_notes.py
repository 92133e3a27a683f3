"""Recognise the student's own commentary in a transcript, by voice and by form.

The grader extracts claims from assistant text, so an annotation left inside it becomes a
false claim. Annotations are recognised

- by form: margin notes broken over short lines, short italic lines, arrow-led notes
  (``↗ again correct``), a bold lowercase note appended to a line (``$2n$  **connect**``),
  an inline ``[comment](#)`` link, a share link to the original chat;
- by voice: the student evaluates the model in the third person ("It reported the wrong
  ...", "the staff solution", "one-shot", "hallucinated", "I provided", "Mistral ..."),
  while the model explains the mathematics ("This recovers Gradient Descent").
"""

from __future__ import annotations

import re
from functools import lru_cache

ARROWS = "←→↗↘↖↙↳↲⇐⇒⟵⟶➔➜"
_INLINE_MATH = re.compile(r"\$[^$]*\$")

# (pattern, weight) — each pattern counts at most twice.
_VOICE: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p, re.IGNORECASE), w)
    for p, w in (
        (r"\bstaff solutions?\b|\bHW solutions?\b|\bhomework solutions?\b|\bofficial solutions?\b", 3),
        (r"\bone[- ]?shot(?:ted)?\b|\bhallucinat\w*", 3),
        (r"\bun-?annotated\b|\bannotated trace\b|\btypo\b", 3),
        (
            r"\bI (?:wanted|gave it|gave the model|provided|used|had to|asked it|tried|copied|pasted|paste"
            r"|re-?prompted|explicitly|noticed|am not sure|'m not sure|think it|expected)\b",
            3,
        ),
        (r"\b(?:re-?prompt(?:ed|ing)?|prompted)\b", 3),
        (
            r"\bthe model(?:'s (?:answers?|responses?|explanations?|reasoning|derivations?|solutions?)"
            r"| was able| did| got| gave| answered| reached| failed| made| never| didn't"
            r"| couldn't| struggled| hallucinated| claimed| missed| seemed)\b",
            3,
        ),
        (r"\b(?:Mistral|Gemini|Claude|ChatGPT|DeepSeek|Grok|Kimi|Qwen|Le Chat)\b", 1),
        (r"\bit(?:'s| was| is)? (?:able|unable)\b", 2),
        (
            r"\bit (?:got|reported|did|didn't|does not|doesn't|never|provided|pointed out|needed|focused"
            r"|claimed|derived|struggled|managed|failed|missed|pulled|gave|made|correctly|incorrectly"
            r"|successfully|recogni[sz]ed|understood|forgot|ignored|hallucinated|seemed)\b",
            2,
        ),
        (
            r"\b(?:answers?|explanations?|derivations?|reasoning|responses?|summar(?:y|ies))\b[^.]{0,40}"
            r"\b(?:is|are|was|were)\b[^.]{0,30}\b(?:correct|right|wrong|incorrect|accurate|inaccurate)\b",
            2,
        ),
        (
            r"\b(?:correct|right|wrong) (?:answers?|explanations?|approach)\b|\bsuccessfully\b|\bperfectly\b",
            1,
        ),
    )
)
_MODEL_OPENING = re.compile(
    r"^\s*(?:Let's|Let me|Here is|Here's|We |Therefore|Thus|Hence|So,|Since|Recall|Step \d|Note:|\*\*)",
)
_MARGIN_WORDS = re.compile(
    r"\b(?:correct|wrong|good|nice|useful|great|simple|clear|explain\w*|answer\w*|prompt\w*|recogni\w+"
    r"|breaks|defines|notation|sneaky|concise|verbose|hallucinat\w*|mistake|error|typo|again|connect"
    r"|attempt\w*|offers|misses|missed|Gemini|Mistral|Claude|ChatGPT)\b",
    re.IGNORECASE,
)
SHARE_LINK = re.compile(
    r"^\s*<?https?://(?:chat\.mistral\.ai|chatgpt\.com/share|chat\.openai\.com/share|claude\.ai/share"
    r"|gemini\.google\.com/share|g\.co/gemini|chat\.deepseek\.com|grok\.com/share|chat\.qwen\.ai)\S*>?\s*$"
)
_ITALIC_LINE = re.compile(r"^\s*\*(?!\*)(?P<body>[^*]+?)\*\s*$")
_ARROW_LED = re.compile(rf"^\s*\*?\s*[{ARROWS}]\s*\S")
_ARROW_TAIL = re.compile(rf"[{ARROWS}]\s*\*?\s*$")
LEADING_NOTE = re.compile(rf"^(?P<note>\s*\*(?!\*)[^*]+\*\s*[{ARROWS}])\s*(?P<rest>\S.*)$")
TRAILING_BOLD_NOTE = re.compile(r"^(?P<rest>.*\S)\s{2,}(?P<note>\*\*[a-z][a-z ,'\-]{1,30}\*\*)\s*$")
COMMENT_LINK = re.compile(r"\[(?P<body>[^\]]{12,})\]\(#\)")


def voice_score(text: str) -> int:
    """How strongly ``text`` reads as the student commenting on the model (0 = not at all).

    >>> voice_score("It reported the wrong training time. Mistral completely hallucinated.") >= 2
    True
    >>> voice_score("This recovers **Gradient Descent**, where the step acts as the learning rate.")
    0
    """
    plain = _INLINE_MATH.sub(" ", text)
    score = 0
    for pattern, weight in _VOICE:
        score += weight * min(2, len(pattern.findall(plain)))
    if _MODEL_OPENING.match(plain):
        score -= 2
    if "$$" in text:
        score -= 3
    if text.count("$") > 8:
        score -= 1
    return score


def normalize(text: str) -> str:
    """Annotation text for display: lines joined, emphasis markers and hard breaks removed."""
    joined = " ".join(part.strip() for part in text.splitlines())
    joined = re.sub(r"(?<!\*)\*(?!\*)", "", joined)
    return re.sub(r"\s+", " ", joined).strip()


def is_margin_note(lines: list[str]) -> bool:
    """A note broken over several short lines by the PDF layout (``simple / and correct``)."""
    stripped = [line.strip() for line in lines]
    if len(stripped) < 2 or any(len(s) > 36 or not s for s in stripped):
        return False
    body = " ".join(stripped)
    if "$" in body or "://" in body or re.match(r"^(?:[-+#|>]|\d+[.)])", stripped[0]):
        return False
    if any(re.match(r"^[A-Z][\w ]{0,20}:\s", s) for s in stripped):  # "Created: 9/27/2025" metadata
        return False
    italic = body.startswith("*") and body.endswith("*")
    return italic or any(a in body for a in ARROWS) or bool(_MARGIN_WORDS.search(body))


def line_form(line: str) -> str | None:
    """The annotation form of a single line, or None: 'italic-note', 'arrow-note'."""
    stripped = line.strip()
    if not stripped or "$" in stripped or len(stripped) > 400:
        return None
    italic = _ITALIC_LINE.match(stripped)
    if italic and not italic.group("body").lstrip().lower().startswith("thought"):
        if len(italic.group("body").split()) <= 10:
            return "italic-note"
    if len(stripped.split()) <= 10 and (_ARROW_LED.match(stripped) or _ARROW_TAIL.search(stripped)):
        return "arrow-note"
    return None


@lru_cache(maxsize=2048)
def paragraph_form(text: str) -> str | None:
    """The annotation form of a whole paragraph, or None when it is not an annotation.

    Forms: 'share-link', 'margin-note', 'italic-note', 'arrow-note', 'voice'.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    if len(lines) == 1 and SHARE_LINK.match(lines[0]):
        return "share-link"
    if is_margin_note(lines):
        return "margin-note"
    if len(lines) == 1 and line_form(lines[0]):
        return line_form(lines[0])
    without_links = COMMENT_LINK.sub(" ", text)
    if without_links.strip() and len(text) <= 1500 and voice_score(without_links) >= 2:
        return "voice"
    return None
