"""Random-instance comparison of a claim with a reference, and the reasons given when they differ.

Each comparison draws several independent instances (``N_INSTANCES``; integer symbols first take
their smallest exact values), skips degenerate draws (non-finite values, zero reference in the
scale modes) and resamples, compares with relative tolerance ``RTOL`` (or the written-precision
rule of ``numbers.py`` for decimal literals), and on failure explains: a constant ratio (sign,
"missing the factor 1/2"), a different norm, or the separating instance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from grader.errors import GraderError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.numbers import matches_written, written_unit
from grader.mathx.numeric import EvalError, evaluate, sample_env
from grader.mathx.symbols import SymbolSpec, SymbolTable

N_INSTANCES = 6
MAX_DRAWS = 40
RTOL = 1e-6
MODES = ("value", "positive_scale", "nonzero_scale")


@dataclass
class Outcome:
    """Result of a numeric comparison: ``equal`` and the evidence gathered."""

    equal: bool
    reason: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    instances: int = 0


def _round(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        return np.round(v.astype(float), 4).tolist()
    if isinstance(v, float | int):
        return float(f"{float(v):.6g}")
    return v


def rounded_env(env: Mapping[str, Any], only: set[str] | None = None) -> dict[str, Any]:
    """The instance with values rounded for display (restricted to ``only`` when given)."""
    return {k: _round(v) for k, v in env.items() if not k.startswith("__") and (only is None or k in only)}


class _Tracking(dict):  # type: ignore[type-arg]
    """An instance that records which symbols a reference reads, so evidence names only those."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.used.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return super().get(key, default)


def answer_units(node: A.Node) -> list[float | None] | None:
    """Per-element written units of a decimal literal (scalar or vector/matrix literal), else None."""
    if isinstance(node, A.Quantity):
        node = node.value
    if isinstance(node, A.Matrix):
        units = [written_unit(x) for row in node.rows for x in row]
    elif isinstance(node, A.Tuple):
        units = [written_unit(x) for x in node.items]
    else:
        units = [written_unit(node)]
    return units if any(u is not None for u in units) else None


def _finite(v: Any) -> bool:
    return bool(np.all(np.isfinite(np.asarray(v, dtype=float))))


def same_shape(a: Any, b: Any) -> bool:
    """Whether two evaluated values have the same shape (scalar vs array counts)."""
    return np.shape(a) == np.shape(b)


def values_close(ans: Any, ref: Any, units: list[float | None] | None = None) -> bool:
    """Element-wise closeness: written precision where ``units`` say so, else relative RTOL."""
    a = np.asarray(ans, dtype=float).ravel()
    r = np.asarray(ref, dtype=float).ravel()
    if a.shape != r.shape:
        return False
    scale = max(float(np.max(np.abs(r))) if r.size else 0.0, 1e-12)
    for k, (x, y) in enumerate(zip(a, r, strict=True)):
        unit = units[k] if units is not None and k < len(units) else None
        if unit is not None:
            if not matches_written(float(x), float(y), unit):
                return False
        elif abs(x - y) > RTOL * max(abs(x), abs(y)) + 1e-9 * scale + 1e-12:
            return False
    return True


def _ratio(ans: Any, ref: Any) -> float | None:
    a = np.asarray(ans, dtype=float).ravel()
    r = np.asarray(ref, dtype=float).ravel()
    if a.shape != r.shape:
        return None
    rr = float(r @ r)
    if rr < 1e-24:
        return None
    c = float(a @ r) / rr
    if np.linalg.norm(a - c * r) > 1e-6 * max(np.linalg.norm(a), np.linalg.norm(r)) + 1e-12:
        return None
    return c


def _nice(c: float) -> str:
    frac = Fraction(c).limit_denominator(12)
    if abs(float(frac) - c) < 1e-6 * max(1, abs(c)):
        return str(frac)
    return f"{c:.4g}"


def ratio_reason(c: float) -> str:
    """Explain an answer that is a constant multiple ``c`` of the reference."""
    if abs(c + 1) < 1e-6:
        return "sign differs"
    sign = "sign differs and " if c < 0 else ""
    m = abs(c)
    frac = Fraction(m).limit_denominator(12)
    exact = abs(float(frac) - m) < 1e-6 * max(1, m)
    if exact and m > 1:
        inv = Fraction(1) / frac
        return f"{sign}missing the factor {inv} (the answer is {frac} × the reference)"
    if exact and m < 1:
        return f"{sign}extra factor {frac} (the answer is {frac} × the reference)"
    return f"{sign}the answer is {_nice(c)} × the reference"


