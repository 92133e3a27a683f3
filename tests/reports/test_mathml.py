"""mathml: formulas become inert MathML, or stay escaped source; never active, never dropped."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.errors import BudgetExceeded, MathParseError
from grader.mathx.budget import time_budget
from grader.reports import mathml
from grader.reports.html_blocks import markdown_renderer, render_markdown_html, render_math_html
from grader.reports.mathml import latex_to_mathml, mathml_span, sanitize_mathml
from tests.reports.htmlscan import Scan, scan_html

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Conversions are cached per process; tests that patch the converter must not see old results."""
    latex_to_mathml.cache_clear()
    yield
    latex_to_mathml.cache_clear()


def visible_text(html: str) -> str:
    """The text a reader sees: everything but the <annotation> (which browsers do not display)."""
    cut = []
    rest = html
    while "<annotation" in rest:
        before, _, after = rest.partition("<annotation")
        cut.append(before)
        rest = after.partition("</annotation>")[2]
    cut.append(rest)
    return "".join(scan_html("".join(cut)).text).replace(NBSP, " ")


def squeeze(text: str) -> str:
    return "".join(text.split())


def assert_inert(scan: Scan, raw: str) -> None:
    """No script, no embedded HTML/SVG, no URLs, no handlers, no styles: nothing that can act."""
    assert "<script" not in raw.lower()
    forbidden = {"script", "img", "a", "iframe", "foreignobject", "annotation-xml", "maction", "svg", "style"}
    assert [e.tag for e in scan.elements if e.tag in forbidden] == []
    for element in scan.elements:
        for name, value in element.attrs.items():
            assert name not in {"href", "src", "style", "xlink:href", "id"}, (element.tag, name)
            assert not name.startswith("on"), (element.tag, name)
            assert "javascript:" not in (value or "").lower(), (element.tag, name)


# --------------------------------------------------------------------------- renders as MathML


@pytest.mark.parametrize(
    "tex,display,fragments",
    [
        # scripts, fractions, roots (MathML Core element names)
        ("x^2", False, ["<msup><mi>x</mi><mn>2</mn></msup>"]),
        ("a_i", False, ["<msub><mi>a</mi><mi>i</mi></msub>"]),
        ("\\frac{a}{b}", True, ["<mfrac>", "<mi>a</mi>", "<mi>b</mi>", "</mfrac>"]),
        ("\\sqrt{x}", False, ["<msqrt>", "<mi>x</mi>", "</msqrt>"]),
        # symbols arrive as characters, not as entity strings
        ("\\alpha + \\beta", False, ["<mi>α</mi>", "<mo>+</mo>", "<mi>β</mi>"]),
        # an operator that is also HTML syntax is escaped
        ("a<b", False, ["<mi>a</mi><mo>&lt;</mo><mi>b</mi>"]),
        ("a \\& b", False, ["&amp;"]),
        # matrices become tables
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", True, ["<mtable>", "<mtd><mn>4</mn></mtd>"]),
        # presentation attributes survive the allow-list
        ("\\mathrm{sign}(x)", False, ['<mi mathvariant="normal">s</mi>']),
        ("\\left( x \\right)", False, ['fence="true"', 'stretchy="true"']),
        ("\\color{red}{x}", False, ['<mstyle mathcolor="red">']),
    ],
)
def test_formula_renders(tex: str, display: bool, fragments: list[str]) -> None:
    html = latex_to_mathml(tex, display)
    assert html is not None
    mode = "block" if display else "inline"
    assert html.startswith(f'<math display="{mode}"><semantics>')
    for fragment in fragments:
        assert fragment in html


@pytest.mark.parametrize(
    "tex,annotation",
    [
        # the source is kept, escaped, in the annotation
        ("x^2", "x^2"),
        ("a<b", "a&lt;b"),
        ("\\text{<b>}", "\\text{&lt;b&gt;}"),
    ],
)
def test_source_is_kept_in_the_annotation(tex: str, annotation: str) -> None:
    html = latex_to_mathml(tex)
    assert html is not None
    assert html.endswith(
        f'<annotation encoding="application/x-tex">{annotation}</annotation></semantics></math>'
    )


