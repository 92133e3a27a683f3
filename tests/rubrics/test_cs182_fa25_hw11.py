"""HW11's rubric against independent computations: LoRA memory and zero-init gradients (numpy, finite
differences), the attention-circuit identities on random matrices, the Chinchilla optimum by numerical
minimisation, every Fermi estimate of Q5 recomputed from the question's data, the soft-prompt loss
positions by shifting a sequence, and k-means / linear quantisation run on random tensors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.rubrics.engine_values import answer, evaluate, load, reference_value, rubric_problems, verdict

HW = "cs182-fa25-hw11"
RUB = load(HW)


def test_rubric_check_passes() -> None:
    assert rubric_problems(HW) == []


# --- Q1 LoRA -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("m,ell,k", [(64, 48, 4), (1024, 4096, 8)])
def test_lora_memory(m: int, ell: int, k: int) -> None:
    a, b = np.zeros((m, k), np.float32), np.zeros((k, ell), np.float32)
    env = {"m": m, "ell": ell, "k": k}
    assert reference_value(RUB, "q1d", "lora_bytes", env) == a.nbytes + b.nbytes
    assert reference_value(RUB, "q1d", "full_bytes", env) == np.zeros((m, ell), np.float32).nbytes


def _lora_grads(
    a: np.ndarray, b: np.ndarray, w0: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, ...]:
    def loss(a_: np.ndarray, b_: np.ndarray) -> float:
        return float(np.sum(((w0 + a_ @ b_) @ x - y) ** 2))

    h = 1e-6
    ga, gb = np.zeros_like(a), np.zeros_like(b)
    for g, which in ((ga, 0), (gb, 1)):
        for idx in np.ndindex(g.shape):
            e = np.zeros_like(g)
            e[idx] = h
            plus = loss(a + e, b) if which == 0 else loss(a, b + e)
            minus = loss(a - e, b) if which == 0 else loss(a, b - e)
            g[idx] = (plus - minus) / (2 * h)
    return ga, gb


def test_zero_initialised_lora_never_moves() -> None:
    rng = np.random.default_rng(1)
    m, ell, k = 5, 4, 2
    w0, x, y = rng.normal(size=(m, ell)), rng.normal(size=(ell, 7)), rng.normal(size=(m, 7))
    ga, gb = _lora_grads(np.zeros((m, k)), np.zeros((k, ell)), w0, x, y)
    assert np.abs(ga).max() < 1e-6 and np.abs(gb).max() < 1e-6  # q1b: both gradients vanish
    # the usual LoRA init (one factor random, the other zero) does learn, and starts at W0
    ga, gb = _lora_grads(rng.normal(size=(m, k)), np.zeros((k, ell)), w0, x, y)
    assert np.abs(gb).max() > 1e-3


# --- Q2 transformer circuits -----------------------------------------------------------------------


def test_zero_layer_logits_are_an_embedding_lookup() -> None:
    rng = np.random.default_rng(2)
    n_vocab, d_model, tokens = 8, 4, [3, 0, 7, 3, 5, 1, 2, 6, 4]
    w_e, w_u = rng.normal(size=(d_model, n_vocab)), rng.normal(size=(n_vocab, d_model))
    onehot = np.eye(n_vocab)[:, tokens]
    by_lookup = np.stack([w_u @ w_e[:, t] for t in tokens], axis=1)
    got = reference_value(RUB, "q2a_i", "logits", {"W_U": w_u, "W_E": w_e, "Tok": onehot})
    assert np.allclose(got, by_lookup)


def test_attention_score_is_a_bilinear_form() -> None:
    rng = np.random.default_rng(3)
    w_q, w_k = rng.normal(size=(2, 5)), rng.normal(size=(2, 5))
    x_i, x_j = rng.normal(size=5), rng.normal(size=5)
    env = {"W_Q": w_q, "W_K": w_k, "X_i": x_i, "X_j": x_j}
    score = float(np.dot(w_q @ x_i, w_k @ x_j))
    assert reference_value(RUB, "q2c_i", "score", env) == pytest.approx(score)
    w_qk = reference_value(RUB, "q2c_i", "W_QK", env)
    assert float(x_i @ w_qk @ x_j) == pytest.approx(score)


def test_circuit_facts_behind_the_key_ideas() -> None:
    rng = np.random.default_rng(4)
    d_model, d_head, n_ctx, heads = 6, 2, 5, 3
    x = rng.normal(size=(d_model, n_ctx))
    att = rng.dirichlet(np.ones(n_ctx), size=n_ctx)  # rows sum to one
    # d(i): column i of X A^T is sum_j A_ij X_j
    for i in range(n_ctx):
        assert np.allclose((x @ att.T)[:, i], sum(att[i, j] * x[:, j] for j in range(n_ctx)))
    # b(i): [W_O^1 ... W_O^H] [r_1; ...; r_H] = sum_h W_O^h r_h
    w_o = [rng.normal(size=(d_model, d_head)) for _ in range(heads)]
    r = [rng.normal(size=(d_head, n_ctx)) for _ in range(heads)]
    assert np.allclose(np.hstack(w_o) @ np.vstack(r), sum(wo @ rh for wo, rh in zip(w_o, r, strict=True)))
    # e(i): rank(W_O W_V) <= d_head; e(ii): W_OV x = sum_k sigma_k (V_k^T x) U_k
    w_ov = w_o[0] @ rng.normal(size=(d_head, d_model))
    assert np.linalg.matrix_rank(w_ov) <= d_head
    u, s, vt = np.linalg.svd(w_ov)
    v = x[:, 0]
    assert np.allclose(w_ov @ v, sum(s[k] * (vt[k] @ v) * u[:, k] for k in range(d_head)))
    # e(iii): a component orthogonal to the read subspace is discarded
    ortho = v - vt[:d_head].T @ (vt[:d_head] @ v)
    assert np.allclose(w_ov @ ortho, 0.0, atol=1e-10)


@pytest.mark.parametrize(
    "w_qk,target_says",
    [
        (np.eye(3), "similar"),
        (np.diag([1.0, 0.0, 0.0]), "first dimension only"),
        (-np.eye(3), "opposite"),
    ],
)
def test_qk_matrices_as_described(w_qk: np.ndarray, target_says: str) -> None:
    rng = np.random.default_rng(5)
    query = rng.normal(size=3)
    keys = rng.normal(size=(200, 3))
    keys /= np.linalg.norm(keys, axis=1, keepdims=True)  # unit keys: the score measures alignment
    best = keys[np.argmax(keys @ w_qk @ query)]
    cos = float(best @ query / (np.linalg.norm(best) * np.linalg.norm(query)))
    if target_says == "similar":
        assert cos > 0.8
    elif target_says == "opposite":
        assert cos < -0.8
    else:
        changed = keys.copy()
        changed[:, 1:] = rng.normal(size=(200, 2))  # dimensions 2 and 3 make no difference
        assert np.allclose(keys @ w_qk @ query, changed @ w_qk @ query)


# --- Q5 Fermi estimation -----------------------------------------------------------------------------

ALPHA, BETA, A_, B_, C0 = 0.34, 0.28, 406.4, 410.7, 6.0


def _chinchilla_optimum(c: float) -> tuple[float, float]:
    """argmin_N A/N^alpha + B/D^beta with D = C/(C0 N), by golden-section search on log N."""

    def loss(log_n: float) -> float:
        n = math.exp(log_n)
        return A_ / n**ALPHA + B_ / (c / (C0 * n)) ** BETA

    lo, hi = 0.0, math.log(c)
    g = (math.sqrt(5) - 1) / 2
    for _ in range(200):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if loss(a) < loss(b):
            hi = b
        else:
            lo = a
    n = math.exp((lo + hi) / 2)
    return n, c / (C0 * n)


def _idea(part: str, answer_id: str, idea_id: str) -> tuple[list[str], list[str]]:
    spec = answer(RUB, part, answer_id)
    idea = next(i for i in spec.ideas if i.id == idea_id)
    return idea.math, [m for m in idea.match if isinstance(m, str)]


@pytest.mark.parametrize("c", [1e21, 1e24, 1e27])
def test_chinchilla_optimum(c: float) -> None:
    n_opt, d_opt = _chinchilla_optimum(c)
    env = {"alpha": ALPHA, "beta": BETA, "A": A_, "B": B_, "C": c, "C_0": C0}
    assert evaluate(RUB, _idea("q5b", "optimum", "n_symbolic")[0][0], env) == pytest.approx(n_opt, rel=1e-6)
    assert evaluate(RUB, _idea("q5b", "optimum", "d_symbolic")[0][0], env) == pytest.approx(d_opt, rel=1e-6)


def test_chinchilla_numeric_coefficients_are_in_the_key_ideas() -> None:
    n1, d1 = _chinchilla_optimum(1e20)
    n2, d2 = _chinchilla_optimum(1e26)
    n_exp, d_exp = math.log10(n2 / n1) / 6, math.log10(d2 / d1) / 6
    n_coef, d_coef = n1 / 1e20**n_exp, d1 / 1e20**d_exp
    n_terms = _idea("q5b", "optimum", "n_numeric")[1][0]
    d_terms = _idea("q5b", "optimum", "d_numeric")[1][0]
    assert f"{n_coef:.2f}" in n_terms and f"{n_exp:.3f}" in n_terms  # 0.60, 0.452
    assert f"{d_coef:.2f}" in d_terms and f"{d_exp:.3f}" in d_terms  # 0.28, 0.548


# Every Fermi number from the question's own data, written out here in Python.
PARAMS_GPT6, BYTES_PER_PARAM = 1e14, 2
MODEL_BYTES = PARAMS_GPT6 * BYTES_PER_PARAM
H200_FLOPS, H200_PRICE_PER_HOUR, H200_BANDWIDTH = 1.98e15, 1.5, 4.8e12
GPT3_ACT_BYTES = 96 * 96 * 128 * 2
PF_DAY = 1e15 * 24 * 3600
FERMI = {
    ("q5c", "compute"): (1e14 / 0.1) ** 2,
    ("q5c", "tokens"): 1.7 * math.sqrt((1e14 / 0.1) ** 2),
    ("q5d", "words"): 1e15 / 1.4,
    ("q5d", "books"): 1e15 / 1.4 / (400 * 300),
    ("q5e", "memory_1b"): 1e9 * BYTES_PER_PARAM / 1e9,
    ("q5e", "memory_gpt6"): MODEL_BYTES / 1e12,
    ("q5e", "gpus"): MODEL_BYTES / 100e9,
    ("q5f", "ssd"): MODEL_BYTES / 1e6 * 0.00005,
    ("q5f", "dram"): MODEL_BYTES / 1e6 * 0.0040,
    ("q5g", "latency_gpt6"): MODEL_BYTES / H200_BANDWIDTH,
    ("q5g", "tokens_per_min_gpt6"): 60 / (MODEL_BYTES / H200_BANDWIDTH),
    ("q5g", "latency_gpt3"): 175e9 * 2 / H200_BANDWIDTH,
    ("q5g", "tokens_per_min_gpt3"): 60 / (175e9 * 2 / H200_BANDWIDTH),
    ("q5g", "activation_mb"): GPT3_ACT_BYTES / 1e6,
    ("q5g", "batch_tokens"): 175e9 * 2 / GPT3_ACT_BYTES,
    ("q5h", "pf_day_flop"): PF_DAY,
    ("q5h", "h200_hours"): PF_DAY / H200_FLOPS / 3600,
    ("q5h", "cost_pf_day"): PF_DAY / H200_FLOPS / 3600 * H200_PRICE_PER_HOUR,
    ("q5h", "gpt3_cost"): 3640 * PF_DAY / H200_FLOPS / 3600 * H200_PRICE_PER_HOUR,
    ("q5h", "gpt6_cost"): 1e30 / H200_FLOPS / 3600 * H200_PRICE_PER_HOUR,
    ("q5h", "wallclock"): 1e30 / (30e6 * H200_FLOPS) / 3600,
    ("q5j", "flop_per_million"): 2 * 1e12 * 1e6,
    ("q5j", "cost_h200"): 2 * 1e12 * 1e6 / H200_FLOPS / 3600 * H200_PRICE_PER_HOUR,
    ("q5j", "tokens_to_recoup"): 1e9 / 120 * 1e6,
    ("q5j", "essays"): 1e9 / 120 * 1e6 / 1.4 / 1000,
    ("q5k", "energy"): 32 * 3e-21,
    ("q5k", "power"): 32 * 3e-21 * H200_FLOPS,
    ("q5k", "ratio"): 700 / (32 * 3e-21 * H200_FLOPS),
    ("q5l", "carbon_cost"): 552 * 112,
    ("q5l", "percent"): 552 * 112 / 6e6 * 100,
    ("q5l", "burgers"): 552e3 / 50 / 0.113,
}


@pytest.mark.parametrize("key", sorted(FERMI), ids=".".join)
def test_fermi_estimates(key: tuple[str, str]) -> None:
    part, answer_id = key
    assert reference_value(RUB, part, answer_id) == pytest.approx(FERMI[key], rel=1e-4)


def test_fermi_accepted_alternatives() -> None:
    # q5e as printed (1 trillion parameters) and in other units
    printed = 1e12 * BYTES_PER_PARAM
    assert reference_value(RUB, "q5e", "memory_gpt6", accept=0) == pytest.approx(printed / 1e12)
    assert reference_value(RUB, "q5e", "memory_gpt6", accept=1) == pytest.approx(MODEL_BYTES)
    assert reference_value(RUB, "q5e", "memory_gpt6", accept=2) == pytest.approx(MODEL_BYTES / 1e9)
    assert reference_value(RUB, "q5e", "gpus", accept=0) == pytest.approx(printed / 100e9)
    assert reference_value(RUB, "q5e", "memory_1b", accept=0) == pytest.approx(1e9 * BYTES_PER_PARAM)
    # q5h in other units
    assert reference_value(RUB, "q5h", "h200_hours", accept=0) == pytest.approx(PF_DAY / H200_FLOPS)
    assert reference_value(RUB, "q5h", "wallclock", accept=0) == pytest.approx(
        1e30 / (30e6 * H200_FLOPS) / 86400
    )
    assert reference_value(RUB, "q5h", "wallclock", accept=1) == pytest.approx(1e30 / (30e6 * H200_FLOPS))
    # q5j at 30% utilisation
    at_30 = 2e18 / (0.3 * H200_FLOPS) / 3600 * H200_PRICE_PER_HOUR
    assert reference_value(RUB, "q5j", "cost_h200", accept=0) == pytest.approx(at_30)
    # q5k with the exact Boltzmann constant
    exact = 32 * 1.380649e-23 * 300 * math.log(2)
    assert reference_value(RUB, "q5k", "energy", accept=0) == pytest.approx(exact)


# --- Q6 soft prompting --------------------------------------------------------------------------------


def test_loss_positions_by_shifting_the_sequence() -> None:
    inputs = np.arange(1, 101)  # 1-5 prompt, 6-50 question, 51-70 reasoning, 71 answer, 72 newline, pad
    targets = inputs[1:]  # the output at position p predicts input token p + 1
    learned = (targets >= 51) & (targets <= 72)
    outputs = inputs[:-1][learned]
    lo, hi = int(outputs.min()), int(outputs.max())
    assert (
        verdict(f"{HW}.q6a.positions", f"The loss is computed on the output positions {lo} through {hi}.")
        == "correct"
    )
    assert (
        verdict(f"{HW}.q6a.positions", f"The predictions of tokens {lo + 1}-{hi + 1} are scored.")
        == "correct"
    )


def test_soft_prompt_parameter_count() -> None:
    embed = 48
    prompt = np.zeros((5, embed))
    assert reference_value(RUB, "q6b", "params", {"E": embed}) == prompt.size


# --- Q7 quantisation -----------------------------------------------------------------------------------


def _kmeans_1d(values: np.ndarray, clusters: int, rng: np.random.Generator) -> np.ndarray:
    centroids = rng.choice(values, clusters, replace=False)
    for _ in range(50):
        labels = np.argmin(np.abs(values[:, None] - centroids[None, :]), axis=1)
        centroids = np.array(
            [values[labels == c].mean() if np.any(labels == c) else centroids[c] for c in range(clusters)]
        )
    return np.asarray(centroids[labels])


@pytest.mark.parametrize("bits", [1, 2, 3, 4])
def test_kmeans_quantisation_levels(bits: int) -> None:
    rng = np.random.default_rng(bits)
    quantised = _kmeans_1d(rng.normal(size=4000), 2**bits, rng)
    unique = len(np.unique(quantised))
    assert reference_value(RUB, "q7b_ii", "count", {"n": bits}) == unique
    if bits == 4:
        assert reference_value(RUB, "q7b_i", "count") == unique


@pytest.mark.parametrize("r_min,r_max,q_min,q_max", [(-1.3, 2.1, -128, 127), (-0.6, 0.9, -8, 7)])
def test_linear_quantisation_scale_and_zero_point(r_min: float, r_max: float, q_min: int, q_max: int) -> None:
    # r = S (q - Z) at both ends of the ranges: solve for S and S Z
    s, sz = np.linalg.solve(np.array([[q_max, -1.0], [q_min, -1.0]]), np.array([r_max, r_min]))
    env = {"r_max": r_max, "r_min": r_min, "q_max": q_max, "q_min": q_min}
    assert reference_value(RUB, "q7b_iv", "scale", env) == pytest.approx(s)
    z = sz / s
    assert z == pytest.approx(q_min - r_min / s)
    assert answer(RUB, "q7b_v", "zero_point").reference == "Z = int(round(q_min - r_min/S))"
