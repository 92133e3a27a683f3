"""Claims written the way models write them, through ``grader equiv`` (issue 11, "never mark a right
answer wrong").

Each group is one general mechanism, with right answers (``correct``), subtly wrong ones that the
engine must still refute (``incorrect``) and forms it must not judge (``unparseable``). The cases were
written for these tests; none is taken from the held-out set in ``tests/heldout/data``.
"""

from __future__ import annotations

import pytest

from grader.cli_check import parse_symbols
from grader.mathx.freeform import equiv_text


def verdict(symbols: str | None, reference: str, answer: str) -> str:
    """The verdict of ``grader equiv REFERENCE ANSWER --symbols SYMBOLS``."""
    return equiv_text(reference, answer, parse_symbols(symbols)).verdict


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # prose around the formula is read with declared symbols too: the box, or the formula of the
        # reference's form (a vector for a vector), not the text as one product of letters
        (
            "A:matrix[m;n],b:vector[m]",
            r"(A^\top A)^{-1}A^\top b",
            r"Solving the normal equations gives $$\boxed{\hat x = (A^\top A)^{-1} A^\top b}$$",
            "correct",
        ),
        (
            "A:matrix[m;n],b:vector[m]",
            r"(A^\top A)^{-1}A^\top b",
            r"The gradient is $2A^\top(Ax - b)$; setting it to zero, $x^\star = (A^\top A)^{-1} A^\top b$.",
            "correct",
        ),
        (
            "A:matrix[m;n],b:vector[m]",
            r"(A^\top A)^{-1}A^\top b",
            r"Setting the gradient to zero, $x^\star = (A^\top A)^{-1} b$.",
            "incorrect",
        ),
        (
            "c:positive,v:vector[n]",
            r"\frac{v}{c}",
            r"Dividing by the constant, the step is $s = v/c$.",
            "correct",
        ),
        (
            "c:positive,v:vector[n]",
            r"\frac{v}{c}",
            r"Dividing by the constant, the step is $s = c\,v$.",
            "incorrect",
        ),
        (
            "t:positive",
            r"\frac{1}{t}",
            r"Hence the rate is $\frac{1}{t}$ per step, for any $t > 0$.",
            "correct",
        ),
    ],
)
def test_prose_with_declared_symbols(symbols: str, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # the label on the left names the value; it has no shape of its own to contradict the right side
        ("X:matrix[n;d],y:vector[n]", r"X^\top y", r"\hat w = X^\top y", "correct"),
        ("X:matrix[n;d],y:vector[n]", r"X^\top y", r"w^\star = X^\top y", "correct"),
        ("X:matrix[n;d],y:vector[n]", r"(X^\top X)^{-1}", r"\hat\Sigma = (X^\top X)^{-1}", "correct"),
        # ... while a right side that is itself ill-shaped is still refuted
        ("X:matrix[n;d],y:vector[n]", r"X^\top y", r"w^\star = X y", "incorrect"),
        ("X:matrix[n;d],y:vector[n]", r"X^\top y", r"\hat w = X^\top y^\top", "incorrect"),
    ],
)
def test_label_is_a_name(symbols: str, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer",
    [
        # a pair of vectors, a bracketed list of vectors: legitimate objects the engine does not
        # compare, so no evidence against the claim (prose in parentheses read as math looks the same)
        ("x:vector[n]", "2x", "(x, 2x)"),
        ("x:vector[n],y:vector[n]", "x + y", "[x, y]"),
    ],
)
def test_unsupported_shapes_are_not_wrong(symbols: str, reference: str, answer: str) -> None:
    assert verdict(symbols, reference, answer) == "unparseable"


