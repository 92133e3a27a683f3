"""Align a transcript with a rubric: which part does each model answer (or section of one) address?

Steps, in order:

1. :func:`detect_homework` finds the homework from the transcript's content (question text and
   the rubrics' phrases, :mod:`grader.course.detect`).
2. :func:`~grader.align_labels.parts_in_text` reads each user turn: explicit references ("problem 3b",
   "Q4 a)", "for (ii) ..."), pasted question text (similar to a part's text in the question PDF when
   given, :mod:`grader.course.part_match`; the part's ``identify`` phrases) and sub-labels.
   A follow-up that names no part ("explain each step") keeps the parts of the previous answer.
3. :func:`split_turn` splits an assistant turn that answers several parts at its headings
   ("### (a) Vanilla SGD", "## Problem 4", "#### (a)(i) ...").
4. Successive sections that answer the same part are that part's attempts, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader.align_headings import heading_quantities
from grader.align_labels import (
    numbered_label,
    parts_asked,
    parts_in_text,
)
from grader.align_notes import notes_after_answer, notes_heading
from grader.align_order import ended_with, flush_skipped, gap_parts, later_parts, skipped_parts
from grader.align_own import opening_names, question_in_file_name
from grader.align_sections import TEXT_KINDS, Section, split_turn, turn_text
from grader.align_tables import keyed_tables
from grader.course.detect import detector
from grader.course.model import Course, QuestionSet
from grader.course.numbering import covers, parts_in_transcript_text
from grader.course.part_match import PartMatcher
from grader.errors import HomeworkError
from grader.latex import math_segments
from grader.models import Block, Transcript, Turn
from grader.rubric import PartSpec, Rubric

__all__ = [
    "Alignment",
    "Attempt",
    "Section",
    "align",
    "detect_homework",
    "detect_variant",
    "homework_scores",
    "numbered_label",
    "parts_asked",
    "parts_in_text",
    "split_turn",
]


@dataclass
class Attempt:
    """One attempt at a part: a section of an assistant turn plus the user turns that prompted it."""

    part: str
    turn: int
    sections: list[Section]
    prompt_turns: list[int]
    quantities: list[str] = field(default_factory=list)
    """Formulas the sections' headings name as what they compute ("(a) $E[q^T k]$"), for a part with
    one answer: an equation with one of them on its left states that answer."""
    evidence: list[str] = field(default_factory=list)
    """Why this turn (and section) was given to the part: the prompt, note, heading or continuity that
    decided, strongest first."""

    @property
    def blocks(self) -> list[tuple[int, Block]]:
        """All blocks of the attempt, in order, with their index within the turn."""
        return [ib for s in self.sections for ib in s.blocks]

    def text(self, kinds: tuple[str, ...] = TEXT_KINDS) -> str:
        """The attempt's text."""
        return "\n\n".join(s.text(kinds) for s in self.sections)


@dataclass
class Alignment:
    """The result of aligning a transcript with a rubric."""

    rubric: Rubric
    attempts: dict[str, list[Attempt]]
    asked: dict[int, list[str]]
    question_text: dict[str, str]


# --------------------------------------------------------------------------- homework


def homework_scores(
    transcript: Transcript, candidates: list[Rubric], course: Course | None = None
) -> dict[str, float]:
    """Content score of each candidate homework (see :mod:`grader.course.detect`); with ``course``,
    the homeworks of its question files count too."""
    return detector(candidates, course).detect(transcript).scores


def detect_homework(transcript: Transcript, candidates: list[Rubric], course: Course | None = None) -> Rubric:
    """The rubric of the homework the transcript's content answers (never its file name or title).

    Raises:
        HomeworkError: when no homework is clearly answered, or the one answered has no rubric here.
    """
    found = detector(candidates, course).detect(transcript)
    rubric = next((r for r in candidates if r.id == found.homework), None)
    if rubric is not None:
        return rubric
    if found.homework is not None:
        raise HomeworkError(
            f"the transcript answers {found.homework}, which has no rubric (known: "
            f"{', '.join(sorted(r.id for r in candidates))})",
            transcript.source,
        )
    raise HomeworkError(
        f"cannot tell which homework this transcript answers: {found.reason}; pass --homework "
        f"(known: {', '.join(sorted(r.id for r in candidates))})",
        transcript.source,
    )


# --------------------------------------------------------------------------- split answers


