"""``kind: proof``: show a given result; every step is checked, and the target must be reached.

Rubric fields: ``target`` (the identity or identities the proof must establish, LaTeX over the
rubric's symbols; or a result to arrive at, written without ``=``, when the left side is something the
engine does not evaluate, such as a derivative), ``given`` (symbol -> LaTeX value the proof works at, e.g. ``W1: "U_k^\\top"``),
``instance`` (optional ``module:function`` drawing an instance where the proof's identities hold,
``function(rng) -> {symbol: value}``, when random draws do not satisfy the problem's assumptions,
e.g. ``U_k`` the top eigenvectors of ``X X^T``).

Each equation of the attempt written in the rubric's symbols is evaluated at the instance: a false
one is positive evidence (``incorrect``, flag ``false_statement``, or ``dimension_error`` when its
sides differ in shape). A target is shown when a step states it: two sides of one chain whose
difference is a nonzero multiple of the target's on random instances (``given`` applied).
All steps true and every target shown: ``correct``; a target never reached, or no step readable:
``needs_review`` (a missing match is not evidence of a wrong proof).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from grader import deadline, mathx
from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context, Problem
from grader.answers.registry import register
from grader.claim import Claim
from grader.errors import BudgetExceeded, GraderError
from grader.extract_text import free_claims
from grader.latex import math_segments, split_top_level
from grader.models import ClaimResult, Confidence, Flag
from grader.rubric import AnswerSpec
from grader.score import AnswerOutcome
from grader.verdicts import CheckResult
from reference_solutions.types import Reference

_SEED = 182


def proof_env(ctx: Context) -> dict[str, Any]:
    """The instance a proof is checked at: the rubric's ``instance`` (or a random draw) plus ``given``."""
    from grader.references import load_function

    table = ctx.symbol_table()
    rng = np.random.default_rng(_SEED)
    env: dict[str, Any] = {}
    if ctx.answer.instance:
        drawn = dict(load_function(ctx.answer.instance, ctx.target)(rng))
        fixed = {}
        for name, value in drawn.items():
            spec = table.get(name)
            if spec is not None and isinstance(value, np.ndarray):
                fixed.update(
                    {d: int(s) for d, s in zip(spec.shape, value.shape, strict=False) if isinstance(d, str)}
                )
        env = mathx.sample_env(table, rng, fixed_dims=fixed)
        env.update({k: v for k, v in drawn.items() if k in table.symbols})
    else:
        env = mathx.sample_env(table, rng)
    for name, latex in ctx.answer.given.items():
        env[name] = mathx.evaluate(mathx.parse(latex, table), env)
    return env


def _values(latex: str, table: Any, env: dict[str, Any]) -> np.ndarray | None:
    try:
        return np.asarray(mathx.evaluate(mathx.parse(latex, table, budget_s=0.5), env), dtype=float)
    except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError, RecursionError):
        return None


def proof_steps(
    text_blocks: list[tuple[int | None, str, bool]], ctx: Context
) -> list[tuple[int | None, str]]:
    """(block, equation) for each equation with a side written in the rubric's declared symbols (a
    side the engine cannot read, such as a derivative, does not disqualify the others)."""
    table = ctx.symbol_table()
    declared = set(table.symbols)
    steps = []
    for bi, text, is_math in text_blocks:
        for math in math_segments(text) or ([text] if is_math else []):
            math = sized_identities(math, declared)
            sides = split_top_level(math)
            if len(sides) < 2:
                continue
            names: set[str] = set()
            readable = 0
            for _, side in sides:
                try:
                    names |= mathx.free_symbols(mathx.parse(side, table, budget_s=0.5))
                    readable += 1
                except (GraderError, BudgetExceeded, RecursionError):
                    continue
            if readable and names & declared and names <= declared:
                steps.append((bi, math))
    return steps


_SIZED_IDENTITY = re.compile(r"(?<![A-Za-z\\])I_(?:\{\s*([A-Za-z]|\d+)\s*\}|([A-Za-z]|\d+))(?![\w{])")