@pytest.mark.parametrize(
    "reference, answer, expected",
    [
        # a block matrix is compared: [x y] [1; 1] is x + y, and [x y] (n x 2) is not the vector x + y
        (r"\begin{bmatrix} x & y \end{bmatrix} \begin{bmatrix} 1 \\ 1 \end{bmatrix}", "x + y", "correct"),
        (r"\begin{bmatrix} x & y \end{bmatrix} \begin{bmatrix} 1 \\ 1 \end{bmatrix}", "x - y", "incorrect"),
        ("x + y", r"\begin{bmatrix} x & y \end{bmatrix}", "incorrect"),
    ],
)
def test_block_matrices_are_compared(reference: str, answer: str, expected: str) -> None:
    assert verdict("x:vector[n],y:vector[n]", reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # a vector written as a tuple or a bracket list against a column-vector reference
        (None, r"\frac{1}{4}\begin{pmatrix}1\\2\end{pmatrix}", "(0.25, 0.5)", "correct"),
        (
            None,
            r"\frac{1}{4}\begin{pmatrix}1\\2\end{pmatrix}",
            r"The limit is $w \approx (0.250, 0.500)$.",
            "correct",
        ),
        (
            None,
            r"\frac{1}{4}\begin{pmatrix}1\\2\end{pmatrix}",
            r"**Final answer:** $w = \left(\tfrac14, \tfrac12\right)$",
            "correct",
        ),
        (None, r"\frac{1}{4}\begin{pmatrix}1\\2\end{pmatrix}", "(0.25, 0.25)", "incorrect"),
        (
            None,
            r"\frac{1}{4}\begin{pmatrix}1\\2\end{pmatrix}",
            r"The limit is $w \approx (0.5, 0.25)$.",
            "incorrect",
        ),
        (
            "c:positive,a:vector[2]",
            r"c\begin{bmatrix}1\\2\end{bmatrix}",
            r"The answer is $v = [c, 2c]$.",
            "correct",
        ),
        (
            "c:positive,a:vector[2]",
            r"c\begin{bmatrix}1\\2\end{bmatrix}",
            r"The answer is $v = (c, 2c)$.",
            "correct",
        ),
        (
            "c:positive,a:vector[2]",
            r"c\begin{bmatrix}1\\2\end{bmatrix}",
            r"The answer is $v = [c, 2]$.",
            "incorrect",
        ),
    ],
)
def test_lists_against_column_vectors(
    symbols: str | None, reference: str, answer: str, expected: str
) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # \ell is a letter, like the Greek ones
        ("ell:integer,m:integer", r"3(m + \ell)", r"3m + 3\ell", "correct"),
        ("ell:integer,m:integer", r"3(m + \ell)", r"3m + \ell", "incorrect"),
        ("sigma_ell:positive", r"\sigma_\ell^2", r"\sigma_{\ell} \cdot \sigma_\ell", "correct"),
        # {n \choose k} is the binomial coefficient
        ("n:integer", r"{n \choose 2}", r"\frac{n(n-1)}{2}", "correct"),
        ("n:integer", r"\binom{n+1}{2}", r"{n+1 \choose 2}", "correct"),
        ("n:integer", r"{n \choose 2}", r"\frac{n(n+1)}{2}", "incorrect"),
        # a derivative written with a slash over a longer body (a norm, brackets)
        ("w:scalar", r"2w", r"\partial (w^2 + 1) / \partial w", "correct"),
        ("w:scalar", r"2w", r"\partial (w^2 + w) / \partial w", "incorrect"),
        # a named subscript in \text{} / \mathrm{}; \pi with a subscript or a star is a name
        ("K_Gauss:positive", r"2K_{\mathrm{Gauss}}", r"K_{\text{Gauss}} + K_{\text{Gauss}}", "correct"),
        ("beta:positive", r"\beta \pi_{\mathrm{ref}}", r"\pi_{\text{ref}} \beta", "correct"),
        ("beta:positive", r"\beta \pi^*", r"\pi^\star \beta", "correct"),
        ("beta:positive", r"\beta \pi^*", r"\pi \beta", "incorrect"),  # the number pi
    ],
)
def test_notation_breadth(symbols: str, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer",
    [
        # a superscript on a vector is a layer or time index (or an element-wise power): not compared,
        # never a dimension error
        ("h:vector[d],W:matrix[d;d]", r"W h", r"h^{\ell} = W h^{\ell-1}"),
        ("h:vector[d],W:matrix[d;d]", r"W h", r"W h^{(t)}"),
    ],
)
def test_vector_superscripts_are_not_wrong(symbols: str, reference: str, answer: str) -> None:
    assert verdict(symbols, reference, answer) == "unparseable"


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # a derivative on the left names what is asked for, whatever it differentiates
        (
            "x:vector[n],A:matrix[n;n]",
            r"x^\top(A + A^\top)",
            r"\frac{\partial}{\partial x}(x^\top A x) = x^\top (A + A^\top)",
            "correct",
        ),
        (
            "x:vector[n],A:matrix[n;n]",
            r"x^\top(A + A^\top)",
            r"\frac{\partial}{\partial x}(x^\top A x) = 2x^\top A",
            "incorrect",
        ),
        ("w:scalar", "3w^2", r"So $\frac{d}{dw} w^3 = 3w^2$.", "correct"),
        # a letter e (or i) on the left is a name, not Euler's number
        ("a:scalar,c:scalar", r"-\frac{c}{a}", r"The root sits at $e = -c/a$.", "correct"),
        ("a:scalar,c:scalar", r"-\frac{c}{a}", r"The root sits at $e = c/a$.", "incorrect"),
        # an increment \Delta x is one name (a label)
        (
            "alpha:positive,g:vector[d]",
            r"-\alpha g",
            r"so $\Delta\theta = -\alpha g$ is the step.",
            "correct",
        ),
        (
            "alpha:positive,g:vector[d]",
            r"-\alpha g",
            r"so $\Delta\theta^\star = \alpha g$ is the step.",
            "incorrect",
        ),
        ("t:positive,v:positive", r"v\,\Delta t", r"\Delta x = v \Delta t", "correct"),
    ],
)
def test_labels_of_every_kind(symbols: str, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # another name for a declared symbol, given alongside ("where g = \nabla L(w)")
        (
            "eta:positive,g:vector[d]",
            r"-\eta g",
            r"The update is $\Delta w = -\eta \nabla L(w)$, where $g = \nabla L(w)$.",
            "correct",
        ),
        (
            "eta:positive,g:vector[d]",
            r"-\eta g",
            r"The update is $\Delta w = \eta \nabla L(w)$, where $g = \nabla L(w)$.",
            "incorrect",
        ),
        # a formula introduced as a definition ("with a = 3") is not the answer
        ("a:positive", "2a", r"The answer is $y = 2a$ with $a = 3$ here.", "correct"),
        # a power or a function defined alongside is substituted where it is written
        (
            "D:positive",
            r"\exp\left(-\frac{1}{2\sqrt{D}}\right)",
            r"With $\sigma^2 = \sqrt{D}$, the factor is $s = \exp\left(-\frac{1}{2\sigma^2}\right)$.",
            "correct",
        ),
        (
            "D:positive",
            r"\exp\left(-\frac{1}{2\sqrt{D}}\right)",
            r"With $\sigma^2 = \sqrt{D}$, the factor is $s = \exp\left(-\frac{1}{\sigma^2}\right)$.",
            "incorrect",
        ),
        (
            "q:vector[n],k:vector[n]",
            r"2\exp(-\|q-k\|^2)",
            r"Let $K(q,k) = \exp(-\|q-k\|^2)$. Then $s(q,k) = 2K(q,k)$.",
            "correct",
        ),
        (
            "q:vector[n],k:vector[n]",
            r"2\exp(-\|q-k\|^2)",
            r"Let $K(q,k) = \exp(-\|q-k\|^2)$. Then $s(q,k) = e^{1} K(q,k) e^{-1} \cdot 3$.",
            "incorrect",
        ),
    ],
)
def test_definitions_alongside(symbols: str, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # a chain ending in approximations states its last exact side; the tail is a remark
        ("s:positive", r"\frac{s^2}{1+s^2}", r"\mathrm{Var}(w) = \frac{s^2}{1+s^2} \approx 1", "correct"),
        ("s:positive", r"\frac{s^2}{1+s^2}", r"\mathrm{Var}(w) = \frac{s}{1+s^2} \approx 1", "incorrect"),
        (None, r"\frac{1}{3}", r"$p = 1/3 \approx 0.33$", "correct"),
        ("s:positive", r"\frac{1}{3}", r"p \approx 0.33", "correct"),
        # \sim is "distributed as": the distribution is what the chain states
        ("s:positive", r"\mathcal{N}\left(0, s^2\right)", r"$Y = s Z \sim \mathcal{N}(0, s^2)$", "correct"),
        ("s:positive", r"\mathcal{N}\left(0, s^2\right)", r"$Y = s Z \sim \mathcal{N}(0, s)$", "incorrect"),
        # a chain of equal expressions against a value: every side must equal it
        (
            "n:integer",
            r"\frac{n(n+1)}{2}",
            r"The count is $1 + \binom{n}{2} + n - 1 = \binom{n+1}{2}$.",
            "correct",
        ),
        (
            "n:integer",
            r"\frac{n(n+1)}{2}",
            r"The count is $1 + \binom{n}{2} + n - 1 = \binom{n}{2}$.",
            "incorrect",
        ),
        ("n:integer", r"\frac{n(n+1)}{2}", r"\binom{n}{2} = \binom{n+1}{2}", "unparseable"),
        # an equation in an unknown the reference does not have is not a value
        ("a:positive,x:scalar", "2a", r"x^2 - 4a^2 = 0", "unparseable"),
    ],
)
def test_chains(symbols: str | None, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "reference, answer, expected",
    [
        # Markdown bold is markup: "**Answer: 6**" answers 6; the bold ends the answer
        ("6", "We need $2 \\cdot 3 = 6$ steps.\n\n**Answer: 6**", "correct"),
        ("6", "We need $2 \\cdot 3 = 6$ steps.\n\n**Answer: 7**", "incorrect"),
        ("3", r"**Answer: 3** parameters (the weights $W$, $b$ and $c$).", "correct"),
        ("3", r"**Answer: 2** parameters (the weights $W$, $b$ and $c$).", "incorrect"),
        ("x + 1", r"**Final answer:** $y = x + 1$", "correct"),
    ],
)
def test_bold_answers(reference: str, answer: str, expected: str) -> None:
    assert verdict(None, reference, answer) == expected


