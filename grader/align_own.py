"""What a reply says it answers, when no prompt says: its opening headings and the submission's file name.

Two pieces of evidence that :func:`grader.align.align` weighs against continuity (a follow-up that names
nothing goes on with the last part answered), which is the weakest evidence there is:

- :func:`opening_names`: the headings that open a reply ("## Problem 3", "**2(b)**", "Question 4 (a)")
  name the question or part it answers. Explicit numbering with a question number is strong evidence:
  it overrides continuity when it names another question (a screenshot prompt, "next one", "ok"). A bare
  label ("(b)") is not: it only names a part within the question at hand, which continuity already gives.
- :func:`question_in_file_name`: a submission of several files where one file is one question's answer
  (``problem2.md``, ``q4_solution.pdf``, ``hw3-question-1.md``): the file's name says which question
  its replies answer when nothing inside the file does. It never overrides a prompt, a heading or a
  note; it sets the question a bare label ("(a)") belongs to.
"""

from __future__ import annotations

from grader.align_headings import heading_lines
from grader.align_labels import match_labels, numbered_label, references
from grader.models import Turn
from grader.rubric import Rubric
from grader.transcripts.file_names import question_number_in_name

__all__ = ["opening_names", "question_in_file_name"]

_OPENING_BLOCKS = 3
"""How many text blocks of a reply count as its opening (a title, a restated question, a first heading)."""


def opening_names(turn: Turn, rubric: Rubric) -> tuple[list[str], set[str], str]:
    """The parts that the headings opening an assistant turn name with their question number, those of
    them named only through the whole question ("## Problem 3"), and the heading that names them
    (empty lists and "" when none does).

    Only numbered names count ("3(b)", "Problem 3", "Question 2(a)"): "(b)" alone names no question.
    """
    blocks = [b for b in turn.blocks if b.kind == "text"][:_OPENING_BLOCKS]
    for block in blocks:
        for line in heading_lines(block)[:2]:
            numbered = numbered_label(line)
            if numbered is not None:
                hits = match_labels(rubric.parts, numbered[1], numbered[0])
                if hits:
                    return [p.id for p in hits], set(), line
            refs = references(line, rubric)
            if refs and len({p.question for p, _ in refs}) == 1:
                ids = [p.id for p in rubric.parts if any(p.id == r.id for r, _ in refs)]
                return ids, {p.id for p, whole in refs if whole}, line
    return [], set(), ""


def question_in_file_name(source: str, rubric: Rubric) -> str | None:
    """The question number a submission file's name gives, when the rubric has that question.

    >>> from grader.rubric import parse_rubric_text
    >>> r = parse_rubric_text('''
    ... id: toy
    ... title: toy
    ... parts:
    ...   - {id: q2a, question: "2", label: "a", points: 1, answers: [{id: v, kind: number, points: 1, reference: 1}]}
    ... ''', "toy.yaml")
    >>> question_in_file_name("answer_prob2.md", r), question_in_file_name("hw/q2.pdf", r)
    ('2', '2')
    >>> question_in_file_name("my_chat.md", r), question_in_file_name("problem5.md", r)
    (None, None)
    """
    question = question_number_in_name(source)
    if question is None:
        return None
    return question if any(p.question == question for p in rubric.parts) else None
