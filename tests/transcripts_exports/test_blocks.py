"""The block splitter and citation stripping shared by every export reader."""

from __future__ import annotations

import pytest

from grader.transcripts.exports.common import split_blocks, strip_citations


@pytest.mark.parametrize(
    "text,expected",
    [
        # --- plain paragraphs: one text block each
        ("one line", [("text", "one line")]),
        ("first\nstill first\n\nsecond", [("text", "first\nstill first"), ("text", "second")]),
        # --- display math, both delimiters, one line and several
        (
            "so\n$$u = -\\frac{\\alpha}{2} g$$\ndone",
            [("text", "so"), ("math", "u = -\\frac{\\alpha}{2} g"), ("text", "done")],
        ),
        ("$$\na + b\n$$", [("math", "a + b")]),
        ("\\[\nu = 0\n\\]", [("math", "u = 0")]),
        ("\\[ x^2 \\]", [("math", "x^2")]),
        ("\\begin{align}\na &= b\n\\end{align}", [("math", "\\begin{align}\na &= b\n\\end{align}")]),
        # --- inline math stays in its text block
        ("the answer is $u = -g$ here", [("text", "the answer is $u = -g$ here")]),
        # --- an unclosed $$ is left as text
        ("$$ a + b\nno closer", [("text", "$$ a + b\nno closer")]),
        # --- fenced code (``` and ~~~), unclosed fences run to the end
        ("```python\nx = 1\n```", [("code", "x = 1")]),
        ("~~~\n$$ not math $$\n~~~", [("code", "$$ not math $$")]),
        ("```\nopen", [("code", "open")]),
        # --- pipe tables need a delimiter row
        ("| a | b |\n|---|---|\n| 1 | 2 |", [("table", "| a | b |\n|---|---|\n| 1 | 2 |")]),
        ("a | b\n--- | ---\n1 | 2\n\nafter", [("table", "a | b\n--- | ---\n1 | 2"), ("text", "after")]),
        ("a | b is a bar\nnot a table", [("text", "a | b is a bar\nnot a table")]),
        # --- thematic breaks are separators, not text
        ("above\n\n---\n\nbelow", [("text", "above"), ("text", "below")]),
        # --- nothing
        ("", []),
        ("\n\n  \n", []),
    ],
)
def test_split_blocks(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(b.kind, b.text) for b in split_blocks(text)] == expected


def test_split_blocks_spans_point_into_the_source() -> None:
    source = "header\n### ASSISTANT\nfirst para\n\n$$x$$\n"
    start = source.index("first")
    blocks = split_blocks(source[start:], origin=(start, 3))
    assert [b.span.line_start for b in blocks if b.span] == [3, 5]
    assert [source[b.span.start : b.span.end] for b in blocks if b.span] == ["first para", "$$x$$"]


def test_split_blocks_fidelity_and_language() -> None:
    blocks = split_blocks("```js\nf()\n```\ntext", fidelity="lossy")
    assert blocks[0].meta["language"] == "js"
    assert {b.fidelity for b in blocks} == {"lossy"}


@pytest.mark.parametrize(
    "text,expected",
    [
        # --- ChatGPT private-use citation markers
        ("Adam adapts.\ue200cite\ue202turn0search0\ue201", "Adam adapts."),
        ("a\ue200cite\ue202turn0search0\ue202turn1news2\ue201 b", "a b"),
        ("see \ue200filecite\ue202turn0file1\ue201.", "see ."),
        # --- entity markers display their name
        ('by \ue200entity\ue202["people","Geoffrey Hinton",{}]\ue201 in', "by Geoffrey Hinton in"),
        # --- older lenticular citations
        ("SGD【4:0†source】 works", "SGD works"),
        ("text【12†hw2.pdf】.", "text."),
        # --- ordinary brackets are kept
        ("【note】 stays", "【note】 stays"),
        ("no markers", "no markers"),
    ],
)
def test_strip_citations(text: str, expected: str) -> None:
    assert strip_citations(text) == expected
