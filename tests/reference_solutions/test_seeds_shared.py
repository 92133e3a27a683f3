"""Against the real data in ../shared: gold answers and the blog text quoted in seed 002."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reference_solutions import cs182_fa25_hw2 as hw2
from reference_solutions import cs182_fa25_hw7 as hw7
from reference_solutions import hw7_facts

pytestmark = pytest.mark.shared


def _gold(shared_dir: Path) -> dict[tuple[str, str], str]:
    data = yaml.safe_load((shared_dir / "gold" / "seeds.yaml").read_text())
    return {(t["homework"], p["id"]): p.get("answer", "") for t in data["transcripts"] for p in t["parts"]}


def _blog(shared_dir: Path) -> str:
    (path,) = sorted((shared_dir / "seeds").glob("002_*.txt"))
    return re.sub(r"\s+", " ", path.read_text())


@pytest.mark.parametrize("fact", hw7_facts.FACTS, ids=lambda f: f["label"])
def test_fact_sentences_are_quoted_verbatim_in_the_pasted_blog(shared_dir: Path, fact: dict) -> None:
    assert re.sub(r"\s+", " ", fact["sentence"]) in _blog(shared_dir)


@pytest.mark.parametrize(
    "homework,part,needles",
    [
        # HW2 (gold of seed 001 lists the exact fractions)
        ("cs182-fa25-hw2", "q2a", ["10000/10101", "1000/10101", "100/10101"]),
        ("cs182-fa25-hw2", "q2b", ["100/111"]),
        ("cs182-fa25-hw2", "q2c", ["1/3", "10/3", "100/3"]),
        # HW7
        ("cs182-fa25-hw7", "q4a", ["341 s", "356 s", "94%", "297 s"]),
        ("cs182-fa25-hw7", "q7b", ["<sos>, I, see, a, dog"]),
        ("cs182-fa25-hw7", "q7c", ["<sos>, I, saw, a, dog"]),
        ("cs182-fa25-hw7", "q8a_ii", ["nn.MSELoss"]),
    ],
)
def test_gold_answer_text_names_our_values(
    shared_dir: Path, homework: str, part: str, needles: list[str]
) -> None:
    gold = _gold(shared_dir)[(homework, part)]
    assert all(n in gold for n in needles)


@pytest.mark.parametrize(
    "target,expected",
    [
        ("q2b.theta", "100}{111"),
        ("q2a.theta", "10000}{10101"),
    ],
)
def test_hw2_display_shows_the_gold_fraction(target: str, expected: str) -> None:
    assert expected in hw2.get(target).display


def test_hw7_tokens_match_gold(shared_dir: Path) -> None:
    gold = _gold(shared_dir)
    for part in ("q7b", "q7c"):
        assert hw7.get(f"{part}.tokens").display == gold[("cs182-fa25-hw7", part)]