@pytest.mark.parametrize(
    "reference, answer, expected",
    [
        # quantities with units are the same amount in any unit of their dimension
        (r"1.5\text{ km}", r"1500\text{ m}", "correct"),
        (r"2\text{ h}", r"120\text{ min}", "correct"),
        (r"2\text{ h}", r"120\text{ s}", "incorrect"),
        (r"4\text{ GB}", r"4000\text{ MB}", "correct"),
        (r"250\text{ ms}", r"0.25\text{ s}", "correct"),
        (r"250\text{ ms}", r"250\text{ s}", "incorrect"),
        (r"250\text{ ms}", r"250\text{ m}", "incorrect"),  # a length for a time
        # in prose: the quantity of the reference's dimension that the text states (bold or boxed,
        # else the last one that is not an aside), not the last number
        (
            r"20\,\text{ms}",
            r"Each of the 4 stages costs $5$ ms, so the pipeline takes 20 ms in total.",
            "correct",
        ),
        (
            r"20\,\text{ms}",
            r"Each of the 4 stages costs $5$ ms, so the pipeline takes 25 ms in total.",
            "incorrect",
        ),
        (r"90\,\text{s}", r"The run took **90 s** (about 1.5 minutes) and reached 97% accuracy.", "correct"),
        (r"90\,\text{s}", r"The run took 1.5 minutes (90 s) over 12 epochs.", "correct"),
        (
            r"90\,\text{s}",
            r"The run took **80 s** (about 1.3 minutes) and reached 97% accuracy.",
            "incorrect",
        ),
    ],
)
def test_quantities(reference: str, answer: str, expected: str) -> None:
    assert verdict(None, reference, answer) == expected


