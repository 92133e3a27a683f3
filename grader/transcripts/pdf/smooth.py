"""Speakers over a sequence of lines: evidence per line, decided jointly (a two-state Viterbi).

Each line carries a score: positive when its layout says "the user's" (a bubble, an indent set apart,
lying outside the model's boxes), negative when it says "the model's" (the model's box, prose from the
margin, a heading, display math, a reasoning marker), near zero when it says nothing. Deciding line by
line would flip the speaker at every nested list item or formula; instead the speakers are chosen for
the whole sequence at once, with a cost for every change of speaker. A change is cheap where messages
naturally part (a page break, a wide vertical gap, a reasoning marker, a timestamp) and dear inside a
paragraph, so thin evidence follows its neighbours and strong evidence wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

USER, ASSISTANT = 0, 1


@dataclass
class Step:
    """One line of the sequence: its user score and how cheap a change of speaker is before it."""

    score: float
    switch_cost: float
    forced: int | None = None  # USER or ASSISTANT when the line's speaker is certain


def viterbi(steps: Sequence[Step], start_user_bonus: float = 1.0) -> list[int]:
    """The best speaker (USER or ASSISTANT) per step: maximise the scores of user steps minus the
    costs of every change.

    >>> s = [Step(2, 0), Step(-0.3, 3), Step(1, 3), Step(-2, 1), Step(-0.5, 3)]
    >>> viterbi(s)
    [0, 0, 0, 1, 1]
    """
    if not steps:
        return []
    neg = float("-inf")
    best = [[0.0, 0.0] for _ in steps]
    back = [[0, 0] for _ in steps]

    def emit(step: Step, state: int) -> float:
        if step.forced is not None and step.forced != state:
            return neg
        return step.score if state == USER else 0.0

    best[0][USER] = emit(steps[0], USER) + start_user_bonus
    best[0][ASSISTANT] = emit(steps[0], ASSISTANT)
    for i in range(1, len(steps)):
        for state in (USER, ASSISTANT):
            stay = best[i - 1][state]
            move = best[i - 1][1 - state] - steps[i].switch_cost
            if stay >= move:
                best[i][state], back[i][state] = stay, state
            else:
                best[i][state], back[i][state] = move, 1 - state
            best[i][state] += emit(steps[i], state)
    state = USER if best[-1][USER] > best[-1][ASSISTANT] else ASSISTANT
    out = [state]
    for i in range(len(steps) - 1, 0, -1):
        state = back[i][state]
        out.append(state)
    return out[::-1]
