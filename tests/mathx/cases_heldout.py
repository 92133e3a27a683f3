"""Held-out cases for the math engine (issue 11): written before the engine work started and not run
while developing; evaluated once at the end (``benchmarks/bench_engine_cases.py --heldout``).

Provenance: written by hand by the engine's developer, in the forms textbooks, school-math answer keys
and LLM chats use, one group per category the issue names. None is copied from ``../shared``, the
seeds or the course PDFs.

``EQUIV`` rows are ``(reference, answer, symbols, expected)`` as ``grader equiv`` takes them (``symbols``
in the ``--symbols`` syntax, "" for none); ``CLAIMS`` rows are ``(target, claim, expected)`` as
``grader check`` takes them. ``expected`` is the verdict a careful TA gives: ``correct``, ``incorrect``,
or ``unparseable`` (the engine cannot know: an undeclared symbol nobody defined).
"""

from __future__ import annotations

EQUIV: dict[str, list[tuple[str, str, str, str]]] = {
    # ------------------------------------------------------------------ equations
    "equations": [
        ("x + y = 1", "y = 1 - x", "", "correct"),
        ("3x = 6", "x = 2", "", "correct"),
        ("y = 2x + 3", "2x - y + 3 = 0", "", "correct"),
        ("y = 2x + 3", "y = 3x + 2", "", "incorrect"),
        ("x^2 + y^2 = 4", "y^2 = 4 - x^2", "", "correct"),
        ("x^2 + y^2 = 4", "x^2 + y^2 = 2", "", "incorrect"),
        ("a = b", "b = a", "", "correct"),
        ("x = 3", "3", "", "correct"),
        ("x = 3", "x = -3", "", "incorrect"),
        (r"\frac{x}{2} + \frac{y}{3} = 1", "3x + 2y = 6", "", "correct"),
    ],
    # ------------------------------------------------------------------ intervals and set algebra
    "intervals": [
        ("(1, 5]", "(1, 5]", "", "correct"),
        ("(1, 5]", "[1, 5]", "", "incorrect"),
        (r"[0, \infty)", r"[0, \infty)", "", "correct"),
        (r"[0, \infty)", r"(0, \infty)", "", "incorrect"),
        (r"(-\infty, 2) \cup (3, \infty)", r"(3, \infty) \cup (-\infty, 2)", "", "correct"),
        (r"(-\infty, 2) \cup (3, \infty)", r"\mathbb{R} \setminus [2, 3]", "", "correct"),
        (r"[0, 4] \cap [2, 6]", "[2, 4]", "", "correct"),
        (r"[0, 4] \setminus (1, 2)", r"[0, 1] \cup [2, 4]", "", "correct"),
        (r"[0, 4] \setminus (1, 2)", r"[0, 1) \cup (2, 4]", "", "incorrect"),
        ("x > 2", r"(2, \infty)", "", "correct"),
        (r"-1 \le x < 3", "[-1, 3)", "", "correct"),
        (r"-1 \le x < 3", "(-1, 3]", "", "incorrect"),
        ("(0, 1)", "[0, 1)", "", "incorrect"),
    ],
    # ------------------------------------------------------------------ sets, tuples, vectors
    "sets_tuples": [
        (r"\{1, 2, 3\}", r"\{3, 1, 2\}", "", "correct"),
        (r"\{1, 2, 3\}", r"\{1, 2\}", "", "incorrect"),
        ("(1, 2, 3)", "(3, 2, 1)", "", "incorrect"),
        ("(1, 2, 3)", r"\begin{pmatrix} 1 \\ 2 \\ 3 \end{pmatrix}", "", "correct"),
        (r"\{-1, 4\}", r"x = -1 \text{ or } x = 4", "", "correct"),
        ("(2, -1)", "x = 2, y = -1", "", "correct"),
        (r"\{2, 5\}", r"\{2, 5, 7\}", "", "incorrect"),
    ],
    # ------------------------------------------------------------------ complex numbers
    "complex": [
        ("3 + 4i", "4i + 3", "", "correct"),
        ("3 + 4i", "3 - 4i", "", "incorrect"),
        (r"e^{i\pi}", "-1", "", "correct"),
        (r"\frac{1}{i}", "-i", "", "correct"),
        ("(1+i)^2", "2i", "", "correct"),
        ("|3 + 4i|", "5", "", "correct"),
        (r"\overline{2 - 3i}", "2 + 3i", "", "correct"),
        (r"\overline{2 - 3i}", "2 - 3i", "", "incorrect"),
        ("i^2", "1", "", "incorrect"),
        (r"\sqrt{-4}", "2i", "", "correct"),
        (r"e^{i\pi/2}", "i", "", "correct"),
    ],
    # ------------------------------------------------------------------ inverse trigonometry
    "inverse_trig": [
        (r"\sin^{-1}(1)", r"\frac{\pi}{2}", "", "correct"),
        (r"\arctan(1)", r"\frac{\pi}{4}", "", "correct"),
        (r"\tan^{-1} x", r"\arctan x", "", "correct"),
        (r"\sin^{-1} x", r"\frac{1}{\sin x}", "", "incorrect"),
        (r"\cos^{-1}(0)", r"\frac{\pi}{2}", "", "correct"),
        (r"\operatorname{arcsin}(\tfrac12)", r"\frac{\pi}{6}", "", "correct"),
        (r"\csc x", r"(\sin x)^{-1}", "", "correct"),
    ],
    # ------------------------------------------------------------------ sums and products
    "sums_products": [
        (r"\sum_{k=1}^{n} k", r"\frac{n(n+1)}{2}", "", "correct"),
        (r"\sum_{k=1}^{n} k^2", r"\frac{n(n+1)(2n+1)}{6}", "", "correct"),
        (r"\sum_{k=1}^{n} k^2", r"\frac{n(n+1)(2n-1)}{6}", "", "incorrect"),
        (r"\sum_{i=0}^{n-1} 2^i", "2^n - 1", "", "correct"),
        (r"\prod_{k=1}^{n} k", "n!", "", "correct"),
        (r"\sum_{k=1}^{10} k", "55", "", "correct"),
        (r"\prod_{j=1}^{4} (1 + \frac{1}{j})", "5", "", "correct"),
    ],
    # ------------------------------------------------------------------ factorials and binomials
    "factorials": [
        (r"\binom{6}{2}", "15", "", "correct"),
        (r"\binom{n}{2}", r"\frac{n(n-1)}{2}", "", "correct"),
        (r"\binom{n}{2}", r"\frac{n(n+1)}{2}", "", "incorrect"),
        ("5!", "120", "", "correct"),
        (r"\frac{(n+1)!}{n!}", "n+1", "", "correct"),
        (r"\binom{n}{k}", r"\frac{n!}{k!(n-k)!}", "", "correct"),
    ],
    # ------------------------------------------------------------------ derivatives and integrals
    "calculus": [
        (r"\frac{d}{dx} x^3", "3x^2", "", "correct"),
        (r"\frac{d}{dx}\left(\sin x\right)", r"\cos x", "", "correct"),
        (r"\frac{d}{dx} e^{2x}", "e^{2x}", "", "incorrect"),
        (r"\int_0^1 x^2\,dx", r"\frac{1}{3}", "", "correct"),
        (r"\int_0^{\pi} \sin x \, dx", "2", "", "correct"),
        (r"\int_0^1 x\,dx", "1", "", "incorrect"),
        (r"\frac{\partial}{\partial y}(x^2 y)", "x^2", "", "correct"),
        (r"\frac{d^2}{dx^2} x^4", "12x^2", "", "correct"),
        (r"\int_1^{e} \frac{1}{x}\,dx", "1", "", "correct"),
    ],
    # ------------------------------------------------------------------ inequalities
    "inequalities": [
        ("x < 5", "5 > x", "", "correct"),
        (r"x \le 5", "x < 5", "", "incorrect"),
        ("0 < x < 1", "1 > x > 0", "", "correct"),
        ("2x > 6", "x > 3", "", "correct"),
        ("-x > 2", "x < -2", "", "correct"),
        ("-x > 2", "x > -2", "", "incorrect"),
    ],
    # ------------------------------------------------------------------ "or", "and", \pm
    "alternatives": [
        (r"x = \pm 3", r"x = 3 \text{ or } x = -3", "", "correct"),
        (r"x = \pm 3", "x = 3", "", "incorrect"),
        (r"\frac{-1 \pm \sqrt{5}}{2}", r"\frac{-1+\sqrt5}{2}, \frac{-1-\sqrt5}{2}", "", "correct"),
        (r"1 \text{ and } 2", "2, 1", "", "correct"),
    ],
    # ------------------------------------------------------------------ overflow, underflow, precision
    "numeric_traps": [
        ("(x-1)^{400}", "(x-1)^{401}", "", "incorrect"),
        ("(x+1)^{1000}", "(1+x)^{1000}", "", "correct"),
        ("e^{1000x}", "e^{1001x}", "", "incorrect"),
        ("10^{-400} x", "10^{-401} x", "", "incorrect"),
        (r"\ln(e^{500} x)", r"500 + \ln x", "", "correct"),
        ("x^{2000} / x^{1999}", "x", "", "correct"),
        (r"\sqrt{x^2+1} - x", r"\frac{1}{\sqrt{x^2+1}+x}", "", "correct"),
        ("(x-3)^{7000}", "(x-3)^{7001}", "", "incorrect"),
        ("2^{100}", "1267650600228229401496703205376", "", "correct"),
        ("2^{100}", "1267650600228229401496703205377", "", "incorrect"),
    ],
    # ------------------------------------------------------------------ prose around the formula
    "prose": [
        (
            r"\frac{\pi}{4}",
            r"Thus the angle is $\theta = \frac{\pi}{4}$ (which is 45 degrees).",
            "",
            "correct",
        ),
        ("x^2 - 1", r"Expanding, $f(x) = (x-1)(x+1) = x^2 - 1$ for every real $x$.", "", "correct"),
        (
            r"-2\sin(\pi x) + 4",
            r"The solution is $y = -2\sin(\pi x) + 4$, which oscillates around 4.",
            "",
            "correct",
        ),
        ("4", r"The solution is $y = -2\sin(\pi x) + 4$, which oscillates around 4.", "", "incorrect"),
    ],
    # ------------------------------------------------------------------ typed symbols
    "typed": [
        (r"-\frac{\alpha}{2} g", r"-\alpha g / 2", "alpha:positive,g:vector", "correct"),
        (r"-\frac{\alpha}{2} g", r"-\frac{g}{2\alpha}", "alpha:positive,g:vector", "incorrect"),
        ("(AB)^T", "B^T A^T", "A:matrix[n;n],B:matrix[n;n]", "correct"),
        ("(AB)^T", "A^T B^T", "A:matrix[n;n],B:matrix[n;n]", "incorrect"),
        (r"\|v\|^2", r"v^\top v", "v:vector", "correct"),
        (r"-\frac{\alpha}{2} g", r"-\eta g", "alpha:positive,g:vector", "unparseable"),
    ],
}

