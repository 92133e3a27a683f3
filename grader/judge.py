"""Judgements beyond one-claim checks: optimality conditions, proofs, free text, flags and reasons."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

from grader import deadline, mathx
from grader.align import Attempt
from grader.check import base_value, check_value
from grader.checkers import quantity
from grader.checkers.text_utils import check_word_limit, plain_text
from grader.claim import Claim
from grader.errors import BudgetExceeded, GraderError
from grader.latex import math_segments, normalize_name, split_top_level
from grader.models import ClaimResult, ClaimVerdict, Flag, PartVerdict
from grader.references import reference_for, reference_module
from grader.rubric import AnswerSpec, PartSpec, Rubric
from grader.score import AnswerOutcome, outcome_of


def to_claim_result(claim: Claim, answer_id: str, res: Any) -> ClaimResult:
    """A checked claim as it goes into the report."""
    return ClaimResult(
        answer=answer_id,
        text=claim.text,
        verdict=res.verdict,
        explanation=res.explanation,
        interpreted=res.interpreted,
        reference=res.reference,
        evidence=res.evidence,
        source=claim.source,
        block=claim.block,
    )


_FACTOR_RE = re.compile(r"([A-Za-z])(?:_\{?(\w)\}?)?(\^\{?(?:T|\\top|\\intercal)\}?)?")


def _factors(latex: str) -> Counter[str]:
    """The matrix factors of a formula as a multiset: W_2^\\top X X^T -> {W2T, X, XT}."""
    text = re.sub(r"\\(?:mathbf|boldsymbol|mathrm)\{([^{}]*)\}", r"\1", latex)
    text = re.sub(r"\\[A-Za-z]+", " ", text.replace("\\top", "T"))
    return Counter(
        f"{m.group(1)}{m.group(2) or ''}{'T' if m.group(3) else ''}" for m in _FACTOR_RE.finditer(text)
    )


def _resemblance(a: str, b: str) -> float:
    fa, fb = _factors(a), _factors(b)
    union = sum((fa | fb).values())
    return sum((fa & fb).values()) / union if union else 0.0


def condition_outcomes(
    claims: dict[str, list[Claim]], conditions: list[AnswerSpec], part: PartSpec, rubric: Rubric
) -> dict[str, AnswerOutcome]:
    """Assign optimality-condition equations to the conditions they state, then keep the last of each.

    An equation that matches a condition's reference (up to a nonzero scale) states that condition; an
    equation that matches none is the model's (wrong) statement of the condition it most resembles
    (by its matrix factors). Each condition's outcome is that of its last statement.
    """
    equations = claims.get(conditions[0].id, [])
    if not equations:
        return {}
    refs = {c.id: reference_for(rubric, part.id, c.id).display for c in conditions}
    assigned: dict[str, list[tuple[int, ClaimResult]]] = {c.id: [] for c in conditions}
    for index, eq in enumerate(equations):
        results = {c.id: check_value(eq.value, c, part, rubric) for c in conditions}
        hit = next((cid for cid, r in results.items() if r.verdict == "correct"), None)
        cid = hit or max(refs, key=lambda k: _resemblance(eq.value, refs[k]))
        assigned[cid].append((index, to_claim_result(eq, cid, results[cid])))
    out: dict[str, AnswerOutcome] = {}
    for cid, stated in assigned.items():
        if not stated:
            continue
        last = [max(stated, key=lambda ir: ir[0])[1]]
        flags: list[Flag] = ["dimension_error"] if any("dimension_error" in r.evidence for r in last) else []
        out[cid] = AnswerOutcome(cid, outcome_of(last), last, flags)
    return out


# --------------------------------------------------------------------------- proofs


def _proof_env(rubric: Rubric) -> dict[str, Any] | None:
    """The instance at which a PCA proof's identities are evaluated (W1 = U_k^T, W2 = U_k)."""
    mod = reference_module(rubric)
    make = getattr(mod, "pca_instance", None)
    if make is None:
        return None
    inst = make(np.random.default_rng(182), 5, 2, 8)
    sigma2 = np.asarray(inst["Sigma_k2"])
    return {
        "X": inst["X"],
        "U_k": inst["U_k"],
        "W1": inst["W1"],
        "W2": inst["W2"],
        "Sigma_k": np.sqrt(np.clip(sigma2, 0.0, None)),
    }


def _proof_steps(attempt: Attempt) -> list[tuple[int, str]]:
    """(block, equation) for every equation of a proof that involves the problem's matrices."""
    steps = []
    for bi, b in attempt.blocks:
        if b.kind not in ("math", "text"):
            continue
        for math in math_segments(b.text) or ([b.text] if b.kind == "math" else []):
            if len(split_top_level(math)) >= 2 and re.search(r"U_k|W_\{?[12]|\\Sigma", math):
                steps.append((bi, math))
    return steps


