"""High-precision evaluation of scalar formulas (mpmath), complex numbers and calculus included.

Floats saturate: ``(x-a)^{6000}`` and ``(x-a)^{5999}`` are both ``inf`` or both ``0`` at most points,
and ``(x + 10^8)^2 - x^2`` loses every digit to cancellation. Scalar formulas are therefore compared
by evaluating them here, in mpmath's arbitrary precision with an unbounded exponent range, built node
by node from the AST (never from strings).

* **Two precisions.** :func:`precise_equal` evaluates both sides at ``LOW_DPS`` and ``HIGH_DPS``
  digits. Values that agree to ``1e-45`` relative at the higher precision are equal; a difference
  that shrinks by ``1e-20`` when the precision doubles is rounding noise (cancellation) and also
  equal; a difference that stays is real, however small (``(1 + 10^{-30})`` is not 1).
* **Real or complex.** In real mode a function leaving the reals (``\\sqrt{-1}``, ``\\ln(-2)``,
  ``\\arcsin 2``) is undefined there (:class:`Undefined`) and the instance is skipped; complex mode
  (either side mentions the imaginary unit) uses principal branches.
* **Calculus.** ``\\frac{d}{dx}`` is ``mpmath.diff`` at the instance, ``\\int_a^b`` is
  ``mpmath.quad``, ``\\lim`` is ``mpmath.limit``, ``\\sum_{k=a}^{b}`` and ``\\prod`` are evaluated
  term by term (``nsum`` for an infinite upper bound). Factorials and binomials are Γ-continued.
* **Bounds.** Each node checks the time budget; powers past ``MAX_LOG2`` (module constant),
  factorials over ``MAX_FACTORIAL`` and sums over ``MAX_TERMS`` terms raise
  :class:`TooLarge` (undecided, never a verdict).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath

from grader.mathx import ast as A
from grader.mathx import budget, piecewise
from grader.mathx.numeric import EvalError

LOW_DPS = 30
HIGH_DPS = 60
EQUAL_RTOL = 1e-45
"""At HIGH_DPS digits, values this close (relative) are equal."""
NOISE_SHRINK = 1e-20
"""A difference that shrinks by this factor from LOW_DPS to HIGH_DPS digits is rounding noise."""
MAX_LOG2 = 10**300
"""Powers ``b^e`` with ``|e log2 b|`` over this (a result whose exponent itself has ~1,000 digits)
are refused: mpmath would need the exponent of the result as an integer of that size."""
MAX_FACTORIAL = 10**5
MAX_TERMS = 10_000


class Undefined(EvalError):
    """The formula has no (real) value at this instance: division by zero, ``\\ln`` of a negative..."""


class TooLarge(EvalError):
    """The value is too large to compute within the size limits (see module notes)."""


_CONTEXTS = threading.local()
"""Per thread, one mpmath context per precision: making one costs about a millisecond (mpmath builds
its function table anew), and a transcript's checks ask for hundreds."""


def context(dps: int) -> Any:
    """A private mpmath context at ``dps`` digits (mpmath's global ``mp`` is shared between threads).

    The context is this thread's own and reused by the next call at the same precision: its precision
    is set again here, so that a computation that changed it and was stopped before restoring it (a
    budget running out inside ``quad``) leaves no trace on the next one.
    """
    pool: dict[int, Any] | None = getattr(_CONTEXTS, "pool", None)
    if pool is None:
        pool = _CONTEXTS.pool = {}
    ctx = pool.get(dps)
    if ctx is None:
        ctx = pool[dps] = mpmath.MPContext()
    ctx.dps = dps
    return ctx


_REAL_FUNCS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc", "exp": "exp",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arccot": "acot", "arcsec": "asec",
    "arccsc": "acsc", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "arsinh": "asinh",
    "arcosh": "acosh", "artanh": "atanh", "sqrt": "sqrt", "ln": "ln",
}  # fmt: skip


