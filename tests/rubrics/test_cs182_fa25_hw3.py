"""HW3 rubric: the muP scalings by Monte Carlo, the gradient estimators against an analytic Gaussian
expectation, the rematerialisation counts against a closed form, and ``grader rubric check``.

Formulas of the rubric (references and the formulas of concept ideas) are evaluated through the
grader's engine (``mathx.evaluate`` of the rubric's LaTeX).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import mathx
from grader.check import check_target
from grader.rubric import Rubric, load_rubric_file
from grader.rubric.verify import verify_rubric_file
from reference_solutions import cs182_fa25_hw3 as hw3

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "rubrics" / "cs182-fa25-hw3.yaml"
HW = "cs182-fa25-hw3"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_file(RUBRIC_PATH)


def ev(rubric: Rubric, latex: str, env: dict[str, Any]) -> Any:
    return mathx.evaluate(mathx.parse(latex, rubric.symbol_table()), env)


def reference(rubric: Rubric, part: str, answer: str, env: dict[str, Any], accept: int | None = None) -> Any:
    spec = rubric.part(part).answer(answer)
    assert spec is not None
    latex = spec.reference if accept is None else spec.accept[accept].reference
    assert isinstance(latex, str)
    return ev(rubric, latex, env)


def idea_math(rubric: Rubric, part: str, answer: str, idea: str) -> list[str]:
    spec = rubric.part(part).answer(answer)
    assert spec is not None
    return next(i.math for i in spec.ideas if i.id == idea)


def test_rubric_check_passes_examples_included() -> None:
    result = verify_rubric_file(RUBRIC_PATH)
    assert result.ok, [str(p) for p in result.problems]
    assert result.examples >= 35


def test_part_ids_follow_the_question_pdf(rubric: Rubric) -> None:
    assert [p.id for p in rubric.parts] == [
        "q1a", "q1b", "q1c", "q3a", "q3b", "q3c", "q4a", "q4b", "q4c", "q4d", "q4e", "q5a", "q5b", "q5c",
    ]  # fmt: skip


# --- Q1: RMS norms -----------------------------------------------------------------------------


def rms2(v: np.ndarray) -> np.ndarray:
    return np.asarray(np.mean(v**2, axis=-1))


@pytest.mark.parametrize("d1,d2", [(16, 8), (64, 8), (64, 128)])
def test_q1a_rms_at_initialisation(rubric: Rubric, d1: int, d2: int) -> None:
    rng = np.random.default_rng(d1 + d2)
    trials = 4000
    W = rng.normal(size=(trials, d2, d1))
    x = rng.normal(size=(trials, d1))
    y = np.einsum("tij,tj->ti", W, x)
    value = ev(rubric, idea_math(rubric, "q1a", "rms2", "value")[0], {"d1": d1, "d2": d2})
    assert math.isclose(rms2(y).mean(), value, rel_tol=0.05)
    c = reference(rubric, "q1a", "scale", {"d1": d1, "d2": d2})
    assert math.isclose(rms2(c * y).mean(), 1.0, rel_tol=0.05)


@pytest.mark.parametrize("d1,d2", [(16, 8), (128, 8), (128, 64)])
def test_q1b_signgd_update_rms(rubric: Rubric, d1: int, d2: int) -> None:
    rng = np.random.default_rng(d1 * d2)
    trials = 4000
    x = rng.normal(size=(trials, d1))
    g = rng.normal(size=(trials, d2))
    update = np.sign(np.einsum("ti,tj->tij", g, x))  # sign(g x^T), shape d2 x d1 like W
    y = np.einsum("tij,tj->ti", update, x)
    assert np.allclose(y, np.sign(g) * np.abs(x).sum(axis=1, keepdims=True))  # y'_j = sign(g_j) ||x||_1
    env = {"d1": d1, "d2": d2}
    value = ev(rubric, idea_math(rubric, "q1b", "rms2", "value")[0], env)
    assert math.isclose(rms2(y).mean(), value, rel_tol=0.03)
    c = reference(rubric, "q1b", "scale", env)  # makes the expected RMS norm 1
    assert math.isclose(np.sqrt(rms2(c * y)).mean(), 1.0, rel_tol=0.03)
    c2 = reference(rubric, "q1b", "scale", env, accept=0)  # makes the expected squared RMS norm 1
    assert math.isclose(rms2(c2 * y).mean(), 1.0, rel_tol=0.03)
    # the order-only answer 1/d1 is within a constant (sqrt(pi/2)) of both, whatever d1
    order = reference(rubric, "q1b", "scale", env, accept=1)
    assert math.isclose(c / order, math.sqrt(math.pi / 2), rel_tol=1e-12)


# --- Q4: gradient estimators -------------------------------------------------------------------


def _gaussian_setup(seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=3) * 0.5, rng.normal(size=3), 0.7


def test_q4a_score_function_matches_the_analytic_gradient(rubric: Rubric) -> None:
    a, mu, sigma = _gaussian_setup(0)

    def f(x: np.ndarray) -> np.ndarray:
        return np.exp(x @ a)

    F = math.exp(a @ mu + sigma**2 * (a @ a) / 2)  # E exp(a^T x) for x ~ N(mu, sigma^2 I)
    grad_F = a * F
    rng = np.random.default_rng(1)
    xs = mu + sigma * rng.normal(size=(400000, 3))
    # the rubric's g on a few samples equals the numpy form used for the Monte Carlo mean
    for x in xs[:10]:
        got = reference(rubric, "q4a", "g", {"x": x, "mu": mu, "sigma": sigma, "fx": float(f(x))})
        assert np.allclose(got, f(x) * (x - mu) / sigma**2)
    estimate = (f(xs)[:, None] * (xs - mu) / sigma**2).mean(axis=0)
    assert np.allclose(estimate, grad_F, rtol=0.05, atol=0.02)


def test_q4b_q4c_reparameterised_forms() -> None:
    a, mu, sigma = _gaussian_setup(2)
    F = math.exp(a @ mu + sigma**2 * (a @ a) / 2)
    eps = np.random.default_rng(3).normal(size=(400000, 3))
    values = np.exp((mu + sigma * eps) @ a)
    assert math.isclose(values.mean(), F, rel_tol=0.01)  # (b): F(mu) = E f(mu + sigma eps)
    grads = values[:, None] * a  # grad_x f at mu + sigma eps
    assert np.allclose(grads.mean(axis=0), a * F, rtol=0.01, atol=1e-3)  # (c)


# --- Q5: rematerialisation ---------------------------------------------------------------------


def test_q5_counts_match_a_closed_form() -> None:
    stored = (0, 5, 10)  # the input counts as stored
    # between two stored layers s < e, layers s+1 .. e-1 cost 1 + 2 + ... + (e - s - 1) fwd ops
    closed = sum((e - s - 1) * (e - s) // 2 for s, e in zip(stored, stored[1:], strict=False))
    assert hw3.get("q5a.fwd_ops").value == closed == 20
    assert hw3.get("q5b.loadmem_ops").value == 10  # one load per layer
    assert hw3.get("q5c.loaddisk_ns").value == (20 * 20 + 10 * 10) / 10


@pytest.mark.parametrize("layers,stored", [(6, (2, 4, 6)), (8, (8,)), (9, (3, 6, 9))])
def test_q5_simulation_on_other_checkpoints(layers: int, stored: tuple[int, ...]) -> None:
    marks = (0, *stored)
    closed = sum((e - s - 1) * (e - s) // 2 for s, e in zip(marks, marks[1:], strict=False))
    closed += (layers - marks[-1]) * (layers - marks[-1] + 1) // 2  # a tail above the last checkpoint
    assert hw3.backward_pass(layers, stored).fwd == closed


@pytest.mark.parametrize(
    "target,answer,verdict",
    [
        ("q5a.fwd_ops", "20", "correct"),
        ("q5a.fwd_ops", "18", "incorrect"),
        ("q5c.loaddisk_ns", "50 ns", "correct"),
        ("q5c.loaddisk_ns", "500 ns", "incorrect"),
        ("q1a.scale", r"c = \frac{1}{\sqrt{d_1}}", "correct"),
        ("q1b.scale", r"c = \frac{1}{\sqrt{d_1}}", "incorrect"),
        ("q4a.g", r"g(x) = f(x)\frac{x - \mu}{\sigma^2}", "correct"),
    ],
)
def test_llm_forms(target: str, answer: str, verdict: str) -> None:
    _, res = check_target(f"{HW}.{target}", answer)
    assert res.verdict == verdict, res.explanation
