"""A small hand-built Report for the renderer tests (synthetic: 4 turns, math, a table,
an annotation, a thinking block, one correct and one incorrect claim)."""

from __future__ import annotations

from grader.models import (
    AnnotationNote,
    AttemptResult,
    Block,
    ClaimResult,
    PartResult,
    Report,
    Transcript,
    Turn,
)


def build_sample_transcript() -> Transcript:
    """Four turns: a question with math, an answer with thinking, math and a table,
    a follow-up with a hint, and a second answer with a lossy formula and a student note."""
    return Transcript(
        source="000_sample.txt",
        format="writeup-text",
        model="Gemini",
        turns=[
            Turn(
                index=0,
                role="user",
                blocks=[
                    Block(kind="text", text="**Question 1(a).** Solve for $u$ and name the optimizer:"),
                    Block(
                        kind="math",
                        text=r"$$u = \operatorname{argmin}_{\Delta\theta} g^T \Delta\theta + \frac{1}{\alpha}\|\Delta\theta\|_2^2$$",
                    ),
                ],
            ),
            Turn(
                index=1,
                role="assistant",
                blocks=[
                    Block(kind="thinking", text="Differentiate and set the gradient to zero."),
                    Block(kind="text", text=r"Setting $g + \frac{2}{\alpha}\Delta\theta = 0$ gives"),
                    Block(kind="math", text=r"u = -\frac{\alpha}{2} g"),
                    Block(
                        kind="table",
                        text="| Norm | Optimizer |\n|---|---|\n| $L_2$ | SGD |",
                    ),
                ],
            ),
            Turn(
                index=2,
                role="user",
                blocks=[
                    Block(kind="text", text="Now part (b), with the infinity norm. Hint: think of sign(g).")
                ],
            ),
            Turn(
                index=3,
                role="assistant",
                blocks=[
                    Block(
                        kind="text", text="With the infinity norm every coordinate moves by the same amount:"
                    ),
                    Block(kind="math", text=r"u = -\alpha \, \mathrm{sign}(g)", fidelity="lossy"),
                    Block(kind="annotation", text="one-shot, looks right"),
                ],
            ),
        ],
        warnings=["turn 3: math read from a lossy text layer"],
    )


def build_sample_report() -> Report:
    """A report on :func:`build_sample_transcript`: q1a correct, q1b incorrect after a hint."""
    return Report(
        source="000_sample.txt",
        format="writeup-text",
        model="Gemini",
        homework="cs182-fa25-hw2",
        score=2.0,
        max_score=5.0,
        parts=[
            PartResult(
                id="q1a",
                first="correct",
                final="correct",
                score=2.0,
                max_score=2.0,
                reason="u = -α g/2 matches the reference (SGD).",
                attempts=[
                    AttemptResult(
                        turn=1,
                        verdict="correct",
                        claims=[
                            ClaimResult(
                                answer="u",
                                text=r"u = -\frac{\alpha}{2} g",
                                verdict="correct",
                                explanation="Equal to the reference symbolically.",
                                interpreted="-alpha*g/2",
                                reference="-alpha*g/2",
                                source="final-equation",
                                block=2,
                            )
                        ],
                    )
                ],
            ),
            PartResult(
                id="q1b",
                first="incorrect",
                final="incorrect",
                hinted=True,
                flags=["false_statement"],
                score=0.0,
                max_score=3.0,
                reason="Missing the factor ||g||_1 / 2.",
                variant="squared",
                attempts=[
                    AttemptResult(
                        turn=3,
                        verdict="incorrect",
                        claims=[
                            ClaimResult(
                                answer="u",
                                text=r"u = -\alpha \, \mathrm{sign}(g)",
                                verdict="incorrect",
                                explanation="Differs from the reference on a random instance.",
                                interpreted="-alpha*sign(g)",
                                reference="-alpha/2*norm(g,1)*sign(g)",
                                evidence={
                                    "instance": {"alpha": 0.5, "g": [1.0, -2.0]},
                                    "claimed": [-0.5, 0.5],
                                },
                                source="final-equation",
                                block=1,
                            )
                        ],
                    )
                ],
            ),
        ],
        annotations=[
            AnnotationNote(turn=3, text="one-shot, looks right", part="q1b", stance="positive", agrees=False)
        ],
        warnings=["turn 3: math read from a lossy text layer"],
        transcript=build_sample_transcript(),
    )
