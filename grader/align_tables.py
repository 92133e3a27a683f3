"""Tables keyed by the answers' labels: which parts a table of a turn states answers of.

A model often answers several parts in one summary table whose rows are keyed by the labels the
question gives its blanks ("A | [h, d, q] | why", "B | [d, k] | ..."), after sections that only restate
the questions. Alignment gives such a table to the section it sits in (the last one); a row whose first
cell is, whole, a ``context`` label of an answer of exactly one part being answered in the turn states
that part's answer, so the table joins that part's attempt as well.
"""

from __future__ import annotations

from grader.checkers.text_utils import plain_text
from grader.models import Turn
from grader.phrases import PhraseItem, search_any
from grader.rubric import Rubric
from grader.tables import merge_wrapped_rows, parse_table

__all__ = ["keyed_tables"]


def _whole(items: list[PhraseItem], cell: str) -> bool:
    m = search_any(items, cell)
    return m is not None and m.start() == 0 and m.end() == len(cell)


def keyed_tables(turn: Turn, parts: list[str], rubric: Rubric) -> dict[str, list[int]]:
    """Part id -> indices of the turn's table blocks with a row keyed by a label of one of its answers,
    among ``parts`` (the parts the turn answers); a key that several of them share names none.

    >>> from grader.models import Block
    >>> from grader.rubric import parse_rubric_text
    >>> r = parse_rubric_text('''
    ... id: toy
    ... title: toy
    ... vocabulary: {one: ["[d, k]"], two: ["[h, d, k]"]}
    ... parts:
    ...   - {id: q1a, question: "1", label: "a", points: 1,
    ...      answers: [{id: s, kind: name, points: 1, reference: one, context: ["B", "answer"]}]}
    ...   - {id: q1b, question: "1", label: "b", points: 1,
    ...      answers: [{id: s, kind: name, points: 1, reference: two, context: ["C", "answer"]}]}
    ... ''', "toy.yaml")
    >>> t = Turn(index=1, role="assistant", blocks=[Block(kind="table", text="B\\t[d, k]\\nC\\t[h, d, k]")])
    >>> keyed_tables(t, ["q1a", "q1b"], r)
    {'q1a': [0], 'q1b': [0]}
    """
    labels = {
        pid: [c for a in rubric.part(pid).answers for c in a.context] for pid in parts if rubric.part(pid)
    }
    found: dict[str, list[int]] = {}
    for bi, block in enumerate(turn.blocks):
        if block.kind != "table" and not (block.kind == "text" and "\t" in block.text):
            continue
        for row in merge_wrapped_rows(parse_table(block.text)):
            if len(row) < 2:
                continue
            key = plain_text(row[0]).strip(" :*")
            if not key:
                continue
            owners = [pid for pid, items in labels.items() if items and _whole(items, key)]
            if len(owners) == 1 and bi not in found.get(owners[0], []):
                found.setdefault(owners[0], []).append(bi)
    return found
