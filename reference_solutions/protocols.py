"""HW2 Q5: message-level simulation of all-to-all, parameter server and ring all-reduce.

n simulated workers each hold a gradient of p integers. Every protocol really moves the values
(as copies of numpy slices) through a :class:`Network` that logs each message and its size, and
the simulation checks that every worker ends with the full sum of all gradients. Counts and sizes
are then read off the log; :func:`fit_closed_form` recovers the formulas from the simulated
numbers by sympy interpolation and checks them on sizes it did not fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sympy as sp

PROTOCOLS = ("all_to_all", "ps", "ring")
N_RANGE = range(2, 17)


@dataclass
class Network:
    """A log of the messages sent: (sender, receiver, number of values) per message."""

    messages: list[tuple[int | str, int | str, int]] = field(default_factory=list)

    def send(self, sender: int | str, receiver: int | str, payload: np.ndarray) -> np.ndarray:
        """Deliver a copy of ``payload`` and log the message."""
        self.messages.append((sender, receiver, int(payload.size)))
        return payload.copy()


@dataclass(frozen=True)
class Traffic:
    """What a protocol run sent: message count, the size of each message, and the sum check."""

    count: int
    sizes: tuple[int, ...]
    all_workers_have_sum: bool

    @property
    def size(self) -> int:
        """The common message size (raises when messages differ in size)."""
        distinct = set(self.sizes)
        if len(distinct) != 1:
            raise ValueError(f"messages have different sizes: {sorted(distinct)}")
        return distinct.pop()


def _all_to_all(grads: np.ndarray, net: Network) -> list[np.ndarray]:
    n = len(grads)
    inbox: list[list[np.ndarray]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j:
                inbox[j].append(net.send(i, j, grads[i]))
    return [grads[j] + sum(inbox[j]) for j in range(n)]


def _parameter_server(grads: np.ndarray, net: Network) -> list[np.ndarray]:
    n = len(grads)
    server = np.zeros_like(grads[0])
    for i in range(n):
        server = server + net.send(i, "server", grads[i])
    return [net.send("server", i, server) for i in range(n)]


def _ring(grads: np.ndarray, net: Network) -> list[np.ndarray]:
    n, p = grads.shape
    chunk = p // n
    buf = [g.copy() for g in grads]

    def part(c: int) -> slice:
        return slice((c % n) * chunk, (c % n + 1) * chunk)

    # reduce-scatter: at step s worker i passes its running sum of chunk i - s to worker i + 1
    for s in range(n - 1):
        sent = [net.send(i, (i + 1) % n, buf[i][part(i - s)]) for i in range(n)]
        for i in range(n):
            buf[(i + 1) % n][part(i - s)] += sent[i]
    # now worker i holds the full sum of chunk i + 1; all-gather passes the finished chunks on
    for s in range(n - 1):
        sent = [net.send(i, (i + 1) % n, buf[i][part(i + 1 - s)]) for i in range(n)]
        for i in range(n):
            buf[(i + 1) % n][part(i + 1 - s)] = sent[i]
    return buf


_RUNNERS: dict[str, Callable[[np.ndarray, Network], list[np.ndarray]]] = {
    "all_to_all": _all_to_all,
    "ps": _parameter_server,
    "ring": _ring,
}


@lru_cache(maxsize=4096)
def simulate(protocol: str, n: int, p: int, seed: int = 0) -> Traffic:
    """Run one protocol on n workers with random integer gradients of length p.

    Example:
        >>> t = simulate("ring", 4, 8)
        >>> t.count, t.size, t.all_workers_have_sum
        (24, 2, True)
    """
    if protocol not in _RUNNERS:
        raise ValueError(f"unknown protocol {protocol!r}: use one of {', '.join(PROTOCOLS)}")
    n, p = int(n), int(p)
    if n < 2 or p < 1 or p % n:
        raise ValueError(f"need n >= 2 workers and p a positive multiple of n (got n={n}, p={p})")
    grads = np.random.default_rng(seed).integers(-1000, 1000, size=(n, p))
    net = Network()
    finals = _RUNNERS[protocol](grads, net)
    total = grads.sum(axis=0)
    ok = len(finals) == n and all(np.array_equal(f, total) for f in finals)
    return Traffic(count=len(net.messages), sizes=tuple(m[2] for m in net.messages), all_workers_have_sum=ok)


def measure(key: str, n: int, p: int) -> int:
    """The simulated value of a Q5 answer id (``ring_count`` or ``q5.ring_count``...) for (n, p).

    Example:
        >>> measure("all_to_all_count", 5, 10), measure("ring_size", 5, 10)
        (20, 2)
    """
    protocol, _, what = key.removeprefix("q5.").rpartition("_")
    if what not in ("count", "size") or protocol not in PROTOCOLS:
        raise ValueError(f"unknown Q5 answer {key!r}")
    traffic = simulate(protocol, n, p)
    if not traffic.all_workers_have_sum:
        raise AssertionError(f"{protocol} with n={n}, p={p}: some worker does not hold the full sum")
    return traffic.count if what == "count" else traffic.size


N = sp.Symbol("n", positive=True, integer=True)
P = sp.Symbol("p", positive=True, integer=True)


def fit_closed_form(key: str, fit_ns: range = range(2, 9), check_ns: range = N_RANGE) -> sp.Expr:
    """Recover the formula for a Q5 answer from simulated numbers, and check it.

    Counts and sizes are linear in p or free of it (checked by simulating at two p values); the
    p-coefficient is interpolated as a polynomial in n, or, when that needs every fitted point
    (no polynomial pattern), as the reciprocal of one. The result is checked against the
    simulation for every n in ``check_ns`` and two p each; a mismatch raises AssertionError.

    Example:
        >>> fit_closed_form("ring_count")
        2*n**2 - 2*n
    """

    def at(n: int, q: int) -> int:
        return measure(key, n, n * q)

    ns = list(fit_ns)
    proportional = all(at(n, 2) == 2 * at(n, 1) for n in ns)
    constant_in_p = all(at(n, 2) == at(n, 1) for n in ns)
    if not (proportional or constant_in_p):
        raise AssertionError(f"{key}: neither constant in p nor proportional to p")
    # value per unit of p (or the value itself), at p = n * 12 so that p/n stays integral
    coeff = [sp.Rational(at(n, 12), n * 12) if proportional else sp.Integer(at(n, 12)) for n in ns]
    poly = sp.expand(sp.interpolate(list(zip(ns, coeff, strict=True)), N))
    if sp.degree(poly, N) >= len(ns) - 2:  # no low-degree pattern: try 1/polynomial
        poly = 1 / sp.expand(sp.interpolate(list(zip(ns, [1 / c for c in coeff], strict=True)), N))
    formula = sp.expand(poly * P) if proportional else poly
    for n in check_ns:
        for q in (1, 7):
            got = formula.subs({N: n, P: n * q})
            if got != measure(key, n, n * q):
                raise AssertionError(f"{key}: fitted {formula} fails at n={n}, p={n * q}")
    return formula


def counterexample(formula_fn: Callable[[int, int], float], key: str) -> dict[str, object] | None:
    """The first (n, p) in n = 2..16 where ``formula_fn(n, p)`` differs from the simulation, or None.

    ``formula_fn`` is any python callable; an exception or a non-number counts as a mismatch
    (reported in ``got``), never as a crash.

    Example:
        >>> counterexample(lambda n, p: p, "ring_size")
        {'n': 2, 'p': 2, 'expected': 1, 'got': 2}
        >>> counterexample(lambda n, p: p / n, "ring_size") is None
        True
    """
    for n in N_RANGE:
        for p in (n, 3 * n, 12 * n):
            expected = measure(key, n, p)
            got: object
            try:
                got = formula_fn(n, p)
                ok = bool(np.isclose(float(got), expected, rtol=1e-9, atol=1e-9))  # type: ignore[arg-type]
            except Exception as exc:  # a broken formula is a counterexample, not a crash
                got, ok = f"{type(exc).__name__}: {exc}", False
            if not ok:
                return {"n": n, "p": p, "expected": expected, "got": got}
    return None
