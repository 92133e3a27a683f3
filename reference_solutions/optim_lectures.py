"""Optimisation lectures (rubric ``optim-lectures``): references for students' self-checks.

The exercises come from two lecture decks (seeds 003 and 004): GD on a quadratic, Xavier/He
initialisation, penalty gradients, momentum, Newton, map-reduce, Adam and cosine annealing. Each
reference is executed, not copied from a slide: spectra are bisected, moments of distributions are
integrated by quadrature, gradients are finite differences, updates are run. Where a slide differs
from the reference, ``evidence["slide_note"]`` says how (the rubric repeats it as a comment).

``get(key)`` builds the :class:`~reference_solutions.types.Reference` of ``<part>.<answer>``;
``reproduce(key)`` checks it numerically on many random instances (numpy, batched, < 1 s).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .backend import resolve
from .types import Env, Reference

HOMEWORK = "optim-lectures"
CPU_ONLY = "this reproduction runs on cpu (numpy) only"
__all__ = ["KEYS", "SLIDE_NOTES", "adam_step", "cosine_recursive", "get", "largest_stable_step", "reproduce"]


# --- executable pieces ---------------------------------------------------------------------------


def largest_stable_step(eigenvalues: np.ndarray, iterations: int = 80) -> float:
    """Largest eta with spectral radius of I - eta*H at most 1, by bisection on the spectrum.

    Example:
        >>> round(largest_stable_step(np.array([0.5, 4.0])), 9)
        0.5
    """
    lam = np.asarray(eigenvalues, dtype=float)
    lo, hi = 0.0, 4.0 / float(lam.max())
    for _ in range(iterations):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.abs(1.0 - mid * lam).max() <= 1.0 else (lo, mid)
    return lo


def _rotation(dim: int, seed: int = 7) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((dim, dim)))
    return q


def _gd_factor(eta: float, lam_i: float) -> float:
    """Run one GD step on a rotated quadratic from w* + u_i and read the new coordinate along u_i."""
    u = _rotation(4)
    lam = np.array([lam_i, 0.3, 1.7, 2.9])
    h = u @ np.diag(lam) @ u.T
    w = u[:, 0].copy()  # alpha_i = 1, w* = 0
    return float(u[:, 0] @ (w - eta * h @ w))


def _second_moment_ratio(activation: Callable[[np.ndarray], np.ndarray]) -> float:
    """E[act(z)^2] / Var[z] for z ~ N(0, 1), by Gauss-Hermite quadrature."""
    x, wts = np.polynomial.hermite_e.hermegauss(80)
    return float((wts * activation(x) ** 2).sum() / wts.sum())


def _uniform_variance_per_a2() -> float:
    """Var[U(-a, a)] / a^2, by Gauss-Legendre quadrature of x^2 / 2 on [-1, 1]."""
    x, wts = np.polynomial.legendre.leggauss(8)
    return float((wts * x**2 / 2).sum())


def _xavier_var(n_in: float, n_out: float) -> float:
    # forward wants n_in Var = 1, backward n_out Var = 1; Glorot makes their mean gain 1
    return 1.0 / ((n_in + n_out) / 2.0)


def _num_grad(fn: Callable[[np.ndarray], float], w: np.ndarray) -> np.ndarray:
    """Central differences with a step of half |w_i| (exact for quadratics, and for |.| away from 0)."""
    steps = 0.5 * np.minimum(1.0, np.abs(w))
    steps[steps == 0] = 1e-6
    eye = np.eye(w.size)
    return np.array([(fn(w + h * e) - fn(w - h * e)) / (2 * h) for h, e in zip(steps, eye, strict=True)])


def _l2(lam: float) -> Callable[[np.ndarray], float]:
    return lambda w: 0.5 * lam * float(w @ w)


def _l1(lam: float) -> Callable[[np.ndarray], float]:
    return lambda w: lam * float(np.abs(w).sum())


def _momentum(alpha: float, eta: float, v: np.ndarray, w: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """One heavy-ball step with the gradient at the current iterate: returns [V_s, w_s]."""
    v_new = alpha * v - eta * grad
    return np.stack([v_new, w + v_new])


def _mapreduce(n: int, m: int, costs: np.ndarray | None = None, reduce: float = 0.0) -> tuple[int, float]:
    """Split n samples into M contiguous partitions: (largest partition, speed-up T_1 / T_M)."""
    c = np.ones(n) if costs is None else costs
    parts = np.array_split(np.arange(n), m)
    t_m = max(float(c[p].sum()) for p in parts) + reduce
    return max(len(p) for p in parts), (float(c.sum()) + reduce) / t_m


def adam_step(
    m: Any, v: Any, g: Any, t: int, *, eta: float, beta1: float, beta2: float, eps: float
) -> tuple[Any, ...]:
    """One Adam update of one coordinate (or of arrays, elementwise) from (m_{t-1}, v_{t-1}) with
    gradient g at step t >= 1.

    Returns ``(m_t, v_t, m_hat, delta)``.

    Example:
        >>> [float(round(x, 6)) for x in adam_step(0.0, 0.0, 2.0, 1, eta=0.1, beta1=0.9, beta2=0.999, eps=0.0)]
        [0.2, 0.004, 2.0, -0.1]
    """
    m_t = beta1 * m + (1 - beta1) * g
    v_t = beta2 * v + (1 - beta2) * g * g
    m_hat = m_t / (1 - beta1**t)
    v_hat = v_t / (1 - beta2**t)
    return m_t, v_t, m_hat, -eta * m_hat / (np.sqrt(v_hat) + eps)


def _adam_delta(m_t: float, v_t: float, t: int, eta: float, beta1: float, beta2: float, eps: float) -> float:
    # recover a state (m_{t-1}, v_{t-1}, g) that leads to (m_t, v_t), then run the update
    g = 1.0
    m_prev = (m_t - (1 - beta1) * g) / beta1
    v_prev = (v_t - (1 - beta2) * g * g) / beta2
    return adam_step(m_prev, v_prev, g, t, eta=eta, beta1=beta1, beta2=beta2, eps=eps)[3]


def cosine_recursive(eta_max: float, eta_min: float, t_cur: int, period: int) -> float:
    """Cosine annealing by the recursive update of ``torch.optim.lr_scheduler.CosineAnnealingLR``.

    Example:
        >>> round(cosine_recursive(1.0, 0.0, 5, 10), 12)
        0.5
    """
    eta = eta_max
    for s in range(int(t_cur)):
        eta = eta_min + (eta - eta_min) * (1 + np.cos(np.pi * (s + 1) / period)) / (
            1 + np.cos(np.pi * s / period)
        )
    return float(eta)


# --- the references ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    display: str
    evaluate: Callable[[Env], np.ndarray | float]
    method: str
    slide_note: str


def _f(env: Env, name: str) -> float:
    return float(env[name])


def _vec(env: Env, name: str) -> np.ndarray:
    return np.asarray(env[name], dtype=float)


def _adam_kw(env: Env) -> dict[str, float]:
    return {
        "eta": _f(env, "eta"),
        "beta1": _f(env, "beta1"),
        "beta2": _f(env, "beta2"),
        "eps": _f(env, "epsilon"),
    }


SPECS: dict[str, _Spec] = {
    "q1_gd_step.factor": _Spec(
        r"1 - \eta \lambda_i",
        lambda e: _gd_factor(_f(e, "eta"), _f(e, "lambda_i")),
        "one GD step on a rotated quadratic from w* + u_i; the new coordinate along u_i",
        "004 'Loss Landscape' writes alpha_{i,s+1} = (1 - eta lambda_i) alpha_{i,s}: agrees.",
    ),
    "q1_gd_step.eta_max": _Spec(
        r"\frac{2}{\lambda_{\max}}",
        lambda e: largest_stable_step(np.linspace(0.05, 1.0, 7) * _f(e, "lambda_max")),
        "bisection for the largest eta with max_i |1 - eta lambda_i| <= 1 on a spectrum topped by lambda_max",
        "004 writes |1 - eta lambda_i| <= 1 => eta <= 2/lambda_max; at eta = 2/lambda_max the top direction "
        "oscillates without decaying, so GD converges only for eta < 2/lambda_max (the bound itself is "
        "2/lambda_max).",
    ),
    "q2_init.xavier_var": _Spec(
        r"\frac{2}{n_{in} + n_{out}}",
        lambda e: _xavier_var(_f(e, "n_in"), _f(e, "n_out")),
        "the variance whose forward (n_in Var) and backward (n_out Var) gains average to 1",
        "004 gives Var[w] = 2/(n_{l-1} + n_l): agrees (forward alone gives 1/n_{l-1}, backward alone 1/n_l).",
    ),
    "q2_init.xavier_uniform_bound": _Spec(
        r"\sqrt{\frac{6}{n_{in} + n_{out}}}",
        lambda e: float(np.sqrt(_xavier_var(_f(e, "n_in"), _f(e, "n_out")) / _uniform_variance_per_a2())),
        "the a with Var[U(-a, a)] = 2/(n_in + n_out), Var[U(-a, a)]/a^2 by Gauss-Legendre quadrature",
        "004 writes the uniform case as N(-sqrt(6)/sqrt(n_{l-1}+n_l), sqrt(6)/sqrt(n_{l-1}+n_l)), a normal "
        "distribution; it means U(-a, a) with a = sqrt(6/(n_{l-1}+n_l)), whose variance a^2/3 is "
        "2/(n_{l-1}+n_l).",
    ),
    "q2_init.he_var": _Spec(
        r"\frac{2}{n_{in}}",
        lambda e: 1.0 / (_f(e, "n_in") * _second_moment_ratio(lambda z: np.maximum(z, 0.0))),
        "Var[w] with n_in Var[w] E[ReLU(z)^2]/Var[z] = 1, the ReLU moment by Gauss-Hermite quadrature",
        "004 gives 2/n_{l-1} (forward) and 2/n_l (backward): agrees; for a convolution n_{l-1} = C_in m n.",
    ),
    "q3_regularization.grad_l2": _Spec(
        r"\lambda \mathbf{w}",
        lambda e: _num_grad(_l2(_f(e, "lambda")), _vec(e, "w")),
        "central finite differences of (lambda/2)||w||^2",
        "004 asks for the gradient of (lambda/2)||w||^2 without giving it; it is lambda w.",
    ),
    "q3_regularization.grad_l1": _Spec(
        r"\lambda \operatorname{sign}(\mathbf{w})",
        lambda e: _num_grad(_l1(_f(e, "lambda")), _vec(e, "w")),
        "central finite differences of lambda ||w||_1 (step below every |w_i|)",
        "004 writes the sparsity penalty as (lambda/2)||w||_1 (gradient (lambda/2) sign(w)); the exercise "
        "uses the usual lambda ||w||_1, whose gradient (for w with no zero entry) is lambda sign(w).",
    ),
    "q3_regularization.decay_step": _Spec(
        r"(1 - \eta\lambda)\mathbf{w} - \eta \nabla L(\mathbf{w})",
        lambda e: (
            _vec(e, "w") - _f(e, "eta") * (_vec(e, "grad") + _num_grad(_l2(_f(e, "lambda")), _vec(e, "w")))
        ),
        "one GD step on L + (lambda/2)||w||^2, the penalty's gradient by finite differences",
        "not on the slides: one GD step on L(w) + (lambda/2)||w||^2 is (1 - eta lambda) w - eta grad L(w), "
        "hence the name weight decay.",
    ),
    "q4_momentum.velocity": _Spec(
        r"\alpha V_{s-1} - \eta \nabla L(\mathbf{w}_{s-1})",
        lambda e: _momentum(_f(e, "alpha"), _f(e, "eta"), _vec(e, "V"), _vec(e, "w"), _vec(e, "grad"))[0],
        "one heavy-ball step run with the gradient at w_{s-1}",
        "004 writes V_s = alpha V_{s-1} - eta grad L(w_s) and w_s = w_{s-1} + V_s, which uses w_s before it "
        "is computed; the gradient is taken at w_{s-1}.",
    ),
    "q4_momentum.w_next": _Spec(
        r"\mathbf{w}_{s-1} + \alpha V_{s-1} - \eta \nabla L(\mathbf{w}_{s-1})",
        lambda e: _momentum(_f(e, "alpha"), _f(e, "eta"), _vec(e, "V"), _vec(e, "w"), _vec(e, "grad"))[1],
        "one heavy-ball step run with the gradient at w_{s-1}",
        "same slip as the velocity (gradient at w_{s-1}, not w_s); torch.optim.SGD(momentum=alpha) gives the "
        "same iterates with V = -eta b.",
    ),
    "q5_newton.model": _Spec(
        r"L(\mathbf{w}_s) + \nabla L(\mathbf{w}_s)^\top \mathbf{d} + \frac{1}{2}\mathbf{d}^\top \mathbf{H}\mathbf{d}",
        lambda e: (
            _f(e, "f")
            + float(_vec(e, "grad") @ _vec(e, "d"))
            + 0.5 * float(_vec(e, "d") @ _vec(e, "H") @ _vec(e, "d"))
        ),
        "the quadratic with value L(w_s), gradient grad and Hessian H at w_s (d = w - w_s)",
        "004 writes L(w_s) + (w - w_s)^T grad L(w_s) + (w - w_s)^T H (w - w_s), missing the 1/2 on the "
        "Hessian term; with it the minimiser would be -(1/2) H^{-1} grad, not the slide's own Newton step.",
    ),
    "q5_newton.step": _Spec(
        r"-\mathbf{H}^{-1}\nabla L(\mathbf{w}_s)",
        lambda e: np.linalg.solve(_vec(e, "H"), -_vec(e, "grad")),
        "the stationary point of the quadratic model: solve H d = -grad",
        "004 gives w_{s+1} = w_s - H^{-1} grad L(w_s): agrees; the step is d = -H^{-1} grad.",
    ),
    "q6_mapreduce.per_worker": _Spec(
        r"\frac{n}{M}",
        lambda e: float(_mapreduce(int(_f(e, "n")), int(_f(e, "M")))[0]),
        "split the sample indices into M contiguous partitions and count the largest",
        "003 splits the n samples into M partitions of L samples (0-based indices (m-1)L .. mL-1 against the "
        "1-based sum over i = 1..n): L = n/M.",
    ),
    "q6_mapreduce.speedup_bound": _Spec(
        "M",
        lambda e: _mapreduce(int(_f(e, "n")), int(_f(e, "M")))[1],
        "simulated map-reduce time with unit per-sample cost and no reduce cost: T_1 / T_M",
        "003 says 'a factor up to M' when the Reduce time is negligible: agrees (with a reduce cost r the "
        "speed-up is (T + r)/(T/M + r) < M).",
    ),
    "q7_adam.m": _Spec(
        r"\beta_1 m_{t-1} + (1 - \beta_1) g_t",
        lambda e: adam_step(_f(e, "m_prev"), _f(e, "v_prev"), _f(e, "g"), int(_f(e, "t")), **_adam_kw(e))[0],
        "one Adam update of one coordinate",
        "003 writes v_{k+1} = beta_1 v_k - (1 - beta_1) grad f(w_k), with a minus sign; the moment is "
        "beta_1 m_{t-1} + (1 - beta_1) g_t (004 has it right), otherwise w_{k+1} = w_k - eta v/(...) climbs "
        "the loss.",
    ),
    "q7_adam.v": _Spec(
        r"\beta_2 v_{t-1} + (1 - \beta_2) g_t^2",
        lambda e: adam_step(_f(e, "m_prev"), _f(e, "v_prev"), _f(e, "g"), int(_f(e, "t")), **_adam_kw(e))[1],
        "one Adam update of one coordinate",
        "003 and 004 agree (beta_2 v_{t-1} + (1 - beta_2) g_t^2, 003 calls it g).",
    ),
    "q7_adam.m_hat": _Spec(
        r"\frac{m_t}{1 - \beta_1^t}",
        lambda e: adam_step(
            (_f(e, "m") - (1 - _f(e, "beta1"))) / _f(e, "beta1"), 1.0, 1.0, int(_f(e, "t")), **_adam_kw(e)
        )[2],
        "one Adam update of one coordinate from a state that leads to m_t",
        "003 divides v_{k+1} by 1 - beta_1^k, one power short (t = k+1 updates have been made; at the first "
        "update it divides by 0); 004 uses beta_1^t, and overwrites G_1 in place, which compounds the "
        "correction from step to step.",
    ),
    "q7_adam.delta": _Spec(
        r"-\eta \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon},\ \hat m_t = \frac{m_t}{1 - \beta_1^t},\ "
        r"\hat v_t = \frac{v_t}{1 - \beta_2^t}",
        lambda e: _adam_delta(_f(e, "m"), _f(e, "v"), int(_f(e, "t")), **_adam_kw(e)),
        "one Adam update of one coordinate from a state that leads to (m_t, v_t)",
        "003's last Adam slide puts epsilon inside the root (sqrt(g_hat + eps)) and 004 leaves it out; the "
        "update is -eta m_hat/(sqrt(v_hat) + eps).",
    ),
    "q8_cosine.eta": _Spec(
        r"\eta_{\min} + \frac{1}{2}(\eta_{\max} - \eta_{\min})\left(1 + \cos\frac{\pi T_{cur}}{T_{max}}\right)",
        lambda e: cosine_recursive(
            _f(e, "eta_max"), _f(e, "eta_min"), int(_f(e, "T_cur")), int(_f(e, "T_max"))
        ),
        "the recursive update of torch's CosineAnnealingLR run for T_cur epochs from eta_max",
        "003 writes cos(T_cur/T) without pi, which never reaches eta_min at T_cur = T; SGDR and "
        "torch.optim.lr_scheduler.CosineAnnealingLR use cos(pi T_cur/T) (the rubric names the period T_max, "
        "as torch does, because a symbol T would turn every ^T into a power).",
    ),
}
KEYS: tuple[str, ...] = tuple(SPECS)
SLIDE_NOTES: dict[str, str] = {k: s.slide_note for k, s in SPECS.items()}


def get(key: str, variant: str | None = None) -> Reference:
    """The reference for ``<part>.<answer>`` (no variants).

    Example:
        >>> round(get("q2_init.he_var").evaluate({"n_in": 8, "n_out": 3}), 12)
        0.25
    """
    if key not in SPECS:
        raise KeyError(f"{HOMEWORK}: unknown key {key!r}; known keys: {', '.join(KEYS)}")
    if variant is not None:
        raise ValueError(f"{HOMEWORK}.{key} has no variants (got {variant!r})")
    spec = SPECS[key]
    return Reference(
        target=f"{HOMEWORK}.{key}",
        kind="expression",
        display=spec.display,
        evaluate=spec.evaluate,
        method=spec.method,
        evidence={"slide_note": spec.slide_note},
    )


# --- reproductions (numpy, batched over instances) -----------------------------------------------

Repro = tuple[Any, Any, float, str]


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
    result = {
        "stable_below": below,
        "diverged_above": above,
        "threshold_over_2_lambda_max": float(thresholds.max()),
    }
    what = "GD run 256 steps on rotated quadratics at eta = c*2/lambda_max, c in [0.9, 1.1] step 0.005"
    return result, "2/lambda_max", worst if below and above else float("inf"), what


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
    result = {"forward_gain": gains[0], "backward_gain": gains[1], "forward_gain_at_2x_variance": doubled[0]}
    what = f"{nets} random {name} nets, 10 layers of width 32: per-layer variance gain pooled over the nets"
    return result, 1.0, worst, what


def _rep_uniform(rng: np.random.Generator, count: int) -> Repro:
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
    return {"pooled_variance_ratio": pooled}, 1.0, worst, what


def _rep_penalty(key: str, rng: np.random.Generator, count: int) -> Repro:
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
    return {"median_order": float(np.median(order))}, 3.0, worst, what


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
    return {"max_speedup_over_M_random_costs": most}, 1.0, worst if most <= 1 else float("inf"), what


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
    result = {"loss_ratio_max": float(losses[0].max()), "slide_sign_loss_ratio_min": float(losses[1].min())}
    what = (
        "Adam 200 steps on random quadratics: first step |delta| = eta |g|/(|g|+eps); the slide's sign climbs"
    )
    return (
        result,
        {"loss_ratio_max": "< 1"},
        worst if losses[0].max() < 1 < losses[1].min() else float("inf"),
        what,
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
    result = {"slide_form_end_above_eta_min_fraction": gap}
    return result, 0.0, worst, "torch's recursive CosineAnnealingLR vs the closed form for T_cur = 0..T"


def _reproduce_key(key: str, rng: np.random.Generator, count: int) -> Repro:
    part = key.split(".")[0]
    if key == "q1_gd_step.factor":
        return _rep_factor(rng, count)
    if key == "q1_gd_step.eta_max":
        return _rep_eta_max(rng, count)
    if key == "q2_init.xavier_uniform_bound":
        return _rep_uniform(rng, count)
    by_part: dict[str, Callable[[str, np.random.Generator, int], Repro]] = {
        "q2_init": _rep_init,
        "q3_regularization": _rep_penalty,
        "q4_momentum": _rep_momentum,
        "q5_newton": _rep_newton,
        "q6_mapreduce": _rep_mapreduce,
        "q7_adam": _rep_adam,
    }
    if part in by_part:
        return by_part[part](key, rng, count)
    return _rep_cosine(rng, count)


def reproduce(key: str, *, device: str = "auto", instances: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Re-derive the reference for ``key`` numerically on ``instances`` random problems (numpy).

    ``max_rel_error`` is the worst relative disagreement with the closed form (``inf`` when a
    qualitative check fails, e.g. GD not diverging just above 2/lambda_max).

    Example:
        >>> reproduce("q5_newton.step", device="cpu", instances=20)["max_rel_error"] < 1e-9
        True
    """
    if key not in SPECS:
        raise KeyError(f"{HOMEWORK}: unknown key {key!r}; known keys: {', '.join(KEYS)}")
    if instances < 1:
        raise ValueError(f"instances must be >= 1 (got {instances})")
    bk = resolve(device)
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    result, reference, worst, what = _reproduce_key(key, rng, instances)
    return {
        "target": f"{HOMEWORK}.{key}",
        "device": "cpu",
        "instances": instances,
        "result": result,
        "reference": reference,
        "max_rel_error": worst,
        "seconds": time.perf_counter() - start,
        "note": "; ".join(x for x in (what, bk.note, CPU_ONLY) if x),
    }
