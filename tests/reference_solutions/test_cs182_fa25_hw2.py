"""HW2 references against the gold answers (computed independently here) and random instances."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from reference_solutions import cs182_fa25_hw2 as hw2
from reference_solutions import protocols
from reference_solutions.hw2_q1 import q1b_generic, q1b_unsquared_case
from reference_solutions.types import Reference


def _instances(seed: int, count: int = 25) -> list[tuple[float, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [(float(rng.uniform(0.05, 8.0)), rng.normal(size=int(rng.integers(2, 7)))) for _ in range(count)]


# --- Q1 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,variant,closed_form",
    [
        # (a) Euclidean penalty: u = -(alpha/2) g
        ("q1a.u", None, lambda al, g: -(al / 2) * g),
        # (b) squared infinity norm: u = -(alpha/2) ||g||_1 sign(g)
        ("q1b.u", None, lambda al, g: -(al / 2) * np.abs(g).sum() * np.sign(g)),
        ("q1b.u", "squared", lambda al, g: -(al / 2) * np.abs(g).sum() * np.sign(g)),
        # (b) unsquared (typo) version: only the direction -sign(g)
        ("q1b.u", "unsquared", lambda al, g: -np.sign(g)),
    ],
)
def test_q1_evaluate_matches_closed_form(key: str, variant: str | None, closed_form) -> None:
    ref = hw2.get(key, variant)
    assert ref.kind == "expression" and ref.evaluate is not None
    for alpha, g in _instances(1):
        got = np.asarray(ref.evaluate({"alpha": alpha, "g": g}))
        assert got.shape == g.shape
        assert np.allclose(got, closed_form(alpha, g), rtol=1e-6, atol=1e-9)


def test_q1b_squared_agrees_with_generic_lp_method() -> None:
    ref = hw2.get("q1b.u")
    for alpha, g in _instances(2, 15):
        assert np.allclose(
            ref.evaluate({"alpha": alpha, "g": g}), q1b_generic(alpha, g), rtol=1e-6, atol=1e-9
        )


def test_q1b_squared_beats_random_feasible_points() -> None:
    # the objective at the reference is no larger than at 2000 random points (a crude global check)
    rng = np.random.default_rng(3)
    alpha, g = 1.7, np.array([0.4, -1.3, 2.0])
    u = hw2.get("q1b.u").evaluate({"alpha": alpha, "g": g})
    J = lambda v: float(g @ v + np.max(np.abs(v)) ** 2 / alpha)  # noqa: E731
    assert all(J(u) <= J(v) + 1e-12 for v in rng.normal(scale=3.0, size=(2000, 3)))


@pytest.mark.parametrize(
    "alpha,g,case",
    [
        (1.0, [0.2, -0.3], "zero"),  # ||g||_1 = 0.5 < 1/alpha
        (1.0, [2.0, -0.3], "unbounded"),  # ||g||_1 = 2.3 > 1/alpha
        (0.5, [1.0, 1.0], "tie"),  # ||g||_1 = 1/alpha
    ],
)
def test_q1b_unsquared_cases(alpha: float, g: list[float], case: str) -> None:
    assert q1b_unsquared_case(alpha, np.array(g)) == case


def test_q1b_unsquared_reference_is_direction_only() -> None:
    ref = hw2.get("q1b.u", "unsquared")
    assert ref.evidence["mode"] == "positive_scale"
    assert r"\frac{1}{\alpha}" in ref.display and r"\infty" in ref.display


@pytest.mark.parametrize(
    "key,variant,must_contain",
    [
        ("q1a.u", None, [r"\alpha", "g", "2"]),
        ("q1b.u", None, [r"\alpha", r"\|g\|_{1}", r"\operatorname{sign}"]),
    ],
)
def test_q1_display_comes_from_the_derivation(key: str, variant: str | None, must_contain: list[str]) -> None:
    ref = hw2.get(key, variant)
    assert all(s in ref.display for s in must_contain)
    assert ref.evidence["steps"][-1].endswith(ref.display)


@pytest.mark.parametrize(
    "key,accepted,method_mentions",
    [
        ("q1a.optimizer", ["gradient_descent"], "alpha/2"),
        ("q1b.optimizer", ["sign_descent"], "||g||_1"),
    ],
)
def test_q1_optimizer_names(key: str, accepted: list[str], method_mentions: str) -> None:
    ref = hw2.get(key)
    assert (ref.kind, ref.value) == ("name", accepted)
    assert method_mentions in ref.method


# --- Q2 ------------------------------------------------------------------------------------

A = [Fraction(1), Fraction(1, 10), Fraction(1, 100)]


def _gold_q2(part: str) -> list[Fraction]:
    if part == "q2a":  # a / ||a||^2
        norm2 = sum(x * x for x in A)
        return [x / norm2 for x in A]
    if part == "q2b":  # [1,1,1] / ||a||_1
        return [1 / sum(A)] * 3
    return [Fraction(1, 3) / x for x in A]  # S phi with S = diag(1/a), phi = 1/3


@pytest.mark.parametrize(
    "part,gold_text",
    [
        ("q2a", ["10000}{10101", "1000}{10101", "100}{10101"]),
        ("q2b", ["100}{111"]),
        ("q2c", ["1}{3", "10}{3", "100}{3"]),
    ],
)
def test_q2_theta_equals_gold(part: str, gold_text: list[str]) -> None:
    ref = hw2.get(f"{part}.theta")
    gold = _gold_q2(part)
    assert ref.kind == "vector"
    assert np.allclose(ref.value, [float(x) for x in gold], rtol=1e-12)
    assert [Fraction(s) for s in ref.evidence["exact"]] == gold
    assert ref.display.startswith(r"\begin{bmatrix}") and all(t in ref.display for t in gold_text)
    run = ref.evidence["run"]
    assert run["iterations"] > 0 and run["max_abs_diff"] < 1e-6
    assert np.allclose(run["final_theta"], [float(x) for x in gold], rtol=1e-3)


# --- Q5 ------------------------------------------------------------------------------------

FORMULAS = {
    "all_to_all_count": lambda n, p: n * (n - 1),
    "all_to_all_size": lambda n, p: p,
    "ps_count": lambda n, p: 2 * n,
    "ps_size": lambda n, p: p,
    "ring_count": lambda n, p: 2 * n * (n - 1),
    "ring_size": lambda n, p: p // n,
}


@pytest.mark.parametrize("answer", list(FORMULAS))
def test_q5_simulation_matches_formula_for_n_2_to_16(answer: str) -> None:
    ref = hw2.get(f"q5.{answer}")
    assert ref.kind == "count_formula"
    for n in range(2, 17):
        for p in (n, 5 * n):
            assert ref.evaluate({"n": n, "p": p}) == FORMULAS[answer](n, p)
    assert protocols.counterexample(FORMULAS[answer], answer) is None


@pytest.mark.parametrize(
    "answer,display",
    [
        ("all_to_all_count", r"n \left(n - 1\right)"),
        ("all_to_all_size", "p"),
        ("ps_count", "2 n"),
        ("ps_size", "p"),
        ("ring_count", r"2 n \left(n - 1\right)"),
        ("ring_size", r"\frac{p}{n}"),
    ],
)
def test_q5_display_is_the_fitted_formula(answer: str, display: str) -> None:
    assert hw2.get(f"q5.{answer}").display == display


@pytest.mark.parametrize(
    "answer,wrong",
    [
        # common mistakes
        ("ring_count", lambda n, p: 2 * (n - 1)),  # steps, not messages
        ("all_to_all_count", lambda n, p: n**2),  # counts self-messages
        ("ring_size", lambda n, p: p),  # the contradictory summary table of seed 000
        ("ps_count", lambda n, p: n),  # push only
        # broken callables are counterexamples, not crashes
        ("ps_size", lambda n, p: 1 / 0),
        ("ps_size", lambda n, p: "p"),
    ],
)
def test_q5_wrong_formulas_get_a_counterexample(answer: str, wrong) -> None:
    ce = protocols.counterexample(wrong, answer)
    assert ce is not None and ce["expected"] == FORMULAS[answer](ce["n"], ce["p"])
    assert 2 <= ce["n"] <= 16 and ce["p"] % ce["n"] == 0


@pytest.mark.parametrize("protocol", protocols.PROTOCOLS)
def test_every_worker_ends_with_the_sum(protocol: str) -> None:
    for n in range(2, 17):
        assert protocols.simulate(protocol, n, 3 * n, seed=n).all_workers_have_sum


@pytest.mark.parametrize("n,p", [(1, 4), (3, 4), (4, 0)])
def test_simulation_rejects_bad_sizes(n: int, p: int) -> None:
    with pytest.raises(ValueError, match="multiple of n"):
        protocols.simulate("ring", n, p)


# --- contract ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", hw2.KEYS)
def test_every_key_builds_a_reference(key: str) -> None:
    ref = hw2.get(key)
    assert isinstance(ref, Reference)
    assert ref.target == f"cs182-fa25-hw2.{key}" and ref.display and ref.method


@pytest.mark.parametrize(
    "key,variant,error,match",
    [
        ("q9.u", None, KeyError, "unknown key"),
        ("q1b.u", "cubed", ValueError, "unknown variant"),
        ("q2a.theta", "squared", ValueError, "no variants"),
    ],
)
def test_get_errors(key: str, variant: str | None, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        hw2.get(key, variant)
