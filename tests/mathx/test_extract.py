"""Extraction of final answers from free-form model output (grader.mathx.extract)."""

from __future__ import annotations

import pytest

from grader.mathx.extract import clean_answer, extract_answers, find_boxes, normalize_plain_number, unescape


@pytest.mark.parametrize(
    "text,items,source",
    [
        # boxes: the last one, or the last group joined by "and" / "," / nothing
        (r"so $x=2$, hence $\boxed{2}$.", ("2",), "boxed"),
        (r"first \boxed{3} then \boxed{5}", ("5",), "boxed"),
        (r"\boxed{1} and \boxed{-2}", ("1", "-2"), "boxed"),
        (r"$\boxed{1}\boxed{2}$", ("1", "2"), "boxed"),
        (r"\boxed{(3, 3)} \text{ for part (a) and } \boxed{(1, 1)}", ("(3, 3)", "(1, 1)"), "boxed"),
        (r"\boxed{1} no no no no no \boxed{2}", ("2",), "boxed"),
        (r"\fbox{7}", ("7",), "boxed"),
        (r"$\boxed{\frac{1}{2}}$", (r"\frac{1}{2}",), "boxed"),
        # "final answer is ... I hope" written after the last box wins over the box
        (
            r"so $\boxed{255}$ then. Final Answer: The final answer is $10,455$. I hope it is correct.",
            ("10455",),
            "final-answer",
        ),
        ("Final Answer: The largest $n$ is 34.", ("34",), "final-answer"),
        (
            "Final Answer: Jane started growing Sphere 3 hours ago. I hope it is correct.",
            ("3",),
            "final-answer",
        ),
        # answer lines
        (r"The answer is $x \leq 5$", (r"x \leq 5",), "answer-line"),
        # last math environment, in each delimiter style
        (r"Answer \[ 9 \]", ("9",), "last-math"),
        (r"Answer \( 9 \)", ("9",), "last-math"),
        ("Answer $$ \n 9 \n $$", ("9",), "last-math"),
        (r"We find that $x \lt 3$.", (r"x \lt 3",), "last-math"),
        (r"$21,16$ or $11$", ("21,16", "11"), "last-math"),
        # last number of plain text
        ("the number is not 10 which is 1,000.99€", ("1000.99",), "last-number"),
        ("so P(A) = 2/3 in the end", ("2/3",), "last-number"),
        ("1 000", ("1000",), "last-number"),
        ("Soucis : 2,74 $ a..", ("2.74",), "last-number"),
        # bare LaTeX without delimiters
        (r"\frac{10}{9}", (r"\frac{10}{9}",), "whole"),
    ],
)
def test_first_candidate(text: str, items: tuple[str, ...], source: str) -> None:
    first = extract_answers(text)[0]
    assert (first.items, first.source) == (items, source)


@pytest.mark.parametrize(
    "text,percent",
    [
        # percent markers, written in several ways
        (r"$28\%$", True),
        ("28 pct", True),
        ("28 percent", True),
        (r"$\boxed{28}$ pct", True),
        (r"$\boxed{28 percentage}", True),
        ("28", False),
    ],
)
def test_percent_flag(text: str, percent: bool) -> None:
    first = extract_answers(text)[0]
    assert first.items == ("28",) and first.percent is percent


@pytest.mark.parametrize(
    "raw,cleaned",
    [
        # thousands separators (only when the whole item is one number)
        ("7,425,000", "7425000"),
        ("1 000", "1000"),
        (r"11,\! 111,\! 111,\! 100", "11111111100"),
        ("14 {, }916", "14916"),
        ("32, 349", "32, 349"),
        ("(12,102)", "(12,102)"),
        # units and text wrappers
        (r"125\textnormal{ miles}", "125"),
        (r"15\mbox{ cm}^2", "15"),
        (r"0.06 \text{ yuan}", "0.06"),
        ("35 cm", "35"),
        (r"\frac{1}{3} \textbf{meters}", r"\frac{1}{3}"),
        (r"90^\circ", "90"),
        (r"\text{Evelyn}", "Evelyn"),
        (r"6 \text{ and } 8", "6 , 8"),
        # trailing punctuation, \left \right, fraction spellings
        ("2-2p.", "2-2p"),
        (r"\left( \frac{1}{3} \right)", r"( \frac{1}{3} )"),
        (r"\dfrac{1}{3}", r"\frac{1}{3}"),
        (r"x_{1}=1,\quadx_{2}=2", "x_{1}=1, x_{2}=2"),
    ],
)
def test_clean_answer(raw: str, cleaned: str) -> None:
    assert clean_answer(raw)[0] == cleaned


@pytest.mark.parametrize(
    "raw,number",
    [
        # decimal comma vs thousands separator
        ("1,000.99", "1000.99"),
        ("2,74", "2.74"),
        ("0,111", "0.111"),
        ("1000,99", "1000.99"),
        ("7,425,000", "7425000"),
        ("12", "12"),
    ],
)
def test_normalize_plain_number(raw: str, number: str) -> None:
    assert normalize_plain_number(raw) == number


@pytest.mark.parametrize(
    "raw,expected",
    [
        # doubly escaped dumps and control characters from non-raw Python strings
        ("\\\\boxed{4}", "\\boxed{4}"),
        ("a\\nB", "a\nB"),
        ("\\neq", "\\neq"),
        ("$\text{13}$", "$\\text{13}$"),
        ("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}"),
    ],
)
def test_unescape(raw: str, expected: str) -> None:
    assert unescape(raw) == expected


@pytest.mark.parametrize(
    "text,contents",
    [
        # nested braces, unclosed box, \boxed without braces
        (r"\boxed{\frac{1}{2}}", [r"\frac{1}{2}"]),
        (r"\boxed{a} and \boxed{b}", ["a", "b"]),
        (r"\boxed{W(n) = 1", ["W(n) = 1"]),
        (r"\boxed 5", ["5"]),
    ],
)
def test_find_boxes(text: str, contents: list[str]) -> None:
    assert [c for _, _, c in find_boxes(text)] == contents


@pytest.mark.parametrize(
    "text",
    [
        # nothing to extract, or not text at all
        "",
        "no digits here at all and far too long to be taken as a bare answer " * 4,
        "AZYUK2A" * 40,
    ],
)
def test_no_candidate(text: str) -> None:
    assert extract_answers(text) == []


def test_non_string_input_gives_no_candidate() -> None:
    assert extract_answers(None) == []  # type: ignore[arg-type]


def test_sources_are_ordered_best_first() -> None:
    sources = [c.source for c in extract_answers(r"we get $x = 3$ so \boxed{3}. Then 4 more")]
    assert sources[0] == "boxed" and set(sources[1:]) <= {"last-math", "last-number", "whole", "answer-line"}


def test_long_input_is_bounded() -> None:
    text = "$1$ " * 100_000 + r"\boxed{7}"
    assert extract_answers(text)[0].items == ("7",)
