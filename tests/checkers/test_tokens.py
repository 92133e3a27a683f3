"""Token sequences: parsing the many written forms, and the ordered check."""

from __future__ import annotations

import pytest

from grader.checkers.tokens import canonical_token, check_tokens, parse_tokens

SEE = ["<sos>", "I", "see", "a", "dog"]
SAW = ["<sos>", "I", "saw", "a", "dog"]

NUMBERED_002 = r"""1.  $w_1 = \langle \text{sos} \rangle$  (Start of Sequence)
2.  $w_2 = \text{I}$  (decoder's first output)
3.  $w_3 = \text{saw}$  (decoder's second output)
4.  $w_4 = \text{a}$  (decoder's third output)
5.  $w_5 = \text{dog}$  (decoder's fourth output)"""


@pytest.mark.parametrize(
    "text,expected",
    [
        # --- comma and space separated
        ("<sos>, I, see, a, dog", SEE),
        ("<sos> I see a dog", SEE),
        ("⟨sos⟩ I see a dog", SEE),
        ("[<sos>, I, see, a, dog]", SEE),
        ('"<sos>", "I", "see", "a", "dog"', SEE),
        ("<sos> → I → see → a → dog", SEE),
        # --- LaTeX (seed 002 summary table)
        (r"$\langle \text{sos} \rangle, \text{I}, \text{see}, \text{a}, \text{dog}$", SEE),
        # --- numbered lists with w_i = token and comments (seed 002)
        (NUMBERED_002, SAW),
        ("1. <sos>\n2. I\n3. see\n4. a\n5. dog", SEE),
        # --- a lead-in before the sequence
        ("The five tokens are: <sos>, I, see, a, dog", SEE),
        # --- special-token spellings
        ("<SOS> I see", ["<sos>", "I", "see"]),
        ("[SOS] I see a dog.", SEE),
        ("<bos> I see <EOS>", ["<sos>", "I", "see", "<eos>"]),
        # --- nothing
        ("", []),
        ("   ", []),
    ],
)
def test_parse_tokens(text: str, expected: list[str]) -> None:
    assert parse_tokens(text) == expected


@pytest.mark.parametrize(
    "token,expected",
    [
        # --- specials are canonical
        ("<SOS>", "<sos>"),
        ("⟨sos⟩", "<sos>"),
        ("< sos >", "<sos>"),
        ("</s>", "<eos>"),
        ("<end>", "<eos>"),
        # --- words keep their case
        ("Dog", "Dog"),
        ("I", "I"),
    ],
)
def test_canonical_token(token: str, expected: str) -> None:
    assert canonical_token(token) == expected


@pytest.mark.parametrize(
    "claim,reference,verdict,first_difference",
    [
        # --- benchmark claims (shared/bench/claims.jsonl c062-c067)
        ("⟨sos⟩, I, see, a, dog", SEE, "correct", None),
        ("<sos> I see a dog", SEE, "correct", None),
        ("<sos>, I, saw, a, dog", SEE, "incorrect", 3),
        ("I, see, a, dog, <eos>", SEE, "incorrect", 1),
        ("<sos> I saw a dog", SAW, "correct", None),
        ("<sos> I see a dog", SAW, "incorrect", 3),
        # --- seed 002 numbered answer to q7c
        (NUMBERED_002, SAW, "correct", None),
        # --- case-sensitive words, case-insensitive specials
        ("<SOS> i see a dog", SEE, "incorrect", 2),
        ("<SOS> I see a dog", SEE, "correct", None),
        # --- length differences
        ("<sos> I see a", SEE, "incorrect", 5),
        ("<sos> I see a dog <eos>", SEE, "incorrect", 6),
    ],
)
def test_check_tokens(claim: str, reference: list[str], verdict: str, first_difference: int | None) -> None:
    result = check_tokens(claim, reference)
    assert result.verdict == verdict
    assert result.evidence.get("first_difference") == first_difference
    if first_difference is not None:
        assert f"position {first_difference}" in result.explanation


def test_check_tokens_explanation_names_both_tokens() -> None:
    result = check_tokens("<sos> I saw a dog", SEE)
    assert "'see'" in result.explanation and "'saw'" in result.explanation


def test_check_tokens_case_hint() -> None:
    assert "case-sensitive" in check_tokens("<sos> i see a dog", SEE).explanation


@pytest.mark.parametrize("claim", ["", "   ", "\x00\x01"])
def test_check_tokens_unparseable(claim: str) -> None:
    assert check_tokens(claim, SEE).verdict == "unparseable"


def test_real_seed_002_q7b_q7c(seed_002: str) -> None:
    start = seed_002.index("#### (b) Tokens Passed into the Decoder During Training")
    q7b = seed_002[start : seed_002.index("#### (c)", start)]
    q7c = seed_002[seed_002.index("#### (c)", start) : seed_002.index("**Note:**", start)]
    assert check_tokens(q7b[q7b.index("1. ") :], SEE).verdict == "correct"
    assert check_tokens(q7c[q7c.index("1. ") :], SAW).verdict == "correct"
