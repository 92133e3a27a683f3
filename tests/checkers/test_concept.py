"""Free-text concepts: rubric ideas for HW7 q7a, q8b, q4b, q4c checked against seed 002.

The YAML below is the rubric data proposed for ``rubrics/cs182-fa25-hw7.yaml`` (parts q7a, q8b,
q4b, q4c); the tests show that the seed 002 answers get the gold verdicts of
``shared/gold/seeds.yaml`` (q7a incorrect, q8b partial) and that answers in the words of the
official solution get ``correct``.
"""

from __future__ import annotations

import re

import pytest
import yaml

from grader.checkers.concept import Idea, check_concept, detect_conclusion, ideas_from_config
from grader.checkers.text_utils import check_word_limit
from grader.errors import RubricError
from grader.verdicts import CheckResult

RUBRIC_YAML = r"""
q7a:
  ideas:
    - id: causal_prefix
      text: "the decoder's output at step t can only depend on the first t source tokens"
      patterns:
        - "(?:only|just)\\s+(?:depend|see|use|access|condition)\\w*\\s+(?:on\\s+)?(?:the\\s+)?(?:first|previous|earlier)\\s+t\\b"
        - "(?:first|previous|earlier)\\s+t\\s+(?:source|input|encoder)?\\s*(?:tokens|words|inputs|hidden states|states)"
        - "(?:not|never|cannot|can't)\\s+(?:yet\\s+)?(?:see|access|use|depend on)\\s+(?:the\\s+)?(?:rest|remainder|later|future|remaining|whole|entire|full)\\s+(?:of\\s+the\\s+)?(?:source|input|sentence)"
        - "before\\s+(?:the\\s+)?(?:encoder|model)\\s+has\\s+(?:read|seen|processed)\\s+the\\s+(?:whole|entire|full)"
    - id: length_or_order
      text: "so it cannot handle source and target of different lengths, or reordered words"
      patterns:
        - "different\\s+(?:sequence\\s+)?lengths?"
        - "(?:lengths?\\s+(?:differ|mismatch|are\\s+not\\s+(?:the\\s+)?(?:same|equal)))|(?:same|equal)\\s+length"
        - "re-?order(?:ed|ing|s)?"
        - "word\\s+order"
  misconceptions:
    - id: generic_alignment
      text: "generic 'alignment issues' instead of the causal-prefix problem"
      patterns: ["alignment\\s+(?:issues?|problems?)", "struggle\\s+to\\s+learn\\s+(?:proper\\s+)?alignment"]
    - id: information_leakage
      text: "'information leakage' from the encoder (the decoder sees too much, not too little)"
      patterns: ["information\\s+leak", "overly\\s+reliant\\s+on\\s+the\\s+encoder"]

q8b:
  conclusion: "yes"
  ideas:
    - id: approximate_inverses
      text: "the reconstruction term makes W2 W1 close to a projection: W1 and W2 act as approximate (pseudo)inverses"
      patterns:
        - "pseudo-?\\s*inverse"
        - "(?:approximate|approximately)\\s+(?:the\\s+)?inverses?"
        - "inverses?\\s+of\\s+each\\s+other"
        - "W_?2\\s*W_?1\\s*(?:≈|~|=|is\\s+(?:close\\s+to|approximately))\\s*(?:I\\b|the\\s+identity|U|a\\s+projection|projection)"
    - id: paired_product_one
      text: "paired singular values multiply to about 1: sigma(W1) sigma(W2) ≈ 1"
      patterns:
        - "sigma_?\\{?\\(?(?:1|W_?1)\\)?\\}?\\s*\\*?\\s*sigma_?\\{?\\(?(?:2|W_?2)\\)?\\}?\\s*(?:≈|~|=|is\\s+(?:close\\s+to|approximately))\\s*1"
        - "(?:product|multiply)\\w*\\s+(?:of\\s+(?:the\\s+)?(?:paired\\s+|corresponding\\s+)?singular\\s+values\\s+)?(?:is\\s+|are\\s+|to\\s+)?(?:≈|~|approximately|about|close\\s+to)?\\s*(?:1|one)\\b"
        - "reciprocal|1\\s*/\\s*sigma\\b(?!\\^)"
    - id: penalty_minimised_at_one
      text: "the penalty becomes sigma^2 + 1/sigma^2, minimised uniquely at sigma = 1"
      patterns:
        - "sigma\\^2\\s*\\+\\s*\\(?1\\)?\\s*/\\s*\\(?sigma\\^2"
        - "\\(?1\\)?\\s*/\\s*\\(?sigma\\^2\\)?\\s*\\+\\s*sigma\\^2"
    - id: orthonormal_columns
      text: "so the singular values of W2 are about 1, i.e. W2 has approximately orthonormal columns"
      patterns:
        - "singular\\s+values?\\s+(?:\\w+\\s+){0,6}(?:close\\s+to|equal(?:ing)?(?:\\s+to)?|of|towards?|≈|=|near)\\s+1\\b[^.]*orthonormal"
        - "(?:nonzero\\s+)?singular\\s+values?\\s+(?:\\w+\\s+){0,3}(?:equal(?:\\s+to)?|of|=)\\s+1[^.]*\\s+orthonormal\\s+columns"
      required: false
  misconceptions:
    - id: penalty_makes_small
      text: "says the penalty pushes the singular values to be small (it balances them at 1 through the coupling)"
      patterns:
        - "encourag\\w+\\s+(?:the\\s+)?singular\\s+values\\s+to\\s+be\\s+small"
        - "(?:push|drive|force)\\w*\\s+(?:the\\s+)?singular\\s+values\\s+(?:to\\s+be\\s+small|towards?\\s+(?:zero|0))"

q4b:
  ideas:
    - id: dawnbench_baseline
      text: "the DAWNBench baseline's tricks: mixed-precision training, a smaller network, higher learning rates"
      patterns: ["mixed[\\s-]*precision", "smaller\\s+(?:network|model|resnet)", "higher\\s+learning\\s+rates?"]
    - id: duplicate_bn_relu
      text: "remove the duplicated batch norm-ReLU group (and the kink in the LR schedule)"
      patterns: ["(?:duplicate|duplicated|redundant|consecutive|two)\\s+(?:\\(?e\\.g\\.,?\\s*)?(?:duplicate\\s+)?batch[\\s-]*norm(?:alization)?[\\s-]*(?:-|\\s)?relu", "batch[\\s-]*norm[\\s-]*relu\\s+(?:groups?\\s+)?(?:duplicat|twice)"]
    - id: preprocess_once
      text: "do the common preprocessing (padding, normalisation, transposition) once before training"
      patterns: ["(?:preprocessing|padding|normali[sz]ation|transposition)[^.]{0,80}\\bonce\\b", "\\bonce\\b[^.]{0,40}before\\s+training"]
    - id: fewer_dataloader_processes
      text: "reduce the number of dataloader processes (PyTorch relaunches them every epoch)"
      patterns: ["(?:fewer|reduc\\w+|one|single)\\s+(?:the\\s+number\\s+of\\s+)?(?:data\\s*loader|worker|preprocessing)\\s+process", "(?:data\\s*loader|worker)\\s+processes?[^.]{0,40}(?:reduc|fewer|one|single)"]
    - id: bulk_random_numbers
      text: "combine the many random-number-generator calls into a few bulk calls per epoch"
      patterns: ["random\\s+number[^.]{0,60}(?:bulk|batch|combin|fewer|minimi[sz])", "(?:bulk|combin\\w+|minimi[sz]\\w+)[^.]{0,60}random\\s+number"]
    - id: augment_main_thread
      text: "do the data augmentation on the main thread"
      patterns: ["main\\s+(?:thread|process)"]
      required: false
  misconceptions:
    - id: gradient_checkpointing
      text: "gradient checkpointing (not in the post)"
      patterns: ["gradient\\s+checkpoint"]
    - id: reproducibility
      text: "reproducibility / controlling randomness as a learning (not in the post)"
      patterns: ["reproducib\\w+[^.]{0,40}(?:experiment|importance|ensur)", "controlling\\s+randomness"]
    - id: smaller_batches
      text: "smaller batch sizes (not in the post)"
      patterns: ["smaller\\s+batch\\s+sizes?"]

q4c:
  word_limit: 100
  ideas:
    - id: approach_from_blog
      text: "names one approach the post actually uses (mixed precision, a smaller ResNet, higher learning rates, removing the duplicate BN-ReLU, one-off preprocessing, fewer dataloader processes, bulk random numbers, augmentation on the main thread)"
      patterns: ["mixed[\\s-]*precision", "smaller\\s+(?:network|model|resnet)", "higher\\s+learning\\s+rates?", "batch[\\s-]*norm[\\s-]*relu", "preprocessing", "data\\s*loader", "random\\s+number", "main\\s+thread"]
    - id: why_interesting
      text: "says why it is interesting, with the effect the post reports (seconds saved, 341 s -> 297 s)"
      patterns: ["\\b(?:341|323|308|297)\\s*(?:s\\b|seconds)", "\\b(?:15|7|4)\\s*(?:s\\b|seconds)\\s+(?:of\\s+training\\s+time|saving|saved)", "(?:interesting|stood\\s+out)[^.]{0,120}(?:because|since|why|how)"]
  misconceptions:
    - id: invented_speedup
      text: "a speed-up figure the post never states (e.g. '3x speedup' from mixed precision)"
      patterns: ["\\b\\d+(?:\\.\\d+)?\\s*(?:x|×)\\s+speed-?up", "\\b\\d+(?:\\.\\d+)?-fold\\s+speed"]
    - id: apex
      text: "NVIDIA Apex / Tensor-Core specifics the post does not discuss"
      patterns: ["\\bapex\\b"]
"""

