"""Speaker labels: the words a transcript uses to say who speaks ("Me:", "Grok:", "User Prompt 3").

Typed write-ups (LaTeX, Word, Google Docs, Markdown printed to PDF) rarely keep a chat UI's bubbles;
they say who speaks with a label at the start of a line or as a short heading. A label's role comes
from its words: the user's side (me, user, you, student, prompt, input...), the model's side (a model
name, assistant, AI, LLM, response, output...), or the student's commentary for the reader (note,
comment, annotation, evaluation, observation...). These are the words people use to label any
transcript, not the words of a particular file; a document's labels are then accepted only when they
behave like speaker labels (see :func:`accepted_labels`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

LabelRole = Literal["user", "assistant", "note"]

MODEL_WORDS = (
    r"chat\s?gpt|gpt[-\s]?[\w.]*|o[134](?:-\w+)?|claude(?:\s+(?:opus|sonnet|haiku))?|gemini|grok|deep\s?seek"
    r"|kimi|qwen\w*|mistral|le\s+chat|llama|copilot|perplexity|gemma|bard"
)
_USER = (
    r"me|user|you|student|human|prompt|my\s+prompt|query|follow[-\s]?up|"
    r"(?:user|student|my|human)\s+(?:prompt|input|query|message|question|feedback|request|follow[-\s]?up)s?"
)
_ASSISTANT = (
    rf"assistant|ai|llm|bot|chatbot|response|reply|answer|(?:ai|llm|model|ta|bot)\s+(?:response|output|answer|reply)"
    rf"|(?:{MODEL_WORDS})(?:\s+[\w.]+)?(?:\s+(?:response|output|answer|reply|says|said))?"
)
_NOTE = (
    r"(?:(?:student|my|student's|author's)\s+)?"
    r"(?:annotations?|comments?|notes?|evaluation|observations?|feedback|remarks?|reflections?|assessment"
    r"|critique|verdict|commentary|analysis)"
)
_QUALIFIER = r"(?:\s*/\s*[A-Za-z]+)?(?:\s*\d+)?(?:\s*\([^)]{0,40}\)?)?"
_NUMBERING = r"(?:\d+(?:\.\d+)*\.?\s+)?"
_LABEL = re.compile(
    rf"^\W{{0,3}}{_NUMBERING}(?P<label>(?P<who>{_NOTE}|{_USER}|{_ASSISTANT}){_QUALIFIER})"
    r"\s*(?P<sep>[:：]|said:?|\.|$)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_NOTE_RE = re.compile(rf"^{_NOTE}$", re.IGNORECASE)
_USER_RE = re.compile(rf"^(?:{_USER})$", re.IGNORECASE)
_ASSISTANT_RE = re.compile(rf"^(?:{_ASSISTANT})$", re.IGNORECASE)
_SAID = re.compile(r"^\s*(?P<who>you|.{1,30}?)\s+said\s*:?\s*$", re.IGNORECASE)


_STRONG = re.compile(
    rf"^(?:me|user|you|student|human|assistant|ai|llm|chatbot|bot|(?:{MODEL_WORDS})(?:\s+\S+)*"
    r"|.*\b(?:said|says)|(?:user|student|my|human)\s+\w+|(?:ai|llm|ta|bot)\s+\w+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LabelHit:
    """A speaker label found at the start of a row (``styled``: bold, coloured or on a line of its own)."""

    role: LabelRole
    label: str
    rest: str
    standalone: bool
    styled: bool = False

    @property
    def strong(self) -> bool:
        """A label word that only ever names a speaker ("Me", "User", a model's name, "You said")."""
        return bool(_STRONG.match(label_key(self)))


def _role_of(who: str) -> LabelRole | None:
    who = " ".join(who.split())
    if _NOTE_RE.match(who):
        return "note"
    if _USER_RE.match(who):
        return "user"
    if _ASSISTANT_RE.match(who):
        return "assistant"
    return None


def speaker_label(text: str, styled: bool = False) -> LabelHit | None:
    """The speaker label a row starts with, if any.

    >>> speaker_label("Me: Good work, now the next question").role
    'user'
    >>> speaker_label("Grok:").role, speaker_label("1.4 TA Response 2 (Parsing)").role
    ('assistant', 'assistant')
    >>> speaker_label("Gemini Output (Attempt 1 and Revision). It reads", styled=True).label
    'Gemini Output (Attempt 1 and Revision)'
    >>> speaker_label("Evaluation: Correct, one-shot.").role
    'note'
    >>> speaker_label("You said:").role, speaker_label("ChatGPT said:").role
    ('user', 'assistant')
    >>> speaker_label("The model: a linear map") is None, speaker_label("Final Answer: 3") is None
    (True, True)
    """
    stripped = text.strip().strip("*_#").strip()
    if not stripped or len(stripped) > 400:
        return None
    said = _SAID.match(stripped)
    if said:
        who = said.group("who").strip()
        role: LabelRole = "user" if who.lower() == "you" else "assistant"
        return LabelHit(role, stripped, "", True, True)
    m = _LABEL.match(stripped)
    if not m:
        return None
    sep = m.group("sep")
    rest = m.group("rest").strip()
    standalone = not rest
    if sep == "" and not standalone:
        return None
    if sep == "." and rest and not styled:
        return None  # "Model. Then ...": a run-in label only when set off (a bold "Gemini Output.")
    who = m.group("who")
    if who.lower() == "answer" and not standalone:
        return None  # "Answer: 3" is a model's own line; only a heading "Answer" labels a reply
    role_found = _role_of(who)
    if role_found is None:
        return None
    if sep in ("", ".") and len(re.sub(r"\([^)]*\)?", " ", m.group("label")).split()) > 5:
        return None
    return LabelHit(role_found, m.group("label").strip(), rest, standalone, styled or standalone)


def label_key(hit: LabelHit) -> str:
    """The label without numbering, qualifiers or a closing colon, lower case: groups "User Prompt 2" with
    "User Prompt 5", and "You said:" with "You said"."""
    text = re.sub(r"\([^)]*\)?|\d+", " ", hit.label.lower())
    return " ".join(text.split()).rstrip(":：").rstrip()


def accepted_labels(hits: list[LabelHit]) -> set[str]:
    """The label keys that behave like speaker labels in one document (``hits`` in reading order).

    - A strong label (a word that only names a speaker: "Me", "User", "Grok", "You said") is
      accepted when it recurs, or when another speaker's label is accepted too (a transcript that
      labels the model's first reply "LLM:" and every prompt "User:").
    - A weak label ("Prompt", "Response", "Input", "Output", "Note") is a word a model also writes
      in its answers; it is accepted only when set off (bold, coloured or on its own line) in most
      of its uses and when the user's and the model's labels take turns in the document.
    - Commentary labels ("Evaluation:", "Note:") are accepted when they recur and are set off.
    """
    if not hits:
        return set()
    by_key: dict[str, list[LabelHit]] = {}
    for h in hits:
        by_key.setdefault(label_key(h), []).append(h)
    styled = {k: sum(h.styled for h in hs) >= 0.5 * len(hs) for k, hs in by_key.items()}
    roles = {k: hs[0].role for k, hs in by_key.items()}
    strong = {k for k, hs in by_key.items() if hs[0].strong and roles[k] in ("user", "assistant")}
    strong_roles = {roles[k] for k in strong}
    accepted: set[str] = set()
    if strong_roles == {"user", "assistant"}:
        accepted = {k for k in strong if len(by_key[k]) >= 2 or any(roles[o] != roles[k] for o in strong)}
    elif strong_roles == {"user"}:
        accepted = {k for k in strong if len(by_key[k]) >= 2}
    elif strong_roles == {"assistant"}:
        accepted = {k for k in strong if len(by_key[k]) >= 3 and styled[k]}
    weak = [h for h in hits if not h.strong and h.role in ("user", "assistant") and styled[label_key(h)]]
    turns = sum(1 for a, b in zip(weak, weak[1:], strict=False) if a.role != b.role)
    weak_roles = Counter(h.role for h in weak)
    if turns >= 2 and min(weak_roles["user"], weak_roles["assistant"]) >= 2:
        accepted |= {label_key(h) for h in weak}
    notes = {k for k, hs in by_key.items() if roles[k] == "note" and len(hs) >= 2 and styled[k]}
    return accepted | notes