def instance_envs(table: SymbolTable, rng: np.random.Generator) -> Any:
    """Instances to try: first the smallest exact values of integer symbols, then random draws."""
    ints = [
        s
        for s in table.symbols.values()
        if s.kind == "scalar" and s.integer and s.value is None and not s.multiple_of
    ]
    for k in range(3 if ints else 0):
        env = sample_env(table, rng)
        for s in ints:
            lo = int(s.min) if s.min is not None else (1 if s.positive else 0)
            v = lo + k
            env[s.name] = float(min(v, int(s.max)) if s.max is not None else v)
        for s in table.symbols.values():
            if s.multiple_of and s.multiple_of in env and s.value is None:
                env[s.name] = float(env[s.multiple_of] * (1 + k % 2))
        yield env
    while True:
        yield sample_env(table, rng)


def numeric_compare(
    answer: A.Node,
    reference: Callable[[Mapping[str, Any]], Any],
    table: SymbolTable,
    *,
    mode: str = "value",
    units: list[float | None] | None = None,
    seed: int = 0,
    n: int = N_INSTANCES,
    fixed_env: Mapping[str, Any] | None = None,
    constant_scale: bool = True,
) -> Outcome:
    """Compare ``answer`` with ``reference(env)`` on ``n`` good instances (see module notes).

    In the scale modes, scalar values must differ by the same factor on every instance (any two scalars
    are proportional on one instance: ``2x+4y-3 = 0`` is not a multiple of ``2x+4y-4 = 0``), unless
    ``constant_scale`` is False (an answer with a free scale symbol, ``-C``, C drawn per instance).
    Vectors and matrices must be proportional on each instance; the factor may depend on the instance
    (``g + \\frac{2}{\\alpha}u`` is ``\\frac{2}{\\alpha}`` times ``u + \\frac{\\alpha}{2}g``).
    """
    rng = np.random.default_rng(seed)
    envs = iter([dict(fixed_env)]) if fixed_env is not None else instance_envs(table, rng)
    good, draws = 0, 0
    ratios: list[float | None] = []
    last_error = ""
    for env in envs:
        draws += 1
        if draws > MAX_DRAWS:
            break
        budget.check()
        env = _Tracking(env)
        try:
            ref = reference(env)
        except (EvalError, ZeroDivisionError, FloatingPointError, ValueError, np.linalg.LinAlgError):
            continue
        if not _finite(ref):
            continue
        try:
            ans = evaluate(answer, env)
        except EvalError as exc:
            last_error = exc.message
            return Outcome(
                False, f"cannot evaluate the answer: {exc.message}", {"instance": rounded_env(env)}
            )
        if isinstance(ans, np.ndarray) and not isinstance(ref, np.ndarray) and ref == 0:
            ref = np.zeros_like(ans)  # a literal 0 adapts to any shape
        elif isinstance(ref, np.ndarray) and not isinstance(ans, np.ndarray) and ans == 0:
            ans = np.zeros_like(ref)
        if not same_shape(ans, ref):
            return Outcome(False, f"shape {_shape_text(ans)} vs {_shape_text(ref)}", {"shape_mismatch": True})
        if not _finite(ans):
            if fixed_env is None:
                continue
        if fixed_env is None and _badly_scaled(ans, ref):
            continue  # values past float range or near underflow: equal-looking by saturation, redraw
        ok = _mode_ok(ans, ref, mode, units)
        if ok is None:
            continue
        good += 1
        ratios.append(_ratio(ans, ref))
        if ok and mode != "value" and constant_scale and np.size(ans) == 1 and not _same_factor(ratios):
            ok = False  # two scalars are always proportional on one instance: the factor must be constant
        if not ok:
            shown = env.used | A.free_symbols(answer) if env.used else None
            evidence = {
                "instance": rounded_env(env, shown),
                "answer_value": _round(ans if isinstance(ans, np.ndarray) else float(ans)),
                "reference_value": _round(ref if isinstance(ref, np.ndarray) else float(ref)),
            }
            return Outcome(False, "", evidence, good)
        if good >= n:
            break
    if good == 0:
        return Outcome(
            False, last_error or "no valid instance (every draw was degenerate)", {"degenerate": True}
        )
    return Outcome(True, "", {"instances": good}, good)


SCALE_LIMITS = (1e-100, 1e100)
"""Instances whose values fall outside this magnitude range are redrawn: floats lose the difference
between (x-a)^{5999} and (x-a)^{6000} there."""


def _badly_scaled(ans: Any, ref: Any) -> bool:
    """Whether an instance's values are too large or too small for floats to tell apart (not zero)."""
    values = np.abs(
        np.concatenate([np.asarray(ans, dtype=float).ravel(), np.asarray(ref, dtype=float).ravel()])
    )
    nonzero = values[values > 0]
    if nonzero.size == 0:
        return False
    return bool(nonzero.max() > SCALE_LIMITS[1] or nonzero.min() < SCALE_LIMITS[0])


