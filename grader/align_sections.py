"""Sections of an assistant turn: where its answer to one part ends and the next begins.

:func:`split_turn` cuts a turn that answers several parts at its headings ("### (a) Vanilla SGD",
"## Problem 4", "#### (a)(i) ...") or, with the course's question text, at a passage that quotes one part's
question; :class:`Section` is one such run of blocks. Used by :func:`grader.align.align`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader.align_headings import heading_lines, split_at_headings
from grader.align_labels import (
    LETTER,
    NUMBERED_HEADING_RE,
    REF_RE,
    explicit_refs,
    labels_at_start,
    match_labels,
    numbered_label,
    reading_key,
    references,
    sublabels,
)
from grader.align_order import parts_before
from grader.course.part_match import PartMatcher
from grader.models import Block, Turn
from grader.rubric import PartSpec, Rubric

__all__ = ["TEXT_KINDS", "Section", "question_named", "split_turn", "turn_text"]

TEXT_KINDS = ("text", "math", "table", "code")
_MIN_QUOTE_WORDS = 10
"""A text block shorter than this never starts a section by quoting a part's question."""


@dataclass
class Section:
    """A contiguous run of blocks of one assistant turn that answers one part."""

    part: str
    turn: int
    blocks: list[tuple[int, Block]] = field(default_factory=list)
    evidence: str = ""
    """Why the section starts where it does and answers its part ("heading '### (b) ...'", "quotes the
    question text of q3b"); empty for a turn that is one section."""

    def text(self, kinds: tuple[str, ...] = TEXT_KINDS) -> str:
        """The section's text (blocks of the given kinds, blank-line separated)."""
        return "\n\n".join(b.text for _, b in self.blocks if b.kind in kinds)


def _section_part(
    heading: str,
    candidates: list[PartSpec],
    rubric: Rubric,
    qctx: str | None,
    after: PartSpec | None = None,
) -> tuple[str | None, str | None]:
    """Which candidate part a heading starts (and the question context it sets); ``after``: the part
    the previous section answers (an ambiguous label is the next part in reading order)."""
    numbered = numbered_label(heading)
    if numbered is not None:
        hits = match_labels(candidates, numbered[1], numbered[0], after)
        if len(hits) == 1:
            return hits[0].id, numbered[0]
    m = REF_RE.search(heading) or NUMBERED_HEADING_RE.match(heading)
    new_q = qctx
    if m and any(p.question == m.group(1) for p in candidates):
        new_q = m.group(1)
        refs = [p for p in explicit_refs(heading, rubric) if p in candidates]
        if len(refs) == 1:
            return refs[0].id, new_q
    stripped = re.sub(
        rf"^[-*#\s]*(?:\*\*)?(?:(?:problem|question)\s*\d+{LETTER}?\s*[:.]?\s*)?", "", heading, flags=re.I
    )
    labels = labels_at_start(stripped)
    if labels:
        in_q = [p for p in candidates if new_q is None or p.question == new_q]
        hits = match_labels(in_q, labels, None, after)
        if len(hits) == 1:
            return hits[0].id, new_q
        if len(hits) > 1:
            ided = [p for p in hits if p.identified_in(heading)]
            if len(ided) == 1:
                return ided[0].id, new_q
        if not hits and len(labels) == 1:
            # "Part (a)" of a question whose parts are a(i), a(ii): its answer opens at a(i)
            firsts = [p for p in in_q if sublabels(p.label)[:1] == labels and len(sublabels(p.label)) > 1]
            if firsts and len({p.question for p in firsts}) == 1:
                return min(firsts, key=reading_key).id, firsts[0].question
    ided = [p for p in candidates if p.identified_in(heading)]
    if len(ided) == 1 and (new_q is None or ided[0].question == new_q):
        return ided[0].id, new_q
    return None, new_q


def _quoting_part(block: Block, candidates: list[str], matcher: PartMatcher | None) -> str | None:
    """The one candidate part whose question text a (long enough) text block quotes, if any."""
    if matcher is None or block.kind != "text" or len(block.text.split()) < _MIN_QUOTE_WORDS:
        return None
    return matcher.best_part(block.text, candidates)