RUBRIC = yaml.safe_load(RUBRIC_YAML)


def judge(part: str, text: str) -> CheckResult:
    spec = RUBRIC[part]
    return check_concept(
        text,
        ideas_from_config(spec["ideas"]),
        ideas_from_config(spec.get("misconceptions", [])),
        conclusion=spec.get("conclusion"),
    )


# --------------------------------------------------------------------------- fixtures
# Short excerpts of seed 002 (Mistral, HW7), copied by hand: the model's words only, without the
# student's annotations.

Q7A_SEED = """If the encoder's hidden state $h_t$ is passed as an input to the decoder at each timestep
$t$, the decoder will have direct access to the encoder's hidden states at every step. This can
lead to **alignment issues** and **information leakage**:
- **Alignment Issues:** The decoder may struggle to learn proper alignment between the source and
target sequences.
- **Information Leakage:** The decoder might become overly reliant on the encoder's hidden states,
especially for longer sequences."""

Q8B_SEED = r"""**Regularization Effect:**
The regularization terms $\lambda \|W_1\|_F^2$ and $\lambda \|W_2\|_F^2$ penalize large singular
values in $W_1$ and $W_2$. This encourages the singular values to be small.
**Minimizing $\frac{1}{\sigma^2} + \sigma^2$:**
The minimum of this function occurs when $\sigma = 1$, which implies that the singular values are
encouraged to be close to 1.
**Orthonormal Columns:**
If $W_2$ has all its nonzero singular values equal to 1, then $W_2$ has orthonormal columns.
**Conclusion:**
Yes, the solution to the objective function (7) with a small nonzero $\lambda$ has an inductive
bias towards finding a $W_2$ matrix with approximately orthonormal columns."""

