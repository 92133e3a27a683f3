"""Numeric evaluation of the AST on one instance, and random instances drawn from a SymbolTable.

Vectors are evaluated as numpy column arrays (d×1) and returned 1-D; matrices are 2-D; scalars are
floats. ``\\mathbf{1}`` and ``I`` are lazy (``_Adaptive``) until an operand gives them a size, and so
is a block matrix whose ``0`` or ``I`` blocks only the rest of the expression sizes (``LazyBlock``).
Huge powers are refused before computing (BudgetExceeded), so ``2^{2^{2^{2^{2^{10}}}}}`` cannot hang.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from grader.errors import BudgetExceeded, MathParseError
from grader.mathx import ast as A
from grader.mathx import budget
from grader.mathx.blocks import BlockSizeError
from grader.mathx.display import interpret
from grader.mathx.numeric_blocks import Adaptive as _Adaptive
from grader.mathx.numeric_blocks import LazyBlock, add_block, block_matrix, mul_block
from grader.mathx.piecewise import GUARDS
from grader.mathx.symbols import SymbolTable


class EvalError(MathParseError):
    """An expression cannot be evaluated on an instance (unknown symbol, bad shapes...)."""


Value = Any
_ELEMENTWISE: dict[str, Callable[[Any], Any]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "sqrt": np.sqrt, "sign": np.sign,
    "ln": np.log, "log": np.log, "lg": np.log10, "abs": np.abs, "sinh": np.sinh, "cosh": np.cosh,
    "tanh": np.tanh, "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan,
    "sec": lambda x: 1.0 / np.cos(x), "csc": lambda x: 1.0 / np.sin(x), "cot": lambda x: 1.0 / np.tan(x),
    "arccot": lambda x: np.arctan(1.0 / x), "arcsec": lambda x: np.arccos(1.0 / x),
    "arccsc": lambda x: np.arcsin(1.0 / x), "arsinh": np.arcsinh, "arcosh": np.arccosh,
    "artanh": np.arctanh, "conj": lambda x: x, "Re": lambda x: x, "Im": lambda x: 0.0 * x,
    "relu": lambda x: np.maximum(x, 0.0), "step": lambda x: np.heaviside(x, 0.5),
}  # fmt: skip


def _is_arr(x: Value) -> bool:
    return isinstance(x, np.ndarray)


def _scalarize(x: Value) -> Value:
    if _is_arr(x) and x.shape == (1, 1):
        return float(x[0, 0])
    return x


def _concrete(v: Value, what: str) -> Value:
    """``v``, which must not be a size-less \\mathbf{1}, I or block matrix here."""
    if isinstance(v, _Adaptive):
        raise EvalError(f"cannot size \\mathbf{{1}} or I inside {what}")
    if isinstance(v, LazyBlock):
        return v.resolve()  # BlockSizeError when its 0 or I blocks stay unsized
    return v


def _mul(a: Value, b: Value) -> Value:
    if isinstance(a, LazyBlock) or isinstance(b, LazyBlock):
        return mul_block(a, b, _mul)
    if isinstance(a, _Adaptive) and isinstance(b, _Adaptive):
        raise EvalError("cannot size a product of \\mathbf{1} and I")
    if isinstance(a, _Adaptive):
        if not _is_arr(b):
            return _Adaptive(a.kind, a.scale * b, a.row)
        if a.kind == "I":
            return a.scale * b
        return _scalarize(a.scale * b.sum(axis=0, keepdims=True)) if a.row else a.sized(b.shape[0]) * b
    if isinstance(b, _Adaptive):
        if not _is_arr(a):
            return _Adaptive(b.kind, b.scale * a, b.row)
        if b.kind == "I":
            return a * b.scale
        if b.row:
            raise EvalError("cannot size a row of ones on the right")
        return _scalarize(a.sum(axis=1, keepdims=True) * b.scale)
    if not _is_arr(a) or not _is_arr(b):
        return a * b
    if a.shape[1] == 1 and b.shape[1] == 1 and a.shape[0] == b.shape[0] and a.shape[0] != 1:
        return float((a * b).sum())  # g · u
    if a.shape[1] != b.shape[0]:
        raise EvalError(f"inner sizes {a.shape[1]} and {b.shape[0]} differ")
    return _scalarize(a @ b)


def _add(a: Value, b: Value) -> Value:
    if isinstance(a, LazyBlock) or isinstance(b, LazyBlock):
        return add_block(a, b, _add)
    if isinstance(a, _Adaptive):
        a, b = b, a
    if isinstance(b, _Adaptive):
        if not _is_arr(a):
            raise EvalError("cannot size \\mathbf{1} or I in a sum with a scalar")
        return a + (b.sized(a.shape[0]) if b.kind == "I" or not b.row else b.sized(a.shape[1]))
    if _is_arr(a) and not _is_arr(b) and b == 0:
        return a  # a literal 0 adapts to any shape
    if _is_arr(b) and not _is_arr(a) and a == 0:
        return b
    if _is_arr(a) != _is_arr(b) or (_is_arr(a) and a.shape != b.shape):
        raise EvalError("cannot add values of different shapes")
    return a + b


def _pow(base: Value, exp: Value, node: A.Node) -> Value:
    if _is_arr(exp):
        raise EvalError("exponent must be a scalar")
    if _is_arr(base):
        if base.shape[0] == base.shape[1] and float(exp).is_integer() and abs(exp) <= 64:
            return np.linalg.matrix_power(base, int(exp))
        raise EvalError(f"cannot raise a {base.shape} array to a power")
    b, e = float(base), float(exp)
    if abs(b) > 1 and (math.isinf(e) or abs(e) * math.log2(abs(b)) > budget.MAX_EXPONENT_BITS):
        raise BudgetExceeded(f"number too large: {interpret(node)[:60]}")
    with np.errstate(all="ignore"):
        return float(np.power(b, e)) if b >= 0 or e.is_integer() else float("nan")


def _func(node: A.Func, env: Mapping[str, Any]) -> Value:
    if node.name == "piecewise" or node.name in GUARDS:
        raise EvalError("a piecewise definition is evaluated by the exact evaluator only")
    args = [v.resolve() if isinstance(v, LazyBlock) else v for v in (_eval(a, env) for a in node.args)]
    name, x = node.name, args[0]
    if isinstance(x, _Adaptive):
        raise EvalError(f"cannot size the argument of {name}")
    if name in _ELEMENTWISE and (len(args) == 1 or name in ("log", "lg")) and not callable(env.get(name)):
        with np.errstate(all="ignore"):
            if name == "log" and len(args) == 2:
                return float(np.log(x) / np.log(args[1]))
            out = _ELEMENTWISE[name](x)
        return out if _is_arr(out) else float(out)
    if name == "tr":
        return float(np.trace(x)) if _is_arr(x) else float(x)
    if name == "det":
        return float(np.linalg.det(x)) if _is_arr(x) else float(x)
    if name == "pinv":
        if _is_arr(x):
            return np.linalg.pinv(x)
        raise EvalError(
            "a superscript + or dagger on a scalar (positive part or pseudo-inverse) is not compared"
        )
    if name == "diag":
        if not _is_arr(x):
            return x
        return np.diag(x[:, 0]) if x.shape[1] == 1 else np.diag(x).reshape(-1, 1)
    if name == "inner":
        return float((np.asarray(x) * np.asarray(args[1])).sum())
    if name in ("max", "min"):
        if any(_is_arr(a) for a in args):  # \max(Wx + b, 0): element-wise; \max(g): over the entries
            if len(args) == 1:
                return float(np.max(x) if name == "max" else np.min(x))
            pick = np.maximum if name == "max" else np.minimum
            out = args[0]
            for a in args[1:]:
                out = pick(out, a)
            return out
        return float(max(args) if name == "max" else min(args))
    if name == "factorial":
        return math.gamma(float(x) + 1) if float(x) < 171 else float("inf")
    if name == "binom":
        n, k = float(x), float(args[1])
        return (
            math.comb(int(n), int(k))
            if n.is_integer() and k.is_integer() and 0 <= k <= n < 10**4
            else float("nan")
        )
    if name == "root":
        return _pow(x, 1 / float(args[1]), node)
    fn = env.get(name)
    if callable(fn):
        return fn(*args)
    raise EvalError(f"unknown function {name}")


def _reduce(node: A.Reduce, env: Mapping[str, Any]) -> Value:
    size = None
    for n in A.walk(node.body):
        if isinstance(n, A.Index) and n.index == node.index:
            base = _eval(n.base, env)
            size = base.shape[0] if _is_arr(base) else 1
            break
    if size is None:
        body = _eval(node.body, env)
        values = np.asarray(body, dtype=float).ravel()
    else:
        terms = [_eval(node.body, {**env, f"__index_{node.index}": k}) for k in range(size)]
        if any(_is_arr(t) for t in terms):
            return _combine_terms(node.op, terms)
        values = np.array(terms, dtype=float)
    ops: dict[str, Callable[[Any], Any]] = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min}
    return float(ops[node.op](values))


def _combine_terms(op: str, terms: list[Value]) -> Value:
    """A sum (or product) of vector-valued terms, entry by entry: ``\\sum_j |g_j| \\operatorname{sign}(g)``
    is ``(\\sum_j |g_j|) \\operatorname{sign}(g)``."""
    if op not in ("sum", "prod") or any(isinstance(t, _Adaptive) for t in terms):
        raise EvalError(f"cannot take {op} of vector terms")
    arrays = [t if _is_arr(t) else None for t in terms]
    shape = next(a.shape for a in arrays if a is not None)
    stacked = np.stack([t if _is_arr(t) else np.full(shape, float(t)) for t in terms])
    if stacked.shape[1:] != shape:
        raise EvalError("terms of different shapes")
    return _scalarize(stacked.sum(axis=0) if op == "sum" else stacked.prod(axis=0))


def _index_size(body: A.Node, index: str, env: Mapping[str, Any]) -> int | None:
    """The size of the vector a component index runs over (``g_i`` in the body), or None."""
    for n in A.walk(body):
        if isinstance(n, A.Index) and n.index == index:
            base = _eval(n.base, env)
            return base.shape[0] if _is_arr(base) else 1
    return None


def _series(node: A.Series, env: Mapping[str, Any]) -> Value:
    """A sum with bounds: over vector components when the body indexes a vector (``g_i``), else a
    scalar series evaluated by :mod:`grader.mathx.precise`."""
    size = _index_size(node.body, node.index, env)
    if size is None:
        return _precise_scalar(node, env)
    try:
        lo, hi = int(float(_eval(node.lower, env))), int(float(_eval(node.upper, env)))
        first = 0 if lo == 0 else 1
        ks = range(lo - first, hi - first + 1)
        if hi - first + 1 > size or lo - first < 0:
            raise EvalError("bounds outside the vector")
    except (EvalError, TypeError, ValueError, OverflowError):
        ks = range(size)  # \sum_{i=1}^{d}: d is a dimension name, the sum runs over every component
    terms = [_eval(node.body, {**env, f"__index_{node.index}": k}) for k in ks]
    if any(_is_arr(t) for t in terms):
        return _combine_terms(node.op, terms)
    values = np.array(terms, dtype=float)
    return float(values.sum() if node.op == "sum" else values.prod())


def _components(node: A.Components, env: Mapping[str, Any]) -> Value:
    """A vector given by its components (``u_i = -\\alpha g_i / 2``)."""
    size = _index_size(node.body, node.index, env)
    if size is None:
        raise EvalError(f"no vector is indexed by {node.index}")
    values = [_eval(node.body, {**env, f"__index_{node.index}": k}) for k in range(size)]
    if any(_is_arr(v) for v in values):
        raise EvalError("a component is not a scalar")
    return np.array(values, dtype=float).reshape(-1, 1)


def _precise_scalar(node: A.Node, env: Mapping[str, Any]) -> float:
    """A scalar node the float evaluator delegates to mpmath (series, derivatives, integrals, limits)."""
    from grader.mathx.precise import Evaluator, Undefined

    scalars = {k: v for k, v in env.items() if not _is_arr(v) and not callable(v) and not k.startswith("__")}
    try:
        value = Evaluator(30).value(node, scalars)
    except Undefined:
        return float("nan")
    if isinstance(value, complex) or getattr(value, "imag", 0) != 0:
        raise EvalError("the value is not real")
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def _eval(node: A.Node, env: Mapping[str, Any]) -> Value:
    match node:
        case A.Num(value=value):
            try:
                return float(value)
            except OverflowError:  # a literal past float range (up to 1,000 digits are read)
                return math.inf if value > 0 else -math.inf
        case A.Sym(name=name):
            if name not in env:
                raise EvalError(f"uses undeclared symbol {name}")
            v = env[name]
            if isinstance(v, np.ndarray):
                return v.reshape(-1, 1).astype(float) if v.ndim == 1 else v.astype(float)
            return float(v)
        case A.Const(name=name):
            if name in ("ones", "I"):
                return _Adaptive(name)
            if name == "i":
                raise EvalError("the imaginary unit has no real value")
            return {"pi": math.pi, "e": math.e, "inf": math.inf}[name]
        case A.Add(terms=terms):
            acc = _eval(terms[0], env)
            for t in terms[1:]:
                acc = _add(acc, _eval(t, env))
            return acc
        case A.Neg(arg=arg):
            v = _eval(arg, env)
            return _mul(-1.0, v)
        case A.Mul(factors=factors):
            acc = _eval(factors[0], env)
            for f in factors[1:]:
                acc = _mul(acc, _eval(f, env))
            return acc
        case A.Div(num=num, den=den):
            d = _concrete(_eval(den, env), "a denominator")
            if _is_arr(d) or isinstance(d, _Adaptive):
                raise EvalError("division by a non-scalar")
            with np.errstate(all="ignore"):
                return _mul(_eval(num, env), 1.0 / d if d != 0 else float("nan"))
        case A.Pow(base=base, exp=exp):
            return _pow(
                _concrete(_eval(base, env), "a power"), _concrete(_eval(exp, env), "an exponent"), node
            )
        case A.Transpose(arg=arg):
            v = _eval(arg, env)
            if isinstance(v, _Adaptive):
                return _Adaptive(v.kind, v.scale, not v.row)
            if isinstance(v, LazyBlock):
                return v.transpose()
            return v.T if _is_arr(v) else v
        case A.Norm(arg=arg, p=p):
            v = _concrete(_eval(arg, env), "a norm")
            if not _is_arr(v):
                return abs(v)
            if v.shape[1] == 1 or v.shape[0] == 1:
                vec_ord: float = {"1": 1.0, "2": 2.0, "inf": np.inf, "F": 2.0}[p]
                return float(np.linalg.norm(v.ravel(), ord=vec_ord))
            if p == "F":
                return float(np.linalg.norm(v, ord="fro"))
            return float(np.linalg.norm(v, ord={"1": 1.0, "2": 2.0, "inf": np.inf}[p]))
        case A.Abs(arg=arg, as_norm=as_norm):
            v = _concrete(_eval(arg, env), "|...|")
            if as_norm and _is_arr(v) and v.shape[1] == 1:
                return float(np.linalg.norm(v))
            return np.abs(v) if _is_arr(v) else abs(v)
        case A.Index(base=base, index=index):
            v = _concrete(_eval(base, env), "a component")
            k = env.get(f"__index_{index}")
            if k is None or not _is_arr(v):
                raise EvalError(f"index {index} outside a sum")
            return float(v.ravel()[k])
        case A.Reduce():
            return _reduce(node, env)
        case A.Series():
            return _series(node, env)
        case A.Components():
            return _components(node, env)
        case A.Deriv() | A.Integral() | A.Limit():
            return _precise_scalar(node, env)
        case A.Func():
            return _func(node, env)
        case A.Matrix() | A.Tuple():
            grid = node.rows if isinstance(node, A.Matrix) else tuple((x,) for x in node.items)
            vals = [[_eval(x, env) for x in row] for row in grid]
            if any(_is_arr(x) or isinstance(x, (_Adaptive, LazyBlock)) for row in vals for x in row):
                if isinstance(node, A.Tuple) or (node.bracket and not node.stacked):
                    # (u, v), [u, v]: a pair, side by side or stacked; not guessed ([y; 0] is stacked)
                    raise EvalError("entries of a tuple or bracketed list must be scalars")
                return block_matrix(grid, vals)
            arr = np.array(vals, dtype=float)
            return _scalarize(arr)
        case A.Quantity(value=value):
            return _eval(value, env)
        case A.Equation(sides=sides):
            return _eval(sides[-1], env)
    raise EvalError(f"cannot evaluate {type(node).__name__} numerically")


def evaluate(node: A.Node, env: Mapping[str, Any]) -> np.ndarray | float:
    """Evaluate ``node`` on one instance (symbol name -> float or numpy array).

    Vectors come back 1-D, matrices 2-D, scalars as float. Raises EvalError (a MathParseError)
    when the expression cannot be evaluated, BudgetExceeded on huge powers or time out.

    Example:
        >>> evaluate(parse("g^T g"), {"g": np.array([3.0, 4.0])})
        25.0
    """
    budget.check()
    try:
        v = _eval(node, env)
        if isinstance(v, LazyBlock):
            v = v.resolve()
    except BlockSizeError as exc:
        raise EvalError(str(exc)) from None
    except (
        TypeError,
        ValueError,
        IndexError,
        ZeroDivisionError,
        OverflowError,
        np.linalg.LinAlgError,
    ) as exc:
        # odd input reaches numpy in odd shapes: that is "cannot evaluate", never a crash
        raise EvalError(f"cannot evaluate: {type(exc).__name__}: {str(exc)[:120]}") from None
    if isinstance(v, _Adaptive):
        raise EvalError("cannot determine the size of \\mathbf{1} or I")
    if _is_arr(v):
        return v.ravel() if v.shape[1] == 1 else v
    return float(v)


def _dim_sizes(
    symbols: SymbolTable, rng: np.random.Generator, fixed: Mapping[str, int] | None = None
) -> dict[str, int]:
    sizes: dict[str, int] = dict(fixed or {})
    used: set[int] = set(sizes.values())
    for name, (lo, hi) in sorted(symbols.dims.items()):
        if name in sizes:
            continue
        free = [v for v in range(lo, hi + 1) if v not in used] or list(range(lo, hi + 1))
        sizes[name] = int(rng.choice(free))
        used.add(sizes[name])
    return sizes


def _size(dim: str | int, sizes: dict[str, int], rng: np.random.Generator) -> int:
    if isinstance(dim, int):
        return dim
    if dim not in sizes:
        sizes[dim] = int(rng.integers(2, 6))
    return sizes[dim]


def sample_env(
    symbols: SymbolTable, rng: np.random.Generator, *, fixed_dims: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """One random instance of the symbols, respecting each SymbolSpec.

    Distinct dimension names get distinct sizes when their ranges allow it, so shape errors show;
    ``fixed_dims`` pins some sizes (e.g. those of a given partial instance).

    Example:
        >>> env = sample_env(table, np.random.default_rng(0)); env["g"].shape
        (4,)
    """
    sizes = _dim_sizes(symbols, rng, fixed_dims)
    env: dict[str, Any] = {}
    specs = sorted(symbols.symbols.values(), key=lambda s: s.multiple_of is not None)
    for spec in specs:
        if spec.value is not None:
            env[spec.name] = (
                np.array(spec.value, dtype=float) if isinstance(spec.value, tuple) else float(spec.value)
            )
        elif spec.kind == "scalar":
            env[spec.name] = _draw_scalar(spec, env, rng)
        elif spec.kind == "vector":
            d = _size(spec.shape[0] if spec.shape else "d", sizes, rng)
            env[spec.name] = rng.standard_normal(d)
        else:
            r = _size(spec.shape[0], sizes, rng)
            c = _size(spec.shape[1], sizes, rng)
            m = rng.standard_normal((r, c))
            if spec.identity:
                m = np.eye(r, c)
            elif spec.diagonal:
                m = np.diag(rng.uniform(0.5, 3.0, size=min(r, c)) * rng.choice([-1.0, 1.0], size=min(r, c)))
                m = np.pad(m, ((0, r - m.shape[0]), (0, c - m.shape[1])))
            elif spec.orthonormal_columns:
                q, _ = np.linalg.qr(rng.standard_normal((max(r, c), min(r, c))))
                m = q if r >= c else q.T
            elif spec.symmetric_psd:
                m = m @ m.T
            env[spec.name] = m
    return env


def _draw_scalar(spec: Any, env: dict[str, Any], rng: np.random.Generator) -> float:
    if spec.integer:
        lo = int(spec.min) if spec.min is not None else (1 if spec.positive else -5)
        hi = int(spec.max) if spec.max is not None else lo + 10
        if spec.multiple_of and spec.multiple_of in env:
            base = int(env[spec.multiple_of])
            k_lo = max(1, -(-lo // base)) if base > 0 else 1
            k_hi = max(k_lo, hi // base if spec.max is not None and base > 0 else k_lo + 4)
            return float(base * rng.integers(k_lo, k_hi + 1))
        return float(rng.integers(lo, hi + 1))
    low = float(spec.min) if spec.min is not None else (0.2 if spec.positive else -3.0)
    high = (
        float(spec.max)
        if spec.max is not None
        else (low + 3.0 if spec.positive or spec.min is not None else 3.0)
    )
    value = float(rng.uniform(low, high))
    if not spec.positive and abs(value) < 0.05:
        value += 0.5
    return value
