"""Evidence for the references of the held-out course claims, HW0-HW6: each reference formula (as the
claims file writes it in LaTeX, transcribed here to numpy) agrees with an independent computation on
random instances (finite differences, least squares, simulation, brute force), and, where cheap, the
subtly wrong claims are shown to differ. The claims file names its check in the ``check`` field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pytest

Check = Callable[[np.random.Generator], None]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def fd_grad(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central finite-difference gradient of a scalar function of an array."""
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        g[idx] = (f(x + e) - f(x - e)) / (2 * h)
    return g


# ----------------------------------------------------------------------------- HW0


@check("hw0.q2b")
def _(rng: np.random.Generator) -> None:
    x = rng.normal(size=5)
    assert np.allclose(fd_grad(lambda v: float(v @ v), x), 2 * x, atol=1e-6)


@check("hw0.q2d")
def _(rng: np.random.Generator) -> None:
    x, A = rng.normal(size=4), rng.normal(size=(4, 4))
    grad = fd_grad(lambda v: float(v @ A @ v), x)
    assert np.allclose(grad, x @ (A + A.T), atol=1e-6)
    assert np.allclose(grad, x @ A.T + x @ A, atol=1e-6)
    assert not np.allclose(grad, 2 * x @ A, atol=1e-3)  # the symmetric-only shortcut


@check("hw0.q3a")
def _(rng: np.random.Generator) -> None:
    X, y = rng.normal(size=(7, 3)), rng.normal(size=7)  # tall
    w = np.linalg.inv(X.T @ X) @ X.T @ y
    assert np.allclose(w, np.linalg.lstsq(X, y, rcond=None)[0])
    assert np.linalg.matrix_rank(X @ X.T) < 7  # the n x n Gram matrix of a tall X is singular


@check("hw0.q3d")
def _(rng: np.random.Generator) -> None:
    X, y = rng.normal(size=(3, 7)), rng.normal(size=3)  # wide
    w = X.T @ np.linalg.inv(X @ X.T) @ y
    assert np.allclose(w, np.linalg.pinv(X) @ y) and np.allclose(X @ w, y)
    assert np.linalg.matrix_rank(X.T @ X) < 7


@check("hw0.q4a")
def _(rng: np.random.Generator) -> None:
    X, y, lam = rng.normal(size=(6, 4)), rng.normal(size=6), 0.7
    fake = np.linalg.lstsq(np.vstack([X, np.sqrt(lam) * np.eye(4)]), np.r_[y, np.zeros(4)], rcond=None)[0]
    ridge = np.linalg.inv(X.T @ X + lam * np.eye(4)) @ X.T @ y
    kernel = X.T @ np.linalg.inv(X @ X.T + lam * np.eye(6)) @ y
    assert np.allclose(ridge, fake) and np.allclose(kernel, fake)
    assert not np.allclose(np.linalg.inv(X.T @ X + 2 * lam * np.eye(4)) @ X.T @ y, fake)


@check("hw0.q5a_i")
def _(rng: np.random.Generator) -> None:
    w, b = rng.normal(), rng.normal()
    e = -b / w
    relu = lambda x: max(w * x + b, 0.0)  # noqa: E731
    assert relu(e) == pytest.approx(0.0, abs=1e-12)
    assert (relu(e + 1e-3) > 0) != (relu(e - 1e-3) > 0)  # the unit switches at e


@check("hw0.q5a_iii")
def _(rng: np.random.Generator) -> None:
    w, b, x, y = 1.3, 0.4, 0.8, -0.5  # active: w x + b > 0
    loss = lambda v: 0.5 * (max(v[0] * x + b, 0.0) - y) ** 2  # noqa: E731
    assert fd_grad(loss, np.array([w]))[0] == pytest.approx((w * x + b - y) * x, rel=1e-6)


# ----------------------------------------------------------------------------- HW1


@check("hw1.q1a")
def _(rng: np.random.Generator) -> None:
    sigma, y = 1.7, 2.0

    def final_error(eta: float) -> float:
        w = 0.0
        for _ in range(2000):
            w = (1 - 2 * eta * sigma**2) * w + 2 * eta * sigma * y
        return abs(w - y / sigma)

    assert final_error(0.99 / sigma**2) < 1e-6
    assert final_error(1.01 / sigma**2) > 1.0
    assert final_error(1.5 / sigma**2) > 1.0  # inside the wrong claim's range 2/sigma^2


