"""html_blocks: Markdown with inline math, tables, code, all escaped."""

from __future__ import annotations

import pytest

from grader.models import Block
from grader.reports.html_blocks import render_block_html, render_markdown_html, strip_math_delimiters


def mathml(tex_html: str, display: bool, body: str) -> str:
    """The span a rendered formula becomes (written out by hand for the tests)."""
    cls, mode = ("mathml display", "block") if display else ("mathml", "inline")
    return (
        f'<span class="{cls}"><math display="{mode}"><semantics>{body}'
        f'<annotation encoding="application/x-tex">{tex_html}</annotation></semantics></math></span>'
    )


@pytest.mark.parametrize(
    "source,expected",
    [
        # inline math delimiters become MathML, the source kept in the annotation
        ("$x^2$", "<p>" + mathml("x^2", False, "<mrow><msup><mi>x</mi><mn>2</mn></msup></mrow>") + "</p>"),
        (
            "\\(a_1 b\\)",
            "<p>"
            + mathml("a_1 b", False, "<mrow><msub><mi>a</mi><mn>1</mn></msub><mi>b</mi></mrow>")
            + "</p>",
        ),
        # display delimiters
        (
            "$$\\frac{1}{2}$$",
            "<p>"
            + mathml(
                "\\frac{1}{2}",
                True,
                "<mrow><mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac></mrow>",
            )
            + "</p>",
        ),
        ("\\[x\\]", "<p>" + mathml("x", True, "<mrow><mi>x</mi></mrow>") + "</p>"),
        # math is escaped, in the MathML and in the annotation
        (
            "$a<b>c$",
            "<p>"
            + mathml(
                "a&lt;b&gt;c", False, "<mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi><mo>&gt;</mo><mi>c</mi></mrow>"
            )
            + "</p>",
        ),
        # math that cannot be rendered stays escaped source
        ("\\(a_1 * \\bad{b}\\)", '<p><span class="math">a_1 * \\bad{b}</span></p>'),
        ("$$\\frac{1}{$$", '<p><span class="math display">\\frac{1}{</span></p>'),
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
        # math block as display MathML, its source kept
        (
            Block(kind="math", text="$$x<y$$"),
            '<math display="block"><semantics><mrow><mi>x</mi><mo>&lt;</mo><mi>y</mi>',
        ),
        (Block(kind="math", text="$$x<y$$"), '<annotation encoding="application/x-tex">x&lt;y</annotation>'),
        # a math block that cannot be rendered as a styled span of source
        (Block(kind="math", text="$$x<\\frac{y$$"), '<span class="math display">x&lt;\\frac{y</span>'),
        # residue as preformatted text
        (Block(kind="residue", text="<icon>"), '<pre class="residue">&lt;icon&gt;</pre>'),
    ],
)
def test_render_block_html(block: Block, expected: str) -> None:
    assert expected in render_block_html(block)
