"""Rubrics: a homework as data (``rubrics/*.yaml``), loaded, validated and looked up.

A rubric names the homework's parts and answers (the ids of DESIGN.md), their points, the phrases
that identify each part, each answer's kind and reference (a LaTeX formula over typed symbols, a
number with a unit, options, tokens, key ideas... or ``{compute: "module:function"}`` where something
must be computed), accepted variants and example answers. The format is in ``docs/rubrics.md``;
``grader rubric check`` (:mod:`grader.rubric.verify`) validates a file and runs its examples.
"""

from grader.rubric.load import (
    RUBRICS_DIR,
    get_rubric,
    key_line,
    load_rubric_file,
    parse_rubric_text,
    parse_target,
    rubrics,
)
from grader.rubric.models import (
    AcceptSpec,
    AnswerSpec,
    ExampleItem,
    Examples,
    FactSpec,
    IdeaSpec,
    ObjectiveSpec,
    PartSpec,
    ReferenceValue,
    Rubric,
    SourceSpec,
    SymbolDecl,
    TableSpec,
)

__all__ = [
    "RUBRICS_DIR",
    "AcceptSpec",
    "AnswerSpec",
    "ExampleItem",
    "Examples",
    "FactSpec",
    "IdeaSpec",
    "ObjectiveSpec",
    "PartSpec",
    "ReferenceValue",
    "Rubric",
    "SourceSpec",
    "SymbolDecl",
    "TableSpec",
    "get_rubric",
    "key_line",
    "load_rubric_file",
    "parse_rubric_text",
    "parse_target",
    "rubrics",
]
