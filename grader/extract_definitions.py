"""Symbols an attempt defines for itself ("Let $D = \\Sigma^\\top \\Sigma$"), carried to the claims that
use them.

A model often names a piece of its working ("Let D = Σ^T Σ, a diagonal matrix") and states the answer
in that name (``V (D + \\lambda I)^{-1} \\Sigma^\\top U^\\top``). The rubric does not declare ``D``, so
the claim alone cannot be read. :func:`with_definitions` appends the attempt's own definition to such a
claim (``... \\text{ where } D = \\Sigma^\\top \\Sigma``), which the math engine substitutes
(:func:`grader.mathx.claims.parse_claim`). Only a formula that words introduce as a definition ("let",
"define", "denote", "where", "set") counts, only for a single symbol the rubric does not declare, and
only when its value is written in declared symbols; nothing is evaluated here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from grader import mathx
from grader.align import Attempt
from grader.claim import Claim
from grader.errors import BudgetExceeded, GraderError
from grader.extract import block_maths
from grader.latex import split_top_level
from grader.mathx.symbols import SymbolTable

__all__ = ["attempt_definitions", "with_definitions"]

_INTRO = re.compile(r"\b(?:let|define|defining|denote|denoting|where|set)\b[^$.;]{0,20}$", re.I)
"""Words just before a formula that introduce it as a definition ("Let", "where", "Define ... as")."""


def _symbols(latex: str, table: SymbolTable) -> set[str] | None:
    try:
        return mathx.free_symbols(mathx.parse(latex, table, budget_s=0.5))
    except (GraderError, BudgetExceeded, RecursionError, ValueError):
        return None


def attempt_definitions(attempt: Attempt, table: SymbolTable) -> dict[str, tuple[int, str]]:
    """``{name: (block, value)}`` for each formula ``name = value`` that words introduce as a definition,
    where ``name`` is one symbol the rubric does not declare and ``value`` is in declared symbols (the
    last such definition of a name wins)."""
    declared = set(table.symbols)
    out: dict[str, tuple[int, str]] = {}
    current = ""
    for bi, math, line in block_maths(attempt.blocks):
        current = line or current  # the line is given with the first formula of a line only
        at = current.find(math)
        line = current
        before = line[:at].rstrip().rstrip("$").rstrip() if at > 0 else ""
        if not _INTRO.search(before):
            continue
        chain = split_top_level(math.strip().rstrip(".,;"), ("=", ":="))
        if len(chain) != 2 or not chain[1][1].strip():
            continue
        name, value = chain[0][1].strip(), chain[1][1].strip()
        named, used = _symbols(name, table), _symbols(value, table)
        if not named or len(named) != 1 or named & declared or used is None or not used <= declared:
            continue
        (symbol,) = named
        if re.fullmatch(r"\\?[A-Za-z]+(?:_\{?\w+\}?)?", name.replace(" ", "")):
            out[symbol] = (bi, value)
    return out


def with_definitions(claims: list[Claim], attempt: Attempt, table: SymbolTable) -> list[Claim]:
    """``claims`` with the attempt's own definitions (:func:`attempt_definitions`) of the undeclared
    symbols each one uses appended to its value as ``\\text{ where } name = value``."""
    declared = set(table.symbols)
    pending = [c for c in claims if (_symbols(c.value, table) or set()) - declared]
    if not pending:
        return claims
    defs = attempt_definitions(attempt, table)
    if not defs:
        return claims
    out = []
    for claim in claims:
        unknown = (_symbols(claim.value, table) or set()) - declared
        given = [f"{name} = {defs[name][1]}" for name in sorted(unknown) if name in defs]
        if given and len(given) == len(unknown):
            claim = replace(claim, value=f"{claim.value} \\text{{ where }} {', '.join(given)}")
        out.append(claim)
    return out