def _same_factor(ratios: list[float | None]) -> bool:
    """Whether the answer/reference factors seen so far agree (instances with no factor are skipped)."""
    known = [r for r in ratios if r is not None]
    return not known or max(known) - min(known) <= 1e-6 * max(1.0, abs(known[0]))


def _mode_ok(ans: Any, ref: Any, mode: str, units: list[float | None] | None) -> bool | None:
    if mode == "value":
        return values_close(ans, ref, units)
    a = np.asarray(ans, dtype=float).ravel()
    r = np.asarray(ref, dtype=float).ravel()
    r_norm = float(np.linalg.norm(r))
    if r_norm < 1e-12:
        return None if float(np.linalg.norm(a)) > 1e-12 or mode == "positive_scale" else True
    c = _ratio(a, r)
    if c is None:
        return False
    return c > 1e-12 if mode == "positive_scale" else abs(c) > 1e-12


def _shape_text(v: Any) -> str:
    shape = np.shape(v)
    if not shape:
        return "scalar"
    return f"({shape[0]},)" if len(shape) == 1 else f"({shape[0]}×{shape[1]})"


def explain_difference(
    answer: A.Node,
    reference: Callable[[Mapping[str, Any]], Any],
    table: SymbolTable,
    outcome: Outcome,
) -> str:
    """A reason for a failed comparison: constant ratio, other norm, or the separating instance."""
    if outcome.reason:
        return outcome.reason
    try:
        probe = numeric_compare(answer, reference, table, mode="nonzero_scale")
        if probe.equal:
            c = _constant_ratio(answer, reference, table)
            if c is not None and abs(c - 1) > 1e-6:
                return ratio_reason(c)
        norm = _norm_reason(answer, reference, table)
        if norm:
            return norm
    except (GraderError, ValueError, ArithmeticError):
        pass
    ev = outcome.evidence
    if "instance" in ev:
        where = ", ".join(f"{k} = {_brief(v)}" for k, v in ev["instance"].items())
        return (
            f"differs at {where}: answer {_brief(ev.get('answer_value'))}, "
            f"reference {_brief(ev.get('reference_value'))}"
        )
    return "differs from the reference"


def _brief(value: Any, limit: int = 4) -> str:
    """A value for a one-line explanation: short lists as they are, long ones abbreviated (the full
    value stays in the evidence)."""
    if isinstance(value, list):
        flat = (
            np.asarray(value, dtype=object).ravel().tolist()
            if value and isinstance(value[0], list)
            else value
        )
        shape = "×".join(str(n) for n in np.shape(value))
        if len(flat) > limit:
            return f"[{', '.join(str(x) for x in flat[:limit])}, …] ({shape})"
        return str(value)
    return str(value)


def _constant_ratio(
    answer: A.Node, reference: Callable[[Mapping[str, Any]], Any], table: SymbolTable
) -> float | None:
    rng = np.random.default_rng(1)
    ratios: list[float] = []
    for env in instance_envs(table, rng):
        if len(ratios) >= 4 or len(ratios) < 0:
            break
        try:
            c = _ratio(evaluate(answer, env), reference(env))
        except EvalError:
            return None
        if c is None:
            return None
        ratios.append(c)
    if ratios and max(ratios) - min(ratios) <= 1e-6 * max(1.0, abs(ratios[0])):
        return ratios[0]
    return None


def _norm_reason(answer: A.Node, reference: Callable[[Mapping[str, Any]], Any], table: SymbolTable) -> str:
    from grader.mathx.claims import substitute_node

    names = {"1": "ℓ1", "2": "ℓ2", "inf": "ℓ∞", "F": "Frobenius"}
    for node in A.walk(answer):
        if isinstance(node, A.Norm):
            for alt in ("1", "2", "inf"):
                if alt == node.p:
                    continue
                swapped = substitute_node(answer, node, A.Norm(node.arg, alt))
                if numeric_compare(swapped, reference, table).equal:
                    return f"norm is {names[node.p]}, expected {names[alt]}"
    return ""


def undeclared(answer: A.Node, table: SymbolTable, extra: set[str]) -> list[str]:
    """Symbols of ``answer`` that neither the table nor ``extra`` declares."""
    names = A.free_symbols(answer) - set(table.symbols) - extra
    return sorted(names)


def with_scalars(table: SymbolTable, names: list[str] | set[str], positive: bool) -> SymbolTable:
    """``table`` plus scalar symbols ``names`` (positive when asked)."""
    extra = {n: SymbolSpec(n, positive=positive) for n in names if n not in table.symbols}
    return table.merged(SymbolTable(symbols=extra)) if extra else table