@check("hw1.q1b")
def _(rng: np.random.Generator) -> None:
    for eta, sigma, eps in ((0.1, 1.2, 1e-3), (0.3, 0.9, 0.05), (0.45, 1.3, 1e-4)):
        r = abs(1 - 2 * eta * sigma**2)
        t = 0
        while r**t > eps:
            t += 1
        bound = np.log(1 / eps) / np.log(1 / r)
        assert t == int(np.ceil(bound))


@check("hw1.q1e")
def _(rng: np.random.Generator) -> None:
    for sl, ss in ((3.0, 0.5), (1.4, 1.1)):
        etas = np.linspace(1e-4, 1 / sl**2, 200001)
        rate = np.maximum(abs(1 - 2 * etas * sl**2), abs(1 - 2 * etas * ss**2))
        best = etas[np.argmin(rate)]
        assert best == pytest.approx(1 / (sl**2 + ss**2), rel=1e-3)
        assert rate.min() == pytest.approx((sl**2 - ss**2) / (sl**2 + ss**2), rel=1e-3)


@check("hw1.q3b")
def _(rng: np.random.Generator) -> None:
    X, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    eta, beta = 0.05, 0.3
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    w, z = rng.normal(size=3), rng.normal(size=3)
    a, xs = Vt @ z, Vt @ (w - w_star)
    for _ in range(5):
        z = (1 - beta) * z + beta * (2 * X.T @ X @ w - 2 * X.T @ y)
        w = w - eta * z
        for i in range(3):
            R = np.array(
                [[1 - beta, 2 * beta * s[i] ** 2], [-eta * (1 - beta), 1 - 2 * eta * beta * s[i] ** 2]]
            )
            a[i], xs[i] = R @ np.array([a[i], xs[i]])
        assert np.allclose(a, Vt @ z) and np.allclose(xs, Vt @ (w - w_star))


@check("hw1.q4b")
def _(rng: np.random.Generator) -> None:
    theta, grad, eta, lam = rng.normal(size=4), rng.normal(size=4), 0.1, 0.3
    l2_step = theta - eta * (grad + lam * theta)  # gradient of f + (lambda/2)||theta||^2
    assert np.allclose(l2_step, (1 - eta * lam) * theta - eta * grad)


@check("hw1.q5a")
def _(rng: np.random.Generator) -> None:
    m, n, sigma = 5, 3, 0.6
    X, y, w = rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n)
    noisy = X[None] + sigma * rng.normal(size=(200000, m, n))
    mc = np.mean(np.sum((noisy @ w - y) ** 2, axis=1))
    exact = np.sum((X @ w - y) ** 2) + m * sigma**2 * w @ w
    assert mc == pytest.approx(exact, rel=1e-2)  # dividing by m leaves lambda = sigma^2


@check("hw1.q5")
def _(rng: np.random.Generator) -> None:
    x, y, sigma = 1.2, 0.7, 0.5
    eta = 0.4
    w = np.zeros(200000)  # independent runs; their mean estimates E[w_t]
    mean = 0.0
    for _ in range(60):
        xt = x + sigma * rng.normal(size=w.size)
        w = w - eta * xt * (xt * w - y)
        mean = (1 - eta * (x**2 + sigma**2)) * mean + eta * x * y
    assert w.mean() == pytest.approx(mean, abs=5e-3)
    assert mean == pytest.approx(x * y / (x**2 + sigma**2), rel=1e-6)
    factor = lambda e: abs(1 - e * (x**2 + sigma**2))  # noqa: E731
    assert factor(0.99 * 2 / (x**2 + sigma**2)) < 1 < factor(1.01 * 2 / (x**2 + sigma**2))
    assert factor(1.9 / x**2) > 1  # inside the noise-free bound 2/x^2 but unstable


# ----------------------------------------------------------------------------- HW2


def _j_inf(u: np.ndarray, g: np.ndarray, alpha: float) -> float:
    return float(g @ u + np.max(np.abs(u)) ** 2 / alpha)


