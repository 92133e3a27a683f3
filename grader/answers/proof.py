"""``kind: proof``: show a given result; every step is checked, and the target must be reached.

Rubric fields: ``target`` (the identity or identities the proof must establish, LaTeX over the
rubric's symbols; or a result to arrive at, written without ``=``, when the left side is something the
engine does not evaluate, such as a derivative), ``target_any`` (other groups of targets, any one of
which shows the result: another route to it), ``given`` (symbol -> LaTeX value the proof works at, e.g. ``W1: "U_k^\\top"``),
``instance`` (optional ``module:function`` drawing an instance where the proof's identities hold,
``function(rng) -> {symbol: value}``, when random draws do not satisfy the problem's assumptions,
e.g. ``U_k`` the top eigenvectors of ``X X^T``).

Each equation of the attempt written in the rubric's symbols is evaluated at the instance: a false
one is positive evidence (``incorrect``, flag ``false_statement``, or ``dimension_error`` when its
sides differ in shape). A target is shown when a step states it: two sides of one chain whose
difference is a nonzero multiple of the target's on random instances (``given`` applied).
All steps true and every target of ``target`` (or of one group of ``target_any``) shown: ``correct``; a target never reached, or no step readable:
``needs_review`` (a missing match is not evidence of a wrong proof).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from grader import deadline, mathx
from grader.align import Attempt
from grader.answers.base import Accepted, AnswerKind, Context, Problem
from grader.answers.proof_reading import Step, bridge_continuations, join_continuations, objective_of
from grader.answers.proof_targets import SEED, target_groups, targets_shown
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


def proof_env(ctx: Context) -> dict[str, Any]:
    """The instance a proof is checked at: the rubric's ``instance`` (or a random draw) plus ``given``."""
    from grader.references import load_function

    table = ctx.symbol_table()
    rng = np.random.default_rng(SEED)
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


def _segments(text_blocks: list[tuple[int | None, str, bool]]) -> list[tuple[int | None, str, bool]]:
    """(block, math, bridged) of every formula, continuation lines (``= ...``) joined to the chain above
    (or bridged to the chain above the fragments of a broken matrix: :func:`bridge_continuations`)."""
    # a display formula ends its sentence ("... \\|y - X w\\|^2."): the stop is no part of it
    joined = join_continuations(
        [
            (bi, math.strip().rstrip(".,;").rstrip())
            for bi, text, is_math in text_blocks
            for math in math_segments(text) or ([text] if is_math else [])
        ]
    )
    return bridge_continuations(joined)


def _in_symbols(sides: list[str], table: Any, declared: set[str]) -> bool:
    """Whether some side reads, and every side read is in the declared symbols (a side the engine cannot
    read, such as a derivative, does not disqualify the others)."""
    names: set[str] = set()
    readable = 0
    for side in sides:
        try:
            names |= mathx.free_symbols(mathx.parse(side, table, budget_s=0.5))
            readable += 1
        except (GraderError, BudgetExceeded, RecursionError):
            continue
    return bool(readable and names & declared and names <= declared)


def proof_steps(text_blocks: list[tuple[int | None, str, bool]], ctx: Context) -> list[Step]:
    """Each equation with a side written in the rubric's declared symbols."""
    table = ctx.symbol_table()
    declared = set(table.symbols)
    steps = []
    for bi, math, bridged in _segments(text_blocks):
        math = sized_identities(math, declared)
        objective = objective_of(math)
        if objective is not None:
            math = objective
        sides = split_top_level(math)
        if len(sides) >= 2 and _in_symbols([side for _, side in sides], table, declared):
            steps.append(Step(bi, math, objective is not None, bridged))
    return steps


def proof_expressions(text_blocks: list[tuple[int | None, str, bool]], ctx: Context) -> list[str]:
    """The formulas of a proof that are no equation (``Objective: \\|w\\|^2 + ...``), in the rubric's
    symbols: where a result to arrive at (a target without ``=``) may be stated."""
    table = ctx.symbol_table()
    declared = set(table.symbols)
    out = []
    for _, math, _bridged in _segments(text_blocks):
        math = sized_identities(math, declared)
        math = objective_of(math) or math
        if len(split_top_level(math)) == 1 and _in_symbols([math], table, declared):
            out.append(math)
    return out


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


_CITED = re.compile(
    r"\b(?:well[- ]known|known (?:identity|result|fact|lemma)|standard (?:identity|result)|it is known|"
    r"(?:woodbury|push[- ]through|matrix inversion lemma|sherman[- ]morrison)(?: identity| lemma| formula)?"
    r"|by (?:a |the )?(?:known|standard) )",
    re.I,
)
"""Words that cite a result instead of deriving it ("a known identity", "by the Woodbury identity")."""


