"""CS182 Fall 2025 HW2: references for Q1 (penalised linear improvement), Q2 (implicit bias), Q5.

``get(key)`` builds the :class:`~reference_solutions.types.Reference` for ``<part>.<answer>``;
``reproduce(key)`` re-derives it numerically on many random instances and reports the error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from . import hw2_q1, hw2_q2, protocols
from .backend import Backend
from .optimizers import LIMIT_OF, make_optimizer, q2_closed_form, random_q2_problems, run_q2_batch
from .reproduction import Reproduced, reproduce_with
from .types import Env, Reference

HOMEWORK = "cs182-fa25-hw2"
Q5_KEYS = tuple(f"q5.{p}_{w}" for p in protocols.PROTOCOLS for w in ("count", "size"))
KEYS: tuple[str, ...] = (
    "q1a.u",
    "q1a.optimizer",
    "q1b.u",
    "q1b.optimizer",
    "q2a.theta",
    "q2b.theta",
    "q2c.theta",
    *Q5_KEYS,
)
Q1B_VARIANTS = ("squared", "unsquared")
__all__ = ["KEYS", "Q1B_VARIANTS", "evaluate_at", "get", "reproduce"]


@cache
def _derivation(name: str) -> hw2_q1.Derivation:
    return {
        "q1a": hw2_q1.derive_q1a,
        "squared": hw2_q1.derive_q1b_squared,
        "unsquared": hw2_q1.derive_q1b_unsquared,
    }[name]()


@cache
def _q5_formula(answer: str) -> sp.Expr:
    return sp.factor(protocols.fit_closed_form(answer))


def _check_variant(key: str, variant: str | None) -> str | None:
    if key.startswith("q1b."):
        if variant not in (None, *Q1B_VARIANTS):
            raise ValueError(f"{HOMEWORK}.{key}: unknown variant {variant!r}; use one of {Q1B_VARIANTS}")
        return variant or "squared"
    if variant is not None:
        raise ValueError(f"{HOMEWORK}.{key} has no variants (got {variant!r})")
    return None


def _q1_u(key: str, variant: str | None) -> Reference:
    target = f"{HOMEWORK}.{key}"
    if key == "q1a.u":
        der = _derivation("q1a")
        return Reference(
            target=target,
            kind="expression",
            display=der.latex,
            evaluate=lambda env: hw2_q1.q1a_numeric(float(env["alpha"]), np.asarray(env["g"])),
            method="numeric argmin of g^T u + ||u||^2/alpha (Newton on finite differences); "
            "display from sympy solving the stationarity condition",
            evidence={"steps": list(der.steps)},
        )
    der = _derivation(variant or "squared")
    if variant == "unsquared":
        return Reference(
            target=target,
            kind="expression",
            display=der.latex,
            evaluate=lambda env: hw2_q1.q1b_unsquared_direction(float(env["alpha"]), np.asarray(env["g"])),
            method="case analysis of the linear 1-D reduction phi(m) = m(1/alpha - ||g||_1): minimiser 0 "
            "when ||g||_1 < 1/alpha, unbounded when ||g||_1 > 1/alpha; direction -sign(g) (numeric)",
            evidence={
                "mode": "positive_scale",
                "steps": list(der.steps),
                "threshold": sp.latex(der.solution),
            },
        )
    return Reference(
        target=target,
        kind="expression",
        display=der.latex,
        evaluate=lambda env: hw2_q1.q1b_numeric(float(env["alpha"]), np.asarray(env["g"])),
        method="exact 1-D reduction u = -m sign(g), minimised numerically over m (golden section); "
        "display from sympy on phi(m) = -m||g||_1 + m^2/alpha",
        evidence={"steps": list(der.steps)},
    )


def _q1_optimizer(key: str) -> Reference:
    if key == "q1a.optimizer":
        return Reference(
            target=f"{HOMEWORK}.{key}",
            kind="name",
            display="gradient descent (SGD with learning rate alpha/2)",
            value=["gradient_descent"],
            method="u = -(alpha/2) g is a gradient step with learning rate alpha/2",
        )
    return Reference(
        target=f"{HOMEWORK}.{key}",
        kind="name",
        display="sign descent (signSGD)",
        value=["sign_descent"],
        method="u is proportional to -sign(g): sign descent; in the squared variant the step is "
        "scaled by ||g||_1 (u = -(alpha/2)||g||_1 sign(g)), in the unsquared one only the direction is set",
    )


def _q2(key: str) -> Reference:
    part = key.split(".")[0]
    exact = hw2_q2.exact_theta(part)
    run = hw2_q2.run_part(part)
    return Reference(
        target=f"{HOMEWORK}.{key}",
        kind="vector",
        display=hw2_q2.latex_vector(exact),
        value=np.array([float(x) for x in exact]),
        method=hw2_q2.PARTS[part][1] + "; exact by linear algebra, reproduced by running the optimizer",
        evidence={"exact": [str(x) for x in exact], "run": run.as_evidence()},
    )


def _q5(key: str) -> Reference:
    answer = key.split(".")[1]
    formula = _q5_formula(answer)
    return Reference(
        target=f"{HOMEWORK}.{key}",
        kind="count_formula",
        display=sp.latex(formula),
        evaluate=lambda env: protocols.measure(answer, int(env["n"]), int(env["p"])),
        method="message-level simulation (values really moved between n workers, full sum checked); "
        "formula interpolated with sympy for n = 2..8 and checked for n = 2..16",
        evidence={"formula": str(formula), "checked_n": [2, 16]},
    )


def get(key: str, variant: str | None = None) -> Reference:
    """The reference for ``<part>.<answer>`` (e.g. ``"q1b.u"``, variant ``"unsquared"``).

    Example:
        >>> get("q2b.theta").value.round(4).tolist()
        [0.9009, 0.9009, 0.9009]
    """
    if key not in KEYS:
        raise KeyError(f"{HOMEWORK}: unknown key {key!r}; known keys: {', '.join(KEYS)}")
    variant = _check_variant(key, variant)
    if key.endswith(".u"):
        return _q1_u(key, variant)
    if key.endswith(".optimizer"):
        return _q1_optimizer(key)
    if key.startswith("q2"):
        return _q2(key)
    return _q5(key)


# --- reproductions ---------------------------------------------------------------------------


def _q1_instances(rng: np.random.Generator, instances: int) -> list[tuple[float, np.ndarray]]:
    return [
        (float(rng.uniform(0.1, 5.0)), rng.normal(size=int(rng.integers(2, 7)))) for _ in range(instances)
    ]


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b))) / max(float(np.linalg.norm(b)), 1e-300)


def _reproduce_q1(key: str, rng: np.random.Generator, instances: int) -> tuple[Any, Any, float, str]:
    closed: Callable[[float, np.ndarray], np.ndarray]
    if key.startswith("q1a"):
        numeric, closed = hw2_q1.q1a_numeric, lambda al, g: -(al / 2) * g
        step_of = ("sgd", lambda al, g: al / 2)
    else:
        numeric, closed = hw2_q1.q1b_numeric, lambda al, g: -(al / 2) * np.abs(g).sum() * np.sign(g)
        step_of = ("sign_sgd", lambda al, g: al * np.abs(g).sum() / 2)
    worst, cases = 0.0, _q1_instances(rng, instances)
    for alpha, g in cases:
        u = numeric(alpha, g)
        if key.endswith(".u"):
            worst = max(worst, _rel(u, closed(alpha, g)))
            if key.startswith("q1b"):
                worst = max(worst, _rel(hw2_q1.q1b_generic(alpha, g), closed(alpha, g)))
        else:  # the argmin is one step of the named optimizer from 0
            step = make_optimizer(step_of[0]).step(np.zeros((1, g.size)), g[None, :], step_of[1](alpha, g))
            worst = max(worst, _rel(u, step[0]))
    alpha, g = cases[0]
    what = "numeric argmin vs closed form" if key.endswith(".u") else f"argmin vs one {step_of[0]} step"
    return numeric(alpha, g).tolist(), closed(alpha, g).tolist(), worst, what


def _reproduce_q2(
    key: str, bk: Backend, rng: np.random.Generator, instances: int
) -> tuple[Any, Any, float, str]:
    part = key.split(".")[0]
    run = hw2_q2.run_part(part, backend=bk)
    method = hw2_q2.PARTS[part][0]
    A, b = random_q2_problems(rng, instances)
    theta = run_q2_batch(method, A, b, steps=400, backend=bk)
    ref = q2_closed_form(LIMIT_OF[method], A, b)
    rel = np.linalg.norm(theta - ref, axis=1) / np.linalg.norm(ref, axis=1)
    worst = max(float(rel.max()), _rel(run.theta, run.exact))
    what = f"{method} run 400 steps on the homework problem and on random single equations"
    return run.theta, run.exact, worst, what


def _reproduce_q5(key: str, rng: np.random.Generator, instances: int) -> tuple[Any, Any, float, str]:
    answer = key.split(".")[1]
    formula = _q5_formula(answer)
    worst = 0.0
    measured: list[float] = []
    predicted: list[float] = []
    for _ in range(instances):
        n = int(rng.integers(2, 17))
        p = n * int(rng.integers(1, 65))
        expected = float(formula.subs({protocols.N: n, protocols.P: p}))
        got = float(protocols.measure(answer, n, p))
        worst = max(worst, abs(got - expected) / expected)
        if len(measured) < 8:
            measured.append(got)
            predicted.append(expected)
    what = f"simulated traffic on random (n, p) vs the fitted formula {sp.latex(formula)} (first 8 instances shown)"
    return measured, predicted, worst, what


def reproduce(key: str, *, device: str = "auto", instances: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Re-derive the reference for ``key`` numerically on ``instances`` random problems.

    Q2 runs the optimizers batched (torch/CUDA when ``device`` resolves to it); Q1 and Q5 run on
    numpy. ``result`` is the reproduced value (for Q2 the theta of the homework's own problem),
    ``max_rel_error`` the worst relative disagreement with the closed form over all instances.

    Example:
        >>> reproduce("q2a.theta", device="cpu", instances=10)["max_rel_error"] < 1e-9
        True
    """

    def body(bk: Backend, rng: np.random.Generator, count: int) -> Reproduced:
        if key.startswith("q2"):
            result, reference, worst, what = _reproduce_q2(key, bk, rng, count)
            return Reproduced(result, reference, worst, what, backend=bk, cpu_only=False)
        run = _reproduce_q1 if key.startswith("q1") else _reproduce_q5
        return Reproduced(*run(key, rng, count))

    return reproduce_with(HOMEWORK, key, KEYS, body, device=device, instances=instances, seed=seed)


def evaluate_at(key: str, env: Env, variant: str | None = None) -> Any:
    """Shortcut: ``get(key, variant).evaluate(env)`` (raises ValueError for constant answers).

    Example:
        >>> evaluate_at("q5.ring_count", {"n": 3, "p": 6})
        12
    """
    ref = get(key, variant)
    if ref.evaluate is None:
        raise ValueError(f"{ref.target} is a constant: use .value")
    return ref.evaluate(env)
