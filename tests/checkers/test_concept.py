"""Free-text concepts judged by meaning: term sets over stemmed words, formulas, and the verdict rules.

The HW7 answers below were written for these tests in several wordings (not taken from any
transcript): the rubric's ideas must recognise paraphrases, and a text in which nothing is
recognised goes to a person (``unparseable``), never to ``incorrect``.
"""

from __future__ import annotations

import re

import pytest

from grader.answers.concept import to_ideas
from grader.checkers.concept import Idea, check_concept, detect_conclusion, ideas_from_config
from grader.checkers.meaning import TermSet, sentences, words
from grader.errors import RubricError
from grader.rubric import get_rubric

# --------------------------------------------------------------------------- words and term sets


@pytest.mark.parametrize(
    "a,b",
    [
        # --- inflections meet at one stem
        ("depends", "depending"),
        ("token", "tokens"),
        ("reordered", "reordering"),
        ("minimized", "minimize"),
        # --- subscripts are tokens of their own, written either way
        ("W_2", "W2"),
        ("W_{2}", "W_2"),
    ],
)
def test_words_meet(a: str, b: str) -> None:
    assert words(a) == words(b)


def test_a_subscript_is_not_a_number() -> None:
    assert "1" not in words("U_1 and Sigma_1")
    assert "1" in words("equal to 1")


@pytest.mark.parametrize(
    "term_set,text,hit",
    [
        # --- every group must occur in one sentence, any synonym of each
        ("only|just + first|earlier + source|input", "The decoder can only use the earlier inputs.", True),
        ("only|just + first|earlier + source|input", "It just sees the first source words.", True),
        ("only|just + first|earlier + source|input", "The decoder uses the earlier inputs.", False),
        # --- across sentences is not one sentence
        ("only|just + first|earlier + source|input", "It can only decode. The earlier inputs help.", False),
        # --- multi-word synonyms
        ("word order|reorder", "The word order of Spanish differs from English.", True),
        # --- a negated term does not count ...
        ("same|equal + length", "Their lengths are not the same in general.", False),
        # --- ... unless the set itself is about a negation
        ("cannot|not + see + rest", "It cannot see the rest of the sentence.", True),
        # --- LaTeX and Markdown are reduced to words first
        ("sigma + minimized", r"**The term** $\sigma^2 + 1/\sigma^2$ is minimized at one.", True),
    ],
)
def test_term_sets(term_set: str, text: str, hit: bool) -> None:
    assert (TermSet.parse(term_set).find(sentences(text)) is not None) is hit


def test_explicit_regex_term_set() -> None:
    assert TermSet.parse({"regex": r"h_t\b"}).find(sentences("only $h_t$ is passed")) is not None


@pytest.mark.parametrize("bad", ["a + ", " + b", "|"])
def test_empty_group_is_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="empty term group"):
        TermSet.parse(bad)


# --------------------------------------------------------------------------- verdict rules

IDEAS = [
    Idea("a", "idea A", [TermSet.parse("alpha")]),
    Idea("b", "idea B", [TermSet.parse("beta")]),
    Idea("c", "optional C", [TermSet.parse("gamma")], required=False),
]
MISC = [Idea("m", "misconception M", [TermSet.parse("wrong + thing")])]


@pytest.mark.parametrize(
    "text,conclusion,verdict",
    [
        # --- ideas only
        ("This answer mentions alpha and beta as the two reasons.", None, "correct"),
        ("This answer mentions alpha but not the second reason at all.", None, "partial"),
        # --- nothing recognised is not evidence of a wrong answer: a person reads it
        ("This answer mentions gamma, which is only an optional extra point.", None, "unparseable"),
        ("This answer mentions nothing that the rubric is looking for.", None, "unparseable"),
        # --- misconceptions: positive evidence
        ("This answer says alpha and beta but also a wrong thing.", None, "partial"),
        ("This answer says only a wrong thing and nothing else at all.", None, "incorrect"),
        # --- conclusions
        ("Yes, because of alpha and beta the statement holds in general.", "yes", "correct"),
        ("No, although alpha and beta appear the statement fails in general.", "yes", "incorrect"),
        ("Because of alpha and beta the statement holds in general, I think.", "yes", "partial"),
        # --- LaTeX and Markdown are stripped before matching
        (r"**Reason:** $\alpha$ and $\beta$ together give the result we want here.", None, "correct"),
    ],
)
def test_check_concept_rules(text: str, conclusion: str | None, verdict: str) -> None:
    assert check_concept(text, IDEAS, MISC, conclusion=conclusion).verdict == verdict


