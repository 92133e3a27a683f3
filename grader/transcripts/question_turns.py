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

from collections import Counter
from dataclasses import dataclass
from typing import Any

from grader.course.model import Course, QuestionSet
from grader.models import Block, Transcript, Turn
from grader.transcripts.question_text import MAX_GAP, NGRAM, QuestionIndex, Run, Token, index_of, runs, tokens
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY, STRONG_KINDS, USER_LAYOUT_KINDS

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

CHAT_KINDS = ("text", "math", "table", "code")


@dataclass
class Copy:
    """A block's share of a pasted question: its text up to ``end_char`` is the student's."""

    end_char: int
    """Character offset where the student's text ends (the block's length when all of it is)."""
    run: Run
    words: int
    """Words from the copy's first block's start to the run's end (its lead included)."""

    @property
    def coverage(self) -> float:
        """Share of those words that are question text."""
        return self.run.matched / self.words if self.words else 0.0


def block_copy(text: str, index: QuestionIndex, homework: str | None = None) -> Copy | None:
    """The verbatim question text that ``text`` opens with (after at most :data:`MAX_LEAD` words of the
    student's own), or None. ``homework`` restricts the match to one homework."""
    toks = tokens(text)
    found = runs([t.word for t in toks], index, homework)
    if not found or found[0].first > MAX_LEAD:
        return None
    run = found[0]
    return Copy(_end_char(text, toks[run.last].end), run, run.last + 1)


def _end_char(text: str, end: int) -> int:
    """Where the student's text ends: after the copy's last word, or at the end of its line when the
    line ends in lost math or a short word or two."""
    line_end = text.find("\n", end)
    stop = line_end if line_end >= 0 else len(text)
    return stop if len(tokens(text[end:stop])) <= MAX_GAP else end


# --------------------------------------------------------------------------- roles


def weak_role(turn: Turn, block: Block) -> bool:
    """Whether the reader's role for ``block`` rests on no layout evidence of its own (no speaker label,
    bubble, message box or indent, and a low confidence), so that content may decide it."""
    source = block.meta if "evidence" in block.meta else turn.meta
    if source.get("evidence") is None:
        return turn.role_inferred
    if STRONG_KINDS.intersection(source.get(ROLE_EVIDENCE_KEY, ())):
        return False
    confidence = block.meta.get("confidence", turn.meta.get("confidence", 0.5))
    return isinstance(confidence, int | float) and confidence < STRONG_CONFIDENCE


def add_to_pieces(pieces: list[tuple[str, list[Block]]], role: str | None, block: Block) -> None:
    """Append ``block`` to the role pieces a turn is being cut into. ``role`` None: a block no mark
    decided; a note or residue stays with what it sits in, the model's text and reasoning are the reply."""
    if role is None:
        model_text = block.kind in CHAT_KINDS or block.kind == "thinking"
        role = pieces[-1][0] if pieces and not model_text else "assistant"
    if pieces and pieces[-1][0] == role:
        pieces[-1][1].append(block)
    else:
        pieces.append((role, [block]))


def install_turns(transcript: Transcript, turns: list[Turn]) -> None:
    """Make ``turns`` the transcript's turns, renumbered in order."""
    for n, turn in enumerate(turns):
        turn.index = n
    transcript.turns = turns


def _homework(transcript: Transcript, index: QuestionIndex) -> str | None:
    """The homework whose question text the transcript shares most n-grams with."""
    votes: Counter[str] = Counter()
    for turn in transcript.turns:
        words = [t.word for b in turn.blocks if b.kind in CHAT_KINDS for t in tokens(b.text)]
        for i in range(len(words) - NGRAM + 1):
            for hw in {hw for hw, _ in index.grams.get(tuple(words[i : i + NGRAM]), ())}:
                votes[hw] += 1
    return votes.most_common(1)[0][0] if votes else None


def layout_decided(transcript: Transcript) -> bool:
    """Whether the layout told the speakers apart: some user message has a label, bubble or indent of
    its own. Text outside those is then the model's by the same layout, whatever it copies (a model
    given the question PDF quotes it at length)."""
    for turn in transcript.turns:
        if turn.role != "user":
            continue
        kinds = set(turn.meta.get(ROLE_EVIDENCE_KEY, ()))
        for b in turn.blocks:
            kinds.update(b.meta.get(ROLE_EVIDENCE_KEY, ()))
        if kinds & USER_LAYOUT_KINDS:
            return True
    return False


@dataclass
class _Marked:
    copy: Copy
    split: bool
    """The block continues with the reply after ``copy.end_char``."""


_BARRIER = "\x00"
"""A word that matches nothing: between blocks whose role is not in question, so no run crosses them."""


