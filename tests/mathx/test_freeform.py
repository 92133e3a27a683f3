"""Free-form answer comparison (grader.mathx.freeform), Math-Verify semantics on the typed engine.

Cases avoid braced multi-digit \\frac / \\sqrt arguments (``\\frac{10}{9}``) that the parser
currently misreads; those are covered by the suite regression test.
"""

from __future__ import annotations

import time

import pytest

from grader.mathx.freeform import FreeformOptions, compare_freeform, leaf_equal, proportional, split_top


def _ok(gold: str, pred: str, **opts: object) -> bool:
    return compare_freeform(gold, pred, options=FreeformOptions(**opts)).verdict == "correct"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        # numbers: thousands separators, decimals, currency, units
        ("7425000", "7,425,000", True),
        ("1000", "1000.0", True),
        ("0.4", ".4", True),
        ("1000.99", "the number is not 10 which is 1,000.99€", True),
        ("2", "AZYUK2A", False),
        ("$9$", r"Answer \[ 9 \]", True),
        ("$10$", r"Answer \( (9+1) \)", True),
        ("$1/3$", r"$\frac{1}{3} \text{meters}$", True),
        (r"$\sqrt{3}$", r"$\sqrt3 $", True),
        # percentages
        (r"$28\%$", "28 pct", True),
        (r"$28\%$", r"$\boxed{28 percent}", True),
        (r"$28\%$", "29 %", False),
        # expressions (symbolic)
        ("$2-2p$", r"Thus $x-p=\boxed{2-2p}$.", True),
        (r"$\tan^2(y)+1$", r"$\sec^2(y)$", True),
        (r"$\frac{x+2}{7}$", r"$\frac{x}{7}+\frac{2}{7}$", True),
        ("$x+2n+1$", "$x+1$", False),
        ("$(a+5)(b+2)$", "$(+5)(b+2)$", False),
        # equations: gold "x = 1" accepts "1", not the reverse direction of a formula
        ("$k=1$", "$1$", True),
        ("$1$", "$k=1$", True),
        ("$11$", r"$x\approx11$", True),
        ("$x = 11$", "$x = 5+5+1 = 7 =11$", True),
        ("$7 = 11a+c$", "$11a+c$", False),
        ("$a +3z = 0$", "$0$", False),
        ("$f(x)=1$", "$$1$$", True),
        # equations as nonzero multiples of one another
        ("$x^2/4 + y^2/3 = 1$", "$x^2/16 + y^2/12 = 1/4$", True),
        ("$2x+4y-3=0$", r"$y=-\frac{1}{2}x+\frac{3}{4}$", True),
        ("$34x+45y-20z+100=0$", "$-34x-45y+20z-100=0$", True),
        ("$2x+4y-3=0$", "$2x+4y-4=0$", False),
        # inequalities
        ("$x >= 5$", r"Therefore $x \geq 5$ is the solution.", True),
        (r"$x \leq 5$", r"$5 \geq x$", True),
        ("$x < 1$", "$-x > -1$", True),
        ("$x > 5$", "Therefore $x < 5$ is the solution.", False),
        ("$x < 1$", "$x > -1$", False),
        (r"$x \neq 5$", "The solution is $x != 5$", True),
        # intervals and unions
        ("$[0,1)$", "$[0,1)$", True),
        ("$(0,9)$", "$[0,9)$", False),
        (r"$[-1, -\frac{1}{2}) \cup (0, \infty)$", r"$\boxed{[-1, -\tfrac12) \cup (0, \infty)}$", True),
        ("$(1, 2) \\cup (3, 4)$", "$(1, 2) \\cup (3, 5)$", False),
        ("$-3 < a < 1$", "$(-3, 1)$", True),
        # sets (unordered) and tuples (ordered)
        (r"$\{1, 2\}$", r"$\{2, 1\}$", True),
        ("$(1,3)$", "${1,3}$", True),
        ("$(3,1)$", "${1,3}$", False),
        ("$(p,q)=(3,2)$", "$(3,2)$", True),
        ("$(2, 2), (6, 2)$", r"$$\boxed{(2, 2)} \quad \text{and} \quad \boxed{(6, 2)}$$", True),
        # multiple answers
        (r"\(\boxed{1}\) and \(\boxed{-2}\).", r"$\boxed{-2,1}$.", True),
        (r"\boxed{1} no no no no no \boxed{2}", r"$\boxed{1,2}$", False),
        ("$AB=4,CD=5$", r"$\boxed{4, 5}$", True),
        (r"$\pm 2021$", "$2021$", False),
        (r"$\pm 2021$", "${-2021, 2021}$", True),
        # matrices
        (
            r"$\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}$",
            r"The matrix is $\begin{pmatrix}1 & 2 \\ 3 & 5\end{pmatrix}$",
            False,
        ),
        (
            r"$\begin{pmatrix}6 & 8 \\ 7 & 9\end{pmatrix}$",
            r"$\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix} + \begin{pmatrix}5 & 6 \\ 4 & 5\end{pmatrix}$",
            True,
        ),
        # text answers
        (r"$\text{odd}$", "$odd$", True),
        ("$d$", r"$\text{E}$", False),
        (r"\(\boxed{\text{C}}\).", r"$\boxed{\text{(C)}}.$", True),
    ],
)
def test_compare(gold: str, pred: str, expected: bool) -> None:
    assert _ok(gold, pred) is expected