@check("hw2.q1a")
def _(rng: np.random.Generator) -> None:
    g, alpha = rng.normal(size=5), 0.8
    J = lambda u: float(g @ u + u @ u / alpha)  # noqa: E731
    u = -alpha / 2 * g
    assert np.allclose(fd_grad(J, u), 0, atol=1e-6)
    assert all(J(u) < J(u + 1e-2 * rng.normal(size=5)) for _ in range(50))
    assert J(u) < J(-alpha * g) and J(u) < J(alpha / 2 * g)


@check("hw2.q1b")
def _(rng: np.random.Generator) -> None:
    g, alpha = rng.normal(size=5), 0.8
    u = -alpha / 2 * np.abs(g).sum() * np.sign(g)
    best = _j_inf(u, g, alpha)
    assert best == pytest.approx(-alpha * np.abs(g).sum() ** 2 / 4)
    assert all(best <= _j_inf(u + 0.05 * rng.normal(size=5), g, alpha) for _ in range(200))
    assert best < _j_inf(-alpha / 2 * np.abs(g).max() * np.sign(g), g, alpha)
    assert best < _j_inf(-alpha * np.abs(g).sum() * np.sign(g), g, alpha)


A_HW2 = np.array([1.0, 0.1, 0.01])


@check("hw2.q2a")
def _(rng: np.random.Generator) -> None:
    theta = np.zeros(3)
    for _ in range(5000):
        theta -= 0.2 * (-2 * (1 - A_HW2 @ theta) * A_HW2)
    assert np.allclose(theta, A_HW2 / 1.0101, atol=1e-10)
    assert A_HW2 @ A_HW2 == pytest.approx(1.0101)  # so a itself is not a solution


@check("hw2.q2b")
def _(rng: np.random.Generator) -> None:
    theta = np.zeros(3)
    for t in range(20000):  # M_t = diag(1 / sqrt(mean squared gradient)); one point: one gradient per epoch
        g = -2 * (1 - A_HW2 @ theta) * A_HW2
        theta -= 0.05 / (1 + t) ** 0.6 * g / np.maximum(np.sqrt(g**2), 1e-300)
    assert np.allclose(theta, np.ones(3) / 1.11, atol=1e-3)
    assert round(100 / 111, 2) == 0.90  # so 0.91 does not round correctly


@check("hw2.q2c")
def _(rng: np.random.Generator) -> None:
    scale = 1 / np.abs(A_HW2)  # unit second moment per feature (one data point)
    a_scaled, phi = A_HW2 * scale, np.zeros(3)
    for _ in range(5000):
        phi -= 0.1 * (-2 * (1 - a_scaled @ phi) * a_scaled)
    theta = phi * scale
    assert np.allclose(theta, [1 / 3, 10 / 3, 100 / 3]) and A_HW2 @ theta == pytest.approx(1.0)