@pytest.mark.parametrize(
    "reference, answer, expected",
    [
        # "W \in R^{d x k}" answers with the space; a space is a set (the lone "$k$" after it is not
        # the answer); the sizes in another order are another shape
        (
            r"\mathbb{R}^{m\times n}",
            r"$A \in \mathbb{R}^{m \times n}$, so each of its $n$ columns has $m$ entries.",
            "correct",
        ),
        (
            r"\mathbb{R}^{m\times n}",
            r"$A \in \mathbb{R}^{n \times m}$, so each of its $n$ columns has $m$ entries.",
            "incorrect",
        ),
        (r"\mathbb{R}^{m\times n}", r"A \in \mathbb{R}^{m \times n}", "correct"),
        (r"\mathbb{R}^{3}", r"v \in \mathbb{R}^{4}", "incorrect"),
    ],
)
def test_spaces(reference: str, answer: str, expected: str) -> None:
    assert verdict(None, reference, answer) == expected


@pytest.mark.parametrize(
    "reference, answer, expected",
    [
        # a sequence of words against the sequence the answer lists, in order
        (
            r"\langle\text{bos}\rangle, \text{the}, \text{cat}",
            "The input is shifted right: `<bos>`, `the`, `cat`.",
            "correct",
        ),
        (
            r"\langle\text{bos}\rangle, \text{the}, \text{cat}",
            "At test time it feeds its own guesses: <bos>, the, hat",
            "incorrect",
        ),
        (
            r"\langle\text{bos}\rangle, \text{the}, \text{cat}",
            r"$\langle \text{bos} \rangle, \text{the}, \text{cat}$",
            "correct",
        ),
        (r"\text{red}, \text{green}, \text{blue}", "In order: red, green, blue.", "correct"),
        (r"\text{red}, \text{green}, \text{blue}", "In order: red, blue, green.", "incorrect"),
    ],
)
def test_token_sequences(reference: str, answer: str, expected: str) -> None:
    assert verdict(None, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # a function nobody declared, applied to the same arguments on both sides, is one value
        (
            "beta:positive",
            r"\beta \log\frac{p(y \mid x)}{q(y \mid x)}",
            r"\beta\log p(y\mid x) - \beta\log q(y \mid x)",
            "correct",
        ),
        (
            "beta:positive",
            r"\beta \log\frac{p(y \mid x)}{q(y \mid x)} + \log Z",
            r"r = \beta\log p(y\mid x) + \log Z - \beta\log q(y \mid x)",
            "correct",
        ),
        # ... a difference is no evidence (the functions may have properties nobody stated)
        (
            "beta:positive",
            r"\beta \log\frac{p(y \mid x)}{q(y \mid x)}",
            r"\beta\log p(y\mid x) - \log q(y \mid x)",
            "unparseable",
        ),
        # ... nor is the function applied to other arguments
        (
            "beta:positive",
            r"\beta \log\frac{p(y \mid x)}{q(y \mid x)}",
            r"\beta\log p(x\mid y) - \beta\log q(x \mid y)",
            "unparseable",
        ),
        # an expectation over a named distribution; its argument compared by the engine
        (
            "x:vector[k],mu:vector[k],s:positive",
            r"\mathbb{E}_{x\sim p}\left[g(x)\,\frac{x-\mu}{s^2}\right]",
            r"\nabla_\mu F = \mathbb{E}_{x \sim p}\left[\frac{g(x)(x-\mu)}{s^2}\right]",
            "correct",
        ),
        ("x:vector[k]", r"\mathbb{E}[x]", r"\frac{1}{2}\mathbb{E}[2x]", "unparseable"),
        # a function of a vector might be vector-valued: equal only when read as scalar-valued is not enough
        ("W:matrix[n;n],x:vector[n]", r"W h(x)", r"h(x) W", "unparseable"),
        ("W:matrix[n;n],x:vector[n]", r"W h(x)", r"W\,h(x)", "correct"),
    ],
)
def test_undeclared_functions(symbols: str, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "reference, answer, expected",
    [
        # {x : condition} is the set of reals satisfying it
        ("(0,1]", r"\{x : 0<x\le 1\}", "correct"),
        ("(0,1]", r"\{x \mid 0\le x\le 1\}", "incorrect"),
        ("[-2,2]", r"\{x\in\mathbb{R} : x^2\le 4\}", "correct"),
        ("[-2,2]", r"\{x\in\mathbb{R} : x^2 < 4\}", "incorrect"),
    ],
)
def test_set_builder(reference: str, answer: str, expected: str) -> None:
    assert verdict(None, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # with declared symbols, an undeclared name before brackets is a function; a declared one, or a
        # name inside its own brackets, multiplies
        ("a:positive,b:positive", "a(b+1)", "ab + a", "correct"),
        ("m:positive", "n(n-1)", "n^2 - n", "correct"),
        ("q:positive", "r_t - q r_t", "r_t(1 - q)", "correct"),  # an indexed name times a bracket
        ("x:vector[n],W:matrix[n;n]", r"\sigma(W x)", r"\sigma(Wx)", "correct"),
        # laws of named families are equal exactly when their parameters are
        ("s:positive", r"\mathcal{N}\left(0, s^2\right)", r"\mathcal{N}(0, s \cdot s)", "correct"),
        ("s:positive", r"\mathcal{N}\left(0, s^2\right)", r"X \sim \mathcal{N}(0, s)", "incorrect"),
        ("s:positive", r"\mathcal{N}\left(0, s^2\right)", r"\mathrm{Unif}(0, s^2)", "incorrect"),
        ("p:positive", r"\mathrm{Bern}(p)", r"\mathrm{Bern}(1-p)", "incorrect"),
    ],
)
def test_function_notation_and_laws(symbols: str, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # alternatives of conditions are one subset of the reals
        (None, r"x \ne 3", r"x < 3 \text{ or } x > 3", "correct"),
        (None, r"x \ne 3", r"x < 3 \text{ or } x \ge 3", "incorrect"),
        (None, r"x < -1 \text{ or } x > 1", r"|x| > 1", "correct"),
        # the same inequality up to a positive factor that is not a constant
        ("t:scalar,s:positive", r"t s^2 < 4", r"t < \frac{4}{s^2}", "correct"),
        ("t:scalar,s:positive", r"t s^2 < 4", r"t < \frac{4}{s}", "incorrect"),
    ],
)
def test_conditions(symbols: str | None, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # the formula that answers: a vector for a vector, not an early scalar definition
        (
            None,
            r"\begin{pmatrix}2\\1\\0.5\end{pmatrix}",
            r"Starting from $h_0 = 2$, each step halves it, so $h = (2, 1, 0.5)$.",
            "correct",
        ),
        (
            None,
            r"\begin{pmatrix}2\\1\\0.5\end{pmatrix}",
            r"Starting from $h_0 = 2$, each step halves it, so $h = (2, 1, 1)$.",
            "incorrect",
        ),
        # a limit "s \to \infty" is a condition, not an implication whose conclusion answers
        (
            "s:positive",
            r"\frac{s}{1+s}",
            r"The factor is $$c = \frac{s}{s + 1}$$ (as $s \to \infty$ it tends to $1$).",
            "correct",
        ),
        # a star after a name in plain text marks an optimum
        ("c:positive,v:vector[d]", r"-\frac{v}{c}", "The optimal step is u* = -v / c.", "correct"),
        ("c:positive,v:vector[d]", r"-\frac{v}{c}", "The optimal step is u* = v / c.", "incorrect"),
        # a percentage reads as written or as a fraction
        (None, "0.85", "The hit rate climbs to **85%** after warm-up.", "correct"),
        (None, "0.85", "The hit rate climbs to **58%** after warm-up.", "incorrect"),
        # conditions on one quantity joined by "and" in separate formulas are one condition
        (
            "L:positive",
            r"0 < \eta < \frac{2}{L}",
            r"Convergence needs $\eta < \frac{2}{L}$ (and $\eta > 0$).",
            "correct",
        ),
        (
            "L:positive",
            r"0 < \eta < \frac{2}{L}",
            r"Convergence needs $\eta < \frac{1}{L}$ (and $\eta > 0$).",
            "incorrect",
        ),
    ],
)
def test_picking_the_answer(symbols: str | None, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer",
    [
        # the formula read as the answer differs, but another one of the claim equals the reference:
        # no evidence that the claim is wrong (the reading may have taken a breakdown for the answer)
        ("m:integer", "3(m-1)", r"The pipeline needs $3(m-1)$ steps: $m-1$ for each of the three passes."),
        (
            None,
            r"\frac{5}{8}",
            r"The chance is $\frac{5}{8}$: $\frac{1}{2}$ from the first draw, $\frac{1}{8}$ from the second.",
        ),
    ],
)
def test_another_formula_equal_to_the_reference_is_not_wrong(
    symbols: str | None, reference: str, answer: str
) -> None:
    assert verdict(symbols, reference, answer) == "unparseable"


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # a value written after a bare relation ("$\approx 0.69$") is the value
        (None, r"\ln 2", r"The factor is $\approx 0.69$.", "correct"),
        (None, r"\ln 2", r"The factor is $\approx 0.70$.", "incorrect"),
        (None, "12", r"The count is $= 12$.", "correct"),
        # with no vector declared, [a, b] is an interval and "x \in [a, b]" answers it
        ("lam:positive", "[1, 4]", r"Any $\lambda \in [1, 4]$ works.", "correct"),
        ("lam:positive", "[1, 4]", r"Any $1 \le \lambda \le 4$ works.", "correct"),
        ("lam:positive", "[1, 4]", r"Any $\lambda \in (1, 4)$ works.", "incorrect"),
    ],
)
def test_values_after_relations_and_intervals(
    symbols: str | None, reference: str, answer: str, expected: str
) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # ReLU is max(0, .) element-wise; max of a vector and a scalar is element-wise too
        (
            "x:vector[d],W:matrix[k;d],b:vector[k]",
            r"\max(0, Wx + b)",
            r"The layer outputs $h = \mathrm{ReLU}(Wx + b)$.",
            "correct",
        ),
        (
            "x:vector[d],W:matrix[k;d],b:vector[k]",
            r"\max(0, Wx + b)",
            r"The layer outputs $h = \max(Wx + b, 0)$.",
            "correct",
        ),
        (
            "x:vector[d],W:matrix[k;d],b:vector[k]",
            r"\max(0, Wx + b)",
            r"The layer outputs $h = \min(Wx + b, 0)$.",
            "incorrect",
        ),
        ("g:vector[d]", r"\max_i g_i", r"\max(g)", "correct"),
        # words with no formula, number or marked answer are not judged
        (None, "0.5", "The probability is one half.", "unparseable"),
        (None, "3", "It needs three steps.", "unparseable"),
    ],
)
def test_relu_max_and_words(symbols: str | None, reference: str, answer: str, expected: str) -> None:
    assert verdict(symbols, reference, answer) == expected


