"""Whether a proof's steps reach its targets (:mod:`grader.answers.proof`): a step states a target when
two sides of one chain differ by a nonzero multiple of the target's difference on random instances of the
rubric's symbols, or (a result to arrive at, a target without ``=``) when a side or a lone formula equals it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader import mathx
from grader.answers.base import Context
from grader.answers.proof_reading import Step
from grader.errors import BudgetExceeded, GraderError
from grader.latex import split_top_level
from grader.rubric import AnswerSpec

SEED = 182
"""The seed of the instances a proof is checked at (the special instance) and compared on (SEED + 1)."""


def _values(latex: str, table: Any, env: dict[str, Any]) -> np.ndarray | None:
    try:
        return np.asarray(mathx.evaluate(mathx.parse(latex, table, budget_s=0.5), env), dtype=float)
    except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError, RecursionError):
        return None


def _random_envs(ctx: Context, count: int = 2) -> list[dict[str, Any]]:
    """Random instances of the rubric's symbols (``given`` applied), where a true *identity* holds
    but a fact of the special instance (an eigen-decomposition) does not."""
    table = ctx.symbol_table()
    rng = np.random.default_rng(SEED + 1)
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


def target_groups(spec: AnswerSpec) -> list[list[str]]:
    """The groups of targets any one of which shows the result: ``target``, then each of ``target_any``."""
    return ([spec.target] if spec.target else []) + [g for g in spec.target_any if g]


def targets_shown(
    targets: list[str], steps: list[Step], ctx: Context, expressions: list[str] | None = None
) -> dict[str, bool]:
    """For each target identity: does some step (any two sides of a chain) state it, up to a factor?

    Compared on random instances where only true identities hold, so that a step true only at the
    special instance (``X X^T U_k = U_k Sigma_k^2``) does not count as reaching the target.
    """
    table = ctx.symbol_table()
    try:
        envs = _random_envs(ctx)
    except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError):
        return dict.fromkeys(targets, False)
    chains = [[p for _, p in split_top_level(step.math)] for step in steps]
    pairs = [(c[i], c[j]) for c in chains for i in range(len(c)) for j in range(i + 1, len(c))]
    out = {}
    for target in targets:
        sides = split_top_level(target)
        if len(sides) < 2:  # a result to arrive at ("2 x^T"): some step must state it
            pieces = [p for a, b in pairs for p in (a, b)] + list(expressions or [])
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
