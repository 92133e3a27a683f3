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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .backend import Backend
from .optim_lectures_pieces import (  # noqa: F401 - re-exported helpers
    _adam_delta,
    _gd_factor,
    _l1,
    _l2,
    _mapreduce,
    _momentum,
    _num_grad,
    _rotation,
    _second_moment_ratio,
    _uniform_variance_per_a2,
    _xavier_var,
    adam_step,
    cosine_recursive,
    largest_stable_step,
)
from .optim_lectures_repro import reproduce_key
from .reproduction import Reproduced, reproduce_with
from .types import Env, Reference

HOMEWORK = "optim-lectures"
__all__ = ["KEYS", "SLIDE_NOTES", "adam_step", "cosine_recursive", "get", "largest_stable_step", "reproduce"]


# Executable pieces live in optim_lectures_pieces; reproductions in optim_lectures_repro.


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


def reproduce(key: str, *, device: str = "auto", instances: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Re-derive the reference for ``key`` numerically on ``instances`` random problems (numpy).

    ``max_rel_error`` is the worst relative disagreement with the closed form (``inf`` when a
    qualitative check fails, e.g. GD not diverging just above 2/lambda_max).

    Example:
        >>> reproduce("q5_newton.step", device="cpu", instances=20)["max_rel_error"] < 1e-9
        True
    """

    def body(bk: Backend, rng: np.random.Generator, count: int) -> Reproduced:
        result, reference, worst, what, *details = reproduce_key(key, rng, count, get)
        return Reproduced(result, reference, worst, what, details=details[0] if details else {})

    return reproduce_with(HOMEWORK, key, SPECS, body, device=device, instances=instances, seed=seed)