@check("hw2.q5")
def _(rng: np.random.Generator) -> None:
    for n, p in ((3, 12), (5, 20), (8, 64)):
        grads = rng.normal(size=(n, p))
        all_to_all = [(i, j, p) for i in range(n) for j in range(n) if i != j]
        assert len(all_to_all) == n * (n - 1)
        chunks = np.split(grads.copy(), n, axis=1)  # ring: reduce-scatter then all-gather
        sizes = []
        for step in range(2 * (n - 1)):
            for i in range(n):
                c = (i - step) % n
                dst = (i + 1) % n
                sizes.append(chunks[c][i].size)
                if step < n - 1:
                    chunks[c][dst] = chunks[c][dst] + chunks[c][i]
                else:
                    chunks[c][dst] = chunks[c][i]
        reduced = np.concatenate(chunks, axis=1)
        assert np.allclose(reduced, grads.sum(axis=0))
        assert len(sizes) == 2 * n * (n - 1) and set(sizes) == {p // n}
        server = [p] * n + [p] * n  # n pushes of gradients, n pulls of weights
        assert len(server) == 2 * n and set(server) == {p}


# ----------------------------------------------------------------------------- HW3


@check("hw3.q1a")
def _(rng: np.random.Generator) -> None:
    d1, d2 = 8, 5
    W, x = rng.normal(size=(20000, d2, d1)), rng.normal(size=(20000, d1, 1))
    rms2 = np.mean(((W @ x)[..., 0] ** 2).mean(axis=1))
    assert rms2 == pytest.approx(d1, rel=0.03)
    scaled = np.mean((((W / np.sqrt(d1)) @ x)[..., 0] ** 2).mean(axis=1))
    assert scaled == pytest.approx(1.0, rel=0.03)


@check("hw3.q1b")
def _(rng: np.random.Generator) -> None:
    d1, d2 = 6, 4
    x, g = rng.normal(size=(200000, d1)), rng.normal(size=d2)
    update = np.sign(g[None, :, None] * x[:, None, :])  # sign(g x^T): d2 x d1 per sample
    y = np.einsum("sij,sj->si", update, x)
    rms2 = np.mean((y**2).mean(axis=1))
    assert rms2 == pytest.approx(d1 * (1 - 2 / np.pi) + 2 / np.pi * d1**2, rel=0.01)
    assert d1 + 2 / np.pi * d1 * (d1 - 1) == pytest.approx(d1 * (1 - 2 / np.pi) + 2 / np.pi * d1**2)


@check("hw3.q4")
def _(rng: np.random.Generator) -> None:
    k, sigma, mu = 3, 1.7, np.array([0.3, -0.5, 1.1])
    f = lambda x: np.sin(x).sum(axis=-1) + x[..., 0] ** 2  # noqa: E731
    grad_f = lambda x: np.cos(x) + np.eye(3)[0] * 2 * x[..., :1]  # noqa: E731
    eps = rng.normal(size=(1_000_000, k))
    x = mu + sigma * eps
    score = (f(x)[:, None] * (x - mu) / sigma**2).mean(axis=0)
    reparam = grad_f(x).mean(axis=0)
    exact = np.exp(-(sigma**2) / 2) * np.cos(mu) + np.eye(3)[0] * 2 * mu[0]  # E[cos(mu + sigma eps)]
    assert np.allclose(reparam, exact, atol=5e-3)
    assert np.allclose(score, exact, atol=3e-2)
    assert not np.allclose((f(x)[:, None] * (x - mu) / sigma).mean(axis=0), exact, atol=0.1)


@check("hw3.q5")
def _(rng: np.random.Generator) -> None:
    stored = {0: "input", 5: "layer5", 10: "layer10"}
    fwd = loads = 0
    for layer in range(10, 0, -1):
        base = max(s for s in stored if s <= layer)
        loads += 1  # one load of the nearest stored activation
        fwd += layer - base  # recompute from it up to this layer
    assert fwd == 20 and loads == 10
    assert (20 * fwd + 10 * loads) / 10 == 50  # ns per loaddisk to match (10 loads without remat)


# ----------------------------------------------------------------------------- HW4


@check("hw4.q1")
def _(rng: np.random.Generator) -> None:
    cost = lambda a, b, c: a * b * c  # noqa: E731  (multiplying a x b by b x c, in units of c)
    d_out, d_in = 9, 4
    W = rng.normal(size=(d_out, d_in))
    left = 0.5 * (3 * np.eye(d_out) - W @ W.T) @ W
    right = 0.5 * W @ (3 * np.eye(d_in) - W.T @ W)
    assert np.allclose(left, right)
    assert cost(d_out, d_in, d_out) + cost(d_out, d_out, d_in) == 2 * d_out**2 * d_in
    assert cost(d_in, d_out, d_in) + cost(d_out, d_in, d_in) == 2 * d_out * d_in**2


@check("hw4.q2")
def _(rng: np.random.Generator) -> None:
    d_in, d_out = 16, 9
    c = 1 / np.sqrt(d_in)
    W, x = rng.normal(size=(4000, d_out, d_in)), rng.normal(size=(d_in,))
    x *= np.sqrt(d_in) / np.linalg.norm(x)  # RMS 1
    assert np.mean((c * W @ x) ** 2) == pytest.approx(1.0, rel=0.03)
    u, v = rng.normal(size=d_out), x / np.linalg.norm(x)
    dW = np.sqrt(d_out) * np.outer(u / np.linalg.norm(u), v)  # spectral norm sqrt(d_out), aligned with x
    rms = lambda z: np.linalg.norm(z) / np.sqrt(z.size)  # noqa: E731
    assert rms(c * dW @ x) == pytest.approx(1.0)  # the bound is attained
    S = np.sign(np.outer(rng.normal(size=d_out), rng.normal(size=d_in)))
    assert np.linalg.norm(S, 2) == pytest.approx(np.sqrt(d_out * d_in))
    assert np.linalg.norm(S / np.sqrt(d_in), 2) == pytest.approx(np.sqrt(d_out))


@check("hw4.q3a")
def _(rng: np.random.Generator) -> None:
    y = np.convolve(np.ones(7), 0.5 ** np.arange(40))
    assert np.allclose(y[:7], 2 - 2.0 ** -np.arange(7))
    assert y[8] == pytest.approx(127 / 256)
    assert not np.allclose(y[:7], 2 - 2.0 ** -(np.arange(7) + 1))


@check("hw4.q3c")
def _(rng: np.random.Generator) -> None:
    x = np.arange(1, 26, dtype=float).reshape(5, 5)
    h = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float)
    conv = np.array([[np.sum(x[i : i + 3, j : j + 3] * h[::-1, ::-1]) for j in range(3)] for i in range(3)])
    corr = np.array([[np.sum(x[i : i + 3, j : j + 3] * h) for j in range(3)] for i in range(3)])
    assert np.all(conv == -40) and np.all(corr == 40)


