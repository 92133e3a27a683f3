"""Requests to the model: a short paragraph addressed to the model, answered by a long reply, is the user's.

Where the print kept no layout cue (no speaker label, bubble, indent or timestamp), a chat reads as one
run of the model's text with the student's prompts inside it. What still tells a prompt apart is how
it is written, the same in every chat UI and course:

- it **addresses the model**: a question (a sentence ending in "?"), a request ("can you ...", "please
  ...", "help me ..."), an imperative at the start of a sentence ("Solve ...", "Derive ..."), second-person
  address ("your answer"), the student's first person ("I think ..."), or a step in the homework ("now",
  "next", "part (b)", "question 3");
- it is **short** (at most :data:`MAX_WORDS` words), and
- it is **answered**: a long reply follows (:data:`MIN_REPLY` words or more, formulas and lists
  counting) before the next request.

The lexicon is grammar, not any one chat's wording: sentence mood (interrogative, imperative), person
(second-person address, first-person singular), and the words that sequence a homework. A model's own
questions to the reader are told apart by their grammar too: offers ("Would you like me to ...", "Let
me know if ...") and short rhetorical questions with nothing else addressed to anyone.

::

    mark_request_turns(transcript)
        document whose layout found no user message ─▶ assistant blocks with weak role evidence
        ─▶ request score of each short paragraph ─▶ a long reply after it ─▶ the paragraph is a user turn

Each decision is recorded in the block's and the turn's ``meta`` (evidence kind ``request``, a modest
confidence, the cues found): it is neither strong nor user-layout evidence, so layout evidence wins where
the print kept any, and pasted-question evidence (``question_turns``) still applies after it. Every
user turn made here is named in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.models import Block, Transcript, Turn
from grader.transcripts.question_turns import add_to_pieces, install_turns, layout_decided, weak_role
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY

__all__ = [
    "MAX_WORDS",
    "MIN_REPLY",
    "MIN_SCORE",
    "Request",
    "is_fragment",
    "mark_request_turns",
    "reply_weight",
    "request_cues",
]

MAX_WORDS = 70
"""A request is a short paragraph: a prompt longer than this is a pasted question (``question_turns``)."""

MIN_REPLY = 60
"""Words of the model's text (a formula or a list item counts as :data:`STRUCTURE_WORDS`) that must
follow a request before the next one: a prompt is answered at length."""

STRUCTURE_WORDS = 10
"""What a formula, table, code block or list item weighs in :data:`MIN_REPLY`."""

MIN_SCORE = 2
"""Cues a paragraph needs: one cue alone (a rhetorical question, a step heading in the imperative) is
how models write too."""

CONFIDENCE = 0.55
"""The confidence of a role resting on a request's grammar alone (below ``question_turns``'s 0.75, so
that content evidence of a copied question may still take it)."""


# Imperative mood: the base form of the verbs that set a task, at the start of a sentence. Verbs a
# model opens its own exposition with ("Let", "Note", "Recall", "Consider", "Suppose", "Assume") are not
# in it: they are imperatives addressed to the reader of a proof, not to a model.
_IMPERATIVE = re.compile(
    r"^(?:solve|derive|compute|calculate|find|show|prove|explain|write|give|determine|"
    r"evaluate|simplify|check|verify|redo|re-?do|continue|proceed|answer|try|implement|describe|justify|"
    r"repeat|fix|recompute|reconsider|double[- ]check|tell|list|summari[sz]e|compare|plot|complete|"
    r"provide|go|do|think|look|help|read|re-?check|re-?evaluate|work|walk|elaborate|clarify|expand|"
    r"rewrite|state|identify|argue|apply|move)\b",
    re.IGNORECASE,
)
# What opens a turn before its verb: an interjection, a thanks, a word that sequences the homework.
_LEAD = re.compile(
    r"^(?:(?:ok(?:ay)?|yes|yeah|great|thanks?|thank\s+you|good|nice|perfect|cool|alright|now|next|then|"
    r"so|and|also|finally|please|pl[sz])\b[\s,.!]*)+",
    re.IGNORECASE,
)
# The homework's own numbering right after the verb: "solve 2", "do (c)", "now do question 6".
_NUMBERED = re.compile(
    r"^\w+\s+(?:question\s+|problem\s+|part\s+|q)?(?:\d+|\(?[a-h]\))(?:\W|$)", re.IGNORECASE
)
_REQUEST = re.compile(
    r"\b(?:can|could|would|will)\s+you\b|\bpl(?:ease|s|z)\b|\bhelp\s+me\b|\bI\s+(?:need|want|would\s+like)\b",
    re.IGNORECASE,
)
# A model's offer or closing to the reader: second person, but the model speaking.
_OFFER = re.compile(
    r"\b(?:would|do)\s+you\s+(?:like|want)\b|\bwant\s+me\s+to\b|\blet\s+me\s+know\b|\bif\s+you(?:'d|\s+would)?"
    r"\s+(?:like|want|prefer|need)\b|\bfeel\s+free\b|\bshall\s+I\b|\bhappy\s+to\b|\bhope\s+(?:this|that)\b"
    r"|\bI\s+can\s+(?:also|help|walk|show|provide)\b"
    # the model asking for the material, or assenting before it answers
    r"|\bplease\s+(?:provide|share|send|paste|upload)\b|\bwhat\s+a\s+(?:great|good)\b"
    r"|\bgo\s+ahead\s+and\s+(?:upload|share|send|paste|provide)\b|\bI(?:'m|\s+am)\s+ready\b"
    r"|\bI(?:'ll|\s+will)\s+(?:help|solve|walk|explain|show|provide|answer|keep|be\s+happy)\b"
    r"|^(?:understood|certainly|absolutely|of\s+course|sure\b[,!]|got\s+it|(?:great|good|excellent)\s+question"
    r"|you(?:'re|\s+are)\s+(?:absolutely\s+|completely\s+)?(?:right|correct))",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\byou(?:r|rs|rself)?\b", re.IGNORECASE)
# The student's first person; the model's own ("let me", "I'll", "I will") is not.
_MODEL_FIRST_PERSON = re.compile(r"\blet\s+me\b|\bI'll\b|\bI\s+will\b|\bI'm\s+going\s+to\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\bI\b|\b[Mm]y\b|\bme\b")
_SEQUENCE = re.compile(
    r"^(?:ok(?:ay)?|great|thanks?|good|now|next|then|so|and|also|finally)\b[,.!]?\s|\bnow\b|\bnext\b|"
    r"\bpart\s*\(?[a-h]\)?|\b(?:question|problem|exercise|q)\s*\d|\bsubpart\b|^\(?[a-h]\)\s",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"(?<=[.?!])\s+")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_ENDS = re.compile(r"[.?!:;)\]\"'”’*]\s*$")
_ENUMERATED = re.compile(
    r"^(?:\(?[a-h]\)|\(?[ivx]{1,4}[.)]|\(?\d{1,2}[.)]|(?:part|problem|question|exercise|step)\s*\(?\w{1,3}\)?\s*[:.)])\s",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•●▪◦]|\d+[.)]|\([a-z0-9]+\))\s")


@dataclass(frozen=True)
class Request:
    """The grammar of a paragraph that addresses the model."""

    score: int
    """How many cues it shows (a question and a request count two each)."""
    cues: tuple[str, ...]
    """The cues found, in words, for the evidence."""


def request_cues(text: str) -> Request:
    """The cues in ``text`` that it is addressed to the model (see the module docstring).

    >>> request_cues("Can you now solve part (b)?").cues
    ('question', 'request', 'second person', 'homework step')
    >>> request_cues("Would you like me to plot it?").score
    0
    """
    flat = " ".join(text.split())
    if not flat or _OFFER.search(flat):
        return Request(0, ())
    sentences = [s for s in _SENTENCES.split(flat) if s]
    cues: list[str] = []
    score = 0
    questions = [s for s in sentences if s.rstrip().endswith("?")]
    if questions:
        # a short question alone is how models pose a step to themselves ("Why does this hold?")
        long_question = any(len(_WORD.findall(q)) >= 8 for q in questions)
        cues.append("question")
        score += 2 if long_question else 1
    if _REQUEST.search(flat):
        cues.append("request")
        score += 2
    heads = [_LEAD.sub("", s.lstrip("\"'“(*- ")) for s in sentences]
    if any(_IMPERATIVE.match(h) for h in heads):
        cues.append("imperative")
        score += 1
        if any(_IMPERATIVE.match(h) and _NUMBERED.match(h) for h in heads):
            cues.append("numbered task")
            score += 1
    if _SECOND_PERSON.search(flat):
        cues.append("second person")
        score += 1
    if _FIRST_PERSON.search(_MODEL_FIRST_PERSON.sub(" ", flat)):
        cues.append("first person")
        score += 1
    if _SEQUENCE.search(flat):
        cues.append("homework step")
        score += 1
    return Request(score, tuple(cues))


def reply_weight(block: Block) -> int:
    """What ``block`` weighs in a reply: its words, a formula, table, code block or list item counting
    :data:`STRUCTURE_WORDS` at least."""
    if block.kind in ("math", "table", "code"):
        return STRUCTURE_WORDS
    if block.kind != "text":
        return 0
    words = len(_WORD.findall(block.text))
    return max(words, STRUCTURE_WORDS) if _LIST_ITEM.match(block.text) else words


def is_fragment(before: Block | None, block: Block, after: Block | None) -> bool:
    """Whether ``block`` is a piece of a longer paragraph (a line of an OCR'd screenshot, a sentence cut
    by a page break): it goes on from a block that did not end a sentence, or runs on into one that
    starts in lower case."""
    text = block.text.strip()
    opens_low = text[:1].islower()
    if opens_low and before is not None and before.kind == "text" and not _ENDS.search(before.text):
        return True
    nxt = after.text.strip() if after is not None and after.kind == "text" else ""
    return not _ENDS.search(text) and nxt[:1].islower()


def _candidate(turn: Turn, k: int) -> Request | None:
    block = turn.blocks[k]
    if block.kind != "text" or not weak_role(turn, block):
        return None
    text = block.text.strip()
    words = len(text.split())
    if (
        words < 2
        or words > MAX_WORDS
        or text.endswith(":")
        or text.startswith("#")
        or _ENUMERATED.match(text)
    ):
        # a lead-in to what follows, a heading, an item of a numbered list (the homework's own parts,
        # as the model restates them or as pasted: ``question_turns`` decides those): the writer's structure
        return None
    before = turn.blocks[k - 1] if k > 0 else None
    after = turn.blocks[k + 1] if k + 1 < len(turn.blocks) else None
    if is_fragment(before, block, after):
        return None
    request = request_cues(text)
    return request if request.score >= MIN_SCORE else None


def _requests(turn: Turn) -> dict[int, Request]:
    """The blocks of an assistant turn that are requests answered by a long reply."""
    found = {k: r for k in range(len(turn.blocks)) if (r := _candidate(turn, k)) is not None}
    kept: dict[int, Request] = {}
    keys = sorted(found)
    for n, k in enumerate(keys):
        stop = keys[n + 1] if n + 1 < len(keys) else len(turn.blocks)
        reply = sum(reply_weight(b) for b in turn.blocks[k + 1 : stop])
        if reply >= MIN_REPLY:
            kept[k] = found[k]
    # a request directly followed by a kept one is the same prompt's first paragraph ("Thanks." "Now (c)?")
    for n, k in enumerate(keys):
        if k not in kept and n + 1 < len(keys) and keys[n + 1] in kept and keys[n + 1] == k + 1:
            kept[k] = found[k]
    return kept


def _evidence(request: Request) -> str:
    return "a short paragraph addressed to the model (" + ", ".join(request.cues) + "), answered at length"


def _split(turn: Turn, marked: dict[int, Request]) -> list[Turn]:
    pieces: list[tuple[str, list[Block]]] = []
    for k, block in enumerate(turn.blocks):
        request = marked.get(k)
        if request is None:
            add_to_pieces(pieces, None, block)
            continue
        meta = {
            **block.meta,
            "evidence": [*block.meta.get("evidence", []), _evidence(request)],
            ROLE_EVIDENCE_KEY: sorted({*block.meta.get(ROLE_EVIDENCE_KEY, []), "request"}),
            "confidence": CONFIDENCE,
            "request": {"cues": list(request.cues), "score": request.score},
        }
        add_to_pieces(pieces, "user", block.model_copy(update={"meta": meta}))
    out: list[Turn] = []
    for role, blocks in pieces:
        if role == "user":
            cues = sorted({c for b in blocks for c in b.meta.get("request", {}).get("cues", [])})
            meta = {
                "evidence": [
                    f"a short paragraph addressed to the model ({', '.join(cues)}), answered at length"
                ],
                ROLE_EVIDENCE_KEY: ["request"],
                "confidence": CONFIDENCE,
            }
            out.append(Turn(index=0, role="user", blocks=blocks, role_inferred=True, meta=meta))
        else:
            out.append(turn.model_copy(update={"blocks": blocks}))
    return out


def mark_request_turns(transcript: Transcript) -> int:
    """Make the requests inside the model's text (see the module docstring) the user's turns.

    Acts only in a document whose layout found no user message (``question_turns.layout_decided``)
    and only on blocks whose role rests on weak evidence (``question_turns.weak_role``). Changes
    ``transcript`` in place (turns renumbered, one warning per new user turn) and returns how many
    user turns it made.
    """
    if layout_decided(transcript):
        return 0
    turns: list[Turn] = []
    made: list[Turn] = []
    for turn in transcript.turns:
        marked = _requests(turn) if turn.role == "assistant" else {}
        if not marked:
            turns.append(turn)
            continue
        for piece in _split(turn, marked):
            turns.append(piece)
            if piece.role == "user":
                made.append(piece)
    if not made:
        return 0
    install_turns(transcript, turns)
    for turn in made:
        transcript.warnings.append(
            f"turn {turn.index}: read as the user's on content alone: a short paragraph addressed to the "
            "model, answered at length; the layout did not say who wrote it"
        )
    return len(made)
