"""Finding a named answer in prose (grader.extract_text.name_claims)."""

from __future__ import annotations

import pytest

from grader.align import Attempt, Section
from grader.checkers.names import identify_names
from grader.extract_text import name_claims
from grader.models import Block
from grader.rubric import AnswerSpec

VOCAB = {"hdq": ["[h, d, q]"], "dq": ["[d, q]"], "gd": ["gradient descent"], "adam": ["Adam"]}
ANSWER = AnswerSpec.model_validate({"id": "shape", "kind": "name", "points": 1, "reference": "hdq"})


def _attempt(*texts: str) -> Attempt:
    blocks = [(i, Block(kind="text", text=t)) for i, t in enumerate(texts)]
    return Attempt(part="q1", turn=1, sections=[Section("q1", 1, blocks)], prompt_turns=[0])


def _names(text: str) -> list[tuple[str, str]]:
    return identify_names(text, VOCAB)


@pytest.mark.parametrize(
    "texts,value",
    [
        # a name given as the value of a label
        (["(a) Wq shape: [h, d, q] (Multi-head projection)."], "[h, d, q] (Multi-head projection)."),
        (["The shape is [d, q]."], "[d, q]."),
        # a cue word still comes first
        (["This recovers gradient descent."], "recovers gradient descent."),
        # labels that give different names: nothing is asserted
        (["Option one: [h, d, q].", "Option two: [d, q]."], None),
        # a name merely mentioned
        (["Compare with [d, q] from before"], None),
        # a name on a line of its own, under the working that leads to it
        (
            ["To keep a head axis the weights need one too.\n\n**[h, d, q]**\nWhy: each head has its own."],
            "**[h, d, q]**",
        ),
        # lines of their own that give different names: nothing is asserted
        (["Either\n[h, d, q]\nor\n[d, q]"], None),
        # a line with more than the name is not a display answer
        (["Going from [d, q] to more"], None),
        # a code line that is one call around the name is a display answer
        (
            ['We contract over d:\ntorch.reshape("[h, d, q]", x, W_q)\nWhy: one per head.'],
            'torch.reshape("[h, d, q]", x, W_q)',
        ),
        # ... but not a call with more than identifiers around the name
        (['torch.reshape("[h, d, q]", x + 1)'], None),
        # a label's value and a later display line that disagree: the later one concludes
        (
            ["Weights: W_k with shape [d, q]", 'torch.reshape("[h, d, q]", x, W_k)'],
            'torch.reshape("[h, d, q]", x, W_k)',
        ),
        (['torch.reshape("[h, d, q]", x, W_k)', "So the shape is [d, q]."], "[d, q]."),
    ],
)
def test_name_claims(texts: list[str], value: str | None) -> None:
    found = name_claims(_attempt(*texts), ANSWER, _names)
    assert [c.value for c in found] == ([value] if value else [])


def test_a_name_given_to_another_label_is_no_evidence() -> None:
    from grader.answers import Context, kind_of
    from grader.references import accepted_references
    from grader.rubric import parse_rubric_text

    rubric = parse_rubric_text(
        """
id: names
title: "names"
vocabulary: {hdq: ["[h, d, q]"], dq: ["[d, q]"]}
parts:
  - {id: q1, question: "1", points: 1, answers: [{id: shape, kind: name, points: 1, reference: hdq}]}
""",
        "names.yaml",
    )
    part = rubric.part("q1")
    spec = part.answers[0]
    ctx = Context(rubric, part, spec)
    kind = kind_of("name")
    refs = accepted_references(ctx)
    wrong = kind.outcome(kind.extract(_attempt("The key cache: [d, q]."), ctx), _attempt(), refs, ctx)
    assert wrong.outcome == "needs_review"  # "key cache" may not be the shape asked
    right = kind.outcome(kind.extract(_attempt("Wq shape: [h, d, q]."), ctx), _attempt(), refs, ctx)
    assert right.outcome == "correct"
    cued = kind.outcome(kind.extract(_attempt("This is [d, q]."), ctx), _attempt(), refs, ctx)
    assert cued.outcome == "incorrect"  # a cue word says it is the answer


def _table_attempt(*tables: str) -> Attempt:
    blocks = [(0, Block(kind="text", text="(a) What is A? [h, d, q] or [d, q]?"))]
    blocks += [(i + 1, Block(kind="table", text=t)) for i, t in enumerate(tables)]
    return Attempt(part="q1", turn=1, sections=[Section("q1", 1, blocks)], prompt_turns=[0])


LABELLED = AnswerSpec.model_validate(
    {"id": "shape", "kind": "name", "points": 1, "reference": "hdq", "context": ["A", "answer"]}
)


@pytest.mark.parametrize(
    "table,value",
    [
        # a row keyed by the answer's label states it, in its first cell that names something
        ("item\tanswer\twhy\nA\t[d, q]\tone projection\nB\t[h, d, q]\tper head", "[d, q]"),
        # wrapped lines of the row are joined
        ("item\tanswer\nA\tsee the\n\t[h, d, q] form", "see the [h, d, q] form"),
        # a label inside a longer first cell is no key
        ("item\tanswer\nA and B\t[d, q]", None),
        # a row of another label says nothing about this answer
        ("item\tanswer\nB\t[d, q]", None),
    ],
)
def test_a_table_row_keyed_by_the_label_states_the_answer(table: str, value: str | None) -> None:
    found = name_claims(_table_attempt(table), LABELLED, _names)
    assert (found[0].value if found else None) == value


def test_a_concept_answer_reads_the_attempts_tables() -> None:
    # a summary table ("what must change | why") states ideas as prose does; other free text does not
    from grader.extract_text import free_claims

    blocks = [
        (0, Block(kind="text", text="Two changes are needed.")),
        (1, Block(kind="table", text="Change\tWhy\nW_o takes 2*d_model inputs\tthe residual adds d_model")),
    ]
    attempt = Attempt(part="q1", turn=1, sections=[Section("q1", 1, blocks)], prompt_turns=[0])
    with_tables = free_claims(attempt, ANSWER, with_math=True, with_tables=True)
    assert "W_o takes 2*d_model inputs" in with_tables[0].value
    assert "W_o" not in free_claims(attempt, ANSWER)[0].value