@pytest.mark.parametrize(
    "tex,expected",
    [
        # a sign after an operator or an opening bracket is unary, set tight as TeX does
        ("u = -g", '<mo>=</mo><mo form="prefix">−</mo><mi>g</mi>'),
        ("(-1)", '<mo stretchy="false">(</mo><mo form="prefix">−</mo><mn>1</mn>'),
        ("a = +1", '<mo>=</mo><mo form="prefix">+</mo><mn>1</mn>'),
        # after an operand, a closing bracket, a bar or a postfix mark it stays binary
        ("a - b", "<mi>a</mi><mo>−</mo><mi>b</mi>"),
        ("(a) - b", '<mo stretchy="false">)</mo><mo>−</mo><mi>b</mi>'),
        ("|x| - 1", '<mo stretchy="false">|</mo><mo>−</mo><mn>1</mn>'),
        ("x! - 1", "<mo>!</mo><mo>−</mo><mn>1</mn>"),
        ("\\left(a\\right) - b", "</mrow><mo>−</mo><mi>b</mi>"),
    ],
)
def test_unary_signs_are_prefix(tex: str, expected: str) -> None:
    html = latex_to_mathml(tex)
    assert html is not None and expected in html


# --------------------------------------------------------------------------- falls back to source


@pytest.mark.parametrize(
    "tex",
    [
        # malformed: the converter raises
        "\\frac{1}{",
        "\\begin{pmatrix}1",
        # a command the converter does not know would otherwise show as "\foo"
        "\\foo{x}",
        # commands that carry URLs, CSS or HTML
        "\\href{javascript:alert(1)}{x}",
        "\\url{http://evil.example}",
        "\\style{color:red}{x}",
        "\\class{c}{x}",
        "\\cssId{i}{x}",
        "\\htmlClass{c}{x}",
        # macro definitions (expansion bombs)
        "\\def\\a{xx}\\def\\b{\\a\\a\\a\\a}\\b\\b",
        "\\newcommand{\\a}{xx}\\a\\a",
        # size caps: input over 5,000 characters, a 1 MB formula, output over 50 KB
        "x+" * 2_501,
        "x" * 1_000_000,
        "\\," * 2_400,  # 4,800 characters in, each "\," is a 33-character <mspace> out
        # deep nesting: over the depth cap, or deep enough to exhaust the converter's recursion
        "{" * 70 + "x" + "}" * 70,
        "{" * 3_000 + "x" + "}" * 3_000,
        # nothing to render
        "",
        "   ",
    ],
)
def test_formula_falls_back(tex: str) -> None:
    assert latex_to_mathml(tex) is None
    assert mathml_span(tex) is None


@pytest.mark.parametrize(
    "source,expected",
    [
        # the fallback is exactly the escaped source of the pre-MathML reports
        ("$\\frac{1}{$", '<p><span class="math">\\frac{1}{</span></p>'),
        ("$$\\foo{a<b}$$", '<p><span class="math display">\\foo{a&lt;b}</span></p>'),
        (
            '\\(\\href{javascript:alert(1)}{"x"}\\)',
            '<p><span class="math">\\href{javascript:alert(1)}{&quot;x&quot;}</span></p>',
        ),
    ],
)
def test_fallback_in_markdown_is_the_old_source_span(source: str, expected: str) -> None:
    assert render_markdown_html(source).strip() == expected


def test_fallback_math_block_is_the_old_source_span() -> None:
    assert render_math_html("$$\\style{x}{y<z}$$") == '<span class="math display">\\style{x}{y&lt;z}</span>'


# --------------------------------------------------------------------------- hostile input is inert