CLAIMS: dict[str, list[tuple[str, str, str]]] = {
    # ------------------------------------------------------------------ HW2 Q1(a): u = -alpha g / 2
    "hw2_q1a": [
        (
            "cs182-fa25-hw2.q1a.u",
            r"The optimal update is $u^* = -\frac{\alpha}{2}\nabla f(\theta)$, i.e. a gradient step "
            r"with learning rate $\alpha/2$.",
            "correct",
        ),
        ("cs182-fa25-hw2.q1a.u", r"u_i = -\frac{\alpha g_i}{2}", "correct"),
        (
            "cs182-fa25-hw2.q1a.u",
            r"\frac{\partial J}{\partial u_i} = g_i + \frac{2}{\alpha} u_i = 0 \Rightarrow u_i = -\frac{\alpha}{2} g_i",
            "correct",
        ),
        ("cs182-fa25-hw2.q1a.u", r"u = -\alpha g", "incorrect"),
        ("cs182-fa25-hw2.q1a.u", r"u_i = -\frac{\alpha}{2} g_i \cdot \text{sign}(g_i)", "incorrect"),
        ("cs182-fa25-hw2.q1a.u", r"\Delta\theta \leftarrow -\frac{\alpha}{2} g", "correct"),
        ("cs182-fa25-hw2.q1a.u", r"u = -\eta g \text{ where } \eta = \alpha/2", "correct"),
        ("cs182-fa25-hw2.q1a.u", r"u = -\eta g", "unparseable"),
    ],
    # ------------------------------------------------------------------ HW2 Q1(b): sign update
    "hw2_q1b": [
        ("cs182-fa25-hw2.q1b.u", r"u = -\frac{\alpha}{2}\|g\|_1 \operatorname{sign}(g)", "correct"),
        ("cs182-fa25-hw2.q1b.u", r"u_i = -\frac{\alpha}{2} \|g\|_1 \text{sign}(g_i)", "correct"),
        ("cs182-fa25-hw2.q1b.u", r"u = -\frac{\alpha}{2}\|g\|_\infty \operatorname{sign}(g)", "incorrect"),
        ("cs182-fa25-hw2.q1b.u", r"u = -\frac{\alpha}{2} \sum_j |g_j| \, \mathrm{sgn}(g)", "correct"),
    ],
    # ------------------------------------------------------------------ HW2 Q5: message counts
    "hw2_q5": [
        (
            "cs182-fa25-hw2.q5.ring_count",
            r"Each of the $n$ workers sends $2(n-1)$ messages, so in total $2n(n-1)$ messages.",
            "correct",
        ),
        ("cs182-fa25-hw2.q5.ring_count", "2(n-1)", "incorrect"),
        ("cs182-fa25-hw2.q5.all_to_all_count", "n^2 - n", "correct"),
        ("cs182-fa25-hw2.q5.all_to_all_count", r"\binom{n}{2}", "incorrect"),
        ("cs182-fa25-hw2.q5.ring_size", r"\frac{p}{n}", "correct"),
        ("cs182-fa25-hw2.q5.ring_size", "p/(n-1)", "incorrect"),
        ("cs182-fa25-hw2.q5.ps_count", "2n", "correct"),
    ],
    # ------------------------------------------------------------------ HW7 Q3(b)(i): gradients
    "hw7_q3": [
        (
            "cs182-fa25-hw7.q3b_i.grad_W2",
            r"\nabla_{W_2} \mathcal{L} = -2 (X - W_2 W_1 X) X^\top W_1^\top",
            "correct",
        ),
        (
            "cs182-fa25-hw7.q3b_i.grad_W2",
            r"\frac{\partial L}{\partial W_2} = 2(W_2 W_1 X - X)X^T W_1^T",
            "correct",
        ),
        (
            "cs182-fa25-hw7.q3b_i.grad_W2",
            r"\frac{\partial L}{\partial W_2} = 2(W_2 W_1 X - X)X^T W_1",
            "incorrect",
        ),
        (
            "cs182-fa25-hw7.q3b_i.grad_W2",
            r"-2 (X - P X) X^\top W_1^\top \text{ where } P = W_2 W_1",
            "correct",
        ),
        ("cs182-fa25-hw7.q3b_i.grad_W1", r"2 W_2^\top (W_2 W_1 - I) X X^\top", "correct"),
        ("cs182-fa25-hw7.q3b_i.grad_W1", r"2 W_2 (W_2 W_1 X - X) X^\top", "incorrect"),
        ("cs182-fa25-hw7.q3b_i.cond_W2", r"W_2 W_1 X X^\top W_1^\top = X X^\top W_1^\top", "correct"),
    ],
    # ------------------------------------------------------------------ optimisation lectures
    "optim": [
        (
            "optim-lectures.q1_gd_step.eta_max",
            r"The iteration converges iff $0 < \eta < \frac{2}{\lambda_{\max}}$.",
            "correct",
        ),
        ("optim-lectures.q1_gd_step.eta_max", r"\eta < 1/\lambda_{\max}", "incorrect"),
        ("optim-lectures.q1_gd_step.factor", r"1 - \lambda_i \eta", "correct"),
        ("optim-lectures.q1_gd_step.factor", r"1 + \eta \lambda_i", "incorrect"),
        ("optim-lectures.q2_init.xavier_var", r"\mathrm{Var}(W) = \frac{2}{n_{in} + n_{out}}", "correct"),
        (
            "optim-lectures.q2_init.xavier_var",
            r"\operatorname{Var}[w_{ij}] = \frac{1}{n_{in}+n_{out}}",
            "incorrect",
        ),
        ("optim-lectures.q2_init.he_var", r"\text{Var}(w) = 2/n_{in}", "correct"),
        ("optim-lectures.q3_regularization.grad_l1", r"\lambda\,\mathrm{sign}(\mathbf{w})", "correct"),
        ("optim-lectures.q3_regularization.grad_l1", r"\lambda \mathbf{w}", "incorrect"),
        (
            "optim-lectures.q3_regularization.decay_step",
            r"\mathbf{w} \leftarrow \mathbf{w} - \eta(\nabla L(\mathbf{w}) + \lambda \mathbf{w})",
            "correct",
        ),
        (
            "optim-lectures.q5_newton.step",
            r"\mathbf{d}^\star = -\mathbf{H}^{-1} \nabla L(\mathbf{w}_s)",
            "correct",
        ),
        ("optim-lectures.q5_newton.step", r"-\mathbf{H}\nabla L", "incorrect"),
        ("optim-lectures.q6_mapreduce.speedup_bound", r"The speed-up is at most $M$.", "correct"),
        ("optim-lectures.q7_adam.m_hat", r"\hat{m}_t = \frac{m_t}{1-\beta_1^t}", "correct"),
        ("optim-lectures.q7_adam.m_hat", r"\frac{m_t}{1-\beta_1}", "incorrect"),
        (
            "optim-lectures.q7_adam.delta",
            r"-\eta \frac{\hat m}{\sqrt{\hat v} + \epsilon} \text{ where } \hat m = \frac{m_t}{1-\beta_1^t} "
            r"\text{ and } \hat v = \frac{v_t}{1-\beta_2^t}",
            "correct",
        ),
        (
            "optim-lectures.q8_cosine.eta",
            r"\eta_t = \eta_{\min} + \tfrac12(\eta_{\max}-\eta_{\min})(1+\cos(\pi T_{cur}/T_{max}))",
            "correct",
        ),
        (
            "optim-lectures.q8_cosine.eta",
            r"\eta_t = \eta_{\min} + \tfrac12(\eta_{\max}-\eta_{\min})(1+\cos(T_{cur}/T_{max}))",
            "incorrect",
        ),
    ],
}
