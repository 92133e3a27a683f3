"""Numeric reproductions of the optimisation-lecture references (numpy, batched over instances).

Each ``_rep_*`` returns ``(result, reference, max_rel_error, what)``; ``reproduce_key`` dispatches on
``<part>.<answer>``. Used by :func:`reference_solutions.optim_lectures.reproduce`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .optim_lectures_pieces import _mapreduce, adam_step
from .types import Reference

Repro = tuple[Any, ...]
"""(result, reference, max_rel_error, what) and, optionally, labelled details: numbers in result/reference."""
RefOf = Callable[[str], Reference]


def _spd_batch(rng: np.random.Generator, count: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Random rotated SPD matrices and their eigenvalues, shapes (count, dim, dim) and (count, dim)."""
    q, _ = np.linalg.qr(rng.standard_normal((count, dim, dim)))
    lam = rng.uniform(0.1, 5.0, size=(count, dim))
    return np.einsum("nij,nj,nkj->nik", q, lam, q), lam


def _rep_factor(rng: np.random.Generator, count: int) -> Repro:
    h, _ = _spd_batch(rng, count, 5)
    lam, u = np.linalg.eigh(h)
    eta = rng.uniform(0.01, 1.0, size=count)
    after = u - eta[:, None, None] * h @ u  # one step from w* + u_i for every i (columns)
    got = np.einsum("nki,nki->ni", u, after)
    want = 1 - eta[:, None] * lam
    worst = float((np.abs(got - want) / np.maximum(np.abs(want), 1e-12)).max())
    return got[0].tolist(), want[0].tolist(), worst, "one GD step along each eigenvector vs 1 - eta lambda_i"


def _rep_eta_max(rng: np.random.Generator, count: int) -> Repro:
    h, lam = _spd_batch(rng, count, 5)
    scale = np.linspace(0.9, 1.1, 41)
    eta = scale[None, :] * 2 / lam.max(axis=1)[:, None]
    _, u = np.linalg.eigh(h)
    x0 = u.sum(axis=2) / np.sqrt(5)  # weight on every eigen-direction
    step = np.eye(5) - eta[:, :, None, None] * h[:, None]  # (count, grid, 5, 5) iteration matrices
    for _ in range(8):  # 2^8 = 256 GD steps by repeated squaring
        step = step @ step
    x = np.einsum("ncde,ne->ncd", step, x0)
    stable = np.linalg.norm(x, axis=2) <= 1 + 1e-9
    first_unstable = np.argmin(stable, axis=1)  # grid is increasing: stable up to the threshold
    thresholds = scale[np.maximum(first_unstable - 1, 0)]
    worst = float(np.abs(thresholds - 1).max())
    below, above = bool(stable[:, scale < 1].all()), bool((~stable[:, scale > 1.005]).all())
    details = {"stable_below": below, "diverged_above": above}
    what = (
        "GD run 256 steps on rotated quadratics at eta = c*2/lambda_max, c in [0.9, 1.1] step 0.005: "
        "largest stable c (result) vs 1 (reference)"
    )
    return float(thresholds.max()), 1.0, worst if below and above else float("inf"), what, details


def _deep_gain(
    rng: np.random.Generator, count: int, var: float, act: Callable[[np.ndarray], np.ndarray], scale: float
) -> tuple[float, float]:
    """Per-layer gain of the pre-activation second moment, forward and backward (10 layers, width 32)."""
    width, depth = 32, 10
    a = scale * rng.standard_normal((count, 32, width))
    delta = rng.standard_normal((count, 32, width))
    zs, ws = [], []
    fwd0, bwd0 = float((a**2).mean()), float((delta**2).mean())
    for _ in range(depth):
        w = rng.normal(0.0, np.sqrt(var), size=(count, width, width))
        z = a @ w
        zs.append(z)
        ws.append(w)
        a = act(z)
    fwd = float((zs[-1] ** 2).mean()) / float((zs[0] ** 2).mean())
    eps = 1e-6
    for z, w in zip(reversed(zs), reversed(ws), strict=True):
        slope = (act(z + eps) - act(z - eps)) / (2 * eps)
        delta = (delta * slope) @ np.swapaxes(w, 1, 2)
    bwd = float((delta**2).mean()) / bwd0
    del fwd0
    return fwd ** (1 / (depth - 1)), bwd ** (1 / depth)