def cited_goal(
    held: list[Step], text_blocks: list[tuple[int | None, str, bool]], ctx: Context
) -> ClaimResult | None:
    """The step that states the result the question asks to show (``goal``) and cites it as known
    (:data:`_CITED`, on its line or the line before it), when no step reaches a target: the result is
    asserted, not shown (partial, flag ``no_derivation``). None otherwise."""
    goal = list(ctx.answer.goal)
    if not goal:
        return None
    texts = {bi: text for bi, text, _ in text_blocks}
    for step in held:
        if not all(targets_shown(goal, [step], ctx).values()):
            continue
        text = texts.get(step.block, "")
        lines = text.splitlines()
        first = split_top_level(step.math)[0][1].strip()[:12]
        at = next((i for i, line in enumerate(lines) if first and first in line), None)
        near = " ".join(lines[max(0, at - 1) : at + 1]) if at is not None else ""
        if _CITED.search(near):
            return ClaimResult(
                answer=ctx.answer.id,
                text=step.math,
                verdict="partial",
                source="step",
                block=step.block,
                reference="; ".join(goal),
                explanation="states the result to be shown and cites it as known, without a step that "
                f"reaches {'; '.join(t for g in target_groups(ctx.answer) for t in g)}",
            )
    return None


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
    held: list[Step] = []  # the steps that may reach a target

    def not_judged(step: Step, why: str) -> ClaimResult:
        return ClaimResult(
            answer=ctx.answer.id,
            text=step.math,
            verdict="unparseable",
            source="step",
            block=step.block,
            explanation=why,
        )

    for step in steps:
        bi, written = step.block, step.math
        if not step.tentative:
            held.append(step)
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
        if res.verdict == "correct" and step.tentative:
            held.append(step)
        if res.verdict == "correct":
            continue
        if step.tentative:  # "min f = g" may state the minimum's value: not evidence either way
            how = "as its objective (under min)" if step.objective else "with the left side of a chain above"
            skipped.append(not_judged(step, f"step read {how} not judged: {res.explanation}"))
            continue
        if res.verdict == "incorrect" and res.evidence.get("undeclared"):
            continue  # a step in symbols the rubric does not know is not evidence
        if res.verdict == "unparseable":  # a side the engine cannot read (a derivative): not judged
            skipped.append(not_judged(step, f"step not checked: {res.explanation}"))
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
    groups = target_groups(ctx.answer)
    shown = targets_shown(
        list(dict.fromkeys(t for g in groups for t in g)), held, ctx, proof_expressions(text_blocks, ctx)
    )
    reached = any(all(shown[t] for t in g) for g in groups)
    if not reached and not any(r.verdict == "incorrect" for r in results):
        cited = cited_goal(held, text_blocks, ctx)
        if cited is not None:
            return "partial", [cited, *skipped], sorted({*flags, "no_derivation"})
    missing = [] if reached else [t for t in groups[0] if not shown[t]] if groups else []
    others = "; ".join(" and ".join(g) for g in groups[1:])
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
                + (f" (nor any alternative: {others})" if others else "")
                + "; a person must check",
            )
        )
    if not steps and not reached:
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
    fields = frozenset({"target", "target_any", "goal", "given", "instance"})
    needs_reference = False

    def field_problems(self, spec: AnswerSpec) -> list[Problem]:
        problems: list[Problem] = []
        if not spec.target and not spec.target_any:
            problems.append(("target", "a proof needs target: the identity (or identities) to show"))
        problems += [
            (f"target_any.{g}", "an empty group of targets: list the identities this alternative must reach")
            for g, group in enumerate(spec.target_any)
            if not group
        ]
        return problems

    def audit(self, ctx: Context, refs: list[Accepted]) -> list[Problem]:
        from grader.answers.formula import formula_problems

        problems: list[Problem] = []
        for key, target in _keyed_targets(ctx.answer):
            problems += [
                (key, m) for m in formula_problems(target, ctx, "target") or _undeclared(target, ctx)
            ]
        for name, latex in ctx.answer.given.items():
            problems += [(f"given.{name}", m) for m in formula_problems(latex, ctx, "given value")]
        if problems:
            return problems
        try:
            env = proof_env(ctx)
        except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError) as exc:
            return [("instance", f"cannot draw the instance: {getattr(exc, 'message', exc)}")]
        for key, target in _keyed_targets(ctx.answer):
            res = mathx.check_equation(target, ctx.symbol_table(), env=env)
            if res.verdict == "incorrect":
                problems.append((key, f"the target {target!r} is false at the instance: {res.explanation}"))
        return problems

    def reference_from_data(self, value: Any, ctx: Context) -> Reference:
        return Reference(ctx.target, self.name, str(value), method="proof outline in the rubric")

    def derived_references(self, ctx: Context) -> list[Accepted]:
        """The target identities are the reference."""
        shown = " \\text{ or } ".join(", ".join(g) for g in target_groups(ctx.answer))
        if ctx.answer.given:
            shown = ", ".join(f"{k} = {v}" for k, v in ctx.answer.given.items()) + " \\Rightarrow " + shown
        return [Accepted(Reference(ctx.target, self.name, shown, method="steps evaluated at an instance"))]

    def extract(self, attempt: Attempt, ctx: Context) -> list[Claim]:
        return free_claims(attempt, ctx.answer, with_math=True)

    def compare(self, value: str, accepted: Accepted, ctx: Context) -> CheckResult:
        outcome, results, flags = judge_steps([(None, value, False)], ctx)
        verdict = {"correct": "correct", "incorrect": "incorrect", "partial": "partial"}.get(
            outcome, "unparseable"
        )
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


def _undeclared(target: str, ctx: Context) -> list[str]:
    """A target's symbols the rubric does not declare, on any side (a formula's check reads its last)."""
    table = ctx.symbol_table()
    try:
        extra = sorted(mathx.free_symbols(mathx.parse(target, table)) - set(table.symbols))
    except (GraderError, BudgetExceeded):
        return []
    return (
        [f"target {target!r} uses undeclared symbol(s) {', '.join(extra)}: declare them under symbols"]
        if extra
        else []
    )


def _keyed_targets(spec: AnswerSpec) -> list[tuple[str, str]]:
    """(rubric key, target) of every target of every group (``target.0``, ``target_any.1.0``) and of the
    stated result (``goal.0``): each must be true at the instance."""
    keyed = [(f"target.{i}", t) for i, t in enumerate(spec.target)]
    keyed += [(f"goal.{i}", t) for i, t in enumerate(spec.goal)]
    return keyed + [
        (f"target_any.{g}.{i}", t) for g, group in enumerate(spec.target_any) for i, t in enumerate(group)
    ]


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