@pytest.mark.parametrize(
    "gold,pred,options,expected",
    [
        # precision: decimals rounded to the given places
        ("$(1,4.5)$", "$(1,4.5)$", {"precision": 6}, True),
        (r"$(\frac{3}{5},\frac{8}{3}]$", "$(0.6,2.6667]$", {"precision": 2}, True),
        ("$2.5$", "$2.6$", {"precision": 2}, False),
        # strict: symbol names must match
        ("$f(x)$", "$f(y)$", {"strict": True}, False),
        ("$f(x)$", "$f(y)$", {"strict": False}, True),
        # set/relation comparison: a gold inequality always accepts its interval...
        ("$-2 \\le x \\le 7$", "$x \\in [-2,7]$", {"allow_set_relation_comp": False}, True),
        # ...a gold interval accepts the inequality only when allowed
        ("$x \\in [-2,7]$", "$-2 \\le x \\le 7$", {"allow_set_relation_comp": True}, True),
        ("$x \\in [-2,7]$", "$-2 \\le x \\le 7$", {"allow_set_relation_comp": False}, False),
    ],
)
def test_options(gold: str, pred: str, options: dict[str, object], expected: bool) -> None:
    assert _ok(gold, pred, **options) is expected


@pytest.mark.parametrize(
    "gold,pred,verdict",
    [
        # no answer on one side: unparseable, never "incorrect"
        ("$1$", "", "unparseable"),
        ("", "$1$", "unparseable"),
        (
            "$1$",
            "no idea, sorry, I cannot say anything about this problem, it is really hard to know" * 3,
            "unparseable",
        ),
    ],
)
def test_unparseable(gold: str, pred: str, verdict: str) -> None:
    assert compare_freeform(gold, pred).verdict == verdict


def test_result_carries_evidence() -> None:
    res = compare_freeform("$k=1$", r"so \boxed{1}")
    assert res.verdict == "correct"
    assert res.interpreted == "1" and res.reference == "k=1"
    assert res.evidence["pred_source"] == "boxed"


@pytest.mark.parametrize(
    "pred",
    [
        # pathological inputs finish quickly with a verdict
        "$" + "(" * 5000 + "1" + ")" * 5000 + "$",
        "$" + "x^" * 3000 + "2$",
        "$" + "9^{9^{9^{9^{9}}}}" + "$",
        "$" + "+".join(["x"] * 20000) + "$",
        r"\boxed{" * 3000,
    ],
)
def test_pathological_inputs_are_bounded(pred: str) -> None:
    t0 = time.perf_counter()
    res = compare_freeform("$1$", pred, budget_s=2.0)
    assert res.verdict in {"incorrect", "unparseable", "timeout"}
    assert time.perf_counter() - t0 < 10


@pytest.mark.parametrize(
    "text,parts",
    [
        # top-level separators only; brackets (even mismatched interval ones) protect commas
        ("(1,2), [0,1) and 3", ["(1,2)", "[0,1)", "3"]),
        (r"\{1, 2\}; 3", [r"\{1, 2\}", "3"]),
        ("21,16 or 11", ["21", "16", "11"]),
        ("random", ["random"]),
    ],
)
def test_split_top(text: str, parts: list[str]) -> None:
    assert split_top(text) == parts


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        # leaves: decimals round at the places written; expressions on random instances
        (r"\frac{1}{3}", "0.3333", True),
        (r"\frac{1}{3}", "0.3334", False),
        ("x^2-1", "(x-1)(x+1)", True),
        ("e", r"\mathrm{e}", True),
        ("x", "\\zzz", False),
    ],
)
def test_leaf_equal(gold: str, pred: str, expected: bool) -> None:
    assert leaf_equal(gold, pred) is expected


@pytest.mark.parametrize(
    "a,b,sign,expected",
    [
        # nonzero multiples, with the sign when asked
        ("x^2/4 + y^2/3 - 1", "x^2/16 + y^2/12 - 1/4", 0, True),
        ("x - 5", "5 - x", 1, False),
        ("x - 5", "5 - x", -1, True),
        ("x - 5", "x - 6", 0, False),
    ],
)
def test_proportional(a: str, b: str, sign: int, expected: bool) -> None:
    assert proportional(a, b, sign) is expected
