"""html_blocks: Markdown with inline math, tables, code, all escaped."""

from __future__ import annotations

import pytest

from grader.models import Block
from grader.reports.html_blocks import (
    looks_like_prose,
    render_block_html,
    render_formula_html,
    render_markdown_html,
    render_table_html,
    render_text_with_math,
    strip_math_delimiters,
)


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


# --------------------------------------------------------------------------- prose and math in notes and tables


@pytest.mark.parametrize(
    "text,prose",
    [
        # sentences and names read as words
        ("gradient descent (SGD with learning rate alpha/2)", True),
        ("Adam (adam)", True),
        ("SignGD", True),
        ("the update moves against the gradient", True),
        # quantities with units, and a bare % (a TeX comment would drop the rest)
        ("18 hours = 64800 s", True),
        ("~68% = 68%", True),
        ("u = -alpha g/2", True),
        # formulas, with function names and \\text{} words
        ("-\\frac{\\alpha g}{2}", False),
        ("\\frac{a}{b} \\text{ per step}", False),
        ("10\\%", False),
        ("\\max(0, x)", False),
        ("x_t", False),
        ("W^T W", False),
    ],
)
def test_looks_like_prose(text: str, prose: bool) -> None:
    assert looks_like_prose(text) is prose


def test_prose_in_a_note_is_text_not_italic_math() -> None:
    html = render_formula_html("gradient descent (SGD with learning rate alpha/2)")
    assert "<math" not in html and html.startswith('<span class="prose">')
    assert render_formula_html("-alpha*g/2") == '<code class="plain-math">-alpha*g/2</code>'
    assert "<math" in render_formula_html("-\\frac{\\alpha g}{2}")
    mixed = render_formula_html("the minimiser $u = -g$ of the penalty")
    assert (
        mixed.startswith('<span class="prose">the minimiser <span class="mathml">')
        and "of the penalty" in mixed
    )


def test_text_with_math_escapes_the_text_and_renders_formulas() -> None:
    html = render_text_with_math("a <b>bold</b> claim * that $x^2$ costs $5 and 6")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<em>" not in html
    assert html.count("<math") == 1 and "$5 and 6" in html


def test_lone_list_marker_is_text_not_an_empty_bullet() -> None:
    html = render_markdown_html("a = b\n\n+\n\nc = d")
    assert "<ul>" not in html and "<li>" not in html and "+" in html
    assert "<li>item</li>" in render_markdown_html("+ item")  # a real list stays a list


@pytest.mark.parametrize(
    "table",
    [
        "Step\tValue\nfirst\t$x^2$\n",  # tab-separated
        "| Step | Value |\n| first | $x^2$ |\n",  # pipes without a separator row (Markdown takes no table)
        "| Step | Value |\n|---|---|\n| first | $x^2$ |\n",  # a Markdown table
    ],
)
def test_math_in_table_cells_renders(table: str) -> None:
    html = render_table_html(table)
    assert "<table>" in html and "<math" in html and "$x^2$" not in html
    assert html.startswith('<div class="table-wrap">')


def test_tex_spacing_in_sentences_becomes_text() -> None:
    html = render_text_with_math("the reference is 341\\,s, i.e. 94\\% of \\$5")
    assert html == "the reference is 341\u2009s, i.e. 94% of $5"