@check("hw4.q4c")
def _(rng: np.random.Generator) -> None:
    for L, K in ((1, 3), (3, 3), (4, 5)):
        support = np.ones(1)
        for _ in range(L):
            support = np.convolve(support, np.ones(K))
        assert support.size == L * (K - 1) + 1


@check("hw4.q4e")
def _(rng: np.random.Generator) -> None:
    side = 28 // 2 // 2  # two POOL2 layers; CONV3 with pad 1 keeps the size
    assert side * side * 10 == 490 and 490 * 3 + 3 == 1473


# ----------------------------------------------------------------------------- HW5


@check("hw5.q1b")
def _(rng: np.random.Generator) -> None:
    x, y = np.array([1, 4, 0, -2, 3.0]), np.array([-2, 2, 11.0])
    M = np.array([x[i : i + 3] for i in range(3)])
    f = np.linalg.solve(M, y)
    assert np.allclose(f, [2, -1, 3]) and not np.allclose(M @ [3, -1, 2], y)


@check("hw5.q1c")
def _(rng: np.random.Generator) -> None:
    x, f = np.array([[-1, 2], [3, 1.0]]), np.array([[1, -1], [0, 1.0]])
    out = np.zeros((3, 3))
    for i in range(2):
        for j in range(2):
            out[i : i + 2, j : j + 2] += x[i, j] * f
    assert np.array_equal(out, [[-1, 3, -2], [3, -3, 1], [0, 3, 1]])


@check("hw5.q2b")
def _(rng: np.random.Generator) -> None:
    gamma, beta = 1.3, 0.4

    def bn(z: np.ndarray) -> np.ndarray:
        return gamma * (z - z.mean()) + beta

    for n in (1, 2, 6):
        x, v = rng.normal(size=n), rng.normal(size=n)
        dy = 2 * v * bn(x)  # upstream gradient of the loss sum(v * y^2)
        formula = gamma * (dy - dy.mean())
        loss = partial(lambda z, w: float(np.sum(w * bn(z) ** 2)), w=v)
        assert np.allclose(fd_grad(loss, x), formula, atol=1e-6)
        if n == 1:
            assert formula == pytest.approx([0.0])


@check("hw5.q3")
def _(rng: np.random.Generator) -> None:
    assert np.zeros((4, 3, 3, 3)).size == 108
    assert np.zeros((3, 1, 3, 3)).size + np.zeros((4, 3, 1, 1)).size == 39


