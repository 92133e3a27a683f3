"""Which part of a free-form answer answers, for :func:`~grader.mathx.freeform.compare_freeform`.

* :func:`prose_pick`: the text's last math is an aside (a check ``2 \\cdot 3 + 1 = 7``, a condition)
  or not of the gold's form (a scalar where a vector is asked for): the formula that answers instead;
* :func:`quantity_answer`: a gold with a unit (``50\\,\\text{ns}``) against the quantity of that
  dimension the text states (bold or boxed, else the last one that is not an aside);
* :func:`token_sequence`: a gold that is a sequence of words against the sequence the text lists;
* :func:`also_stated`: when the answer found by position differs, another formula of the text that
  matches (then the reading, not the answer, may be wrong).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from grader.errors import GraderError
from grader.mathx import ast as A
from grader.mathx.extract import Candidate
from grader.mathx.freeform_items import answer_items, split_top
from grader.mathx.freeform_leaves import parse_leaf
from grader.mathx.reading import answer_form, entry_count
from grader.verdicts import CheckResult

MAX_FORMULAS = 64
"""Formulas of a text looked at by :func:`also_stated`."""


def prose_pick(
    pred: str, gold: tuple[Candidate, list[str]], found: tuple[Candidate, list[str]]
) -> tuple[Candidate, list[str]]:
    """When the answer is the text's last math and that is an aside (a check ``2 \\cdot 3 + 1 = 7``,
    a condition ``x \\ne 0``) or not of the gold's form, the formula that answers instead
    (:mod:`grader.mathx.prose`)."""
    from grader.mathx import prose

    cand, _ = found
    if cand.source != "last-math" or len(gold[1]) != 1:
        return found
    try:
        g_node = parse_leaf(gold[1][0])
        c_node = parse_leaf(cand.items[-1]) if cand.items else None
    except GraderError:
        return found
    want, entries = answer_form(g_node), entry_count(g_node)

    def fits(node: A.Node) -> bool:
        """The gold's form, and as many entries when both counts are known (a vector for a vector)."""
        count = entry_count(node)
        return answer_form(node) == want and (entries is None or count is None or count == entries)

    lone = isinstance(c_node, A.Sym | A.Num | A.Const) and not isinstance(g_node, A.Sym | A.Num | A.Const)
    if (
        c_node is not None
        and fits(c_node)
        and not lone
        and not prose.is_aside(c_node, wants_set=want == "set")
    ):
        return found
    parsed = prose.parse_all(prose.formulas(pred), None)
    chosen = prose.pick(parsed, fits, wants_set=want == "set")
    if chosen is None or chosen.formula.start == cand.start and chosen.formula.text in cand.items:
        return found
    picked = Candidate((chosen.formula.text,), "last-math", chosen.formula.start)
    items = answer_items(picked)
    return (picked, items) if items else found


def quantity_answer(gold: str, pred: str) -> CheckResult | None:
    """A gold that is a quantity with a known unit (``50\\,\\text{ns}``) against the quantity of that
    dimension the answer states (:func:`grader.mathx.units.stated_quantity`: boxed or bold, else the
    last one that is not an aside), compared in one unit. None when either is missing."""
    from grader.mathx.units import same_amount, stated_quantity, whole_quantity

    ref = whole_quantity(gold)
    if ref is None:
        return None
    ans = stated_quantity(pred, ref.unit.dimension)
    if ans is None:
        return None
    same = same_amount(ans, ref)
    if same is None:
        return None
    ok, why = same
    interpreted = f"{ans.value} {ans.unit.name}"
    evidence: dict[str, object] = {"pred_source": "quantity", "method": "units"}
    return CheckResult("correct" if ok else "incorrect", interpreted, gold, why, evidence)


_WRAPPED_TOKEN = re.compile(r"\\(?:text|mathrm|textrm|texttt|mathtt)\s*\{|\\langle|<|⟨")
_TOKEN = re.compile(r"<?/?[A-Za-z][A-Za-z'\-]*>?")


def token_sequence(gold: str, pred: str) -> CheckResult | None:
    """A gold that is a sequence of words (``\\langle\\text{sos}\\rangle, \\text{I}, \\text{see}``)
    against the sequence the answer lists (after its last colon: "the decoder gets: <sos>, I, see"),
    compared in order as :func:`grader.checkers.tokens.check_tokens` does. None when the gold is not
    such a sequence or the answer lists a sequence of another length (then it is not read as one)."""
    from grader.checkers.tokens import check_tokens, parse_tokens

    items = split_top(gold, ",")
    if len(items) < 2 or sum(bool(_WRAPPED_TOKEN.search(x)) for x in items) * 2 < len(items):
        return None
    ref = parse_tokens(gold)
    if len(ref) != len(items) or not all(_TOKEN.fullmatch(t) for t in ref):
        return None
    got = parse_tokens(pred)
    if len(got) != len(ref):
        return None
    result = check_tokens(pred, ref)
    result.evidence["pred_source"] = "token sequence"
    return result


_GUESSED = ("last-math", "last-number", "whole")
"""Answers found by position, not marked by the writer (a box, "Final answer:", "Answer:")."""


def also_stated(
    pred: str, p_cand: Candidate, g_items: list[str], same: Callable[[list[str], list[str]], bool]
) -> str | None:
    """When the answer was found by position and differs, another formula of the text that matches
    the gold (the reading may have taken a side remark for the answer); None when there is none."""
    from grader.mathx import prose

    if p_cand.source not in _GUESSED:
        return None
    for formula in prose.formulas(pred)[-MAX_FORMULAS:]:
        if formula.start == p_cand.start or formula.defining:
            continue
        items = answer_items(Candidate((formula.text,), "last-math", formula.start))
        if items and same(g_items, items):
            return formula.text
    return None
