"""HW10's rubric against independent computations: the softmax similarity through the Gaussian kernel on
random vectors, random Fourier features by Monte Carlo, linear (random-feature) attention against
softmax attention, and the causal prefix-sum form against masked attention."""

from __future__ import annotations

import numpy as np
import pytest

from tests.rubrics.engine_values import load, reference_value, rubric_problems, verdict

HW = "cs182-fa25-hw10"
RUB = load(HW)


def test_rubric_check_passes() -> None:
    assert rubric_problems(HW) == []


@pytest.mark.parametrize("seed,dim", [(0, 3), (1, 4), (2, 8)])
def test_softmax_similarity_through_the_gaussian_kernel(seed: int, dim: int) -> None:
    rng = np.random.default_rng(seed)
    q, k = rng.normal(size=dim), rng.normal(size=dim)
    d = float(dim)
    softmax_sim = float(np.exp(q @ k / np.sqrt(d)))
    sigma2 = np.sqrt(d)
    kernel = float(np.exp(-np.sum((q - k) ** 2) / (2 * sigma2)))
    env = {"q": q, "k": k, "D": d, "sigma": sigma2**0.5, "K": kernel}
    assert reference_value(RUB, "q1a_i", "sim", env) == pytest.approx(softmax_sim, rel=1e-10)
    for i in range(3):
        assert reference_value(RUB, "q1a_i", "sim", env, accept=i) == pytest.approx(softmax_sim, rel=1e-10)


def _features(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """phi_random of eq. (4) for the rows of x."""
    proj = x @ w.T
    return np.concatenate([np.sin(proj), np.cos(proj)], axis=-1) / np.sqrt(w.shape[0])


def test_random_fourier_features_approximate_the_gaussian_kernel() -> None:
    rng = np.random.default_rng(3)
    dim, sigma = 4, 1.6
    q, k = rng.normal(size=dim) * 0.5, rng.normal(size=dim) * 0.5
    kernel = np.exp(-np.sum((q - k) ** 2) / (2 * sigma**2))
    w = rng.normal(scale=1 / sigma, size=(200_000, dim))  # frequencies N(0, I / sigma^2)
    estimate = float(_features(q[None], w)[0] @ _features(k[None], w)[0])
    assert estimate == pytest.approx(kernel, abs=0.01)
    # frequencies N(0, sigma^2 I), as eq. (5) is printed, estimate exp(-sigma^2 ||q-k||^2 / 2) instead
    w_printed = rng.normal(scale=sigma, size=(200_000, dim))
    printed = float(_features(q[None], w_printed)[0] @ _features(k[None], w_printed)[0])
    assert printed == pytest.approx(np.exp(-(sigma**2) * np.sum((q - k) ** 2) / 2), abs=0.01)


def _softmax_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = False) -> np.ndarray:
    scores = q @ k.T / np.sqrt(q.shape[1])
    if causal:
        scores = np.where(np.tril(np.ones_like(scores)) > 0, scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.asarray(weights @ v / weights.sum(axis=1, keepdims=True))


def _psi(x: np.ndarray, w: np.ndarray, sigma2: float) -> np.ndarray:
    """exp(||x||^2 / (2 sigma^2)) phi_random(x): the feature map of the answer to (a)(ii)."""
    return np.exp(np.sum(x**2, axis=1, keepdims=True) / (2 * sigma2)) * _features(x, w)


def test_random_feature_attention_approximates_softmax_attention() -> None:
    rng = np.random.default_rng(4)
    n, d, m = 12, 4, 3
    q, k, v = rng.normal(size=(n, d)) * 0.4, rng.normal(size=(n, d)) * 0.4, rng.normal(size=(n, m))
    sigma2 = np.sqrt(d)
    w = rng.normal(scale=1 / np.sqrt(sigma2), size=(100_000, d))
    fq, fk = _psi(q, w, sigma2), _psi(k, w, sigma2)
    linear = (fq @ (fk.T @ v)) / (fq @ fk.T.sum(axis=1, keepdims=True))  # associativity: O(N D_r (D + M))
    quadratic = ((fq @ fk.T) @ v) / (fq @ fk.T).sum(axis=1, keepdims=True)
    assert np.allclose(linear, quadratic)
    assert np.abs(linear - _softmax_attention(q, k, v)).max() < 0.05


def test_causal_prefix_sums_equal_masked_attention() -> None:
    rng = np.random.default_rng(6)
    n, d, m = 10, 3, 2
    q, k, v = rng.normal(size=(n, d)), rng.normal(size=(n, d)), rng.normal(size=(n, m))

    def phi(x: np.ndarray) -> np.ndarray:  # degree-2 polynomial features (1 + x.y)^2
        outer = np.einsum("ni,nj->nij", x, x).reshape(len(x), -1)
        return np.concatenate([np.ones((len(x), 1)), np.sqrt(2) * x, outer], axis=1)

    kernel = (1 + q @ k.T) ** 2
    masked = np.tril(kernel)
    direct = masked @ v / masked.sum(axis=1, keepdims=True)
    s, z = np.zeros((phi(k).shape[1], m)), np.zeros(phi(k).shape[1])
    out = np.zeros((n, m))
    for i in range(n):
        s += np.outer(phi(k)[i], v[i])  # S_i = S_{i-1} + phi(K_i)^T V_i
        z += phi(k)[i]  # Z_i = Z_{i-1} + phi(K_i)^T
        out[i] = phi(q)[i] @ s / (phi(q)[i] @ z)
    assert np.allclose(out, direct)


@pytest.mark.parametrize(
    "target,text,expected",
    [
        (
            "q1a_i.sim",
            "e^{\\|q\\|^2/(2\\sigma^2)} K_{\\text{Gauss}}(q,k) e^{\\|k\\|^2/(2\\sigma^2)}",
            "correct",
        ),
        (
            "q1a_i.sim",
            "e^{-\\|q\\|^2/(2\\sigma^2)} K_{\\text{Gauss}}(q,k) e^{-\\|k\\|^2/(2\\sigma^2)}",
            "incorrect",
        ),
        (
            "q5e.definition",
            "Semi-hard negatives are farther from the anchor than the positive but still within the margin alpha.",
            "correct",
        ),
    ],
)
def test_answers_as_written(target: str, text: str, expected: str) -> None:
    assert verdict(f"{HW}.{target}", text) == expected