def _mark_turn(
    turn: Turn, index: QuestionIndex, homework: str | None, after_user: bool
) -> dict[int, _Marked]:
    """Blocks of an assistant turn that are the student's pasted question, by position.

    The turn's words are one stream (a PDF row or an OCR line is a block of its own, and a copied
    sentence spans several); a run of copied words makes the blocks it spans the user's, from the start
    of its first block (at most :data:`MAX_LEAD` words of the student's own before it) to the end of its
    last (split there when the reply follows in the same block). ``after_user``: the turn follows a user
    turn, so even its first block answers a prompt already read: a copy there is held to
    :data:`QUOTE_RUN`, as one in the middle of the model's text.
    """
    words: list[str] = []
    where: list[tuple[int, Token | None]] = []  # stream position -> (block, token)
    neutral = {k for k, b in enumerate(turn.blocks) if b.kind == "math"}
    for k, block in enumerate(turn.blocks):
        if block.kind not in CHAT_KINDS or block.kind == "math":
            continue  # formulas: glyphs lost or garbled on both sides; they join the text around them
        if not weak_role(turn, block):
            words += [_BARRIER] * (MAX_GAP + 1)
            where += [(-1, None)] * (MAX_GAP + 1)
            continue
        toks = tokens(block.text)
        for tok in toks:
            words.append(tok.word)
            where.append((k, tok))
        if not toks:
            neutral.add(k)  # a label or a number alone: joins the text around it
    marked: dict[int, _Marked] = {}
    pending: list[tuple[int, int, Copy]] = []
    last_marked: int | None = None  # the block where the last accepted copy ended (without a split)
    for run in runs(words, index, homework):
        b0 = where[run.first][0]
        start = next(i for i in range(run.first + 1) if where[i][0] == b0)
        if run.first - start > MAX_LEAD:
            continue  # the copy starts inside the model's paragraph: a quote
        before = [i for i, b in enumerate(turn.blocks[:b0]) if b.kind in CHAT_KINDS]
        continuation = last_marked is not None and all(
            i in marked or i <= last_marked or i in neutral for i in before
        )
        opening = not after_user and all(i in marked for i in before)
        need = NGRAM if continuation else MIN_RUN if opening else QUOTE_RUN
        b1, last_tok = where[run.last]
        assert last_tok is not None
        rest = sum(1 for b, _ in where[run.last + 1 :] if b == b1)
        split = rest >= MIN_RUN  # the reply follows in the same block
        copy = Copy(_end_char(turn.blocks[b1].text, last_tok.end), run, run.last - start + 1)
        if run.matched < (max(need, MIN_RUN) if split else need) or copy.coverage < MIN_COVERAGE:
            if not split and run.matched >= MIN_RUN and copy.coverage >= MIN_COVERAGE:
                pending.append((b0, b1, copy))  # a sentence or two: joins a long copy right after it
            continue
        for k in range(b0 if not continuation or last_marked is None else last_marked + 1, b1 + 1):
            if turn.blocks[k].kind in CHAT_KINDS and k not in marked:
                marked[k] = _Marked(copy, split and k == b1)
        last_marked = None if split else b1
    _join_lead_paragraphs(turn, marked, pending)
    _fill_gaps(turn, marked)
    return _after_reasoning(turn, marked)


def _join_lead_paragraphs(
    turn: Turn, marked: dict[int, _Marked], pending: list[tuple[int, int, Copy]]
) -> None:
    """A copy too short to stand alone in the model's text (under :data:`QUOTE_RUN` words) that a long
    copy follows after a short gap is the pasted question's first paragraph (its title, its setup)."""
    order = [k for k, b in enumerate(turn.blocks) if b.kind in (*CHAT_KINDS, "thinking")]
    for b0, b1, copy in reversed(pending):
        after = [k for k in order if k > b1]
        nxt = next((k for k in after if k in marked), None)
        if nxt is None or any(k in marked for k in range(b0, b1 + 1)):
            continue
        between = [k for k in after if k < nxt]
        if any(turn.blocks[k].kind == "thinking" for k in between):
            continue
        if sum(len(tokens(turn.blocks[k].text)) for k in between) < QUOTE_RUN:
            for k in range(b0, b1 + 1):
                if turn.blocks[k].kind in CHAT_KINDS:
                    marked[k] = _Marked(copy, False)


def _fill_gaps(turn: Turn, marked: dict[int, _Marked]) -> None:
    """Give the pasted question the short stretches between two of its copies: a formula or figure
    whose text was lost or garbled (OCR of math, the question sheet's own footer) leaves fewer than
    :data:`QUOTE_RUN` words there, while a reply between two prompts is longer."""
    order = [k for k, b in enumerate(turn.blocks) if b.kind in (*CHAT_KINDS, "thinking")]
    copies = [k for k in order if k in marked]
    for a, b in zip(copies, copies[1:], strict=False):
        between = [k for k in order if a < k < b]
        if not between or marked[a].split or any(turn.blocks[k].kind == "thinking" for k in between):
            continue
        if sum(len(tokens(turn.blocks[k].text)) for k in between) < QUOTE_RUN:
            for k in between:
                marked[k] = _Marked(marked[a].copy, False)