Q4B_SEED_FIRST = """- Architecture tweaks:** Using smaller batch sizes, mixed-precision training, and careful
weight initialization can significantly speed up training without sacrificing accuracy.
- Compute efficiency:** Techniques like gradient checkpointing and smart data loading reduce memory
overhead and improve GPU utilization.
- Reproducibility:** The importance of controlling randomness and ensuring reproducibility in
experiments."""

Q4B_SEED_FINAL = """- 1. **Mixed-Precision Training:** Using 16-bit floating-point arithmetic significantly speeds up training.
- 2. **Network Architecture:** Removing redundant layers (e.g., duplicate batch norm-ReLU groups)
simplified the architecture. A carefully designed learning rate schedule, including higher learning
rates, sped up convergence.
- 4. **Data Preprocessing:** Optimizing data preprocessing by reducing redundant computations and
minimizing calls to random number generators saved significant time. Preprocessing steps like
padding, normalization, and transposition were done once before training.
- 5. **Data Loading:** Reducing the number of data loader processes and performing data
augmentation on the main thread further decreased training time."""

Q4C_SEED_FIRST = """**Mixed-precision training** stood out as the most interesting approach. By using 16-bit
floating-point arithmetic (FP16) for most computations and 32-bit (FP32) for numerical stability,
they achieved a **3x speedup** with minimal loss in accuracy. This approach leverages modern GPU
hardware (Tensor Cores) and software libraries (NVIDIA Apex)."""