HOSTILE = [
    # HTML in text commands must come out as escaped text
    ("$\\text{<script>alert(1)</script>}$", "<script>alert(1)</script>"),
    ("$\\mathrm{<script>alert(1)</script>}$", "<script>alert(1)</script>"),
    ("$\\operatorname{<img src=x onerror=alert(1)>}$", "<imgsrc=xonerror=alert(1)>"),
    ("$$\\text{</math><script>alert(1)</script>}$$", "</math><script>alert(1)</script>"),
    # HTML where math is expected
    ("$<img src=x onerror=alert(1)>$", "<imgsrc=xonerror=alert(1)>"),
    ("$a <svg onload=alert(1)> b$", "<svgonload=alert(1)>"),
    # URL, style and HTML commands: shown as source
    ("$\\href{javascript:alert(1)}{x}$", "\\href{javascript:alert(1)}{x}"),
    ("$\\style{background:url(javascript:alert(1))}{x}$", "\\style{background:url(javascript:alert(1))}{x}"),
    ("$\\unicode{x3C}script\\unicode{x3E}$", "<script>"),
    ("$$\\unicode{0}\\unicode{xD800}\\unicode{x110000}$$", ""),
    ("$\\color{url(javascript:alert(1))}{x}$", "x"),
    # entity-looking text is text, not markup
    ("$\\text{&lt;script&gt;}$", "&lt;script&gt;"),
    # deep nesting and a 1 MB formula: shown as source, not dropped
    ("$" + "{" * 500 + "x" + "}" * 500 + "$", "{" * 500 + "x" + "}" * 500),
    ("$" + "<b>" * 300_000 + "$", "<b>" * 1_000),
]


@pytest.mark.parametrize("source,shown", HOSTILE)
def test_hostile_formula_is_inert(source: str, shown: str) -> None:
    html = str(render_markdown_html(source))
    assert_inert(scan_html(html), html)


@pytest.mark.parametrize("source,shown", HOSTILE)
def test_hostile_formula_text_stays_visible(source: str, shown: str) -> None:
    assert squeeze(shown) in squeeze(visible_text(str(render_markdown_html(source))))


LATEX_PIECES = [
    "x", "1", " ", "{", "}", "^", "_", "&", "\\\\", "<", ">", '"', "'", "\\", "$", "%", "#",
    "\\frac", "\\sqrt", "\\left(", "\\right)", "\\text{", "\\mathrm{", "\\operatorname{",
    "\\begin{pmatrix}", "\\end{pmatrix}", "\\color{", "\\unicode{", "\\href{", "javascript:",
    "<script>", "onerror=", "</math>", "&#x3C;", "\\over", "\\hline", "\\begin{array}{c|c}",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LATEX_PIECES), max_size=60), st.booleans())
def test_any_formula_renders_inertly_or_not_at_all(pieces: list[str], display: bool) -> None:
    tex = "".join(pieces)
    html = latex_to_mathml(tex, display)
    if html is not None:
        assert html.startswith("<math display=")
        assert_inert(scan_html(html), html)


# --------------------------------------------------------------------------- the allow-list rebuild