def split_turn(
    turn: Turn,
    part_ids: list[str],
    rubric: Rubric,
    matcher: PartMatcher | None = None,
    also: list[str] | None = None,
    broad: set[str] | None = None,
    whole: bool = True,
    question: str | None = None,
) -> list[Section]:
    """Split an assistant turn into sections, one per part it answers (in order of appearance).

    A section starts at a heading that names a part ("### (a) ...", "### 1(a)", "## Problem 4", "b)
    ...") or, with the question text (``matcher``), at a passage that quotes one part's question.
    ``also``: parts a heading may name besides ``part_ids`` (the other sub-parts of a question being
    answered). A turn without headings is an attempt at ``part_ids``, except those asked only
    through their whole question (``broad``: "solve problem 1") that the turn does not name itself (its
    identifying phrases or quoted question text); when it names none of them and ``whole`` is set, at
    all of them (nothing tells which parts it answers). ``whole=False``: parts the turn was not asked
    about get no attempt without a heading. ``question``: the question being answered when no prompt
    says (a turn that continues the answer): a bare label ("(d) ...") is a part of that question until a
    heading names another ("## Question 4", "4(a)").
    """
    blocks = [(i, b) for i, b in enumerate(turn.blocks) if b.kind not in ("residue",)]
    extra = [pid for pid in (also or []) if pid not in part_ids]
    # A heading that names another question ("## Question 5") starts that question's answer: its
    # parts may be named by the headings that follow, and nothing under it belongs to the parts asked.
    asked_q = {rubric.part(pid).question for pid in [*part_ids, *extra]}
    heads = [ln for _, b in blocks for ln in heading_lines(b)]
    headed = {q for ln in heads if (q := question_named(ln))}
    foreign = headed - asked_q
    extra += [p.id for p in rubric.parts if p.question in foreign and p.id not in extra]
    # a heading that names a part with its question ("2(a) ...", "Problem 2(b)") may start it
    extra += [
        pid for pid in _parts_named_by_headings(heads, rubric) if pid not in part_ids and pid not in extra
    ]
    if len(part_ids) == 1 and not extra:
        if part_ids[0] in (broad or set()) and not whole:
            told = _parts_the_turn_names(turn, part_ids, rubric, matcher)
            why = "the reply names the part (its phrases or question text)"
            return [Section(part_ids[0], turn.index, blocks, why)] if told else []
        return [Section(part_ids[0], turn.index, blocks)]
    candidates = [rubric.part(pid) for pid in [*part_ids, *extra]]
    blocks = [piece for ib in blocks for piece in split_at_headings(ib)]
    sections: list[Section] = []
    current: Section | None = None
    pending: list[tuple[int, Block]] = []
    elsewhere = False  # under a heading of a question whose parts no heading names
    qctx: str | None = question
    for ib in blocks:
        _, block = ib
        started = False
        for line in heading_lines(block):
            after = rubric.part(current.part) if current is not None else None
            pid, qctx = _section_part(line, candidates, rubric, qctx, after)
            if pid and (current is None or current.part != pid):
                current = Section(pid, turn.index, evidence=f"heading {_short(line)!r}")
                sections.append(current)
                started, elsewhere = True, False
                break
            named_q = question_named(line)
            if pid is None and named_q in foreign and (after is None or after.question != named_q):
                current, elsewhere = None, True
                break
        quoted = None if started else _quoting_part(block, part_ids, matcher)
        if quoted and (current is None or current.part != quoted):
            # A quoted question (often the user's own prompt inside the turn) sets no question
            # context: the answer's headings that follow may belong to any part asked.
            current = Section(quoted, turn.index, evidence=f"quotes the question text of {quoted}")
            sections.append(current)
        if current is None:
            if not elsewhere:
                pending.append(ib)
        else:
            current.blocks.append(ib)
    foreign_parts = {pid for pid in extra if rubric.part(pid).question in foreign}
    if pending and sections and len(part_ids) == 1 and sections[0].part in extra:
        # one part being answered, then a heading of another: what comes first still answers it
        why = "before the heading of another part"
        return [Section(part_ids[0], turn.index, pending, why), *sections]
    if sections and sections[0].part not in foreign_parts:
        earlier = parts_before(sections, part_ids, rubric) if pending else []
        if earlier:
            # the first heading names a later part ("(b) ..."): what comes before it answers the
            # earlier parts being answered ("With the blanks filled: ..." for (a))
            why = f"before the heading of the later part {sections[0].part} (parts in order)"
            return [Section(pid, turn.index, list(pending), why) for pid in earlier] + sections
        sections[0].blocks[:0] = pending
        return sections
    # What comes before any heading of the parts asked answers them: all of them, except parts asked
    # only through their question ("solve problem 1") that nothing in the turn names.
    lead: list[Section] = []
    if pending:
        wide = broad or set()
        told = _parts_the_turn_names(turn, [pid for pid in part_ids if pid in wide], rubric, matcher)
        chosen = [pid for pid in part_ids if pid not in wide or pid in told]
        if not chosen and whole:
            chosen = list(part_ids)
        why = "before any heading of the parts being answered"
        lead = [Section(pid, turn.index, list(pending), why) for pid in chosen]
    return lead + sections


def _short(line: str, n: int = 60) -> str:
    """A heading line as evidence: whitespace collapsed, at most ``n`` characters."""
    text = " ".join(line.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _parts_named_by_headings(heads: list[str], rubric: Rubric) -> list[str]:
    """Parts that headings name with their question number and label ("2(a)", "Problem 3b")."""
    found: list[str] = []
    for line in heads:
        numbered = numbered_label(line)
        if numbered is not None:
            hits = match_labels(rubric.parts, numbered[1], numbered[0])
        else:
            hits = [p for p, whole in references(line, rubric) if not whole]
        if len(hits) == 1:
            found.append(hits[0].id)
    return found


def question_named(heading: str) -> str | None:
    """The question number a heading names explicitly ("## Question 5", "Problem 2(b)", "1(a)"), else
    None ("## 1. All-to-All" may number a section of one answer)."""
    numbered = numbered_label(heading)
    if numbered is not None:
        return numbered[0]
    m = REF_RE.search(heading)  # not "## 1. Title": a numbered section of one answer
    return m.group(1) if m else None


def _parts_the_turn_names(
    turn: Turn, part_ids: list[str], rubric: Rubric, matcher: PartMatcher | None
) -> set[str]:
    """Those of ``part_ids`` whose identifying phrases or question text an assistant turn has."""
    text = turn_text(turn)
    told = {pid for pid in part_ids if rubric.part(pid).identified_in(text)}
    if matcher is not None:
        told |= set(matcher.quoted(text)) & set(part_ids)
    return told


def turn_text(turn: Turn) -> str:
    """The turn's text: its text, math, table and code blocks, blank-line separated."""
    return "\n\n".join(b.text for b in turn.blocks if b.kind in TEXT_KINDS)