def _rep_init(key: str, rng: np.random.Generator, count: int) -> Repro:
    nets = min(count, 200)
    width = 32
    if key.endswith("he_var"):
        act, var, scale, name = (lambda z: np.maximum(z, 0.0)), 2.0 / width, 1.0, "ReLU"
    else:
        act, var, scale, name = np.tanh, 1.0 / width, 0.1, "tanh (near-linear regime)"
    gains = _deep_gain(rng, nets, var, act, scale)
    doubled = _deep_gain(rng, nets, 2 * var, act, scale)
    worst = max(abs(g - 1) for g in gains)
    details = {"forward_gain": gains[0], "backward_gain": gains[1], "forward_gain_at_2x_variance": doubled[0]}
    what = (
        f"{nets} random {name} nets, 10 layers of width 32: per-layer variance gain pooled over the nets "
        "(forward, backward) vs 1"
    )
    return [gains[0], gains[1]], [1.0, 1.0], worst, what, details


def _rep_uniform(rng: np.random.Generator, count: int, get: RefOf) -> Repro:
    ref = get("q2_init.xavier_uniform_bound").evaluate
    assert ref is not None
    n_in, n_out = rng.integers(1, 1025, size=(2, count))
    bounds = np.array([ref({"n_in": float(i), "n_out": float(o)}) for i, o in zip(n_in, n_out, strict=True)])
    target = 2.0 / (n_in + n_out)
    exact = np.abs(bounds**2 / 3 - target) / target
    samples = rng.uniform(-1.0, 1.0, size=(count, 2000)) * bounds[:, None]
    pooled = float((samples.var(axis=1) / target).mean())
    worst = max(float(exact.max()), abs(pooled - 1))
    what = "a^2/3 vs 2/(n_in+n_out) per instance, and the sampled variance of U(-a, a) pooled over instances"
    return pooled, 1.0, worst, what + " (pooled variance ratio vs 1)"


def _rep_penalty(key: str, rng: np.random.Generator, count: int, get: RefOf) -> Repro:
    ref = get(key).evaluate
    assert ref is not None
    worst = 0.0
    first: Any = None
    for _ in range(count):
        w, grad = rng.standard_normal(5), rng.standard_normal(5)
        lam, eta = float(rng.uniform(0.01, 3.0)), float(rng.uniform(0.01, 1.0))
        closed = {
            "q3_regularization.grad_l2": lam * w,
            "q3_regularization.grad_l1": lam * np.sign(w),
            "q3_regularization.decay_step": (1 - eta * lam) * w - eta * grad,
        }[key]
        got = np.asarray(ref({"w": w, "grad": grad, "lambda": lam, "eta": eta}))
        worst = max(worst, float(np.linalg.norm(got - closed) / np.linalg.norm(closed)))
        first = first if first is not None else (got.tolist(), closed.tolist())
    return first[0], first[1], worst, "finite-difference gradient vs the closed form on random w"


def _rep_momentum(key: str, rng: np.random.Generator, count: int) -> Repro:
    h, _ = _spd_batch(rng, count, 5)
    alpha, lr = rng.uniform(0.5, 0.95, size=count), rng.uniform(0.005, 0.05, size=count)
    w_slide = w_torch = rng.standard_normal((count, 5))
    vel, buf = np.zeros((count, 5)), np.zeros((count, 5))
    for _ in range(50):
        grad = np.einsum("nij,nj->ni", h, w_slide)
        vel = alpha[:, None] * vel - lr[:, None] * grad
        w_slide = w_slide + vel
        buf = alpha[:, None] * buf + np.einsum("nij,nj->ni", h, w_torch)  # torch.optim.SGD(momentum=alpha)
        w_torch = w_torch - lr[:, None] * buf
    got, want = (vel, -lr[:, None] * buf) if key.endswith("velocity") else (w_slide, w_torch)
    worst = float((np.linalg.norm(got - want, axis=1) / np.linalg.norm(want, axis=1)).max())
    return (
        got[0].tolist(),
        want[0].tolist(),
        worst,
        "50 heavy-ball steps vs torch.optim.SGD's momentum buffer",
    )


