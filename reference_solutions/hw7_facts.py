"""HW7 Q4, Q7, Q8(a): facts from the source text, decoder inputs, and the option tables.

Q4's answers are facts of the blog post "How to train your ResNet" (Myrtle.ai), kept here as data
with the sentence each comes from, so that a grader can cite the sentence and flag numbers that
the post does not contain. Q7's token sequences are derived from the sentences of the question
by the teacher-forcing / free-running rules; Q8(a)'s choices are derived from the objective.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

BLOG = "How to train your ResNet (Myrtle.ai, part 1: Baseline)"

FACTS: list[dict[str, Any]] = [
    {
        "label": "baseline: DAWNBench winner (Ben Johnson, fast.ai)",
        "value": 341.0,
        "unit": "s",
        "sentence": "By the time the competition closed in April, the situation had changed and on CIFAR10, "
        "the fastest single GPU entry, from fast.ai student Ben Johnson, reached 94% accuracy in under "
        "6 minutes (341s).",
    },
    {
        "label": "baseline accuracy (the DAWNBench target)",
        "value": 94.0,
        "unit": "percent",
        "sentence": "So an obvious question is: how good is 341s to train to 94% test accuracy on CIFAR10?",
    },
    {
        "label": "baseline reproduced by the author",
        "value": 356.0,
        "unit": "s",
        "sentence": "Training on an AWS p3.2xlarge instance with a single V100 GPU, 3/5 runs reach a final "
        "test accuracy of 94% in 356s.",
    },
    {
        "label": "intermediate: duplicate batch norm-ReLU removed",
        "value": 323.0,
        "unit": "s",
        "sentence": "With those changes in place the network and learning rate look slightly simpler and more "
        "importantly, 4/5 runs reach 94% final test accuracy in a time of 323s!",
    },
    {
        "label": "intermediate: preprocessing done once, one dataloader process",
        "value": 308.0,
        "unit": "s",
        "sentence": "In any case, the effect of removing the repeat work and reducing the number of dataloader "
        "processes is a further 15s saving in training time (almost half a second per epoch!) and a new "
        "training time of 308s.",
    },
    {
        "label": "final: bulk random numbers, augmentation on the main thread",
        "value": 297.0,
        "unit": "s",
        "sentence": "Finally, at this point it turns out that the overhead of launching even a single process "
        "to perform the data augmentation outweighs the benefit and we can save a further 4s by doing "
        "the work on the main thread, leading to a final training time for today of 297s.",
    },
    {
        "label": "final accuracy (every time in the post is to this target)",
        "value": 94.0,
        "unit": "percent",
        "sentence": "Of most interest were the benchmarks for training image classification models to 94% "
        "test accuracy on CIFAR10 and 93% top-5 accuracy on ImageNet.",
    },
]
"""Every number of the post that Q4 can use; ``value`` in seconds or percent."""


def fact(label_prefix: str) -> dict[str, Any]:
    """The fact whose label starts with ``label_prefix`` (exactly one must match).

    Example:
        >>> fact("final:")["value"]
        297.0
    """
    hits = [f for f in FACTS if f["label"].startswith(label_prefix)]
    if len(hits) != 1:
        raise KeyError(f"{len(hits)} facts match {label_prefix!r}")
    return hits[0]


def numbers_in(sentence: str, unit: str) -> list[float]:
    """The numbers in a sentence written with ``unit`` (``"s"``: ``341s``; ``"percent"``: ``94%``).

    Example:
        >>> numbers_in("reach 94% in 356s, 15s less", "s")
        [356.0, 15.0]
    """
    pattern = r"(\d+(?:\.\d+)?)s\b" if unit == "s" else r"(\d+(?:\.\d+)?)%"
    return [float(x) for x in re.findall(pattern, sentence)]


# --- Q7: decoder inputs -----------------------------------------------------------------------

SOS, EOS = "<sos>", "<eos>"
CORRECT_TRANSLATION = "I see a dog"
SAMPLED_TRANSLATION = "I saw a dog"


def decoder_inputs(previous_tokens: str, length: int = 5) -> list[str]:
    """The decoder's inputs ``w_1..w_length``: ``<sos>`` then the previous outputs, shifted right.

    Training (teacher forcing) feeds the correct translation; generation feeds back the model's
    own samples. The last token of the sequence (``<eos>``) is an output, never an input.

    Example:
        >>> decoder_inputs("I see a dog")
        ['<sos>', 'I', 'see', 'a', 'dog']
    """
    tokens = [SOS, *previous_tokens.split(), EOS]
    return tokens[:length]


# --- Q8(a): option tables ---------------------------------------------------------------------

LAYER_OPTIONS = ("0", "1", "2", "3")
LOSS_OPTIONS = ("nn.L1Loss", "nn.MSELoss", "nn.CrossEntropyLoss")
COMPONENT_OPTIONS = ("Weight Decay", "Dropout", "Layer Norm", "Batch Norm", "SGD optimizer")
OBJECTIVE_FACTORS = ("W2", "W1")
"""The weight matrices of ``W2 W1 X``: each is one bias-free ``nn.Linear``."""

COMPONENT_REASONS = {
    "Weight Decay": "needed: lambda||W1||_F^2 + lambda||W2||_F^2 is exactly an l2 penalty, i.e. weight decay",
    "Dropout": "not needed: it randomly zeroes units, which changes the objective being optimised",
    "Layer Norm": "not needed: it normalises activations, so the model is no longer W2 W1 X",
    "Batch Norm": "not needed: it normalises over the batch, so the model is no longer W2 W1 X",
    "SGD optimizer": "needed: the question asks for SGD-style training one point at a time",
}


def _loss_values(name: str, target: np.ndarray, pred: np.ndarray) -> float:
    if name == "nn.L1Loss":
        return float(np.mean(np.abs(target - pred)))
    if name == "nn.MSELoss":
        return float(np.mean((target - pred) ** 2))
    # CrossEntropyLoss with the target columns as class probabilities (softmax of the prediction)
    logp = pred - np.log(np.sum(np.exp(pred), axis=0, keepdims=True))
    return float(-np.mean(np.sum(target * logp, axis=0)))


def matching_loss(rng: np.random.Generator | None = None, trials: int = 5) -> list[str]:
    """The loss options proportional to ``(1/n)||X - W2 W1 X||_F^2`` on random instances.

    A torch loss with ``reduction="mean"`` averages over all m*n entries, so the right one is a
    constant multiple (1/m) of the objective's data term on every instance.

    Example:
        >>> matching_loss()
        ['nn.MSELoss']
    """
    rng = np.random.default_rng(0) if rng is None else rng
    ratios: dict[str, list[float]] = {name: [] for name in LOSS_OPTIONS}
    for _ in range(trials):
        m, k, n = 5, 2, 7
        X = rng.normal(size=(m, n))
        pred = rng.normal(size=(m, k)) @ rng.normal(size=(k, m)) @ X
        objective = float(np.sum((X - pred) ** 2)) / n
        for name in LOSS_OPTIONS:
            ratios[name].append(_loss_values(name, X, pred) / objective)
    return [name for name, r in ratios.items() if np.allclose(r, r[0], rtol=1e-9)]
