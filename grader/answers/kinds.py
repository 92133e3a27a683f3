"""Every answer kind module, imported once so that each registers itself (order is irrelevant)."""

from grader.answers import (  # noqa: F401 - imported for their @register side effect
    choice,
    concept,
    condition,
    count_formula,
    expression,
    fact,
    free_text,
    name,
    number,
    proof,
    quantity,
    tokens,
    vector,
    yes_no,
)