def _parts_named_in_turn(turn: Turn, rubric: Rubric, matcher: PartMatcher | None) -> list[str]:
    """Parts an assistant turn that no prompt explains names itself: its numbering (a whole
    submission read as one turn: "## Problem 2" ... "b) ..."), and the question text it quotes."""
    text = turn_text(turn)
    named = {p.id for p in parts_in_transcript_text(text)}
    quoted = set(matcher.quoted(text)) if matcher is not None else set()
    return [p.id for p in rubric.parts if p.id in quoted or any(covers(n, p.id) for n in named)]


# --------------------------------------------------------------------------- attempts


def _only_a_heading(section: Section) -> bool:
    """A section that is nothing but a document heading with no answer under it ("## 3 Question 1:
    Scaled Attention", "## 4 (a)" closing a turn, the answer in the next one): text blocks whose every
    line is a Markdown heading or a "Problem N" / "Question N" title, with no formula or relation. A
    labelled line ("(b) Yes", "(i) $e = -b/w$") may be the answer itself, so it is never one."""
    if not section.blocks or any(b.kind != "text" for _, b in section.blocks):
        return False
    text = section.text()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    titled = re.compile(r"^(?:#{1,6}\s|(?:problem|question)\s*\d)", re.I)
    if not lines or any(not titled.match(ln) for ln in lines):
        return False
    return not math_segments(text) and not re.search(r"[=<>≤≥≈]", text)


def _parts_headed(
    notes: list[str], rubric: Rubric, qctx: str | None, matcher: PartMatcher | None
) -> tuple[list[str], set[str]]:
    """The parts the student's headings since the last answer name (:func:`parts_asked` on them)."""
    heading = notes_heading(notes)
    if heading is None:
        return [], set()
    return parts_asked(heading[0], rubric, heading[1] or qctx, matcher)


def _question_was_an_image(turn: Turn) -> bool:
    """A prompt whose question came as an image or an attached file the reader could not read."""
    unread = any(b.kind == "attachment" and b.fidelity != "exact" for b in turn.blocks)
    says = re.search(r"\b(?:attached|screenshot|image|picture|pdf)\b", _user_text(turn), re.I)
    return unread or bool(says and len(_user_text(turn)) < 200)


def _user_text(turn: Turn) -> str:
    return "\n\n".join(b.text for b in turn.blocks if b.kind in ("text", "math", "table", "code"))