def _sides_differ(math: str, table: Any) -> bool:
    """True when the two sides of an equation both have shapes and the shapes differ."""
    pieces = split_top_level(math)
    if len(pieces) != 2:
        return False
    try:
        shapes = [mathx.shape_of(mathx.parse(p, table), table) for _, p in pieces]
    except (GraderError, BudgetExceeded):
        return False
    return shapes[0] != shapes[1]


def _established(
    steps: list[tuple[int, str]], answer: AnswerSpec, rubric: Rubric, table: Any
) -> dict[str, bool]:
    """For each equation the proof must establish: does some step state its substituted left side?

    The condition's reference ``L = R`` is substituted (e.g. W1 = U_k^T, W2 = U_k) and evaluated on
    random instances; a step piece equal to L on every instance shows the model worked with it.
    """
    rng = np.random.default_rng(7)
    envs = []
    for _ in range(2):
        env = dict(mathx.sample_env(table, rng))
        for name, latex in answer.substitute.items():
            env[name] = mathx.evaluate(mathx.parse(latex, table), env)
        envs.append(env)

    def values(latex: str) -> list[Any] | None:
        try:
            node = mathx.parse(latex, table)
            return [np.asarray(mathx.evaluate(node, e), dtype=float) for e in envs]
        except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError):
            return None

    pieces = [values(p) for _, math in steps for _, p in split_top_level(math)]
    out: dict[str, bool] = {}
    for target in answer.establishes:
        pid, aid = target.split(".")
        ref = reference_for(rubric, pid, aid)
        lhs = split_top_level(ref.display)[0][1]
        want = values(lhs)
        out[target] = want is not None and any(
            got is not None
            and all(
                g.shape == w.shape and np.allclose(g, w, rtol=1e-6, atol=1e-9)
                for g, w in zip(got, want, strict=True)
            )
            for got in pieces
        )
    return out


