"""Optimizers from their textbook definitions, batched over many problem instances.

Every optimizer works on a batch of parameter vectors ``theta`` of shape ``(B, d)`` (one row per
instance) and is written against :class:`reference_solutions.backend.Backend`, so the same code
runs on numpy and, when it is installed and a GPU is present, on torch/CUDA.

:func:`run_q2_batch` runs one of them on B single-equation least-squares problems
``f_i(theta) = (b_i - A_i . theta)^2`` from ``theta = 0``: the setting of HW2 Q2, where the method
decides which of the infinitely many zero-loss solutions is reached (its implicit bias).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .backend import NUMPY, Backend, resolve

METHODS = (
    "sgd",
    "momentum",
    "adagrad",
    "rmsprop",
    "adam",
    "sign_sgd",
    "simplified_adam",
    "newton",
    "rescaled_sgd",
)
"""Method names accepted by :func:`make_optimizer` and :func:`run_q2_batch`."""


@dataclass
class Optimizer:
    """One optimizer: ``step(theta, grad, lr)`` returns the next iterate for the whole batch.

    Attributes:
        name: method name (one of :data:`METHODS`).
        direction: maps (grad, state, t) to the update direction ``D`` in
            ``theta <- theta - lr * D``; ``state`` is this optimizer's running buffers.
        bk: the array backend.
        state: running buffers (momentum, squared-gradient averages...).
        t: number of steps taken so far.
    """

    name: str
    direction: Callable[[Any, dict[str, Any], int], Any]
    bk: Backend = NUMPY
    state: dict[str, Any] = field(default_factory=dict)
    t: int = 0

    def step(self, theta: Any, grad: Any, lr: Any) -> Any:
        """``theta - lr * direction(grad)``; ``lr`` is a scalar or a ``(B, 1)`` array."""
        self.t += 1
        return theta - lr * self.direction(grad, self.state, self.t)


def _buffer(state: dict[str, Any], key: str, like: Any, bk: Backend) -> Any:
    if key not in state:
        state[key] = bk.zeros_like(like)
    return state[key]


def make_optimizer(
    method: str,
    bk: Backend = NUMPY,
    *,
    momentum: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    rho: float = 0.9,
    eps: float = 1e-8,
    hessian: Any | None = None,
) -> Optimizer:
    """An optimizer by name, each one its update rule written out.

    - ``sgd``: ``D = g``.
    - ``momentum`` (heavy ball): ``v = mu v + g; D = v``.
    - ``adagrad``: ``G = G + g^2; D = g / (sqrt(G) + eps)``.
    - ``rmsprop``: ``v = rho v + (1 - rho) g^2; D = g / (sqrt(v) + eps)``.
    - ``adam``: ``m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2``, bias-corrected
      ``m / (1-b1^t)``, ``v / (1-b2^t)``; ``D = m_hat / (sqrt(v_hat) + eps)``.
    - ``sign_sgd``: ``D = sign(g)``.
    - ``simplified_adam`` (HW2 Q2's O): ``D = M_t g`` with ``M_t = diag(1/sqrt(mean of g_i^2 over
      the epoch))``; with one training point an epoch is one step, so ``M_t g = sign(g)``
      (coordinates with ``g_i = 0`` do not move).
    - ``newton``: ``D = pinv(H(theta)) g`` (pseudo-inverse, since least-squares Hessians of
      under-determined problems are singular); needs ``hessian``, a ``(B, d, d)`` array (constant
      Hessians, as for least squares).

    Example:
        >>> opt = make_optimizer("sign_sgd")
        >>> opt.step(np.zeros((1, 2)), np.array([[3.0, -0.5]]), 0.1).tolist()
        [[-0.1, 0.1]]
    """
    xp = bk.xp

    def sgd(g: Any, s: dict[str, Any], t: int) -> Any:
        return g

    def heavy_ball(g: Any, s: dict[str, Any], t: int) -> Any:
        s["v"] = momentum * _buffer(s, "v", g, bk) + g
        return s["v"]

    def adagrad(g: Any, s: dict[str, Any], t: int) -> Any:
        s["G"] = _buffer(s, "G", g, bk) + g * g
        return g / (xp.sqrt(s["G"]) + eps)

    def rmsprop(g: Any, s: dict[str, Any], t: int) -> Any:
        s["v"] = rho * _buffer(s, "v", g, bk) + (1.0 - rho) * g * g
        return g / (xp.sqrt(s["v"]) + eps)

    def adam(g: Any, s: dict[str, Any], t: int) -> Any:
        s["m"] = beta1 * _buffer(s, "m", g, bk) + (1.0 - beta1) * g
        s["v"] = beta2 * _buffer(s, "v", g, bk) + (1.0 - beta2) * g * g
        m_hat = s["m"] / (1.0 - beta1**t)
        v_hat = s["v"] / (1.0 - beta2**t)
        return m_hat / (xp.sqrt(v_hat) + eps)

    def sign(g: Any, s: dict[str, Any], t: int) -> Any:
        return xp.sign(g)

    def simplified_adam(g: Any, s: dict[str, Any], t: int) -> Any:
        root = xp.sqrt(g * g)  # sqrt of the mean of g_i^2 over an epoch of one training point
        return g / bk.where(root > 0, root, xp.ones_like(root))  # g_i = 0 gives 0

    def newton(g: Any, s: dict[str, Any], t: int) -> Any:
        if "H_pinv" not in s:
            s["H_pinv"] = xp.linalg.pinv(hessian)
        return (s["H_pinv"] @ g[..., None])[..., 0]

    rules: dict[str, Callable[[Any, dict[str, Any], int], Any]] = {
        "sgd": sgd,
        "rescaled_sgd": sgd,
        "momentum": heavy_ball,
        "adagrad": adagrad,
        "rmsprop": rmsprop,
        "adam": adam,
        "sign_sgd": sign,
        "simplified_adam": simplified_adam,
        "newton": newton,
    }
    if method not in rules:
        raise ValueError(f"unknown optimizer {method!r}: use one of {', '.join(METHODS)}")
    if method == "newton" and hessian is None:
        raise ValueError("newton needs the batched hessian, a (B, d, d) array")
    return Optimizer(name=method, direction=rules[method], bk=bk)


def _as_backend(backend: Backend | str) -> Backend:
    if isinstance(backend, Backend):
        return backend
    if backend == "numpy":
        return NUMPY
    return resolve(backend)


def run_q2_batch(
    method: str,
    A: Any,
    b: Any,
    steps: int = 400,
    lr: float | Any | None = None,
    backend: Backend | str = "numpy",
    *,
    halve_on_increase: bool | None = None,
) -> np.ndarray:
    """Run ``method`` from ``theta = 0`` on B problems ``min (b_i - A_i . theta)^2``.

    Args:
        method: one of :data:`METHODS`. ``rescaled_sgd`` rescales each feature to unit second
            moment over the (one-point) data set, runs SGD, and maps the solution back.
        A: ``(B, d)`` data, one equation per row. b: ``(B,)`` targets.
        steps: iterations. lr: step size, scalar or ``(B,)``; None picks one per instance from
            the problem's scale: ``0.25 / ||a||^2`` for gradient steps (sgd, momentum, newton,
            rescaled_sgd on the rescaled data), ``0.3 |b| / ||a||_1`` for the adaptive and sign
            methods, whose steps have the size of ``lr`` in every coordinate.
        backend: a :class:`Backend` or a device name (``"numpy"``, ``"cpu"``, ``"auto"``, ``"cuda"``).
        halve_on_increase: halve an instance's step size whenever its loss goes up (a step-size
            rule that never changes the update direction, so it does not change the implicit bias;
            it gives sign-like methods the "appropriate step sizes" under which they converge).
            None: on, except for momentum and adam, whose velocity makes the loss go up and down
            on the way to convergence (halving would freeze them short of the limit).

    Returns:
        ``(B, d)`` numpy array of final iterates.

    Example:
        >>> run_q2_batch("sgd", np.array([[1.0, 1.0]]), np.array([2.0])).round(6).tolist()
        [[1.0, 1.0]]
    """
    bk = _as_backend(backend)
    A_np = np.atleast_2d(np.asarray(A, dtype=np.float64))
    b_np = np.asarray(b, dtype=np.float64).reshape(-1)
    if A_np.shape[0] != b_np.shape[0]:
        raise ValueError(f"A has {A_np.shape[0]} rows but b has {b_np.shape[0]} entries")
    scale = np.ones_like(A_np)
    if method == "rescaled_sgd":
        second_moment = A_np * A_np  # one data point: the mean over the data is the value itself
        if np.any(second_moment == 0):
            raise ValueError("rescaled_sgd needs every feature nonzero (unit second moment)")
        scale = 1.0 / np.sqrt(second_moment)
    if lr is None:
        lr = default_lr(method, A_np * scale, b_np)
    if halve_on_increase is None:
        halve_on_increase = method not in ("momentum", "adam")
    A_x = bk.asarray(A_np * scale)
    b_x = bk.asarray(b_np)
    lr_x = bk.asarray(np.broadcast_to(np.asarray(lr, dtype=np.float64), b_np.shape).copy())[:, None]

    # the Hessian of (b - a.theta)^2 is 2 a a^T, constant in theta
    hessian = 2.0 * A_x[:, :, None] * A_x[:, None, :] if method == "newton" else None
    opt = make_optimizer(method, bk, hessian=hessian)
    theta = bk.zeros_like(A_x)
    residual = b_x - bk.sum_last(A_x * theta)
    loss = residual * residual
    for _ in range(steps):
        grad = -2.0 * residual[:, None] * A_x
        theta = opt.step(theta, grad, lr_x)
        residual = b_x - bk.sum_last(A_x * theta)
        new_loss = residual * residual
        if halve_on_increase:
            lr_x = bk.where((new_loss > loss)[:, None], 0.5 * lr_x, lr_x)
        loss = new_loss
    bk.sync()
    return bk.to_numpy(theta) * scale


def default_lr(method: str, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-instance step sizes from the problem's scale (see :func:`run_q2_batch`); 1 for Newton.

    Example:
        >>> default_lr("sgd", np.array([[1.0, 1.0]]), np.array([1.0])).tolist()
        [0.125]
    """
    if LIMIT_OF.get(method) == "sign":
        return 0.3 * np.abs(b) / np.sum(np.abs(A), axis=1)
    if method == "newton":
        return np.ones_like(b)
    return 0.25 / np.sum(A * A, axis=1)