def align(transcript: Transcript, rubric: Rubric, questions: QuestionSet | None = None) -> Alignment:
    """Assign the transcript's assistant turns (or their sections) to the rubric's parts.

    ``questions``: the homework's question text (from its PDF); pasted question text then finds its
    part by similarity, besides numbering and the rubric's phrases.
    """
    matcher = PartMatcher(questions) if questions is not None and questions.parts() else None
    attempts: dict[str, list[Attempt]] = {p.id: [] for p in rubric.parts}
    asked: dict[int, list[str]] = {}
    question_text: dict[str, str] = {}
    pending_users: list[Turn] = []
    last_parts: list[str] = []
    # a submission file named for one question ("problem2.md"): the question at hand until a prompt,
    # a note or a heading says otherwise (the weakest evidence, after continuity)
    file_question = question_in_file_name(transcript.source, rubric)
    qctx: str | None = file_question
    ended: list[str] = []  # the parts whose answer the last model turn ended with
    skipped: dict[str, Attempt] = {}  # parts the last prompted reply left out (see _skipped_parts)
    notes: list[str] = []  # the student's headings since the last answer (grader.align_notes)
    for turn in transcript.turns:
        if turn.role == "user":
            pending_users.append(turn)
            notes += notes_after_answer(turn)
            continue
        if turn.role != "assistant":
            continue
        if not any(b.kind in TEXT_KINDS for b in turn.blocks):
            notes += notes_after_answer(turn)
            continue  # a turn of only thinking or UI residue answers nothing; its prompt carries over
        parts: list[str] = []
        resumed: list[str] = []  # parts being answered that a continuing turn may come back to
        also: list[str] = []
        broad: set[str] = set()
        whole = True
        why = ""  # the evidence that decided the turn's parts (Attempt.evidence)
        # the student's heading before the exchange ("3.2 Problem 3: ...", "Part (b): ...", "## 4 (a)"
        # closing the last answer) sets the question at hand, and names the parts no prompt names
        headed, head_wide = _parts_headed(notes, rubric, qctx, matcher)
        if len({rubric.part(pid).question for pid in headed}) == 1:
            qctx = rubric.part(headed[0]).question
        for u in pending_users:
            found, wide = parts_asked(_user_text(u), rubric, qctx, matcher)
            broad |= wide
            asked[u.index] = found
            for pid in found:
                question_text[pid] = question_text.get(pid, "") + "\n\n" + _user_text(u)
            parts += [p for p in found if p not in parts]
            if found and not why:
                why = f"the prompt (turn {u.index}) names {', '.join(found)}"
        if not parts and headed:
            parts, broad = list(headed), broad | head_wide
            why = f"the student's heading note names {', '.join(headed)}"
        notes = notes_after_answer(turn)
        inherited = not parts  # no prompt names what this turn answers: it may go on past it
        if not inherited:
            flush_skipped(skipped, attempts)  # a new prompt: the last reply and its continuations are over
            skipped = {}
        if not parts and all(not _user_text(u).strip() for u in pending_users):
            # A model turn that follows another model turn: let its own opening say what it answers.
            first = next((b for b in turn.blocks if b.kind in ("text", "math")), None)
            opening = first.text[:300] if first else ""
            parts = parts_in_text(opening, rubric, qctx, matcher)
            why = f"the reply's opening names {', '.join(parts)}" if parts else why
            if parts and not last_parts and qctx is not None and qctx == file_question:
                why += f" (question {qctx} from the file's name {transcript.source!r})"
        if not parts and any(_question_was_an_image(u) for u in pending_users):
            # The question was a screenshot ("Please solve the problem attached"): the answer itself
            # must say which part it addresses (its headings and the rubric's phrases).
            parts = parts_in_text(turn_text(turn)[:3000], rubric, qctx, matcher)
            why = f"the question was an image; the reply names {', '.join(parts)}" if parts else why
        silent = all(not _user_text(u).strip() for u in pending_users)
        if not parts and (silent or not last_parts):
            # No prompt says what this answers (a submission read as one turn, a model turn that
            # continues the previous one, "solve the homework"): the parts being answered, and those
            # the turn's own numbering and quoted question text name; its headings split it among them.
            named = _parts_named_in_turn(turn, rubric, matcher)
            going_on = ended or last_parts
            parts = [p.id for p in rubric.parts if p.id in named or p.id in going_on]
            resumed = [pid for pid in last_parts if pid not in parts]
            # Parts only the turn's own numbering names ("1. Answer each subquestion") need a heading
            # of theirs; a turn without one continues the parts being answered, if any.
            broad = {pid for pid in parts if pid not in going_on}
            whole = False
            why = "no prompt names a part: the reply's numbering and quoted question text" + (
                f", continuing {', '.join(going_on)}" if going_on else ""
            )
        if not parts and file_question is not None and not last_parts:
            # nothing inside the file says what its first answer addresses: the file's name does
            parts = [p.id for p in rubric.parts if p.question == file_question]
            broad, whole = set(parts), True
            why = f"the file's name {transcript.source!r} names question {file_question}"
        if not parts and (ended or last_parts):
            # A follow-up that names nothing goes on with the last part (continuity, weak); a reply
            # that opens with another question's numbered heading ("## Problem 3") says otherwise.
            own, own_broad, line = opening_names(turn, rubric)
            going = {rubric.part(pid).question for pid in ended or last_parts}
            if own and not going & {rubric.part(pid).question for pid in own}:
                parts, broad = own, broad | own_broad
                why = f"the reply's heading {line[:60]!r} names {', '.join(own)} (over continuity)"
        if not parts:
            # a turn that goes on from the last one goes on with the part that one ended with; a
            # heading may still name the others
            parts = list(ended or last_parts)
            resumed = [pid for pid in last_parts if pid not in parts]
            why = f"continues the previous answer ({', '.join(parts)})" if parts else why
        # The other parts of the questions whose several parts are being answered, should a heading
        # name them ("## (c) ..." under a pasted question whose text named (a), (b) and (g)); a prompt
        # about one part of a question keeps the whole turn for it.
        counts: dict[str, int] = {}
        for pid in parts:
            q = rubric.part(pid).question
            counts[q] = counts.get(q, 0) + 1
        current = {q for q, n in counts.items() if n > 1} | {rubric.part(pid).question for pid in broad}
        also = [
            p.id for p in rubric.parts if (p.question in current or p.id in resumed) and p.id not in parts
        ]
        if inherited and parts:
            # A turn no prompt explains continues the answer: its headings may go on to the later
            # parts of the same question ("Part (e): ..." after an answer to (d)).
            also += later_parts(parts, rubric, also)
        if not parts:
            pending_users = []
            continue
        unread = any(_question_was_an_image(u) for u in pending_users)
        this_turn: dict[str, Attempt] = {}
        carried = qctx if inherited else None
        sections = split_turn(turn, parts, rubric, matcher, also, broad, whole, carried)
        if len(sections) > 1 and _only_a_heading(sections[-1]):
            # a heading that closes the turn ("## 4 (a)" at the foot of a page) opens the answer that
            # follows it: not an attempt here, a heading of the next exchange
            notes[:0] = [sections.pop().text()]
        for section in sections:
            if unread:
                # The question itself was an image or an unread file: the model's restatement of it
                # ("Problem as written: ...") is the only question text there is (after the user's).
                question_text[section.part] = (
                    question_text.get(section.part, "") + "\n\n" + section.text()[:3000]
                )
            named = heading_quantities(section.blocks) if len(rubric.part(section.part).answers) == 1 else []
            if section.part in this_turn:
                # the turn comes back to a part (a recap, a summary table): one attempt per turn
                this_turn[section.part].sections.append(section)
                this_turn[section.part].quantities += named
                continue
            this_turn[section.part] = Attempt(
                section.part,
                turn.index,
                [section],
                [u.index for u in pending_users],
                named,
                [e for e in (why, section.evidence) if e],
            )
            attempts[section.part].append(this_turn[section.part])
        for pid, tables in keyed_tables(turn, list(this_turn), rubric).items():
            have = {bi for bi, _ in this_turn[pid].blocks}
            this_turn[pid].sections += [
                Section(pid, turn.index, [(bi, turn.blocks[bi])]) for bi in tables if bi not in have
            ]
        if not inherited:
            skipped = {
                pid: Attempt(
                    pid, turn.index, [], [u.index for u in pending_users], [], [why, "the reply left it out"]
                )
                for pid in skipped_parts(parts, this_turn, attempts, rubric)
            }
        # the parts this turn answers carry over to a turn that continues it (not every part it
        # could have been about, which would snowball over a long run of model turns)
        answered = [pid for pid in this_turn if this_turn[pid].sections]
        if answered or pending_users:
            last_parts = [p.id for p in rubric.parts if p.id in answered] or parts
            ended = ended_with(this_turn)
            qctx = rubric.part(last_parts[-1]).question
        pending_users = []
    flush_skipped(skipped, attempts)
    _place_by_order(transcript, attempts, rubric)
    return Alignment(rubric, attempts, asked, question_text)


