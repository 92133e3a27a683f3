"""HW7 references: gradients, PCA stationary point, blog facts, tokens, choices, Q8(b)."""

from __future__ import annotations

import numpy as np
import pytest

from reference_solutions import autoencoder, hw7_facts
from reference_solutions import cs182_fa25_hw7 as hw7
from reference_solutions.types import Reference


def _env(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    m, k, N = 5, 2, 7
    return {"X": rng.normal(size=(m, N)), "W1": rng.normal(size=(k, m)), "W2": rng.normal(size=(m, k))}


# --- Q3(b)(i) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,closed_form",
    [
        # dL/dW1 = -2 W2^T (X - W2 W1 X) X^T
        ("q3b_i.grad_W1", lambda X, W1, W2: -2 * W2.T @ (X - W2 @ W1 @ X) @ X.T),
        # dL/dW2 = -2 (X - W2 W1 X) X^T W1^T
        ("q3b_i.grad_W2", lambda X, W1, W2: -2 * (X - W2 @ W1 @ X) @ X.T @ W1.T),
        # the conditions evaluate to the same gradients (checked up to a nonzero scale)
        ("q3b_i.cond_W1", lambda X, W1, W2: -2 * W2.T @ (X - W2 @ W1 @ X) @ X.T),
        ("q3b_i.cond_W2", lambda X, W1, W2: -2 * (X - W2 @ W1 @ X) @ X.T @ W1.T),
    ],
)
def test_gradients_by_finite_differences_equal_closed_forms(key: str, closed_form) -> None:
    ref = hw7.get(key)
    for seed in range(5):
        env = _env(seed)
        expected = closed_form(env["X"], env["W1"], env["W2"])
        assert np.allclose(ref.evaluate(env), expected, rtol=1e-6, atol=1e-6 * np.abs(expected).max())


@pytest.mark.parametrize(
    "key,mode,display",
    [
        ("q3b_i.grad_W1", None, r"2 W_{2}^{T} \left(W_{2} W_{1} X - X\right) X^{T}"),
        ("q3b_i.grad_W2", None, r"2 \left(W_{2} W_{1} X - X\right) X^{T} W_{1}^{T}"),
        ("q3b_i.cond_W1", "nonzero_scale", r"W_{2}^{T} W_{2} W_{1} X X^{T} = W_{2}^{T} X X^{T}"),
        ("q3b_i.cond_W2", "nonzero_scale", r"W_{2} W_{1} X X^{T} W_{1}^{T} = X X^{T} W_{1}^{T}"),
    ],
)
def test_q3b_i_displays_and_modes(key: str, mode: str | None, display: str) -> None:
    ref = hw7.get(key)
    assert ref.display == display
    assert ref.evidence.get("mode") == mode


def test_wrong_w1_derivative_from_seed_002_differs() -> None:
    # the final answer of seed 002 (-2 W2^T X X^T + 2 W1 X X^T W2^T W2) is not even defined for k != m
    env = _env(0)
    X, W1, W2 = env["X"], env["W1"], env["W2"]
    with pytest.raises(ValueError):
        _ = -2 * W2.T @ X @ X.T + 2 * W1 @ X @ X.T @ W2.T @ W2


# --- Q3(b)(ii) -----------------------------------------------------------------------------


@pytest.mark.parametrize("m,k,N", [(4, 1, 6), (5, 2, 8), (6, 3, 9)])
def test_pca_instance_is_stationary(m: int, k: int, N: int) -> None:
    inst = hw7.pca_instance(np.random.default_rng(m), m, k, N)
    X, U = inst["X"], inst["U_k"]
    assert U.shape == (m, k) and inst["Sigma_k2"].shape == (k, k)
    assert np.allclose(U.T @ U, np.eye(k))
    g1, g2 = autoencoder.closed_form_gradients(X, inst["W1"], inst["W2"])
    assert np.abs(g1).max() < 1e-8 * np.abs(inst["XXt"]).max()
    assert np.abs(g2).max() < 1e-8 * np.abs(inst["XXt"]).max()
    assert inst["grad_max_abs"] < 1e-6


def test_pca_identities_true_and_false() -> None:
    inst = hw7.pca_instance(np.random.default_rng(0), 5, 2, 8)
    U, S2, XXt = inst["U_k"], inst["Sigma_k2"], inst["XXt"]
    assert np.allclose(XXt @ U, U @ S2)  # true
    assert np.allclose(U.T @ XXt, S2 @ U.T)  # true
    assert S2.shape != (U.T @ XXt).shape  # "Sigma_k^2 = U_k^T X X^T": k x k vs k x m


