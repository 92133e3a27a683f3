"""html_blocks: Markdown with inline math, tables, code, all escaped."""

from __future__ import annotations

import pytest

from grader.models import Block
from grader.reports.html_blocks import render_block_html, render_markdown_html, strip_math_delimiters


@pytest.mark.parametrize(
    "source,expected",
    [
        # inline math delimiters
        ("$x^2$", '<p><span class="math">x^2</span></p>'),
        ("\\(a_1 * b_2 * c\\)", '<p><span class="math">a_1 * b_2 * c</span></p>'),
        ("$$\\frac{1}{2}$$", '<p><span class="math display">\\frac{1}{2}</span></p>'),
        ("\\[x\\]", '<p><span class="math display">x</span></p>'),
        # math is escaped, not interpreted
        ("$a<b>c$", '<p><span class="math">a&lt;b&gt;c</span></p>'),
        # prices stay prose (pandoc's rule)
        ("$5 and $6", "<p>$5 and $6</p>"),
        ("$ x $", "<p>$ x $</p>"),
        # an unclosed dollar stays text
        ("cost $x", "<p>cost $x</p>"),
        # raw HTML is shown, not passed
        ("<b>hi</b>", "<p>&lt;b&gt;hi&lt;/b&gt;</p>"),
    ],
)
def test_markdown_with_math(source: str, expected: str) -> None:
    assert render_markdown_html(source).strip() == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("$$ x $$", "x"),
        ("\\[ y \\]", "y"),
        ("$z$", "z"),
        # no delimiters: kept whole
        ("a = b", "a = b"),
        # delimiters around nothing: kept as source rather than dropped
        ("$$$$", "$$$$"),
    ],
)
def test_strip_math_delimiters(text: str, expected: str) -> None:
    assert strip_math_delimiters(text) == expected


@pytest.mark.parametrize(
    "block,expected",
    [
        # tab-separated table
        (Block(kind="table", text="a\tb\n1\t<2>"), "<td>1</td><td>&lt;2&gt;</td>"),
        # pipe table
        (Block(kind="table", text="| a |\n|---|\n| 1 |"), "<td>1</td>"),
        # a "table" that parses as neither stays visible as source
        (Block(kind="table", text="a b\nc d"), '<pre class="table-source">a b\nc d</pre>'),
        # code keeps its text escaped, language as a class
        (
            Block(kind="code", text="if a<b:", meta={"lang": "python"}),
            '<code class="language-python">if a&lt;b:',
        ),
        # math block as a styled span
        (Block(kind="math", text="$$x<y$$"), '<span class="math display">x&lt;y</span>'),
        # residue as preformatted text
        (Block(kind="residue", text="<icon>"), '<pre class="residue">&lt;icon&gt;</pre>'),
    ],
)
def test_render_block_html(block: Block, expected: str) -> None:
    assert expected in render_block_html(block)