Q4C_SEED_FINAL = """The approach of optimizing data preprocessing and loading stood out as particularly
interesting. Reducing the number of data loader processes and performing data augmentation on the
main thread minimized the overhead of launching processes. Combining calls to random number
generators into bulk calls at the start of each epoch saved a surprising amount of time. These
optimizations reduced the training time from 341 seconds to 297 seconds."""

# Answers written by us in the words of the official solutions: they must come out correct.
Q7A_STAFF = """With vertical stacking the decoder's output at step t can only depend on the first t
source tokens, since the encoder has not read the rest of the sentence yet. So it cannot handle a
translation whose length differs from the source (different lengths) or where the words are
reordered."""

Q8B_STAFF = r"""Yes. Because of the reconstruction term, $W_2 W_1$ must stay close to the projection,
so $W_1$ and $W_2$ act as approximate pseudoinverses of each other: paired singular values satisfy
$\sigma_1 \sigma_2 \approx 1$. The penalty $\lambda(\sigma_1^2 + \sigma_2^2)$ then becomes
$\sigma^2 + 1/\sigma^2$, which is minimised uniquely at $\sigma = 1$. Hence the singular values of
$W_2$ are close to 1 and $W_2$ has approximately orthonormal columns."""


# --------------------------------------------------------------------------- gold verdicts


@pytest.mark.parametrize(
    "part,text,verdict,found,misconceptions",
    [
        # --- seed 002 against the gold labels
        ("q7a", Q7A_SEED, "incorrect", [], ["generic_alignment", "information_leakage"]),
        (
            "q8b",
            Q8B_SEED,
            "partial",
            ["penalty_minimised_at_one", "orthonormal_columns"],
            ["penalty_makes_small"],
        ),
        # --- seed 002 q4b/q4c: first answers partial (invented techniques / numbers), final ones
        # --- pass the deterministic check (gold: needs_review, a human reads them)
        (
            "q4b",
            Q4B_SEED_FIRST,
            "partial",
            ["dawnbench_baseline"],
            ["gradient_checkpointing", "reproducibility", "smaller_batches"],
        ),
        (
            "q4b",
            Q4B_SEED_FINAL,
            "correct",
            [
                "dawnbench_baseline",
                "duplicate_bn_relu",
                "preprocess_once",
                "fewer_dataloader_processes",
                "bulk_random_numbers",
                "augment_main_thread",
            ],
            [],
        ),
        ("q4c", Q4C_SEED_FIRST, "partial", ["approach_from_blog"], ["invented_speedup", "apex"]),
        ("q4c", Q4C_SEED_FINAL, "correct", ["approach_from_blog", "why_interesting"], []),
        # --- official-solution wording
        ("q7a", Q7A_STAFF, "correct", ["causal_prefix", "length_or_order"], []),
        (
            "q8b",
            Q8B_STAFF,
            "correct",
            ["approximate_inverses", "paired_product_one", "penalty_minimised_at_one", "orthonormal_columns"],
            [],
        ),
    ],
)
def test_rubric_ideas_give_gold_verdicts(
    part: str, text: str, verdict: str, found: list[str], misconceptions: list[str]
) -> None:
    result = judge(part, text)
    assert result.verdict == verdict, result.explanation
    assert result.evidence["found_ids"] == found
    mis_ids = [
        m["id"]
        for m in RUBRIC[part].get("misconceptions", [])
        if m["text"] in result.evidence["misconceptions"]
    ]
    assert mis_ids == misconceptions
    assert len(result.evidence["found"]) == len(found)  # one quote per idea found


def test_q8b_seed_misses_the_coupling() -> None:
    result = judge("q8b", Q8B_SEED)
    assert result.evidence["conclusion"] == "yes"
    assert set(result.evidence["missing_ids"]) == {"approximate_inverses", "paired_product_one"}


def test_q8b_wrong_conclusion_is_incorrect() -> None:
    assert judge("q8b", Q8B_STAFF.replace("Yes.", "No.", 1)).verdict == "incorrect"