def _logistic(a: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value, gradient and Hessian of sum_i log(1 + exp(a_i . w)), batched over the first axis."""
    s = np.einsum("nkd,nd->nk", a, w)
    p = 1 / (1 + np.exp(-s))
    val = np.logaddexp(0, s).sum(axis=1)
    return val, np.einsum("nk,nkd->nd", p, a), np.einsum("nk,nkd,nke->nde", p * (1 - p), a, a)


def _rep_newton(key: str, rng: np.random.Generator, count: int) -> Repro:
    if key.endswith("step"):
        h, _ = _spd_batch(rng, count, 5)
        b, w0 = rng.standard_normal((2, count, 5))
        w_star = np.linalg.solve(h, b[..., None])[..., 0]  # minimiser of w^T H w / 2 - b^T w
        grad = np.einsum("nij,nj->ni", h, w0) - b
        w1 = w0 + np.linalg.solve(h, -grad[..., None])[..., 0]
        worst = float((np.linalg.norm(w1 - w_star, axis=1) / np.linalg.norm(w_star, axis=1)).max())
        return (
            w1[0].tolist(),
            w_star[0].tolist(),
            worst,
            "one Newton step on random quadratics vs the minimiser",
        )
    a, w = rng.standard_normal((count, 8, 5)), rng.standard_normal((count, 5))
    direction = rng.standard_normal((count, 5))
    val, grad, hess = _logistic(a, w)
    orders = []
    for half in (1.0, 0.5):
        d = 1e-2 * half * direction
        model = val + np.einsum("nd,nd->n", grad, d) + 0.5 * np.einsum("nd,nde,ne->n", d, hess, d)
        orders.append(np.abs(_logistic(a, w + d)[0] - model))
    order = np.log2(orders[0] / orders[1])
    worst = float(np.abs(np.median(order) - 3) / 3)
    what = "Taylor remainder of the model on log-sum-exp losses at d and d/2: order log2 ratio (median)"
    return float(np.median(order)), 3.0, worst, what


def _rep_mapreduce(key: str, rng: np.random.Generator, count: int) -> Repro:
    worst, most = 0.0, 0.0
    for _ in range(count):
        m = int(rng.integers(2, 65))
        n = m * int(rng.integers(1, 65))
        largest, speed = _mapreduce(n, m)
        if key.endswith("per_worker"):
            worst = max(worst, abs(largest - n / m) / (n / m))
        else:
            worst = max(worst, abs(speed - m) / m)
            noisy = _mapreduce(n, m, rng.uniform(0.5, 1.5, size=n), float(rng.uniform(0, 1)))[1]
            most = max(most, noisy / m)
    if key.endswith("per_worker"):
        return n / m, largest, worst, "np.array_split into M partitions: largest partition vs n/M"
    what = (
        "simulated map-reduce: unit costs without reduce reach M; random costs plus a reduce cost stay below"
    )
    what += " (largest speed-up over M with random costs vs the bound 1)"
    return most, 1.0, worst if most <= 1 else float("inf"), what


def _rep_adam(key: str, rng: np.random.Generator, count: int) -> Repro:
    beta1, beta2 = rng.uniform(0.5, 0.99, size=count), rng.uniform(0.9, 0.9999, size=count)
    grads = rng.standard_normal((count, 30))
    if key.endswith(".m") or key.endswith(".v"):
        beta, seq = (beta1, grads) if key.endswith(".m") else (beta2, grads**2)
        rec = np.zeros(count)
        for k in range(30):
            rec = beta * rec + (1 - beta) * seq[:, k]
        unrolled = ((1 - beta)[:, None] * beta[:, None] ** np.arange(29, -1, -1) * seq).sum(axis=1)
        worst = float((np.abs(rec - unrolled) / np.abs(unrolled)).max())
        return float(rec[0]), float(unrolled[0]), worst, "30-step recursion vs the unrolled moving average"
    if key.endswith("m_hat"):
        g = grads[:, 0]
        m = np.zeros(count)
        worst = 0.0
        for t in range(1, 31):
            m = beta1 * m + (1 - beta1) * g
            worst = max(worst, float((np.abs(m / (1 - beta1**t) - g) / np.abs(g)).max()))
        return (
            float(m[0] / (1 - beta1[0] ** 30)),
            float(g[0]),
            worst,
            "constant gradient: m_hat_t = g for all t",
        )
    h, w = rng.uniform(0.1, 5.0, size=(count, 5)), rng.standard_normal((count, 5))
    kw = {"eta": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    worst = 0.0
    losses = []
    for sign in (1.0, -1.0):  # -1: the slide's minus sign flips the first moment, so w moves by -delta
        x, m, v = w.copy(), np.zeros_like(w), np.zeros_like(w)
        for t in range(1, 201):
            g = h * x
            m, v, _, delta = adam_step(m, v, g, t, **kw)
            if t == 1 and sign > 0:
                worst = float(np.abs(np.abs(delta) / kw["eta"] - np.abs(g) / (np.abs(g) + kw["eps"])).max())
            x = x + sign * delta
        losses.append((0.5 * h * x**2).sum(axis=1) / (0.5 * h * w**2).sum(axis=1))
    details = {"loss_ratio_max": float(losses[0].max()), "slide_sign_loss_ratio_min": float(losses[1].min())}
    what = (
        "Adam 200 steps on random quadratics: first step |delta| = eta |g|/(|g|+eps); final/initial loss, "
        "largest with Adam's sign and smallest with the slide's sign (result), vs the bound 1 (reference)"
    )
    return (
        [details["loss_ratio_max"], details["slide_sign_loss_ratio_min"]],
        [1.0, 1.0],
        worst if losses[0].max() < 1 < losses[1].min() else float("inf"),
        what,
        details,
    )


def _rep_cosine(rng: np.random.Generator, count: int) -> Repro:
    worst, gap = 0.0, 0.0
    for _ in range(count):
        hi, lo, period = (
            float(rng.uniform(0.05, 1.0)),
            float(rng.uniform(1e-4, 1e-2)),
            int(rng.integers(21, 101)),
        )
        t_cur = np.arange(period + 1)
        closed = lo + 0.5 * (hi - lo) * (1 + np.cos(np.pi * t_cur / period))
        eta = hi
        for s in range(period):
            if abs(eta - closed[s]) > worst * closed[s]:
                worst = abs(eta - closed[s]) / closed[s]
            eta = lo + (eta - lo) * (1 + np.cos(np.pi * (s + 1) / period)) / (1 + np.cos(np.pi * s / period))
        worst = max(worst, abs(eta - closed[-1]) / closed[-1])
        slide_end = lo + 0.5 * (hi - lo) * (1 + float(np.cos(1.0)))
        gap = max(gap, (slide_end - lo) / (hi - lo))
    what = (
        "torch's recursive CosineAnnealingLR vs the closed form for T_cur = 0..T; result: how far above "
        "eta_min the slide's form (without pi) ends, as a fraction of eta_max - eta_min (the closed form: 0)"
    )
    return gap, 0.0, worst, what


def reproduce_key(key: str, rng: np.random.Generator, count: int, get: RefOf) -> Repro:
    """Run the reproduction of ``<part>.<answer>``; ``get`` builds a reference by key."""
    part = key.split(".")[0]
    if key == "q1_gd_step.factor":
        return _rep_factor(rng, count)
    if key == "q1_gd_step.eta_max":
        return _rep_eta_max(rng, count)
    if key == "q2_init.xavier_uniform_bound":
        return _rep_uniform(rng, count, get)
    by_part: dict[str, Callable[[str, np.random.Generator, int], Repro]] = {
        "q2_init": _rep_init,
        "q4_momentum": _rep_momentum,
        "q5_newton": _rep_newton,
        "q6_mapreduce": _rep_mapreduce,
        "q7_adam": _rep_adam,
    }
    if part == "q3_regularization":
        return _rep_penalty(key, rng, count, get)
    if part in by_part:
        return by_part[part](key, rng, count)
    return _rep_cosine(rng, count)