class Evaluator:
    """Evaluate scalar ASTs in one mpmath context; ``complex_mode`` allows non-real values."""

    def __init__(self, dps: int, complex_mode: bool = False) -> None:
        self.ctx = context(dps)
        self.complex_mode = complex_mode

    # -- helpers ---------------------------------------------------------------------------------
    def _real_check(self, value: Any, *inputs: Any) -> Any:
        """In real mode, a non-real result from real inputs is undefined."""
        ctx = self.ctx
        if isinstance(value, ctx.mpc):
            if value.imag == 0:
                return value.real
            if not self.complex_mode and all(not isinstance(x, ctx.mpc) for x in inputs):
                raise Undefined("no real value here")
        if ctx.isnan(value):
            raise Undefined("undefined here")
        return value

    def value(self, node: A.Node, env: Mapping[str, Any]) -> Any:
        """The value of ``node`` at the instance ``env`` (mpf or mpc)."""
        budget.check()
        ctx = self.ctx
        match node:
            case A.Num(value=v):
                return ctx.mpf(v.numerator) / v.denominator
            case A.Sym(name=name):
                if name not in env:
                    raise EvalError(f"uses undeclared symbol {name}")
                v = env[name]
                if isinstance(v, complex):
                    return ctx.mpc(v)
                if isinstance(v, int | float | Fraction) or isinstance(v, ctx.mpf | ctx.mpc):
                    return (
                        ctx.convert(v)
                        if not isinstance(v, Fraction)
                        else ctx.mpf(v.numerator) / v.denominator
                    )
                try:
                    return ctx.mpf(float(v))
                except (TypeError, ValueError):
                    raise EvalError(f"{name} is not a scalar") from None
            case A.Const(name=name):
                consts = {"pi": ctx.pi, "e": ctx.e, "inf": ctx.inf, "i": ctx.mpc(0, 1)}
                if name not in consts:
                    raise EvalError(f"{name} is not a scalar")
                return +consts[name]
            case A.Add(terms=terms):
                total = self.value(terms[0], env)
                for t in terms[1:]:
                    total = total + self.value(t, env)
                return self._real_check(total)
            case A.Neg(arg=arg):
                return -self.value(arg, env)
            case A.Mul(factors=factors):
                prod = self.value(factors[0], env)
                for f in factors[1:]:
                    prod = prod * self.value(f, env)
                return self._real_check(prod)
            case A.Div(num=num, den=den):
                d = self.value(den, env)
                if d == 0:
                    raise Undefined("division by zero")
                return self._real_check(self.value(num, env) / d)
            case A.Pow(base=base, exp=exp):
                return self._pow(self.value(base, env), self.value(exp, env), exp)
            case A.Abs(arg=arg):
                return abs(self.value(arg, env))
            case A.Quantity(value=value):
                return self.value(value, env)
            case A.Func():
                return self._func(node, env)
            case A.Series():
                return self._series(node, env)
            case A.Deriv(body=body, var=var, order=order):
                return self._deriv(body, var, order, env)
            case A.Integral(body=body, var=var, lower=lower, upper=upper):
                if lower is None or upper is None:
                    raise EvalError("an antiderivative has no value at a point")
                return self._integral(body, var, self.value(lower, env), self.value(upper, env), env)
            case A.Limit(body=body, var=var, point=point, side=side):
                return self._limit(body, var, self.value(point, env), side, env)
            case A.Matrix(rows=rows) if len(rows) == 1 and len(rows[0]) == 1:
                return self.value(rows[0][0], env)
        raise EvalError(f"{type(node).__name__} is not a scalar formula")

    def _pow(self, b: Any, e: Any, exp_node: A.Node) -> Any:
        ctx = self.ctx
        if b == 0:
            if e == 0:
                return ctx.mpf(1)
            if ctx.re(e) < 0:
                raise Undefined("0 to a negative power")
            return ctx.mpf(0)
        if ctx.isinf(b) or ctx.isinf(e):
            if ctx.isinf(e):
                raise TooLarge("infinite exponent")
        mag_b = abs(ctx.log(abs(b), 2)) if abs(b) != 1 else ctx.mpf(0)
        if abs(e) * mag_b > MAX_LOG2:
            raise TooLarge("power too large")
        if not self.complex_mode and not isinstance(b, ctx.mpc) and not isinstance(e, ctx.mpc) and b < 0:
            if ctx.isint(e):
                return b ** int(e)
            odd = _odd_root(exp_node)
            if odd is not None:  # (-8)^{1/3} = -2 in the reals
                sign = -1 if odd % 2 else 1
                return sign * (-b) ** e
            raise Undefined("negative base with a fractional exponent")
        return self._real_check(b**e, b, e)

    def _piecewise(self, node: A.Func, env: Mapping[str, Any]) -> Any:
        """The value of the row of a ``cases`` environment that holds here (see ``piecewise``)."""
        ctx = self.ctx

        def tolerance(v: Any) -> Any:
            return ctx.mpf(10) ** (-(ctx.dps * 2) // 3) * max(ctx.mpf(1), abs(v))

        try:
            return piecewise.pick(node.args, lambda n: self.value(n, env), tolerance)
        except piecewise.NoCase as exc:
            raise Undefined(str(exc)) from None
        except piecewise.CaseConflict as exc:
            raise EvalError(str(exc)) from None

    def _func(self, node: A.Func, env: Mapping[str, Any]) -> Any:
        ctx = self.ctx
        name = node.name
        if name == "piecewise":
            return self._piecewise(node, env)
        if name in piecewise.GUARDS:
            raise EvalError("a condition of a cases environment has no value of its own")
        args = [self.value(a, env) for a in node.args]
        x = args[0]
        if name in _REAL_FUNCS and len(args) == 1:
            if name in ("ln",) and x == 0:
                raise Undefined("log of 0")
            try:
                out = getattr(ctx, _REAL_FUNCS[name])(x)
            except (ValueError, ZeroDivisionError):
                raise Undefined(f"{name} undefined here") from None
            return self._real_check(out, x)
        if name in ("log", "lg"):
            if x == 0:
                raise Undefined("log of 0")
            base = args[1] if len(args) == 2 else (ctx.mpf(10) if name == "lg" else None)
            out = ctx.ln(x) if base is None else ctx.ln(x) / ctx.ln(base)
            return self._real_check(out, x)
        if name == "root":
            return self._pow(x, 1 / args[1], A.Div(A.Num(Fraction(1)), node.args[1]))
        if name == "abs":
            return abs(x)
        if name == "sign":
            return ctx.sign(x)
        if name == "conj":
            return ctx.conj(x)
        if name == "Re":
            return ctx.re(x)
        if name == "Im":
            return ctx.im(x)
        if name == "arg":
            return ctx.arg(x)
        if name in ("tr", "det", "diag") and len(args) == 1:
            return x
        if name == "step":
            if isinstance(x, ctx.mpc):
                raise Undefined("indicator of a complex comparison")
            return ctx.mpf(1) if x > 0 else ctx.mpf(0) if x < 0 else ctx.mpf(0.5)
        if name in ("max", "min", "relu"):
            if any(isinstance(a, ctx.mpc) for a in args):
                raise Undefined("max of complex numbers")
            if name == "relu":
                return max(x, ctx.mpf(0))
            return max(args) if name == "max" else min(args)
        if name == "factorial":
            return self._gamma(x + 1)
        if name == "binom":
            n, k = args[0], args[1]
            if abs(n) > MAX_FACTORIAL or abs(k) > MAX_FACTORIAL:
                raise TooLarge("binomial too large")
            try:
                return self._real_check(ctx.binomial(n, k), n, k)
            except (ValueError, ZeroDivisionError):
                raise Undefined("binomial undefined here") from None
        raise EvalError(f"unknown function {name}")

    def _gamma(self, x: Any) -> Any:
        ctx = self.ctx
        if abs(x) > MAX_FACTORIAL:
            raise TooLarge("factorial too large")
        if ctx.isint(x) and ctx.re(x) <= 0:
            raise Undefined("factorial of a negative integer")
        return self._real_check(ctx.gamma(x), x)

    def _with(self, env: Mapping[str, Any], name: str, value: Any) -> dict[str, Any]:
        new = dict(env)
        new[name] = value
        return new

    def _series(self, node: A.Series, env: Mapping[str, Any]) -> Any:
        ctx = self.ctx
        lo = self.value(node.lower, env)
        hi = self.value(node.upper, env)
        if isinstance(lo, ctx.mpc) or isinstance(hi, ctx.mpc) or not ctx.isint(lo):
            raise Undefined("sum bounds must be integers")
        lo_i = int(lo)

        def term(k: Any) -> Any:
            return self.value(node.body, self._with(env, node.index, ctx.mpf(k)))

        if ctx.isinf(hi):
            if node.op != "sum" or hi < 0:
                raise EvalError("infinite products are not evaluated")
            return self._real_check(ctx.nsum(term, [lo_i, ctx.inf]))
        if not ctx.isint(hi):
            raise Undefined("sum bounds must be integers")
        hi_i = int(hi)
        if hi_i - lo_i > MAX_TERMS:
            raise TooLarge("too many terms")
        acc = ctx.mpf(0) if node.op == "sum" else ctx.mpf(1)
        for k in range(lo_i, hi_i + 1):
            acc = acc + term(k) if node.op == "sum" else acc * term(k)
        return acc

    def _point(self, env: Mapping[str, Any], var: str) -> Any:
        if var not in env:
            raise EvalError(f"the variable {var} has no value")
        return self.value(A.Sym(var), env)

    def _deriv(self, body: A.Node, var: str, order: int, env: Mapping[str, Any]) -> Any:
        ctx = self.ctx
        x0 = self._point(env, var)

        def f(t: Any) -> Any:
            return self.value(body, self._with(env, var, t))

        f(x0)  # undefined at the point: no derivative
        return self._real_check(ctx.diff(f, x0, order))

    def _integral(self, body: A.Node, var: str, a: Any, b: Any, env: Mapping[str, Any]) -> Any:
        ctx = self.ctx

        def f(t: Any) -> Any:
            return self.value(body, self._with(env, var, t))

        value, err = ctx.quad(f, [a, b], error=True)
        if ctx.isnan(value) or err > ctx.mpf(10) ** (-ctx.dps // 3) * max(1, abs(value)):
            raise Undefined("the integral does not converge numerically")
        return self._real_check(value)

    def _limit(self, body: A.Node, var: str, point: Any, side: str, env: Mapping[str, Any]) -> Any:
        ctx = self.ctx

        def f(t: Any) -> Any:
            return self.value(body, self._with(env, var, t))

        direction = -1 if side == "-" else 1
        if ctx.isinf(point):
            return self._real_check(ctx.limit(f, point))
        return self._real_check(ctx.limit(f, point, direction=direction))


def _odd_root(exp: A.Node) -> int | None:
    """The numerator p when the exponent is written as an exact rational p/q with q odd, else None."""
    from grader.mathx.numbers import exact_value

    value = exact_value(exp)
    if value is None or value.denominator % 2 == 0:
        return None
    return value.numerator


def mentions_imaginary(*nodes: A.Node) -> bool:
    """Whether any of ``nodes`` uses the imaginary unit or a complex-only function."""
    return any(
        (isinstance(n, A.Const) and n.name == "i")
        or (isinstance(n, A.Func) and n.name in ("conj", "Re", "Im", "arg"))
        for node in nodes
        for n in A.walk(node)
    )


@dataclass
class PreciseOutcome:
    """The result of a high-precision comparison: ``equal`` is None when undecided."""

    equal: bool | None
    reason: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    points: int = 0


def _short(value: Any) -> str:
    """A value for evidence: 12 significant digits, or the order of magnitude."""
    try:
        return mpmath.nstr(value, 12)
    except (TypeError, ValueError):  # pragma: no cover - defensive
        return str(value)[:40]


def _close(a: Any, b: Any, rtol: float) -> bool:
    scale = max(abs(a), abs(b))
    return bool(abs(a - b) <= rtol * scale) if scale != 0 else True


def same_at(
    a: A.Node, b: A.Node, env: Mapping[str, Any], lo: Evaluator, hi: Evaluator
) -> tuple[bool | None, tuple[Any, Any]]:
    """Whether ``a`` and ``b`` agree at one instance (see the two-precision rule in the module notes).

    Returns ``(None, ...)`` when the instance carries no information (undefined on either side).
    Raises TooLarge when a value cannot be computed within the size limits.
    """
    try:
        a2, b2 = hi.value(a, env), hi.value(b, env)
    except Undefined:
        return None, (None, None)
    if hi.ctx.isinf(a2) or hi.ctx.isinf(b2):
        return (a2 == b2 if hi.ctx.isinf(a2) and hi.ctx.isinf(b2) else False), (a2, b2)
    if _close(a2, b2, EQUAL_RTOL):
        return True, (a2, b2)
    try:
        a1, b1 = lo.value(a, env), lo.value(b, env)
    except Undefined:
        return None, (a2, b2)
    d1, d2 = abs(a1 - b1), abs(a2 - b2)
    if d1 != 0 and d2 <= NOISE_SHRINK * d1:
        return True, (a2, b2)  # the difference is rounding noise: it vanishes with precision
    return False, (a2, b2)


def precise_equal(
    a: A.Node,
    b: A.Node,
    envs: Iterable[Mapping[str, Any]],
    *,
    complex_mode: bool | None = None,
    need: int = 6,
    max_draws: int = 40,
) -> PreciseOutcome:
    """Compare two scalar formulas at high precision on the instances ``envs``.

    Equal when they agree on ``need`` instances where both are defined; unequal on the first
    instance where they differ (the evidence names it); undecided (None) when no instance is usable.

    Example:
        >>> precise_equal(parse("(x-a)^{6000}"), parse("(x-a)^{5999}"), envs).equal
        False
    """
    cm = mentions_imaginary(a, b) if complex_mode is None else complex_mode
    lo, hi = Evaluator(LOW_DPS, cm), Evaluator(HIGH_DPS, cm)
    if not (A.free_symbols(a) | A.free_symbols(b)):
        need = 1  # constants: every instance gives the same values
    good = 0
    last = ""
    for k, env in enumerate(envs):
        if k >= max_draws:
            break
        try:
            same, (va, vb) = same_at(a, b, env, lo, hi)
        except TooLarge as exc:
            return PreciseOutcome(None, str(exc.message), {"too_large": True})
        except EvalError as exc:
            return PreciseOutcome(None, exc.message, {"not_evaluable": True})
        except (ZeroDivisionError, ValueError, OverflowError, ArithmeticError, TypeError, IndexError) as exc:
            last = f"{type(exc).__name__}"
            continue
        if same is None:
            continue
        if not same:
            used = A.free_symbols(a) | A.free_symbols(b)
            shown = {n: _short(v) for n, v in env.items() if n in used and not callable(v)}
            return PreciseOutcome(
                False,
                "",
                {
                    "instance": shown,
                    "answer_value": _short(vb),
                    "reference_value": _short(va),
                    "method": "precise",
                },
                good,
            )
        good += 1
        if good >= need:
            break
    if good == 0:
        return PreciseOutcome(None, last or "no instance where both sides are defined", {"degenerate": True})
    return PreciseOutcome(True, "", {"instances": good, "method": "precise"}, good)


def _vanishes(node: A.Node, high: Any, env: Mapping[str, Any], lo: Evaluator) -> bool:
    """Whether a value computed at HIGH_DPS is zero: exactly, or rounding noise that shrank with precision."""
    if high == 0:
        return True
    low = lo.value(node, env)
    return low != 0 and abs(high) <= NOISE_SHRINK * abs(low)


def precise_ratio(
    a: A.Node,
    b: A.Node,
    envs: Iterable[Mapping[str, Any]],
    *,
    complex_mode: bool | None = None,
    need: int = 6,
    max_draws: int = 40,
) -> tuple[bool | None, Any]:
    """Whether ``a`` is a constant nonzero multiple of ``b`` (``c`` with ``a = c·b``), at high precision.

    Instances where both vanish are skipped; one vanishing alone means no. Returns ``(answer, c)``,
    ``answer`` None when undecided.

    Example: ``precise_ratio(parse("2x - 4"), parse("x - 2"), envs)`` → ``(True, 2)``.
    """
    cm = mentions_imaginary(a, b) if complex_mode is None else complex_mode
    lo, hi = Evaluator(LOW_DPS, cm), Evaluator(HIGH_DPS, cm)
    ratio: Any = None
    good = 0
    for k, env in enumerate(envs):
        if k >= max_draws:
            break
        try:
            va, vb = hi.value(a, env), hi.value(b, env)
            za, zb = _vanishes(a, va, env, lo), _vanishes(b, vb, env, lo)
            if not (za or zb):
                r = va / vb
        except Undefined:
            continue
        except (EvalError, TypeError, ValueError, ArithmeticError, IndexError):
            return None, None
        if za and zb:
            continue
        if za or zb:
            return False, None
        if ratio is None:
            ratio = r
        elif not _close(r, ratio, 1e-25):
            return False, None
        good += 1
        if good >= need:
            break
    if ratio is None:
        return None, None
    return True, ratio
