"""Hypothesis strategies for fuzzing the batch commands: formulas built from the engine's whole
language, prose around them, hostile strings (deep nesting, long numbers, lone surrogates, control
characters) and malformed JSONL lines."""

from __future__ import annotations

import json

from hypothesis import strategies as st

ATOMS = [
    "x", "y", "n", "k", "2", "0", "-1", "0.5", r"\pi", "e", "i", r"\infty", r"\alpha", "g", "u", "W_1",
    "10^{400}", "10^{-400}", "1" * 60, r"\frac{1}{3}", "3.\\overline{3}", "94\\%", "I_k", r"\Lambda_k",
]  # fmt: skip
UNARY = [
    r"\frac{{{a}}}{{2}}", r"\sqrt{{{a}}}", "({a})", r"\sin {a}", r"\sin^{{-1}}({a})", r"\ln({a})", "|{a}|",
    r"\overline{{{a}}}", "{a}!", r"\binom{{{a}}}{{2}}", r"\sum_{{k=1}}^{{n}} {a}", r"\prod_{{k=1}}^{{4}} {a}",
    r"\frac{{d}}{{dx}} {a}", r"\int_0^1 {a} \, dx", r"\lim_{{x \to 0}} {a}", r"\pm {a}", "{a}^{{6000}}",
    r"e^{{{a}}}", r"\mathrm{{Var}}({a})", "{a}^T", r"\|{a}\|_2", r"\{{{a}\}}", "[{a}, 1)", r"\text{{ {a} }}",
]  # fmt: skip
BINARY = [
    "{a} + {b}", "{a} - {b}", r"{a} \cdot {b}", "{a}/{b}", "{a}^{{{b}}}", "{a} = {b}", "{a} < {b}",
    r"{a} \le {b} < 3", r"{a} \cup {b}", r"{a} \cap {b}", r"{a} \setminus {b}", r"{a} \text{{ or }} {b}",
    "({a}, {b})", "[{a}, {b}]", r"{a} \in {b}", r"\frac{{{a}}}{{{b}}}", r"{a} \implies {b}", "{a}, {b}",
    r"{a} \leftarrow {b}", r"{a} \text{{ where }} {b}",
]  # fmt: skip
HOSTILE = [
    "{" * 5000, "(" * 3000 + "1" + ")" * 3000, r"\frac{1}{" * 400 + "x" + "}" * 400, "9" * 5000,
    "\ud800", "x\udfff+1", "\x00", "$" * 50, r"\boxed{" * 100, r"2^{2^{2^{2^{2^{10}}}}}", "100000!",
    r"\binom{100000}{50000}", "1e999999", "x" * 30_000, "\\", "\\begin{bmatrix}", "\u202e\u0301\ufeff",
    r"(x-a)^{5999}", r"\sum_{k=1}^{10^{9}} k", r"\int_0^{\infty} \sin x \, dx",
]  # fmt: skip


def formulas(depth: int = 3) -> st.SearchStrategy[str]:
    """Formulas of the engine's language, nested up to ``depth`` levels."""
    base = st.sampled_from(ATOMS)
    return st.recursive(
        base,
        lambda inner: st.one_of(
            st.builds(lambda t, a: t.format(a=a), st.sampled_from(UNARY), inner),
            st.builds(lambda t, a, b: t.format(a=a, b=b), st.sampled_from(BINARY), inner, inner),
        ),
        max_leaves=depth * 3,
    )


def answers() -> st.SearchStrategy[str]:
    """Anything a user or a model might send as an answer, hostile strings included."""
    prose = st.builds(
        lambda f, g: f"So we get ${f}$, hence the answer is ${g}$ (check: $1+1=2$).", formulas(2), formulas(2)
    )
    return st.one_of(
        formulas(),
        formulas(),
        prose,
        st.sampled_from(HOSTILE),
        st.text(max_size=30),
        st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), formulas(1)),
    )


def _line(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=True).encode()


def batch_lines(fields: tuple[str, str], firsts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """One JSONL line: mostly well-formed objects, sometimes a malformed line of every kind."""
    a, b = fields
    good = st.builds(lambda x, y, n: _line({"id": n, a: x, b: y}), firsts, answers(), st.integers(0, 10**6))
    malformed = st.sampled_from(
        [
            b"[1, 2, 3]",
            b"42",
            b'"a string"',
            b"null",
            b"{not json",
            b"\xff\xfe\x00 bad bytes",
            b"[" * 5000 + b"]" * 5000,
            b'{"a": ' * 3000 + b"1" + b"}" * 3000,
            _line({a: 1, b: "x"}),
            _line({a: "x", b: ["x"]}),
            _line({a: "x"}),
            _line({"id": {"nested": True}, a: "1", b: "1"}),
        ]
    )
    return st.one_of(good, good, good, malformed)