SUBSTANTIVE_WORDS = 20
"""A reply of more words than this that reaches no part is expected to answer something."""


def _place_by_order(transcript: Transcript, attempts: dict[str, list[Attempt]], rubric: Rubric) -> None:
    """Give a substantive reply that reached no part to the one part order says it answers
    (:func:`grader.align_order.gap_parts`): the weakest evidence, used only where nothing else decided."""
    reached: dict[int, list[str]] = {}
    for pid, atts in attempts.items():
        for a in atts:
            if a.sections:
                reached.setdefault(a.turn, []).append(pid)
    replies = [
        (t.index, reached.get(t.index, []))
        for t in transcript.turns
        if t.role == "assistant" and (t.index in reached or len(turn_text(t).split()) > SUBSTANTIVE_WORDS)
    ]
    by_index = {t.index: t for t in transcript.turns}
    for index, (pid, why) in gap_parts(replies, rubric).items():
        blocks = [(i, b) for i, b in enumerate(by_index[index].blocks) if b.kind in TEXT_KINDS]
        prompts = [t.index for t in transcript.turns if t.role == "user" and t.index < index][-1:]
        attempts[pid].append(Attempt(pid, index, [Section(pid, index, blocks, why)], prompts, [], [why]))
        attempts[pid].sort(key=lambda a: a.turn)


def detect_variant(part: PartSpec, question_text: str) -> str | None:
    """The variant of a part that its question text in the transcript shows (None if no variants).

    The variant whose phrase occurs first in the question text wins; none found -> the default.
    """
    return part.variant_in(question_text)
