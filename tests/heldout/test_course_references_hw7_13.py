"""Evidence for the references of the held-out course claims, HW7-HW13 (see the HW0-HW6 module for the
idea): each reference, transcribed to numpy, agrees with an independent computation on random
instances, and, where cheap, the subtly wrong claims are shown to differ.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from tests.heldout.test_course_references_hw0_6 import fd_grad

Check = Callable[[np.random.Generator], None]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


# ----------------------------------------------------------------------------- HW7


@check("hw7.q3b")
def _(rng: np.random.Generator) -> None:
    m, k, N = 5, 2, 9
    X, W1, W2 = rng.normal(size=(m, N)), rng.normal(size=(k, m)), rng.normal(size=(m, k))
    L = lambda A, B: float(np.sum((X - B @ A @ X) ** 2))  # noqa: E731
    g2 = 2 * (W2 @ W1 - np.eye(m)) @ X @ X.T @ W1.T
    g1 = 2 * W2.T @ (W2 @ W1 - np.eye(m)) @ X @ X.T
    assert np.allclose(fd_grad(lambda B: L(W1, B), W2), g2, rtol=1e-5, atol=1e-4)
    assert np.allclose(fd_grad(lambda A: L(A, W2), W1), g1, rtol=1e-5, atol=1e-4)
    assert not np.allclose(2 * (np.eye(m) - W2 @ W1) @ X @ X.T @ W1.T, g2)
    evals, evecs = np.linalg.eigh(X @ X.T)
    Uk, Lk = evecs[:, ::-1][:, :k], np.diag(evals[::-1][:k])
    assert np.allclose(Uk.T @ Uk, np.eye(k)) and not np.allclose(Uk @ Uk.T, np.eye(m))
    assert np.allclose(X @ X.T @ Uk, Uk @ Lk)
    assert np.allclose((Uk @ Uk.T - np.eye(m)) @ X @ X.T @ Uk, 0, atol=1e-9)  # PCA is stationary
    assert np.allclose(Uk.T @ (Uk @ Uk.T - np.eye(m)) @ X @ X.T, 0, atol=1e-9)


@check("hw7.q7")
def _(rng: np.random.Generator) -> None:
    truth, sampled = ["I", "see", "a", "dog", "<eos>"], ["I", "saw", "a", "dog", "<eos>"]
    teacher_forcing = ["<sos>"] + truth[:-1]  # training: the ground truth shifted right
    free_running = ["<sos>"] + sampled[:-1]  # evaluation: the model's own previous outputs
    assert teacher_forcing == ["<sos>", "I", "see", "a", "dog"]
    assert free_running == ["<sos>", "I", "saw", "a", "dog"]


# ----------------------------------------------------------------------------- HW8


@check("hw8.q1")
def _(rng: np.random.Generator) -> None:
    n, L = 3, 8
    A, B, C, D = rng.normal(size=(n, n)) / 2, rng.normal(size=n), rng.normal(size=n), rng.normal()
    u = rng.normal(size=L + 1)
    x, ys = np.zeros(n), []
    for k in range(L + 1):
        ys.append(C @ x + D * u[k])
        x = A @ x + B * u[k]
    K = [D] + [C @ np.linalg.matrix_power(A, ell - 1) @ B for ell in range(1, L + 1)]
    conv = [sum(K[ell] * u[k - ell] for ell in range(k + 1)) for k in range(L + 1)]
    assert np.allclose(ys, conv)
    scalar = [1.5 * 0.8 ** (ell - 1) * 1.0 for ell in range(1, 5)]
    assert np.allclose(scalar, [1.5, 1.2, 0.96, 0.768])
    A2, B2, C2 = np.array([[0.7, 0.1], [0.2, 0.6]]), np.array([1.0, 0]), np.array([1.0, 0])
    K2 = [C2 @ np.linalg.matrix_power(A2, ell - 1) @ B2 for ell in range(1, 4)]
    assert np.allclose(K2, [1, 0.7, 0.51])


@check("hw8.q3a")
def _(rng: np.random.Generator) -> None:
    X = np.array([[-2.17, 1.98, 2.41, -2.03], [0.02, -0.01, 0.01, -0.02]])
    Wa, Wb = np.eye(2), np.diag([1.0, 0.0])
    rec = lambda W: float(np.sum((X - W @ X) ** 2))  # noqa: E731
    reg = lambda W: float(np.sum(W**2))  # noqa: E731
    assert (rec(Wa), reg(Wa), reg(Wb)) == (0.0, 2.0, 1.0) and rec(Wb) == pytest.approx(0.001)
    for lam in (0.0005, 0.0009, 0.0011, 0.01):
        assert (rec(Wa) + lam * reg(Wa) > rec(Wb) + lam * reg(Wb)) == (lam > 0.001)


@check("hw8.q3b")
def _(rng: np.random.Generator) -> None:
    m, n, lam = 4, 10, 0.8
    X = rng.normal(size=(m, n))
    U, s, _ = np.linalg.svd(X, full_matrices=False)
    S2 = np.diag(s**2)
    normal_eq = X @ X.T @ np.linalg.inv(X @ X.T + lam * np.eye(m))  # gradient of the objective = 0
    assert np.allclose(U @ S2 @ np.linalg.inv(S2 + lam * np.eye(m)) @ U.T, normal_eq)
    assert np.allclose(U @ np.linalg.inv(S2 + lam * np.eye(m)) @ S2 @ U.T, normal_eq)


@check("hw8.q3c")
def _(rng: np.random.Generator) -> None:
    s = np.array([10, 8, 4, 1, 0.5, 0.36, 0.16, 0.01])

    def ok(lam: float) -> bool:
        kept = s[:3] ** 2 / (s[:3] ** 2 + lam)
        rest = s[3:] ** 2 / (s[3:] ** 2 + lam)
        return bool(np.all(kept >= 0.8) and np.all(rest <= 0.5))

    grid = np.linspace(0, 6, 6001)
    good = grid[[ok(g) for g in grid]]
    assert good.min() == pytest.approx(1.0) and good.max() == pytest.approx(4.0)
    assert ok(1.0) and ok(4.0)  # both ends belong to the set


@check("hw8.q4")
def _(rng: np.random.Generator) -> None:
    xs = rng.normal(size=11)
    m, n = xs[:10].mean(), 10
    assert (n * m + xs[10]) / (n + 1) == pytest.approx(xs.mean())
    assert m + (xs[10] - m) / (n + 1) == pytest.approx(xs.mean())
    d, lam = 3, 0.5
    A, yv = rng.normal(size=(7, d)), rng.normal(size=7)
    assert np.allclose(A.T @ A + lam * np.eye(d), lam * np.eye(d) + sum(np.outer(a, a) for a in A))
    assert np.allclose(A.T @ yv, sum(a * y for a, y in zip(A, yv, strict=True)))
    K, V, q = rng.normal(size=(7, d)), rng.normal(size=(7, 2)), rng.normal(size=d)
    prediction = q @ np.linalg.inv(K.T @ K + lam * np.eye(d)) @ K.T @ V  # ridge fitted on (keys, values)
    alpha = K @ np.linalg.inv(K.T @ K + lam * np.eye(d)) @ q
    assert np.allclose(alpha @ V, prediction)
    assert np.allclose(np.linalg.inv(K @ K.T + lam * np.eye(7)) @ K @ q, alpha)


# ----------------------------------------------------------------------------- HW9


@check("hw9.q1")
def _(rng: np.random.Generator) -> None:
    d, sigma = 6, 0.7
    mu = rng.normal(size=d)
    q, k = mu + sigma * rng.normal(size=(400000, d)), mu + sigma * rng.normal(size=(400000, d))
    assert np.mean(np.sum(q * k, axis=1)) == pytest.approx(mu @ mu, abs=0.03)
    q0, k0 = rng.normal(size=(400000, d)), rng.normal(size=(400000, d))
    dots = np.sum(q0 * k0, axis=1)
    assert np.var(dots) == pytest.approx(d, rel=0.02)
    assert np.var(dots / np.sqrt(d)) == pytest.approx(1.0, rel=0.02)


@check("hw9.q2a")
def _(rng: np.random.Generator) -> None:
    keys = np.array([[1, 2, 0], [0, 3, 4], [5, 0, 0], [0, 0, 1]])
    values = np.array([[2, 0, 1], [1, 4, 3], [0, -1, 4], [1, 0, -1]])
    scores = keys @ np.array([1, 1, 2])
    assert list(scores) == [3, 11, 5, 2] and list(values[np.argmax(scores)]) == [1, 4, 3]


@check("hw9.q4")
def _(rng: np.random.Generator) -> None:
    def mqa_memory(b: int, d: int, n: int, h: int) -> int:
        k = d // h  # one shared key/value head of width d/h
        weights = d * d + 2 * d * k + d * d  # W_q, W_k, W_v, W_o
        tokens = 6 * b * d  # x, q, k, v, o, y
        cache = 2 * b * n * k
        return weights + tokens + cache

    def mqa_compute(b: int, d: int, n: int, h: int) -> int:
        k = d // h
        projections = b * d * d + 2 * b * d * k + b * d * d
        attention = 2 * b * h * n * k  # scores and weighted values, per head against the shared cache
        return projections + attention

    sizes = [(b, d, n, h) for b in (1, 64) for d in (64, 1024) for n in (16, 8192) for h in (1, 8, 64)]
    ratio = [mqa_memory(*s) / (s[1] ** 2 + s[0] * s[1] + s[0] * s[2] * s[1] / s[3]) for s in sizes]
    mha_ratio = [mqa_memory(*s) / (s[1] ** 2 + s[0] * s[1] + s[0] * s[2] * s[1]) for s in sizes]
    assert max(ratio) / min(ratio) < 10 and max(mha_ratio) / min(mha_ratio) > 30
    work = [mqa_compute(*s) / (s[0] * s[1] * (s[1] + s[2])) for s in sizes]
    assert max(work) / min(work) < 10


@check("hw9.q6")
def _(rng: np.random.Generator) -> None:
    def phi(x: np.ndarray) -> np.ndarray:
        D = x.size
        cross = [np.sqrt(2) * x[i] * x[j] for i in range(D) for j in range(i + 1, D)]
        return np.concatenate([[1.0], np.sqrt(2) * x, x**2, cross])

    for D in (1, 2, 4):
        q, k = rng.normal(size=D), rng.normal(size=D)
        assert phi(q) @ phi(k) == pytest.approx((q @ k + 1) ** 2)
        assert phi(q).size == (D + 1) * (D + 2) // 2 != D * (D + 1) // 2


# ----------------------------------------------------------------------------- HW10


@check("hw10.q1a")
def _(rng: np.random.Generator) -> None:
    D = 7.0
    s2 = np.sqrt(D)
    q, k = rng.normal(size=5), rng.normal(size=5)
    gauss = np.exp(-np.sum((q - k) ** 2) / (2 * s2))
    rewritten = np.exp(q @ q / (2 * s2)) * gauss * np.exp(k @ k / (2 * s2))
    assert rewritten == pytest.approx(np.exp(q @ k / np.sqrt(D)))
    assert np.exp(q @ q / (2 * s2)) * gauss * np.exp(-k @ k / (2 * s2)) != pytest.approx(rewritten)
    with_D = np.exp(q @ q / (2 * D)) * np.exp(-np.sum((q - k) ** 2) / (2 * D)) * np.exp(k @ k / (2 * D))
    assert with_D == pytest.approx(np.exp(q @ k / D)) and with_D != pytest.approx(rewritten)


@check("hw10.q1a_ii")
def _(rng: np.random.Generator) -> None:
    def random_feature_ops(N: int, D: int, M: int, Dr: int) -> int:
        features = 2 * N * Dr * D  # phi(Q) and phi(K): D_r projections of D-vectors per row
        kv = Dr * N * M + Dr * N  # phi(K)^T V and phi(K)^T 1, once for all queries
        out = N * Dr * M + N * Dr  # each query against the two summaries
        return features + kv + out

    sizes = [(N, D, M, Dr) for N in (16, 4096) for D in (8, 128) for M in (8, 128) for Dr in (16, 512)]
    ratio = [random_feature_ops(*s) / (s[0] * s[3] * (s[1] + s[2])) for s in sizes]
    quadratic = [random_feature_ops(*s) / (s[0] ** 2 * s[3]) for s in sizes]
    assert max(ratio) / min(ratio) < 10 and max(quadratic) / min(quadratic) > 100


# ----------------------------------------------------------------------------- HW11


@check("hw11.q1d")
def _(rng: np.random.Generator) -> None:
    m, k, ell = 12, 3, 7
    A, B = np.zeros((m, k), np.float32), np.zeros((k, ell), np.float32)
    assert A.nbytes + B.nbytes == 4 * k * (m + ell)
    assert np.zeros((m, ell), np.float32).nbytes == 4 * m * ell


@check("hw11.q2")
def _(rng: np.random.Generator) -> None:
    v, e, c = 6, 4, 5
    WE, WU = rng.normal(size=(e, v)), rng.normal(size=(v, e))
    tokens = rng.integers(0, v, size=c)
    T = np.eye(v)[:, tokens]  # one-hot columns
    logits = np.stack([WU @ WE[:, t] for t in tokens], axis=1)  # embed each token, unembed it
    assert np.allclose(WU @ WE @ T, logits) and not np.allclose(WE.T @ WE @ T, logits)
    WQ, WK, Xi, Xj = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=4)
    S_ij = (WQ @ Xi) @ (WK @ Xj)
    assert Xi @ (WQ.T @ WK) @ Xj == pytest.approx(S_ij)
    assert Xi @ (WK.T @ WQ) @ Xj == pytest.approx((WQ @ Xj) @ (WK @ Xi))  # that is S_ji


@check("hw11.q5")
def _(rng: np.random.Generator) -> None:
    N = 1e14
    C = (N / 0.1) ** 2  # N = 0.1 C^0.5
    assert C == pytest.approx(1e30) and 1.7 * C**0.5 == pytest.approx(1.7e15)
    assert 1e9 * 2 / 1e9 == 2  # 16-bit floats: 2 bytes each, in GB


@check("hw11.q6")
def _(rng: np.random.Generator) -> None:
    E = 8
    soft_prompt = np.zeros((5, E))  # the only trainable tensor; the model is frozen
    assert soft_prompt.size == 5 * E


@check("hw11.q7")
def _(rng: np.random.Generator) -> None:
    for bits in (2, 3, 4):
        data = rng.normal(size=2000)
        centroids = np.quantile(data, np.linspace(0.01, 0.99, 2**bits))
        for _ in range(20):  # Lloyd's k-means with 2^bits clusters
            label = np.argmin(np.abs(data[:, None] - centroids[None]), axis=1)
            centroids = np.array([data[label == j].mean() for j in range(2**bits)])
        assert np.unique(centroids[label]).size == 2**bits


# ----------------------------------------------------------------------------- HW12


@check("hw12.q2a")
def _(rng: np.random.Generator) -> None:
    x = (np.arange(200000) + 0.5) / 200000  # midpoint rule on the support of P = U[0, 1]
    assert np.mean(1.0 * np.log(1.0 / 0.5)) == pytest.approx(np.log(2))
    assert np.sum(np.log(np.ones_like(x) / 0.5)) / x.size > 0


@check("hw12.q5")
def _(rng: np.random.Generator) -> None:
    c0, c1, phi = rng.normal(), rng.normal(), rng.normal()
    A = np.array([[c0 * phi, c1 * phi]])
    beta = A.T @ np.linalg.inv(A @ A.T) @ np.array([phi])
    assert np.allclose(beta, np.array([c0, c1]) / (c0**2 + c1**2))

    def expected_loss(c: np.ndarray) -> float:
        b = c / (c @ c)
        return 0.5 * ((1 - b[0] * c[0]) ** 2 + (b[1] * c[1]) ** 2)  # orthonormal features

    c = np.array([c0, c1])
    s = c0**2 + c1**2
    assert expected_loss(c) == pytest.approx(c1**4 / s**2)
    g = fd_grad(expected_loss, c)
    assert g[0] == pytest.approx(-4 * c0 * c1**4 / s**3, rel=1e-5)
    assert g[1] == pytest.approx(4 * c0**2 * c1**3 / s**3, rel=1e-5)
    assert g[1] == pytest.approx(4 * c1**3 / s**2 - 4 * c1**5 / s**3, rel=1e-5)
    t = rng.normal(size=(400000, 2))  # Monte Carlo over orthonormal test features
    b = c / (c @ c)
    mc = np.mean(0.5 * (t[:, 0] - b[0] * c[0] * t[:, 0] - b[1] * c[1] * t[:, 1]) ** 2)
    assert mc == pytest.approx(c1**4 / s**2, rel=0.02)


@check("hw12.q7")
def _(rng: np.random.Generator) -> None:
    assert np.zeros((5, 5120)).size == 25600


# ----------------------------------------------------------------------------- HW13


@check("hw13.q1")
def _(rng: np.random.Generator) -> None:
    sigma2, T = 0.04, 2000
    dt = 1 / T
    x = np.sqrt(sigma2) * rng.normal(size=100000)
    for _ in range(T // 20):  # forward process in 20x coarser steps: same total variance
        x = x + np.sqrt(20 * dt) * rng.normal(size=x.size)
    assert np.var(x) == pytest.approx(sigma2 + 1, rel=0.02)
    t, small = 0.3, 1e-6
    assert (sigma2 + t - small) * small / (sigma2 + t) == pytest.approx(small, rel=1e-4)
    times = np.arange(T, 0, -1) * dt  # t = 1, ..., dt
    mean_only = np.prod((sigma2 + times - dt) / (sigma2 + times))
    assert mean_only == pytest.approx(sigma2 / (sigma2 + 1))  # variance: its square
    k = np.arange(T)
    var_ddpm = (sigma2 / (sigma2 + 1)) ** 2 + dt * np.sum((sigma2 / (sigma2 + k * dt)) ** 2)
    closed = sigma2**2 / (1 + sigma2) ** 2 + sigma2 / (1 + sigma2)
    assert var_ddpm == pytest.approx(closed, rel=2e-2)
    assert closed == pytest.approx(sigma2 * (1 + 2 * sigma2) / (1 + sigma2) ** 2)
    assert closed != pytest.approx(
        sigma2**2 / (1 + sigma2) ** 2 + sigma2 * np.log((1 + sigma2) / sigma2), rel=0.05
    )
    eta = np.sqrt(times) / (np.sqrt(times - dt) + np.sqrt(times))
    assert np.allclose(eta[:-100], 0.5, atol=2e-3)  # -> 1/2 where dt << t (t >= 100 dt)
    ddim = np.prod(1 - 0.5 * dt / (sigma2 + times))
    assert ddim == pytest.approx(np.sqrt(sigma2 / (sigma2 + 1)), rel=1e-2)  # variance sigma^2/(sigma^2+1)


@check("hw13.q2")
def _(rng: np.random.Generator) -> None:
    beta, K = 0.7, 6
    ref = rng.dirichlet(np.ones(K))
    r = rng.normal(size=K)
    Z = np.sum(ref * np.exp(r / beta))
    pi_star = ref * np.exp(r / beta) / Z
    assert np.allclose(beta * np.log(pi_star / ref) + beta * np.log(Z), r)
    assert not np.allclose(beta * np.log(pi_star / ref) + np.log(Z), r)
    objective = lambda p: p @ r - beta * np.sum(p * np.log(p / ref))  # noqa: E731
    assert all(objective(pi_star) >= objective(rng.dirichlet(np.ones(K))) for _ in range(200))
    q = rng.dirichlet(np.ones(K))
    kl = lambda p: np.sum(p * np.log(p / q))  # noqa: E731
    assert kl(q) == pytest.approx(0.0) and all(kl(rng.dirichlet(np.ones(K))) > 0 for _ in range(200))


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_reference(name: str) -> None:
    """The reference of every claim that names this check agrees with an independent computation."""
    CHECKS[name](np.random.default_rng(sum(map(ord, name))))