def test_check_against_leaves_a_claim_with_the_right_formula_elsewhere_to_a_person() -> None:
    from grader.mathx import check_against
    from tests.mathx.tables import HW2_Q5

    def per_worker(env: dict[str, float]) -> float:
        return env["n"] - 1

    def check(text: str) -> str:
        return check_against(text, per_worker, ref_display="n - 1", symbols=HW2_Q5).verdict

    assert check(r"Each worker sends $n - 1$ messages.") == "correct"
    assert check(r"Each worker sends $n$ messages.") == "incorrect"
    # the last formula is another count; the claim also states the right one
    assert check(r"Each worker sends $n-1$ messages; over all workers that is $n(n-1)$.") == "unparseable"


@pytest.mark.parametrize(
    "symbols, reference, answer, expected",
    [
        # \partial_w L and \nabla_w of an expression are derivatives (labels of the value)
        ("w:scalar", "2w - 2", r"$\partial_w L = 2w - 2$", "correct"),
        ("w:scalar", "2w - 2", r"$\partial_w L = 2w + 2$", "incorrect"),
        (
            "X:matrix[n;d],y:vector[n],w:vector[d]",
            r"X^\top(Xw - y)",
            r"$\nabla_w \tfrac12\|Xw - y\|^2 = X^\top(Xw - y)$",
            "correct",
        ),
        (
            "X:matrix[n;d],y:vector[n],w:vector[d]",
            r"X^\top(Xw - y)",
            r"$\nabla_w \tfrac12\|Xw - y\|^2 = X(Xw - y)$",
            "incorrect",
        ),
        # "w = 1" solves for the reference's own variable: it is not the answer to "the derivative"
        (
            "w:scalar",
            "2w - 2",
            r"The derivative is $\frac{dL}{dw} = 2(w - 1)$, so the minimum is at $w = 1$.",
            "correct",
        ),
        # a quantity with a unit read from prose with declared symbols too
        ("c:positive", r"50\,\text{ns}", r"The load takes $c$ cycles, which is 50 ns.", "correct"),
        ("c:positive", r"50\,\text{ns}", r"The load takes $c$ cycles, which is 50 ms.", "incorrect"),
    ],
)
def test_derivative_notations_and_typed_quantities(
    symbols: str, reference: str, answer: str, expected: str
) -> None:
    assert verdict(symbols, reference, answer) == expected


@pytest.mark.parametrize(
    "scale, expected",
    [(r"\sqrt{\lambda}", "correct"), (r"\lambda", "incorrect")],
)
def test_ridge_objective_written_with_an_augmented_matrix(scale: str, expected: str) -> None:
    # ||[y; 0] - [X; sqrt(lambda) I] w||^2 is the ridge objective; with lambda I it is not
    answer = (
        r"\left\|\begin{bmatrix} y \\ 0 \end{bmatrix} - \begin{bmatrix} X \\ "
        + scale
        + r" I \end{bmatrix} w\right\|_2^2"
    )
    reference = r"\|y - Xw\|^2 + \lambda\|w\|^2"
    assert verdict("X:matrix[n;d],y:vector[n],w:vector[d]", reference, answer) == expected