def q2_closed_form(kind: str, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The limits of :func:`run_q2_batch` by linear algebra, batched.

    ``min_l2``: ``b a / ||a||^2`` (pseudo-inverse; SGD, momentum, Newton).
    ``sign``: ``b sign(a) / ||a||_1`` (the min-l_inf-norm solution; sign descent, the simplified
    Adam O, and Adagrad/RMSProp/Adam, whose diagonal scalings make every coordinate move by the
    same amount on a single equation). ``rescaled``: ``S pinv(a^T S) b`` with
    ``S = diag(1/|a_i|)``, i.e. ``b sign(a_i) / (d |a_i|)``.

    Example:
        >>> q2_closed_form("sign", np.array([[1.0, -3.0]]), np.array([2.0])).tolist()
        [[0.5, -0.5]]
    """
    A = np.atleast_2d(np.asarray(A, dtype=np.float64))
    b = np.asarray(b, dtype=np.float64).reshape(-1, 1)
    if kind == "min_l2":
        return b * A / np.sum(A * A, axis=1, keepdims=True)
    if kind == "sign":
        return b * np.sign(A) / np.sum(np.abs(A), axis=1, keepdims=True)
    if kind == "rescaled":
        S = 1.0 / np.abs(A)
        A_s = A * S
        return S * (b * A_s / np.sum(A_s * A_s, axis=1, keepdims=True))
    raise ValueError(f"unknown closed form {kind!r}: use min_l2, sign or rescaled")


LIMIT_OF = {
    "sgd": "min_l2",
    "momentum": "min_l2",
    "newton": "min_l2",
    "sign_sgd": "sign",
    "simplified_adam": "sign",
    "adagrad": "sign",
    "rmsprop": "sign",
    "adam": "sign",
    "rescaled_sgd": "rescaled",
}
"""Which closed form (:func:`q2_closed_form`) each method's limit has on a single equation."""


def random_q2_problems(rng: np.random.Generator, instances: int, d: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """B random single-equation problems: ``|A_ij|`` in [0.01, 2] with random signs, ``b`` in ±[0.5, 2].

    Example:
        >>> A, b = random_q2_problems(np.random.default_rng(0), 4)
        >>> A.shape, b.shape
        ((4, 3), (4,))
    """
    mags = np.exp(rng.uniform(np.log(0.01), np.log(2.0), size=(instances, d)))
    A = mags * rng.choice([-1.0, 1.0], size=(instances, d))
    b = rng.uniform(0.5, 2.0, size=instances) * rng.choice([-1.0, 1.0], size=instances)
    return A, b