@pytest.mark.parametrize("text", ["", "   ", "alpha is it"])
def test_empty_or_short_text_goes_to_a_person(text: str) -> None:
    result = check_concept(text, IDEAS, MISC)
    assert result.verdict == "unparseable"
    assert result.evidence["confidence"] == "low"


def test_need_counts_any_ideas() -> None:
    # "state one problem": any one idea is a complete answer
    assert check_concept("The answer names beta as its one problem here.", IDEAS, need=1).verdict == "correct"


def test_formulas_state_ideas() -> None:
    idea = Idea("balance", "sigma^2 + 1/sigma^2", math=[r"\sigma^2 + \frac{1}{\sigma^2}"])
    text = r"The penalty on each pair becomes $\sigma^{-2} + \sigma^2$, which we now study in detail."
    assert check_concept(text, [idea]).verdict == "correct"
    other = r"The penalty on each pair becomes $\sigma^2 + \sigma$, which we now study in detail."
    assert check_concept(other, [idea]).verdict == "unparseable"


PRIOR = Idea("prior", "the prior's term", math=[r"\frac{1}{2}\|W\|^2"])
LIKELIHOOD = Idea(
    "lik", "the likelihood's density", math=[r"\exp\left(-\frac{1}{2\lambda}\|y - XW\|^2\right)"]
)
LIMIT = Idea("ols", "tends to least squares", math=[r"(X^\top X)^{-1} X^\top y"])


@pytest.mark.parametrize(
    "idea,formula,found",
    [
        # a term of a sum states the idea, with its sign
        (PRIOR, r"\frac{1}{2}‖W‖^{2}+\frac{1}{2λ}‖y-XW‖^{2}+const", True),
        (PRIOR, r"-\frac{1}{2}‖W‖^{2}-\frac{1}{2λ}‖y-XW‖^{2}", False),  # the log, not the negative log
        (PRIOR, r"\frac{1}{2}‖W-y‖^{2}+c", False),  # the minus inside the bars is no cut
        # a factor of a product written with a dot
        (LIKELIHOOD, r"p(W∣y) ∝exp(-\frac{1}{2}‖W‖^{2})⋅exp(-\frac{1}{2λ}‖y-XW‖^{2})", True),
        (LIKELIHOOD, r"p(W∣y) ∝exp(-\frac{1}{2}‖W‖^{2})⋅exp(-\frac{1}{λ}‖y-XW‖^{2})", False),
        # the limit an arrow states
        (LIMIT, r"w_{r} = (X^{T}X+ λI)^{-1}X^{T}y →(X^{T}X)^{-1}X^{T}y", True),
        (LIMIT, r"w_{r} = (X^{T}X+ λI)^{-1}X^{T}y →X^{T}y", False),
    ],
)
def test_a_formula_states_its_terms_factors_and_limits(idea: Idea, formula: str, found: bool) -> None:
    assert (idea.find([], [formula]) is not None) is found


def test_evidence_lists_found_and_missing() -> None:
    result = check_concept("Only alpha is discussed in this rather short answer text.", IDEAS, MISC)
    assert result.evidence["missing"] == ["idea B"]
    assert result.evidence["found"] == ["Only alpha is discussed in this rather short answer text."]
    assert result.evidence["misconceptions"] == []


@pytest.mark.parametrize(
    "text,expected",
    [
        # --- explicit answers
        ("Yes, the solution has an inductive bias.", "yes"),
        ("**Conclusion:** No. The penalty does not do that.", "no"),
        ("Answer: yes", "yes"),
        ("We first think. No, it does not.\n\nConclusion: Yes, it does.", "yes"),
        # --- no explicit yes/no
        ("No matter what lambda is, this holds.", None),
        ("The answer depends on lambda.", None),
        ("", None),
    ],
)
def test_detect_conclusion(text: str, expected: str | None) -> None:
    assert detect_conclusion(text) == expected