def sized_identities(math: str, declared: set[str]) -> str:
    """``math`` with each identity written with its size (``I_n``, ``I_{d}``, ``I_3``) as the plain
    identity ``I``, sized by the products and sums it stands in: a proof's step ``X^T (X X^T +
    \\lambda I_n) = (X^T X + \\lambda I_d) X^T`` is then in the rubric's symbols. A name the rubric
    declares (a matrix ``I_1``) is left alone.

    >>> sized_identities(r"X^{T}(XX^{T}+λI_{n}) =(X^{T}X+λI_{d})X^{T}", {"X"})
    'X^{T}(XX^{T}+λI) =(X^{T}X+λI)X^{T}'
    >>> sized_identities(r"I_{n} + I_k + I_{ab} + \\Pi_n", {"I_k"})
    'I + I_k + I_{ab} + \\\\Pi_n'
    """

    def plain(m: re.Match[str]) -> str:
        size = m.group(1) or m.group(2)
        return m.group(0) if f"I_{size}" in declared else "I"

    return _SIZED_IDENTITY.sub(plain, math)


def label_symbols(ctx: Context) -> set[str]:
    """The symbols the rubric's answers define (``defines: w``): names of results, not quantities with
    a value of their own, so ``w^* = ...`` in a proof names its right side and asserts nothing. A symbol
    the proof is ``given`` a value for is not a mere name: a step stating its value asserts it."""
    table = ctx.symbol_table()
    out: set[str] = set()
    for part in ctx.rubric.parts:
        for answer in part.answers:
            if not answer.defines:
                continue
            try:
                node = mathx.parse(answer.defines, table, budget_s=0.5)
            except (GraderError, BudgetExceeded, RecursionError):
                continue
            if isinstance(node, mathx.Sym):
                out.add(node.name)
    return out - set(ctx.answer.given)


def asserted(math: str, labels: set[str], table: Any) -> str | None:
    """The part of a step that asserts something: ``w^* = A = B`` asserts ``A = B`` when ``w`` is a
    label (:func:`label_symbols`); ``w^* = A`` asserts nothing (None); any other step is itself."""
    sides = split_top_level(math)
    if len(sides) < 2 or not labels:
        return math
    try:
        first = mathx.parse(sides[0][1], table, budget_s=0.5)
    except (GraderError, BudgetExceeded, RecursionError):
        return math
    if not (isinstance(first, mathx.Sym) and first.name in labels):
        return math
    rest = sides[1:]
    if len(rest) < 2:
        return None
    return rest[0][1] + "".join(f" {rel} {side}" for rel, side in rest[1:])


def _sides_differ(math: str, table: Any) -> bool:
    pieces = split_top_level(math)
    if len(pieces) != 2:
        return False
    try:
        shapes = [mathx.shape_of(mathx.parse(p, table), table) for _, p in pieces]
    except (GraderError, BudgetExceeded):
        return False
    return shapes[0] != shapes[1]


def _random_envs(ctx: Context, count: int = 2) -> list[dict[str, Any]]:
    """Random instances of the rubric's symbols (``given`` applied), where a true *identity* holds
    but a fact of the special instance (an eigen-decomposition) does not."""
    table = ctx.symbol_table()
    rng = np.random.default_rng(_SEED + 1)
    envs = []
    for _ in range(count):
        env = mathx.sample_env(table, rng)
        for name, latex in ctx.answer.given.items():
            env[name] = mathx.evaluate(mathx.parse(latex, table), env)
        envs.append(env)
    return envs


def _difference(a: str, b: str, table: Any, envs: list[dict[str, Any]]) -> list[np.ndarray] | None:
    out = []
    for env in envs:
        va, vb = _values(a, table, env), _values(b, table, env)
        if va is None or vb is None or va.shape != vb.shape:
            return None
        out.append(va - vb)
    return out


def _proportional(got: list[np.ndarray], want: list[np.ndarray]) -> bool:
    """``got`` is c·``want`` with one nonzero c on every instance."""
    ratios = []
    for g, w in zip(got, want, strict=True):
        if g.shape != w.shape:
            return False
        scale = float(np.max(np.abs(w))) if w.size else 0.0
        if scale < 1e-9:
            return False
        c = float(np.vdot(w.ravel(), g.ravel()) / np.vdot(w.ravel(), w.ravel()))
        if abs(c) < 1e-9 or not np.allclose(g, c * w, rtol=1e-6, atol=1e-9 * scale):
            return False
        ratios.append(c)
    return all(abs(r - ratios[0]) <= 1e-6 * max(1.0, abs(ratios[0])) for r in ratios)


