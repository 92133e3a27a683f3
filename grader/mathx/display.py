"""``interpret``: the canonical, readable LaTeX-ish echo of what the parser understood."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from grader.mathx import ast as A

_GREEK_NAMES = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Delta", "Gamma", "Theta",
    "Lambda", "Sigma", "Phi", "Psi", "Omega", "varepsilon", "vartheta", "varphi", "ell",
}  # fmt: skip
_FUNC_LATEX = {"sin", "cos", "tan", "log", "ln", "exp", "sinh", "cosh", "tanh", "det", "max", "min", "arcsin",
               "arccos", "arctan", "cot", "sec", "csc", "lg", "arg", "Re", "Im"}  # fmt: skip
_SETS = {"R": "\\mathbb{R}", "N": "\\mathbb{N}", "Z": "\\mathbb{Z}", "Q": "\\mathbb{Q}", "C": "\\mathbb{C}",
         "empty": "\\emptyset"}  # fmt: skip
_PREC = {"Add": 1, "Neg": 2, "Mul": 3, "Div": 3, "Pow": 5}


def _sym(name: str) -> str:
    base, _, sub = name.partition("_")
    out = f"\\{base}" if base in _GREEK_NAMES else base
    if sub == "star":
        return out + "^*"
    if sub:
        return f"{out}_{{{sub}}}" if len(sub) > 1 else f"{out}_{sub}"
    if len(base) > 1 and base[-1].isdigit() and base.rstrip("0123456789").isalpha():
        stem = base.rstrip("0123456789")
        return f"{stem}_{base[len(stem) :]}"
    return out


def _wrap(node: A.Node, parent_prec: int) -> str:
    text = interpret(node)
    prec = _PREC.get(type(node).__name__, 9)
    if isinstance(node, A.Num) and node.value < 0:
        prec = 2
    return f"\\left({text}\\right)" if prec < parent_prec else text


def interpret(node: A.Node) -> str:
    """The canonical echo of a parsed expression.

    Example:
        >>> interpret(parse(r"-\\tfrac12 \\alpha \\nabla f(\\theta)", table))
        '-\\\\frac{1}{2} \\\\alpha g'
    """
    match node:
        case A.Num(text=text, value=value):
            return text if text else short_number(value)
        case A.Sym(name=name):
            return _sym(name)
        case A.Const(name=name):
            return {"pi": "\\pi", "e": "e", "inf": "\\infty", "ones": "\\mathbf{1}", "I": "I", "i": "i"}.get(
                name, name
            )
        case A.Add(terms=terms):
            out = interpret(terms[0])
            for t in terms[1:]:
                out += f" - {_wrap(t.arg, 2)}" if isinstance(t, A.Neg) else f" + {_wrap(t, 2)}"
            return out
        case A.Neg(arg=arg):
            return f"-{_wrap(arg, 3)}"
        case A.Mul(factors=factors):
            return " ".join(_wrap(f, 4) for f in factors)
        case A.Div(num=num, den=den):
            return f"\\frac{{{interpret(num)}}}{{{interpret(den)}}}"
        case A.Pow(base=base, exp=exp):
            return f"{_wrap(base, 6)}^{{{interpret(exp)}}}"
        case A.Transpose(arg=arg):
            return f"{_wrap(arg, 6)}^\\top"
        case A.Func(name="sqrt", args=args):
            return f"\\sqrt{{{interpret(args[0])}}}"
        case A.Func(name="root", args=args):
            return f"\\sqrt[{interpret(args[1])}]{{{interpret(args[0])}}}"
        case A.Func(name="pinv", args=args):
            return f"{_wrap(args[0], 6)}^{{+}}"
        case A.Func(name="factorial", args=args):
            return f"{_wrap(args[0], 6)}!"
        case A.Func(name="binom", args=args):
            return f"\\binom{{{interpret(args[0])}}}{{{interpret(args[1])}}}"
        case A.Func(name="step", args=args):
            return f"\\mathbb{{1}}_{{{interpret(args[0])} > 0}}"
        case A.Func(name="conj", args=args):
            return f"\\overline{{{interpret(args[0])}}}"
        case A.Func(name="inner", args=args):
            return f"\\langle {interpret(args[0])}, {interpret(args[1])} \\rangle"
        case A.Func(name=name, args=args):
            head = f"\\{name}" if name in _FUNC_LATEX else f"\\operatorname{{{name}}}"
            return f"{head}\\left({', '.join(interpret(a) for a in args)}\\right)"
        case A.Norm(arg=arg, p=p):
            sub = {"inf": "\\infty"}.get(p, p)
            return f"\\|{interpret(arg)}\\|_{{{sub}}}"
        case A.Abs(arg=arg):
            return f"|{interpret(arg)}|"
        case A.Index(base=base, index=index):
            return f"{interpret(base)}_{index}"
        case A.Reduce(op=op, index=index, body=body):
            return f"\\{op}_{{{index}}} {_wrap(body, 4)}"
        case A.Matrix(rows=rows):
            cells = " \\\\ ".join(" & ".join(interpret(x) for x in row) for row in rows)
            return f"\\begin{{bmatrix}} {cells} \\end{{bmatrix}}"
        case A.Tuple(items=items):
            return "(" + ", ".join(interpret(x) for x in items) + ")"
        case A.Set(items=items):
            return "\\{" + ", ".join(interpret(x) for x in items) + "\\}"
        case A.Interval(left=left, right=right, left_closed=lc, right_closed=rc):
            return f"{'[' if lc else '('}{interpret(left)}, {interpret(right)}{']' if rc else ')'}"
        case A.Union(items=items):
            return " \\cup ".join(interpret(x) for x in items)
        case A.Equation(sides=sides, ops=ops) | A.Inequality(sides=sides, ops=ops):
            latex = {"≈": "\\approx", "≤": "\\le", "≥": "\\ge", "≠": "\\ne"}
            out = interpret(sides[0])
            for op, side in zip(ops, sides[1:], strict=True):
                out += f" {latex.get(op, op)} {interpret(side)}"
            return out
        case A.Implies(items=items):
            return " \\implies ".join(interpret(x) for x in items)
        case A.PlusMinus(arg=arg, minus_first=minus_first):
            return ("\\mp " if minus_first else "\\pm ") + _wrap(arg, 3)
        case A.SetOp(op=op, items=items):
            joiner = " \\cap " if op == "∩" else " \\setminus "
            return joiner.join(_wrap(x, 2) for x in items)
        case A.NamedSet(name=name):
            return _SETS.get(name, name)
        case A.Member(element=element, collection=collection, negated=negated):
            rel = " \\notin " if negated else " \\in "
            return interpret(element) + rel + interpret(collection)
        case A.Or(items=items):
            return " \\text{ or } ".join(interpret(x) for x in items)
        case A.Series(op=op, index=index, lower=lower, upper=upper, body=body):
            return f"\\{op}_{{{index}={interpret(lower)}}}^{{{interpret(upper)}}} {_wrap(body, 4)}"
        case A.Deriv(body=body, var=var, order=order):
            power = f"^{{{order}}}" if order > 1 else ""
            return f"\\frac{{d{power}}}{{d{_sym(var)}{power}}} {_wrap(body, 6)}"
        case A.Integral(body=body, var=var, lower=lower, upper=upper):
            bounds = (
                "" if lower is None or upper is None else f"_{{{interpret(lower)}}}^{{{interpret(upper)}}}"
            )
            return f"\\int{bounds} {_wrap(body, 2)} \\, d{_sym(var)}"
        case A.Limit(body=body, var=var, point=point, side=side):
            sup = f"^{side}" if side else ""
            return f"\\lim_{{{_sym(var)} \\to {interpret(point)}{sup}}} {_wrap(body, 4)}"
        case A.Components(index=index, body=body):
            return f"\\left({interpret(body)}\\right)_{{{index}}}"
        case A.Quantity(value=value, unit=unit):
            return f"{interpret(value)}^\\circ" if unit == "deg" else f"{interpret(value)}\\ \\text{{{unit}}}"
    return repr(node)


def short_number(value: Any, digits: int = 12) -> str:
    """A number for an explanation: exactly when it is short, else ``12`` significant digits
    (``str`` of an integer past 4,300 digits raises in Python; this never does).

    Example:
        >>> short_number(Fraction(1, 3)), short_number(Fraction(10**5000))
        ('1/3', '1.0e+5000')
    """
    import mpmath

    if isinstance(value, Fraction | int):
        frac = Fraction(value)
        if frac.numerator.bit_length() <= 256 and frac.denominator.bit_length() <= 256:
            return str(frac)
        ctx = mpmath.MPContext()
        ctx.dps = digits + 5
        return str(ctx.nstr(ctx.mpf(frac.numerator) / frac.denominator, digits))
    try:
        return str(mpmath.nstr(value, digits))
    except (TypeError, ValueError):
        return str(value)[:60]