def test_q3b_ii_reference() -> None:
    ref = hw7.get("q3b_ii.proof")
    assert ref.kind == "derivation" and ref.evidence["pca_grad_max_abs"] < 1e-6


# --- Q4 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,value,unit",
    [
        ("q4a.baseline_time", 341.0, "s"),
        ("q4a.baseline_accuracy", 94.0, "percent"),
        ("q4a.final_time", 297.0, "s"),
        ("q4a.final_accuracy", 94.0, "percent"),
    ],
)
def test_q4a_values(key: str, value: float, unit: str) -> None:
    ref = hw7.get(key)
    assert ref.kind == "quantity"
    assert (ref.value["value"], ref.value["unit"]) == (value, unit)
    assert value in hw7_facts.numbers_in(ref.evidence["sentence"], unit)


def test_q4a_baseline_also_accepts_reproduced_time() -> None:
    value = hw7.get("q4a.baseline_time").value
    assert value["also"] == [356.0] and "356s" in value["also_reason"]


@pytest.mark.parametrize("fact", hw7_facts.FACTS, ids=lambda f: f["label"])
def test_every_fact_is_in_its_sentence(fact: dict) -> None:
    assert fact["value"] in hw7_facts.numbers_in(fact["sentence"], fact["unit"])


def test_facts_cover_the_post_timeline() -> None:
    times = [f["value"] for f in hw7_facts.FACTS if f["unit"] == "s"]
    assert times == [341.0, 356.0, 323.0, 308.0, 297.0]


@pytest.mark.parametrize("key", ["q4b.text", "q4c.text"])
def test_free_text_parts_carry_the_facts(key: str) -> None:
    ref = hw7.get(key)
    assert ref.kind == "free_text" and ref.value is None and ref.evidence["facts"] == hw7_facts.FACTS


# --- Q7 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,tokens",
    [
        ("q7b.tokens", ["<sos>", "I", "see", "a", "dog"]),  # teacher forcing
        ("q7c.tokens", ["<sos>", "I", "saw", "a", "dog"]),  # free running
    ],
)
def test_q7_tokens(key: str, tokens: list[str]) -> None:
    ref = hw7.get(key)
    assert (ref.kind, ref.value) == ("tokens", tokens)


def test_q7a_concept_names_the_causal_prefix() -> None:
    ref = hw7.get("q7a.problem")
    assert ref.kind == "concept" and "first t source tokens" in ref.value


# --- Q8 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,kind,value,options",
    [
        ("q8a_i.choice", "choice", "2", ["0", "1", "2", "3"]),
        ("q8a_ii.choice", "choice", "nn.MSELoss", ["nn.L1Loss", "nn.MSELoss", "nn.CrossEntropyLoss"]),
        (
            "q8a_iii.choices",
            "choices",
            ["Weight Decay", "SGD optimizer"],
            ["Weight Decay", "Dropout", "Layer Norm", "Batch Norm", "SGD optimizer"],
        ),
        ("q8b.conclusion", "choice", "yes", ["yes", "no"]),
    ],
)
def test_q8_choices(key: str, kind: str, value, options: list[str]) -> None:
    ref = hw7.get(key)
    assert (ref.kind, ref.value, ref.evidence["options"]) == (kind, value, options)
    if "reasons" in ref.evidence:
        assert set(ref.evidence["reasons"]) == set(options)


def test_q8b_regularised_autoencoder_is_near_orthonormal_only_with_lambda() -> None:
    small = autoencoder.train_ridge_autoencoder(0.01)
    zero = autoencoder.train_ridge_autoencoder(0.0)
    assert small["orth_error"] < 0.05  # close to 0 ...
    assert small["orth_error"] == pytest.approx(small["theory_orth_error"], rel=1e-3)  # ... as theory says
    assert zero["orth_error"] > 1.0  # not close without the penalty
    assert zero["loss"] == pytest.approx(small["loss"], abs=0.1)  # both fit the data


# --- contract ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", hw7.KEYS)
def test_every_key_builds_a_reference(key: str) -> None:
    ref = hw7.get(key)
    assert isinstance(ref, Reference) and ref.target == f"cs182-fa25-hw7.{key}" and ref.display


@pytest.mark.parametrize(
    "key,variant,error,match",
    [("q9.x", None, KeyError, "unknown key"), ("q7b.tokens", "squared", ValueError, "no variants")],
)
def test_get_errors(key: str, variant: str | None, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        hw7.get(key, variant)
