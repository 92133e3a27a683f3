"""Pasted homework questions: model-attributed text that copies the course's question text is the user's.

Students very often paste the homework's question into their prompt; the model paraphrases it at
most. Where the reader had no layout evidence for a block's speaker (no role label, bubble, indent or
timestamp: see :func:`weak_role`), a block of an assistant turn that is a *verbatim* copy of question
text is the student's prompt, and becomes a user turn::

    mark_question_turns(transcript, course)
        question text ─▶ word 5-grams (normalised: case, NFKC ligatures, quotes, hyphenated breaks)
        block text    ─▶ covered words (a 5-gram of the question) ─▶ runs (short gaps bridged)
        a long run from the block's start covering most of it ─▶ the block (or its head) is the user's

Guard against the model quoting the question: a copy that opens an assistant turn needs
:data:`MIN_RUN` words; one in the middle of the model's text (after its prose, before its solution)
needs :data:`QUOTE_RUN`: several sentences in a row, which a reply restating the task does not copy.
Each decision is recorded in the block's ``meta['question_copy']`` (homework, parts, matched words,
coverage) and every role changed on this evidence alone is named in a warning.

The question text is the course's (copyrighted) material: it is read at run time from the files the
TA supplied (:func:`grader.course.loader.load_course`) and only kept in memory.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from grader.course.model import Course, QuestionSet
from grader.course.text import STOPWORDS
from grader.models import Block, Transcript, Turn

NGRAM = 5
"""Words per shared n-gram. Five words of prose in a row (with two topic words, see :func:`_topical`)
are rarely shared by chance between a restatement and the question; shorter n-grams ("the gradient of
the loss") are the model's paraphrase vocabulary."""

MAX_GAP = 6
"""Words not covered by a shared n-gram that a run bridges: a formula whose glyphs were lost or read
as a few stray letters, a part label, a hyphenated word split differently on the two sides."""

MIN_RUN = 12
"""Covered words a copy that opens an assistant turn needs: about one sentence of the question."""

QUOTE_RUN = 30
"""Covered words a copy in the middle of the model's text needs: several sentences of the question
(a sentence of a homework averages some 15-20 words). A reply quotes a sentence; a paragraph copied
word for word after a reply ended is the next prompt."""

MIN_COVERAGE = 0.6
"""Share of the copied head's words that must be covered: most of the paragraph is question text."""

MAX_LEAD = 12
"""Words of the student's own before the copy ("Solve this:", "Next question, part (b):")."""

STRONG_CONFIDENCE = 0.75
"""A reader's role decision at or above this confidence is not overturned. The PDF reader's layout
scores give 0.85 and more for one bubble, message box or indent (each weighs 3); margin prose alone
gives about 0.6."""

_STRONG_EVIDENCE = re.compile(
    r"label|inside a message bubble|inside the boxes|set well right|reasoning marker|message box",
    re.IGNORECASE,
)
"""The reader's own evidence phrases (grader.transcripts.pdf) for a role seen in the layout."""

_CHAT_KINDS = ("text", "math", "table", "code")
_TOKEN = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)
_HYPHEN_BREAK = re.compile(r"-[ \t]*\n\s*$")


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class Token:
    """A normalised word with its character span in the text it came from."""

    word: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (two characters or more, LaTeX commands dropped), normalised for case,
    ligatures (NFKC), curly quotes and words hyphenated across a line break.

    >>> [t.word for t in tokens("The ﬁnal gener-\\nalization \\\\frac Let’s x")]
    ['the', 'final', 'generalization', "let's"]
    """
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if start and text[start - 1] == "\\":
            continue  # a LaTeX command
        word = unicodedata.normalize("NFKC", m.group()).lower().replace("’", "'")
        if out and _HYPHEN_BREAK.search(text[out[-1].end : start]) and out[-1].end > out[-1].start:
            prev = out.pop()
            out.append(Token(prev.word + word, prev.start, end))
            continue
        out.append(Token(word, start, end))
    return [t for t in out if len(t.word) >= 2]


def _topical(gram: tuple[str, ...]) -> bool:
    """At least two words that are not stopwords: "it is one of the" identifies nothing."""
    return sum(1 for w in gram if w not in STOPWORDS) >= 2


# --------------------------------------------------------------------------- question index


@dataclass
class QuestionIndex:
    """The word n-grams of every homework's question text, each with the part it comes from."""

    grams: dict[tuple[str, ...], set[tuple[str, str]]] = field(default_factory=dict)
    """n-gram -> {(homework, part or question id)}."""

    @classmethod
    def of(cls, course: Course | list[QuestionSet]) -> QuestionIndex:
        """The index of a course's question sets (or of a list of them)."""
        sets = list(course.homeworks.values()) if isinstance(course, Course) else list(course)
        index = cls()
        for qs in sets:
            stream: list[tuple[str, str]] = []  # the homework's words in reading order, with their unit
            for w in tokens(qs.title):
                stream.append((w.word, "title"))
            for q in qs.questions:
                for w in tokens(f"{q.title}\n{q.preamble}"):
                    stream.append((w.word, f"q{q.number}"))
                for p in q.parts:
                    for w in tokens(p.text):
                        stream.append((w.word, p.id))
            for i in range(len(stream) - NGRAM + 1):
                gram = tuple(w for w, _ in stream[i : i + NGRAM])
                if _topical(gram):
                    # the unit of the n-gram's middle word names where the copy is from
                    index.grams.setdefault(gram, set()).add((qs.homework, stream[i + NGRAM // 2][1]))
        return index

    def __bool__(self) -> bool:
        return bool(self.grams)


_INDEX_CACHE: list[tuple[Any, QuestionIndex]] = []


def index_of(course: Course | list[QuestionSet]) -> QuestionIndex:
    """The (cached) index of ``course``: a batch grades many transcripts against one course."""
    for known, index in _INDEX_CACHE:
        if known is course:
            return index
    index = QuestionIndex.of(course)
    _INDEX_CACHE.insert(0, (course, index))
    del _INDEX_CACHE[4:]
    return index


# --------------------------------------------------------------------------- one block


@dataclass
class Copy:
    """The question text a block copies from its start: words ``[0, end)`` of the block."""

    end_char: int
    """Character offset in the block's text where the copy (and the student's prompt) ends."""
    words: int
    """Words of the block up to the copy's end."""
    matched: int
    """Of them, words covered by an n-gram of the question."""
    rest_words: int
    """Words of the block after the copy."""
    sources: Counter[tuple[str, str]]
    """(homework, part) -> shared n-grams."""

    @property
    def coverage(self) -> float:
        """Share of the copied head's words that are question text."""
        return self.matched / self.words if self.words else 0.0

    @property
    def block_coverage(self) -> float:
        """Share of all the block's words that are question text."""
        total = self.words + self.rest_words
        return self.matched / total if total else 0.0


def block_copy(text: str, index: QuestionIndex, homework: str | None = None) -> Copy | None:
    """The verbatim question text that ``text`` opens with (after at most :data:`MAX_LEAD` words of the
    student's own), or None. ``homework`` restricts the match to one homework."""
    toks = tokens(text)
    if len(toks) < NGRAM:
        return None
    covered = [False] * len(toks)
    hits: list[list[tuple[str, str]]] = [[] for _ in toks]
    for i in range(len(toks) - NGRAM + 1):
        found = index.grams.get(tuple(t.word for t in toks[i : i + NGRAM]))
        if not found:
            continue
        src = [s for s in found if homework is None or s[0] == homework]
        if not src:
            continue
        for k in range(i, i + NGRAM):
            covered[k] = True
        hits[i] += src
    first = next((k for k, c in enumerate(covered) if c), None)
    if first is None or first > MAX_LEAD:
        return None
    last, gap = first, 0
    for k in range(first, len(toks)):
        if covered[k]:
            last, gap = k, 0
        else:
            gap += 1
            if gap > MAX_GAP:
                break
    head = toks[: last + 1]
    sources: Counter[tuple[str, str]] = Counter(s for k in range(last + 1) for s in hits[k])
    end_char = head[-1].end
    line_end = text.find("\n", end_char)
    tail = text[end_char : line_end if line_end >= 0 else len(text)]
    if len(tokens(tail)) <= MAX_GAP:  # the copy's line ends in lost math or a short word or two
        end_char = line_end if line_end >= 0 else len(text)
    rest = len(toks) - len(head)
    return Copy(end_char, len(head), sum(covered[: last + 1]), rest, sources)


# --------------------------------------------------------------------------- roles


def weak_role(turn: Turn, block: Block) -> bool:
    """Whether the reader's role for ``block`` rests on no layout evidence of its own (no speaker label,
    bubble, message box or indent, and a low confidence), so that content may decide it."""
    evidence = block.meta.get("evidence", turn.meta.get("evidence"))
    if evidence is None:
        return turn.role_inferred
    if any(_STRONG_EVIDENCE.search(str(e)) for e in evidence):
        return False
    confidence = block.meta.get("confidence", turn.meta.get("confidence", 0.5))
    return isinstance(confidence, int | float) and confidence < STRONG_CONFIDENCE


def _homework(transcript: Transcript, index: QuestionIndex) -> str | None:
    """The homework whose question text the model-attributed text shares most n-grams with."""
    votes: Counter[str] = Counter()
    for turn in transcript.turns:
        for block in turn.blocks:
            if block.kind not in _CHAT_KINDS:
                continue
            toks = [t.word for t in tokens(block.text)]
            for i in range(len(toks) - NGRAM + 1):
                for hw in {hw for hw, _ in index.grams.get(tuple(toks[i : i + NGRAM]), ())}:
                    votes[hw] += 1
    return votes.most_common(1)[0][0] if votes else None


@dataclass
class _Marked:
    copy: Copy
    split: bool


def _mark_turn(
    turn: Turn, index: QuestionIndex, homework: str | None, after_user: bool
) -> dict[int, _Marked]:
    """Blocks of an assistant turn that are the student's pasted question, by position.

    ``after_user``: the turn follows a user turn, so even its first block answers a prompt already
    read: a copy there is held to :data:`QUOTE_RUN`, as one in the middle of the model's text.
    """
    marked: dict[int, _Marked] = {}
    opening = not after_user  # no model text before this block
    prev_marked = False  # the chat block before this one is pasted question text
    for k, block in enumerate(turn.blocks):
        if block.kind not in _CHAT_KINDS:
            continue
        copy = block_copy(block.text, index, homework) if weak_role(turn, block) else None
        if copy is not None and prev_marked:
            # a paragraph continuing a pasted question: question text as a whole, nothing after it
            ok = copy.rest_words < MIN_RUN and copy.block_coverage >= MIN_COVERAGE
        elif copy is not None:
            need = MIN_RUN if opening else QUOTE_RUN
            ok = copy.matched >= need and copy.coverage >= MIN_COVERAGE
        else:
            ok = False
        if ok and copy is not None:
            split = copy.rest_words >= MIN_RUN  # the reply follows in the same block
            marked[k] = _Marked(copy, split)
            prev_marked = not split
            opening = opening and not split
            continue
        if block.kind == "math" and prev_marked:
            continue  # a formula inside the pasted question: decided by what follows it
        prev_marked = False
        opening = False
    # formulas between two pasted paragraphs belong to the question
    chat = [k for k, b in enumerate(turn.blocks) if b.kind in _CHAT_KINDS]
    for a, b in zip(chat, chat[1:], strict=False):
        if a in marked and not marked[a].split and b not in marked and turn.blocks[b].kind == "math":
            nxt = next((c for c in chat if c > b and turn.blocks[c].kind != "math"), None)
            if nxt is not None and nxt in marked:
                marked[b] = _Marked(Copy(len(turn.blocks[b].text), 0, 0, 0, Counter()), False)
    return marked


def _evidence(copy: Copy, homework: str | None) -> dict[str, Any]:
    parts = [p for (_, p), _ in copy.sources.most_common() if p != "title"][:4]
    hw = homework or (copy.sources.most_common(1)[0][0][0] if copy.sources else None)
    return {
        "homework": hw,
        "parts": parts,
        "matched_words": copy.matched,
        "words": copy.words,
        "coverage": round(copy.coverage, 2),
    }


def _split_turn(turn: Turn, marked: dict[int, _Marked], homework: str | None) -> list[Turn]:
    """The turn cut into assistant and user pieces at the marked blocks."""
    pieces: list[tuple[str, list[Block]]] = []

    def put(role: str, block: Block) -> None:
        if pieces and pieces[-1][0] == role:
            pieces[-1][1].append(block)
        else:
            pieces.append((role, [block]))

    for k, block in enumerate(turn.blocks):
        mark = marked.get(k)
        if mark is None:
            # a note or residue stays with what it sits in; chat text after a copy is the reply
            role = pieces[-1][0] if pieces and block.kind not in _CHAT_KINDS else "assistant"
            put(role, block)
            continue
        meta = dict(block.meta)
        if mark.copy.words:
            meta["question_copy"] = _evidence(mark.copy, homework)
        if mark.split:
            head = block.text[: mark.copy.end_char].rstrip()
            tail = block.text[mark.copy.end_char :].strip()
            put("user", block.model_copy(update={"text": head, "meta": meta}))
            put("assistant", block.model_copy(update={"text": tail, "meta": dict(block.meta)}))
        else:
            put("user", block.model_copy(update={"meta": meta}))
    out: list[Turn] = []
    for role, blocks in pieces:
        if role == "user":
            copies = [b.meta["question_copy"] for b in blocks if "question_copy" in b.meta]
            matched = sum(c["matched_words"] for c in copies)
            words = sum(c["words"] for c in copies) or 1
            coverage = matched / words
            turn_meta: dict[str, Any] = {
                "evidence": [
                    f"pasted homework question: {matched} words copied from the question text "
                    f"({coverage:.0%} of the text)"
                ],
                "confidence": round(min(0.9, 0.5 + 0.4 * coverage), 2),
            }
            out.append(Turn(index=0, role="user", blocks=blocks, role_inferred=True, meta=turn_meta))
        else:
            out.append(turn.model_copy(update={"blocks": blocks}))
    return out


def mark_question_turns(
    transcript: Transcript, course: Course | list[QuestionSet] | None, homework: str | None = None
) -> int:
    """Make the model-attributed blocks that copy the course's question text the user's turns.

    Acts only on blocks whose role rests on weak evidence (:func:`weak_role`); a labelled or bubbled
    role is never overturned. ``homework``: match only that homework's questions (default: the
    homework the transcript shares most question text with). Changes ``transcript`` in place (turns
    renumbered, one warning per new user turn) and returns how many user turns it made. Without
    ``course`` (or with no question text) nothing changes.
    """
    if not course:
        return 0
    index = index_of(course)
    if not index:
        return 0
    homework = homework or _homework(transcript, index)
    if homework is None:
        return 0
    turns: list[Turn] = []
    made: list[Turn] = []  # the user turns made or extended here, for the warnings
    for turn in transcript.turns:
        after_user = bool(turns) and turns[-1].role == "user"
        marked = _mark_turn(turn, index, homework, after_user) if turn.role == "assistant" else {}
        if not marked:
            turns.append(turn)
            continue
        for piece in _split_turn(turn, marked, homework):
            if piece.role == "user" and turns and turns[-1].role == "user":
                # the question continues the student's prompt: one turn (the reader's own is copied)
                prompt = turns[-1]
                if not any(prompt is m for m in made):
                    prompt = prompt.model_copy(deep=True)
                    turns[-1] = prompt
                    made.append(prompt)
                prompt.blocks.extend(piece.blocks)
                prompt.meta.setdefault("evidence", []).extend(piece.meta["evidence"])
                continue
            turns.append(piece)
            if piece.role == "user":
                made.append(piece)
    if not made:
        return 0
    for n, turn in enumerate(turns):
        turn.index = n
    transcript.turns = turns
    for turn in made:
        parts = sorted({p for b in turn.blocks for p in b.meta.get("question_copy", {}).get("parts", [])})
        where = f" ({', '.join(parts[:4])})" if parts else ""
        transcript.warnings.append(
            f"turn {turn.index}: read as the user's on content alone: it copies the question text of "
            f"{homework}{where}; the layout did not say who wrote it"
        )
    return len(made)


__all__ = ["QuestionIndex", "block_copy", "index_of", "mark_question_turns", "tokens", "weak_role"]