def _shown(targets: list[str], steps: list[tuple[int | None, str]], ctx: Context) -> dict[str, bool]:
    """For each target identity: does some step (any two sides of a chain) state it, up to a factor?

    Compared on random instances where only true identities hold, so that a step true only at the
    special instance (``X X^T U_k = U_k Sigma_k^2``) does not count as reaching the target.
    """
    table = ctx.symbol_table()
    try:
        envs = _random_envs(ctx)
    except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError):
        return dict.fromkeys(targets, False)
    chains = [[p for _, p in split_top_level(math)] for _, math in steps]
    pairs = [(c[i], c[j]) for c in chains for i in range(len(c)) for j in range(i + 1, len(c))]
    out = {}
    for target in targets:
        sides = split_top_level(target)
        if len(sides) < 2:  # a result to arrive at ("2 x^T"): some step must state it
            pieces = [p for a, b in pairs for p in (a, b)] + [c[0] for c in chains if len(c) == 1]
            out[target] = any(_same(p, sides[0][1], envs, table) for p in pieces)
            continue
        lhs, rhs = sides[0][1], sides[-1][1]
        want = _difference(lhs, rhs, table, envs)
        if want is None:
            out[target] = False
        elif all(float(np.max(np.abs(w))) < 1e-9 for w in want if w.size):
            # an identity whatever the instance (U_k^T U_k = I): a step must state both of its sides
            out[target] = any(
                _same(a, lhs, envs, table)
                and _same(b, rhs, envs, table)
                or _same(a, rhs, envs, table)
                and _same(b, lhs, envs, table)
                for a, b in pairs
            )
        else:
            out[target] = any(
                got is not None and _proportional(got, want)
                for a, b in pairs
                for got in [_difference(a, b, table, envs)]
            )
    return out


def _same(a: str, b: str, envs: list[dict[str, Any]], table: Any) -> bool:
    diff = _difference(a, b, table, envs)
    if diff is None:
        return False
    scale = max(
        1.0,
        *(float(np.max(np.abs(v))) for e in envs for v in [_values(b, table, e)] if v is not None and v.size),
    )
    return all(float(np.max(np.abs(d))) <= 1e-7 * scale for d in diff if d.size)


def judge_steps(
    text_blocks: list[tuple[int | None, str, bool]], ctx: Context
) -> tuple[str, list[ClaimResult], list[Flag]]:
    """(outcome, claims that are not plainly right, flags) of a proof's text."""
    table = ctx.symbol_table()
    try:
        env = proof_env(ctx)
    except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError) as exc:
        why = f"cannot draw the instance to check the proof at: {getattr(exc, 'message', exc)}"
        return (
            "needs_review",
            [ClaimResult(answer=ctx.answer.id, text="(proof)", verdict="unparseable", explanation=why)],
            [],
        )
    steps = proof_steps(text_blocks, ctx)
    labels = label_symbols(ctx)
    results: list[ClaimResult] = []
    skipped: list[ClaimResult] = []
    flags: list[Flag] = []
    for bi, written in steps:
        math = asserted(written, labels, table)
        if math is None:
            continue  # a definition of a result's name (w^* = ...): nothing to check
        if deadline.out_of_time():
            results.append(
                ClaimResult(
                    answer=ctx.answer.id,
                    text=written,
                    verdict="timeout",
                    explanation=deadline.reason(),
                    block=bi,
                )
            )
            continue
        res = mathx.check_equation(math, table, env=env)
        if res.verdict == "correct":
            continue
        if res.verdict == "incorrect" and res.evidence.get("undeclared"):
            continue  # a step in symbols the rubric does not know is not evidence
        if res.verdict == "unparseable":  # a side the engine cannot read (a derivative): not judged
            skipped.append(
                ClaimResult(
                    answer=ctx.answer.id,
                    text=written,
                    verdict="unparseable",
                    source="step",
                    block=bi,
                    explanation=f"step not checked: {res.explanation}",
                )
            )
            continue
        results.append(
            ClaimResult(
                answer=ctx.answer.id,
                text=written,
                verdict=res.verdict,
                explanation=res.explanation,
                interpreted=res.interpreted,
                reference=res.reference,
                evidence=res.evidence,
                source="step",
                block=bi,
            )
        )
        if res.verdict == "incorrect":
            if "dimension_error" in res.evidence:
                flags.append("dimension_error")
                if _sides_differ(math, table):
                    flags.append("false_statement")  # an identity between different shapes is false
            else:
                flags.append("false_statement")
    if any(r.verdict == "incorrect" for r in results):
        return "incorrect", results + skipped, sorted(set(flags))
    missing = [t for t, ok in _shown(ctx.answer.target, steps, ctx).items() if not ok]
    given = ", ".join(f"{k} = {v}" for k, v in ctx.answer.given.items())
    for target in missing:
        results.append(
            ClaimResult(
                answer=ctx.answer.id,
                text="(not recognised)",
                verdict="unparseable",
                source="step",
                reference=target,
                explanation=f"no step recognisably reaches {target}"
                + (f" at {given}" if given else "")
                + "; a person must check",
            )
        )
    if not steps:
        results.append(
            ClaimResult(
                answer=ctx.answer.id,
                text="(no step)",
                verdict="unparseable",
                explanation="no equation of the proof is written in the problem's symbols",
            )
        )
    return ("needs_review" if results else "correct"), results + skipped, sorted(set(flags))