def _proof_outcome(
    claims: list[Claim], answer: AnswerSpec, rubric: Rubric, attempt: Attempt
) -> AnswerOutcome:
    """A proof is correct when every step is true at the problem's instance and it shows what it must."""
    env = _proof_env(rubric)
    table = rubric.symbol_table()
    steps = _proof_steps(attempt)
    results: list[ClaimResult] = []
    flags: list[Flag] = []
    for bi, math in steps:
        if deadline.out_of_time():
            results.append(
                ClaimResult(
                    answer=answer.id, text=math, verdict="timeout", explanation=deadline.reason(), block=bi
                )
            )
            continue
        try:
            res = mathx.check_equation(math, table, env=env)
        except (GraderError, BudgetExceeded) as exc:
            res = None
            results.append(
                ClaimResult(
                    answer=answer.id, text=math, verdict="unparseable", explanation=str(exc), block=bi
                )
            )
        if res is None or res.verdict == "correct":
            continue
        results.append(
            ClaimResult(
                answer=answer.id,
                text=math,
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
    missing = [t for t, ok in _established(steps, answer, rubric, table).items() if not ok]
    for target in missing:
        ref = reference_for(rubric, *target.split("."))
        results.append(
            ClaimResult(
                answer=answer.id,
                text="(not shown)",
                verdict="incorrect",
                source="step",
                explanation=f"the proof never evaluates the condition {ref.display} at "
                + ", ".join(f"{k} = {v}" for k, v in answer.substitute.items()),
                reference=ref.display,
            )
        )
    definite = [r for r in results if r.verdict == "incorrect"]
    outcome = "incorrect" if definite else ("needs_review" if results else "correct")
    return AnswerOutcome(answer.id, outcome, results, sorted(set(flags)))


# --------------------------------------------------------------------------- free text


def _facts(rubric: Rubric) -> list[quantity.Fact]:
    mod = reference_module(rubric)
    out = []
    for f in getattr(mod, "FACTS", []):
        unit = str(f["unit"])
        value = base_value(float(f["value"]), unit)
        out.append(quantity.Fact(value=value, unit=unit, sentence=str(f.get("sentence", ""))))
    return out


def _free_text_outcome(
    claims: list[Claim], answer: AnswerSpec, part: PartSpec, rubric: Rubric
) -> AnswerOutcome:
    text = claims[0].value
    flags: list[Flag] = []
    notes: list[str] = []
    evidence: dict[str, Any] = {}
    if answer.check_facts:
        bad = quantity.unsupported_numbers(text, _facts(rubric))
        if bad:
            flags.append("hallucinated_fact")
            evidence["unsupported"] = [f"{q.text}: {why}" for q, why in bad]
            notes.append("states numbers the source does not contain: " + "; ".join(evidence["unsupported"]))
    if answer.misconceptions:
        plain = plain_text(text)
        invented = [m for m in answer.misconceptions if any(re.search(pt, plain, re.I) for pt in m.patterns)]
        if invented:
            if "hallucinated_fact" not in flags:
                flags.append("hallucinated_fact")
            evidence["not_in_source"] = [m.text for m in invented]
            notes.append("cites what the source does not say: " + "; ".join(m.text for m in invented))
    if part.word_limit:
        ok, words = check_word_limit(text, part.word_limit)
        evidence["words"] = words
        if not ok:
            flags.append("word_limit")
            notes.append(f"{words} words for a limit of about {part.word_limit}")
    verdict: ClaimVerdict = "partial" if flags else "correct"
    outcome = "partial" if flags else "needs_review"
    explanation = "; ".join(notes) or "free text: no deterministic check settles it; facts and form are fine"
    result = ClaimResult(
        answer=answer.id,
        text=claims[0].text,
        verdict=verdict,
        explanation=explanation,
        evidence=evidence,
        source="text",
        block=claims[0].block,
    )
    return AnswerOutcome(answer.id, outcome, [result], flags)


def special_outcome(
    claims: list[Claim], answer: AnswerSpec, part: PartSpec, rubric: Rubric, attempt: Attempt
) -> AnswerOutcome:
    """Outcome of a free-text or derivation answer (no single formula to compare)."""
    if answer.kind == "derivation":
        return _proof_outcome(claims, answer, rubric, attempt)
    return _free_text_outcome(claims, answer, part, rubric)


# --------------------------------------------------------------------------- flags and reasons


def claim_flags(results: list[ClaimResult], answer: AnswerSpec, rubric: Rubric) -> list[Flag]:
    """Flags raised by checked claims (dimension errors, numbers the source does not contain)."""
    flags: list[Flag] = []
    if any("dimension_error" in r.evidence for r in results):
        flags.append("dimension_error")
    if answer.kind == "quantity" and any(r.verdict == "incorrect" for r in results):
        facts = _facts(rubric)
        for r in results:
            if r.verdict == "incorrect" and quantity.unsupported_numbers(r.text, facts):
                flags.append("hallucinated_fact")
                break
    return flags


def _restates_objective(seg: str, part: PartSpec) -> bool:
    """An equation that only restates the problem (its objective, or an argmin)."""
    if "argmin" in seg or "arg\\min" in seg:
        return True
    lhs = normalize_name(split_top_level(seg)[0][1])
    names = {normalize_name(n) for o in part.objectives for n in o.names}
    return bool(lhs) and lhs in names


def shows_working(attempt: Attempt, claim_texts: list[str], part: PartSpec) -> bool:
    """True when the attempt has a formula that is working: neither an answer statement nor a
    restatement of the problem."""
    claimed = [t for t in claim_texts if t]
    working = 0
    for _, b in attempt.blocks:
        if b.kind not in ("text", "math"):
            continue
        segments = math_segments(b.text) or ([b.text] if b.kind == "math" else [])
        for seg in segments:
            if "=" not in seg and "\\le" not in seg:
                continue
            if any(seg.strip() == c.strip() or c.strip() in seg for c in claimed):
                continue
            if _restates_objective(seg, part):
                continue
            working += 1
    return working >= 1


def attempt_flags(
    attempt: Attempt, part: PartSpec, claim_texts: list[str], derived_before: bool
) -> list[Flag]:
    """``no_derivation``: the part asks for a derivation, and neither this attempt nor an earlier one
    shows working beyond the answer statements themselves."""
    if not part.asks_derivation or derived_before or shows_working(attempt, claim_texts, part):
        return []
    return ["no_derivation"]


def reason(part: PartSpec, outcomes: dict[str, AnswerOutcome], verdict: PartVerdict) -> str:
    """One line that says why the final verdict is what it is."""
    bad = [o for o in outcomes.values() if o.outcome not in ("correct",)]
    if verdict == "correct":
        return "all answers match the reference"
    if not outcomes:
        return "no answer stated"
    pieces = []
    for o in bad:
        if o.outcome == "inconsistent":
            said = "; ".join(
                f"the {c.source or 'text'} says {c.interpreted or c.text} ({c.verdict})" for c in o.claims
            )
            pieces.append(f"{o.answer}: two different final answers: {said}")
            continue
        wrong = [c for c in o.claims if c.verdict == "incorrect" and c.explanation]
        other = [c for c in o.claims if c.verdict != "correct" and c.explanation]
        expl = (wrong or other)[0].explanation if (wrong or other) else ""
        pieces.append(f"{o.answer}: {o.outcome}" + (f" ({expl})" if expl else ""))
    return "; ".join(pieces)[:400]
