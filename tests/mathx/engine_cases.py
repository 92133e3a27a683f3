"""Run the engine's case tables (``cases_dev.py``, ``cases_heldout.py``) through the CLI's library calls.

``grader equiv`` rows go through :func:`grader.mathx.freeform.equiv_text` with the ``--symbols`` table
of :func:`grader.cli_check.parse_symbols`; ``grader check`` rows through :func:`grader.check.check_target`;
equation rows through :func:`grader.mathx.check_equation` with the rubric's symbol table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from grader import mathx
from grader.check import check_target
from grader.cli_check import parse_symbols
from grader.mathx.freeform import equiv_text
from grader.rubric import get_rubric


@dataclass(frozen=True)
class Row:
    """One case: which table and group it is from, what is compared, the expected verdict."""

    table: str
    group: str
    left: str
    right: str
    extra: str
    expected: str


def rows(module: object) -> Iterator[Row]:
    """Every row of a case module (its EQUIV, CLAIMS and EQUATIONS tables)."""
    for group, cases in getattr(module, "EQUIV", {}).items():
        for ref, ans, symbols, expected in cases:
            yield Row("equiv", group, ref, ans, symbols, expected)
    for group, claims in getattr(module, "CLAIMS", {}).items():
        for target, claim, expected in claims:
            yield Row("check", group, target, claim, "", expected)
    for group, equations in getattr(module, "EQUATIONS", {}).items():
        for rubric_id, statement, expected in equations:
            yield Row("equation", group, rubric_id, statement, "", expected)


def verdict(row: Row) -> tuple[str, str]:
    """The verdict and explanation the engine gives on one row."""
    if row.table == "equiv":
        res = equiv_text(row.left, row.right, parse_symbols(row.extra or None))
    elif row.table == "check":
        res = check_target(row.left, row.right)[1]
    else:
        res = mathx.check_equation(row.right, get_rubric(row.left).symbol_table())
    return res.verdict, res.explanation


def case_id(row: Row) -> str:
    """A short pytest id: group and the compared texts."""
    return f"{row.group}:{row.left[:30]}|{row.right[:40]}"