@register
class ProofKind(AnswerKind):
    """A proof whose steps are evaluated at an instance and which must reach its target."""

    name = "proof"
    summary = "show a result: each step evaluated at an instance; the target identity must be reached"
    fields = frozenset({"target", "given", "instance"})
    needs_reference = False

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        return (
            [] if spec.target else [("target", "a proof needs target: the identity (or identities) to show")]
        )

    def audit(self, ctx: Context, refs: list[Accepted]) -> list[Problem]:
        from grader.answers.formula import formula_problems

        problems: list[Problem] = []
        for i, target in enumerate(ctx.answer.target):
            problems += [(f"target.{i}", m) for m in formula_problems(target, ctx, "target")]
        for name, latex in ctx.answer.given.items():
            problems += [(f"given.{name}", m) for m in formula_problems(latex, ctx, "given value")]
        if problems:
            return problems
        try:
            env = proof_env(ctx)
        except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError) as exc:
            return [("instance", f"cannot draw the instance: {getattr(exc, 'message', exc)}")]
        for i, target in enumerate(ctx.answer.target):
            res = mathx.check_equation(target, ctx.symbol_table(), env=env)
            if res.verdict == "incorrect":
                problems.append(
                    (f"target.{i}", f"the target {target!r} is false at the instance: {res.explanation}")
                )
        return problems

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        return Reference(ctx.target, self.name, str(value), method="proof outline in the rubric")

    def derived_references(self, ctx: Context) -> list[Accepted]:
        """The target identities are the reference."""
        shown = ", ".join(ctx.answer.target)
        if ctx.answer.given:
            shown = ", ".join(f"{k} = {v}" for k, v in ctx.answer.given.items()) + " \\Rightarrow " + shown
        return [Accepted(Reference(ctx.target, self.name, shown, method="steps evaluated at an instance"))]

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        return free_claims(attempt, ctx.answer, with_math=True)

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        outcome, results, flags = judge_steps([(None, value, False)], ctx)
        verdict = {"correct": "correct", "incorrect": "incorrect"}.get(outcome, "unparseable")
        shown = [r for r in results if outcome != "correct" or r.verdict != "unparseable"]
        why = "; ".join(r.explanation for r in shown) or "every step read holds and the target is reached"
        return CheckResult(verdict, None, accepted.reference.display, why, {"flags": flags})  # type: ignore[arg-type]

    def outcome(
        self, claims: list[Claim], attempt: Attempt, refs: list[Accepted], ctx: Context
    ) -> AnswerOutcome:
        blocks: list[tuple[int | None, str, bool]] = [
            (bi, b.text, b.kind == "math") for bi, b in attempt.blocks if b.kind in ("math", "text")
        ]
        outcome, results, flags = judge_steps(blocks, ctx)
        if outcome == "incorrect" and _misread_steps(results, attempt, ctx):
            outcome, flags = "needs_review", []
        unread = any(r.verdict == "unparseable" for r in results)
        confidence: Confidence = "low" if outcome == "needs_review" else "medium" if unread else "high"
        return AnswerOutcome(ctx.answer.id, outcome, results, flags, confidence=confidence)


def _misread_steps(results: list[ClaimResult], attempt: Attempt, ctx: Context) -> bool:
    """Mark the false steps read beside scripts a PDF set apart (:mod:`grader.answers.layout_marks`)
    as not checked; True when no false step is left (what was read is not what was written)."""
    from grader.answers.layout_marks import scripts_set_apart

    for r in results:
        if r.verdict != "incorrect":
            continue
        why = scripts_set_apart(attempt, Claim(ctx.answer.id, r.text, r.text, "step", r.block))
        if why:
            r.verdict = "unparseable"
            r.evidence["not_incorrect_because"] = why
            r.explanation = (
                f"step not judged: read from a PDF layout that sets scripts apart ({why}); {r.explanation}"
            )
    return not any(r.verdict == "incorrect" for r in results)