@pytest.mark.parametrize(
    "items,message",
    [
        # --- malformed rubric entries
        ([{"text": "no id", "match": ["x"]}], "needs an id"),
        ([{"id": "a", "text": "no evidence"}], "term sets (match) or formulas (math)"),
        ([{"id": "a", "match": [{"regex": "(unclosed"}]}], "invalid regex"),
        ([{"id": "a", "match": ["x + "]}], "empty term group"),
        (["just a string"], "mapping"),
    ],
)
def test_ideas_from_config_rejects_bad_entries(items: list, message: str) -> None:
    with pytest.raises(RubricError, match=re.escape(message)):
        ideas_from_config(items)


# --------------------------------------------------------------------------- the HW7 rubric's ideas


def _judge(part: str, answer: str, text: str):  # noqa: ANN202 - a CheckResult
    spec = get_rubric("cs182-fa25-hw7").part(part).answer(answer)
    assert spec is not None
    return check_concept(text, to_ideas(spec.ideas), to_ideas(spec.misconceptions), need=spec.min_ideas)


@pytest.mark.parametrize(
    "text,idea",
    [
        # --- the prefix problem, in different words
        (
            "With this wiring the decoder at time t has only seen the first t Spanish words, so it has to "
            "start translating before it knows how the sentence ends.",
            "source_prefix",
        ),
        (
            "Each decoder step conditions solely on the earlier encoder states, and the later words of the "
            "input are unavailable when an output word must be chosen.",
            "source_prefix",
        ),
        (
            "The decoder would be forced to emit its word before it has read the rest of the input sentence.",
            "source_prefix",
        ),
        # --- lengths
        (
            "Because step t of the decoder is tied to step t of the encoder, the source and the translation "
            "must have the same length, which is rarely true for real sentences.",
            "equal_length",
        ),
        # --- word order
        (
            "Spanish and English often put adjectives in a different order, so the word the decoder needs "
            "may come later in the input than the step at which it is produced.",
            "word_order",
        ),
    ],
)
def test_q7a_one_problem_in_other_words_is_correct(text: str, idea: str) -> None:
    result = _judge("q7a", "problem", text)
    assert result.verdict == "correct", result.explanation
    assert idea in result.evidence["found_ids"]


@pytest.mark.parametrize(
    "text",
    [
        "The design is worse because recurrent networks are slow to train and attention is better.",
        "It would probably work but I am not sure what the problem is supposed to be in this setup.",
    ],
)
def test_q7a_unrecognised_answers_go_to_a_person(text: str) -> None:
    assert _judge("q7a", "problem", text).verdict == "unparseable"


def test_q8b_full_argument_in_other_words() -> None:
    text = (
        "With a small lambda the reconstruction loss dominates, so W_2 W_1 is approximately the projection "
        "U_k U_k^T and the two matrices are pseudo-inverses of each other on that subspace. Hence each "
        "singular value of W_1 times the matching singular value of W_2 is about 1: their product is close "
        "to one. The penalty on that pair is then sigma^2 + 1/sigma^2, which is minimized exactly when sigma "
        "is 1 (AM-GM). So all singular values of W_2 are near 1 and its columns are orthonormal."
    )
    result = _judge("q8b", "argument", text)
    assert result.verdict == "correct", result.explanation


def test_q8b_shrinking_only_is_a_misconception() -> None:
    text = (
        "The weight decay penalty pushes the singular values of both matrices toward zero, so the weights "
        "just become small and nothing forces the columns to be orthonormal in particular."
    )
    result = _judge("q8b", "argument", text)
    assert result.verdict == "incorrect"
    assert result.evidence["misconceptions"]


def test_every_hw7_idea_says_where_it_comes_from() -> None:
    for part in get_rubric("cs182-fa25-hw7").parts:
        for answer in part.answers:
            for idea in (*answer.ideas, *answer.misconceptions):
                assert idea.from_.strip(), f"{part.id}.{answer.id}.{idea.id}"


def test_a_density_stated_up_to_its_constant_states_its_formula() -> None:
    # "p(w | y) ∝ exp(...)" states the exponential: the right side of a proportionality is what is stated
    prior = Idea(
        "prior", "the prior gives exp(-||W||^2 / 2)", math=["\\exp\\left(-\\frac{1}{2}\\|W\\|^2\\right)"]
    )
    said = "The prior density is $P(W) \\propto \\exp(-\\frac{1}{2}\\|W\\|^{2})$ by the Gaussian assumption."
    assert check_concept(said, [prior]).verdict == "correct"
    other = "The prior density is $P(W) \\propto \\exp(-\\|W\\|^{2})$ by the Gaussian assumption, we think."
    assert check_concept(other, [prior]).verdict != "correct"