def math_tree(tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> Element:
    root = Element("math")
    row = SubElement(root, "mrow")
    child = SubElement(row, tag, attrs or {})
    child.text = text
    return root


@pytest.mark.parametrize(
    "tag",
    [
        # HTML, SVG and MathML escape hatches are refused outright
        "script",
        "a",
        "img",
        "foreignObject",
        "svg",
        "annotation-xml",
        "semantics",
        "maction",
        "math",
        "style",
    ],
)
def test_sanitizer_refuses_foreign_elements(tag: str) -> None:
    with pytest.raises(MathParseError):
        sanitize_mathml(math_tree(tag, text="x"), "x", display=False)


@pytest.mark.parametrize(
    "attrs,expected",
    [
        # event handlers, links, styles, classes, ids: dropped
        ({"onclick": "alert(1)", "mathvariant": "bold"}, '<mi mathvariant="bold">'),
        ({"href": "javascript:alert(1)"}, "<mi>"),
        ({"xlink:href": "javascript:alert(1)"}, "<mi>"),
        ({"style": "color:red", "class": "c", "id": "i"}, "<mi>"),
        # allowed attribute names with values that are not plain keywords: dropped
        ({"mathcolor": "url(javascript:alert(1))"}, "<mi>"),
        ({"mathvariant": 'x" onclick="alert(1)'}, "<mi>"),
        ({"width": "expression(alert(1))"}, "<mi>"),
        # plain keyword, length and colour values: kept
        ({"mathcolor": "#ff0000", "stretchy": "false"}, '<mi mathcolor="#ff0000" stretchy="false">'),
    ],
)
def test_sanitizer_keeps_only_safe_attributes(attrs: dict[str, str], expected: str) -> None:
    html = sanitize_mathml(math_tree("mi", attrs, "x"), "x", display=False)
    assert f"{expected}x</mi>" in html


@pytest.mark.parametrize(
    "text,expected",
    [
        # text is escaped, whatever the converter left in it
        ("<script>", "&lt;script&gt;"),
        ("a & b", "a &amp; b"),
        # the converter's own character references become characters
        ("&#x003B1;", "α"),
        ("&#60;b&#62;", "&lt;b&gt;"),
        # references to non-characters become U+FFFD
        ("&#x0;", "\ufffd"),
        ("&#xD800;", "\ufffd"),
        ("&#x110000;", "\ufffd"),
        ("\x07", "\ufffd"),
    ],
)
def test_sanitizer_escapes_text(text: str, expected: str) -> None:
    html = sanitize_mathml(math_tree("mtext", text=text), "t", display=False)
    assert f"<mtext>{expected}</mtext>" in html


def test_sanitizer_refuses_deep_trees() -> None:
    root = Element("math")
    node = SubElement(root, "mrow")
    for _ in range(mathml.MAX_MATHML_DEPTH + 1):
        node = SubElement(node, "mrow")
    with pytest.raises(MathParseError):
        sanitize_mathml(root, "x", display=True)


# --------------------------------------------------------------------------- time budget


def slow_converter(latex: str, display: str = "inline") -> Element:
    """A converter that spins for 2 s: a stand-in for pathological input."""
    end = time.monotonic() + 2.0
    while time.monotonic() < end:
        pass
    return math_tree("mi", text="x")


@pytest.mark.parametrize(
    "where",
    [
        # main thread: the interval timer interrupts the conversion
        "main",
        # worker thread (the web app): the conversion is abandoned in a daemon thread
        "thread",
    ],
)
def test_slow_conversion_falls_back(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    monkeypatch.setattr(mathml, "convert_to_element", slow_converter)
    monkeypatch.setattr(mathml, "TIME_BUDGET_S", 0.1)
    box: dict[str, object] = {}

    def work() -> None:
        started = time.monotonic()
        box["result"] = latex_to_mathml("x")
        box["seconds"] = time.monotonic() - started

    if where == "main":
        work()
    else:
        worker = threading.Thread(target=work)
        worker.start()
        worker.join(5)
    assert box["result"] is None
    assert isinstance(box["seconds"], float) and box["seconds"] < 1.0


def test_callers_expired_budget_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mathml, "convert_to_element", slow_converter)
    with pytest.raises(BudgetExceeded), time_budget(0.1):
        latex_to_mathml("x")


# --------------------------------------------------------------------------- real transcripts


def seed_formulas() -> list[tuple[str, bool]]:
    from grader.errors import GraderError
    from grader.transcripts import read_all

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("shared seeds are absent")
    blocks = []
    for path in seeds:
        try:
            transcripts = read_all(path)
        except GraderError:  # a seed that is not a chat (lecture notes) is not graded
            continue
        blocks += [block for t in transcripts for turn in t.turns for block in turn.blocks]
    formulas: list[tuple[str, bool]] = []
    for block in blocks:
        if block.kind in ("code", "residue", "math"):
            continue
        for token in markdown_renderer().parse(block.text):
            formulas += [
                (child.content, bool(child.meta["display"]))
                for child in token.children or []
                if child.type == "math_inline"
            ]
    return formulas


def test_seed_formulas_render_inertly() -> None:
    formulas = seed_formulas()
    rendered = [latex_to_mathml(tex, display) for tex, display in formulas]
    # nearly all real formulas typeset; the rest are shown as source
    assert len(formulas) > 100
    assert sum(r is not None for r in rendered) >= 0.95 * len(formulas)
    html = "".join(r for r in rendered if r is not None)
    assert_inert(scan_html(html), html)