@check("hw5.q4")
def _(rng: np.random.Generator) -> None:
    n, d, p = 8, 3, 0.7
    X, y = rng.normal(size=(n, d)), rng.normal(size=n)
    G = np.diag(np.linalg.norm(X, axis=0))
    wc = rng.normal(size=d)
    R = rng.random(size=(100000, n, d)) < p
    mc = np.mean(np.sum((y - (R * X) @ wc) ** 2, axis=1))
    assert mc == pytest.approx(np.sum((y - p * X @ wc) ** 2) + p * (1 - p) * np.sum((G @ wc) ** 2), rel=1e-2)
    # minimiser of the dropout objective, rescaled by p, solves Tikhonov with Gamma = sqrt((1-p)/p) G
    w_check = np.linalg.solve(p**2 * X.T @ X + p * (1 - p) * G.T @ G, p * X.T @ y)
    Gam = np.sqrt((1 - p) / p) * G
    tik = np.linalg.solve(X.T @ X + Gam.T @ Gam, X.T @ y)
    assert np.allclose(p * w_check, tik) and not np.allclose(w_check / p, tik)
    Xt = X @ np.linalg.inv(Gam)  # ridge with lambda = 1 on X Gamma^{-1}, mapped back
    assert np.allclose(np.linalg.inv(Gam) @ np.linalg.solve(Xt.T @ Xt + np.eye(d), Xt.T @ y), tik)


# ----------------------------------------------------------------------------- HW6

EDGES_HW6 = [(1, 2), (1, 4), (1, 5), (2, 4), (2, 5), (3, 5)]  # read off the question's Figure 3


@check("hw6.q2")
def _(rng: np.random.Generator) -> None:
    n = 5
    A = np.zeros((n, n))
    for i, j in EDGES_HW6:
        A[i - 1, j - 1] = A[j - 1, i - 1] = 1
    out = np.eye(n)  # column j = output of node j; layer 0 = one-hot identities
    for k in range(1, 5):
        out = np.stack([sum(A[i, j] * out[:, i] for i in range(n)) for j in range(n)], axis=1)
        assert np.allclose(out, np.linalg.matrix_power(A, k))  # node j outputs A^k e_j
        walks = np.zeros((n, n))
        for path in np.ndindex(*([n] * (k + 1))):
            if all(A[path[t], path[t + 1]] for t in range(k)):
                walks[path[0], path[-1]] += 1
        assert np.array_equal(walks, np.linalg.matrix_power(A, k))
    H = rng.normal(size=(n, n))  # rows = nodes: one layer sums neighbours' rows
    assert np.allclose(np.stack([A[i] @ H for i in range(n)]), A @ H) and not np.allclose(H @ A, A @ H)


@check("hw6.q3b")
def _(rng: np.random.Generator) -> None:
    labels = {1: 0, 2: 1, 3: 1, 4: 1, 5: 0}
    pred = dict(zip(range(1, 6), rng.uniform(0.05, 0.95, size=5), strict=True))
    train = [2, 3, 5]
    bce = np.mean(
        [labels[i] * np.log(1 / pred[i]) + (1 - labels[i]) * np.log(1 / (1 - pred[i])) for i in train]
    )
    assert bce == pytest.approx(-(np.log(pred[2]) + np.log(pred[3]) + np.log(1 - pred[5])) / 3)


@check("hw6.q3c")
def _(rng: np.random.Generator) -> None:
    d, k = 4, 3
    W1, W2 = rng.normal(size=(d, k)), rng.normal(size=(k, d))
    s = {i: rng.normal(size=d) for i in range(1, 6)}
    nbrs = {i: [j for e in EDGES_HW6 for j in e if i in e and j != i] for i in s}
    update = {i: s[i] + W1 @ sum(np.tanh(W2 @ s[j]) for j in nbrs[i]) / len(nbrs[i]) for i in s}
    assert sorted(nbrs[2]) == [1, 4, 5] and nbrs[3] == [5]
    assert np.allclose(update[3], s[3] + W1 @ np.tanh(W2 @ s[5]))
    node2 = s[2] + W1 @ (np.tanh(W2 @ s[1]) + np.tanh(W2 @ s[4]) + np.tanh(W2 @ s[5])) / 3
    assert np.allclose(update[2], node2)
    assert W1.shape == (d, k)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_reference(name: str) -> None:
    """The reference of every claim that names this check agrees with an independent computation."""
    CHECKS[name](np.random.default_rng(sum(map(ord, name))))