@pytest.mark.parametrize(
    "text,limit,ok",
    [
        # --- the seed's q4c answers are within a ~100-word limit (25% tolerance)
        (Q4C_SEED_FIRST, 100, True),
        (Q4C_SEED_FINAL, 100, True),
        # --- twice the text is not
        (Q4C_SEED_FIRST + " " + Q4C_SEED_FINAL + " " + Q4C_SEED_FINAL, 100, False),
    ],
)
def test_q4c_word_limit(text: str, limit: int, ok: bool) -> None:
    assert check_word_limit(text, RUBRIC["q4c"]["word_limit"])[0] is ok


# --------------------------------------------------------------------------- the real seed file


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


def test_real_seed_002_q7a_and_q8b(seed_002: str) -> None:
    q7a = _between(seed_002, "#### (a) Problem with Stacking", "#### (b)")
    # the q8b answer with the student's two annotation paragraphs left out
    q8b = _between(seed_002, "**M** Inductive Bias", "once again, it was able") + _between(
        seed_002, "**Regularization Effect:**", "10:52pm"
    )
    assert judge("q7a", q7a).verdict == "incorrect"
    assert judge("q8b", q8b).verdict == "partial"


# --------------------------------------------------------------------------- generic behaviour

IDEAS = [
    Idea("a", "idea A", [r"\balpha\b"]),
    Idea("b", "idea B", [r"\bbeta\b"]),
    Idea("c", "optional C", [r"\bgamma\b"], required=False),
]
MISC = [Idea("m", "misconception M", [r"\bwrong\b"])]


@pytest.mark.parametrize(
    "text,conclusion,verdict",
    [
        # --- ideas only
        ("This answer mentions alpha and beta as the two reasons.", None, "correct"),
        ("This answer mentions alpha but not the second reason at all.", None, "partial"),
        ("This answer mentions gamma, which is only an optional extra point.", None, "partial"),
        ("This answer mentions nothing that the rubric is looking for.", None, "incorrect"),
        # --- misconceptions
        ("This answer says alpha and beta but also something wrong.", None, "partial"),
        ("This answer says only something wrong and nothing else at all.", None, "incorrect"),
        # --- conclusions
        ("Yes, because of alpha and beta the statement holds in general.", "yes", "correct"),
        ("Yes, and the argument is not given here in any real detail.", "yes", "partial"),
        ("No, although alpha and beta appear the statement fails in general.", "yes", "incorrect"),
        ("Because of alpha and beta the statement holds in general, I think.", "yes", "partial"),
        # --- LaTeX and Markdown are stripped before matching
        (r"**Reason:** $\alpha$ and $\beta$ together give the result we want here.", None, "correct"),
    ],
)
def test_check_concept_rules(text: str, conclusion: str | None, verdict: str) -> None:
    assert check_concept(text, IDEAS, MISC, conclusion=conclusion).verdict == verdict


@pytest.mark.parametrize("text", ["", "   ", "alpha beta"])
def test_short_text_has_low_confidence(text: str) -> None:
    result = check_concept(text, IDEAS, MISC)
    assert result.evidence["confidence"] == "low"
    assert result.verdict in {"correct", "partial", "incorrect"}


def test_empty_text_is_incorrect() -> None:
    assert check_concept("", IDEAS).verdict == "incorrect"


def test_evidence_lists_missing_idea_texts() -> None:
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
        ([{"text": "no id", "patterns": ["x"]}], "needs an id"),
        ([{"id": "a", "text": "no patterns"}], "patterns"),
        ([{"id": "a", "patterns": ["(unclosed"]}], "not a valid regex"),
        (["just a string"], "mapping"),
    ],
)
def test_ideas_from_config_rejects_bad_entries(items: list, message: str) -> None:
    with pytest.raises(RubricError, match=re.escape(message)):
        ideas_from_config(items)


def test_ideas_from_config_defaults() -> None:
    (idea,) = ideas_from_config([{"id": "a", "patterns": "x+"}])
    assert (idea.id, idea.text, idea.patterns, idea.required) == ("a", "a", ["x+"], True)


def test_all_rubric_snippets_load() -> None:
    for part, spec in RUBRIC.items():
        assert ideas_from_config(spec["ideas"]), part
        ideas_from_config(spec.get("misconceptions", []))