def _after_reasoning(turn: Turn, marked: dict[int, _Marked]) -> dict[int, _Marked]:
    """``marked`` without the copies that sit inside a reply which showed its reasoning.

    A prompt comes before the reasoning of its reply, never inside that reply: where the turn shows
    visible reasoning before a copy, the copy is a prompt only when the next thing after it is again
    reasoning (the next reply opening, as the previous one did), not the model's answer.
    """
    kinds = [b.kind for b in turn.blocks]
    out = dict(marked)
    k = 0
    while k < len(kinds):
        if k not in marked:
            k += 1
            continue
        end = k
        while end + 1 < len(kinds) and (end + 1 in marked or kinds[end + 1] not in (*CHAT_KINDS, "thinking")):
            end += 1  # the copy's blocks, with the notes and residue among them
        if "thinking" in kinds[:k]:
            nxt = next(
                (kinds[i] for i in range(end + 1, len(kinds)) if kinds[i] in (*CHAT_KINDS, "thinking")), None
            )
            last = max(i for i in range(k, end + 1) if i in marked)
            if marked[last].split or nxt not in (None, "thinking"):
                for i in range(k, end + 1):
                    out.pop(i, None)
        k = end + 1
    return out


def _evidence(copy: Copy, homework: str | None) -> dict[str, Any]:
    sources = copy.run.sources
    parts = [p for (_, p), _ in sources.most_common() if p != "title"][:4]
    hw = homework or (sources.most_common(1)[0][0][0] if sources else None)
    return {
        "homework": hw,
        "parts": parts,
        "matched_words": copy.run.matched,
        "words": copy.words,
        "coverage": round(copy.coverage, 2),
    }


def _split_turn(turn: Turn, marked: dict[int, _Marked], homework: str | None) -> list[Turn]:
    """The turn cut into assistant and user pieces at the marked blocks."""
    pieces: list[tuple[str, list[Block]]] = []
    for k, block in enumerate(turn.blocks):
        mark = marked.get(k)
        if mark is None:
            add_to_pieces(pieces, None, block)
            continue
        meta = dict(block.meta)
        meta["question_copy"] = _evidence(mark.copy, homework)
        if mark.split:
            head = block.text[: mark.copy.end_char].rstrip()
            tail = block.text[mark.copy.end_char :].strip()
            add_to_pieces(pieces, "user", block.model_copy(update={"text": head, "meta": meta}))
            add_to_pieces(
                pieces, "assistant", block.model_copy(update={"text": tail, "meta": dict(block.meta)})
            )
        else:
            add_to_pieces(pieces, "user", block.model_copy(update={"meta": meta}))
    out: list[Turn] = []
    for role, blocks in pieces:
        if role == "user":
            # one copy may span several blocks (each carries its figures): count it once
            copies = list(
                {
                    repr(b.meta["question_copy"]): b.meta["question_copy"]
                    for b in blocks
                    if "question_copy" in b.meta
                }.values()
            )
            matched = sum(c["matched_words"] for c in copies)
            words = sum(c["words"] for c in copies) or 1
            coverage = matched / words
            turn_meta: dict[str, Any] = {
                "evidence": [
                    f"pasted homework question: {matched} words copied from the question text "
                    f"({coverage:.0%} of the text)"
                ],
                ROLE_EVIDENCE_KEY: ["question_copy"],
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
    if not course or layout_decided(transcript):
        return 0
    try:
        return _mark_question_turns(transcript, course, homework)
    except Exception as exc:  # noqa: BLE001 - a fault here must not lose the transcript as read
        transcript.warnings.append(f"pasted-question evidence not applied ({type(exc).__name__}: {exc})")
        return 0


def _mark_question_turns(
    transcript: Transcript, course: Course | list[QuestionSet], homework: str | None
) -> int:
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
                kinds = set(prompt.meta.get(ROLE_EVIDENCE_KEY, ())) | set(piece.meta[ROLE_EVIDENCE_KEY])
                prompt.meta[ROLE_EVIDENCE_KEY] = sorted(kinds)
                continue
            turns.append(piece)
            if piece.role == "user":
                made.append(piece)
    if not made:
        return 0
    install_turns(transcript, turns)
    for turn in made:
        parts = sorted({p for b in turn.blocks for p in b.meta.get("question_copy", {}).get("parts", [])})
        where = f" ({', '.join(parts[:4])})" if parts else ""
        transcript.warnings.append(
            f"turn {turn.index}: read as the user's on content alone: it copies the question text of "
            f"{homework}{where}; the layout did not say who wrote it"
        )
    return len(made)


__all__ = [
    "CHAT_KINDS",
    "QuestionIndex",
    "add_to_pieces",
    "block_copy",
    "index_of",
    "install_turns",
    "layout_decided",
    "mark_question_turns",
    "tokens",
    "weak_role",
]
