"""LaTeX to inert MathML for the HTML reports, with the escaped source as the fallback.

Transcripts are untrusted, and ``latex2mathml`` is not written for hostile input: it copies
``\\text{...}`` verbatim into the markup, turns ``\\href`` and ``\\style`` into attributes, and
passes unknown commands through. So nothing it produces is serialised as is. The element tree it
builds is rebuilt here from an allow-list (MathML elements, presentation attributes with plain
values), every piece of text is escaped, and the formula is refused, and shown as escaped source
exactly as before, whenever any step fails::

    latex ─▶ size cap ─▶ refuse URL/style/HTML commands ─▶ latex2mathml (time budget)
          ─▶ allow-list rebuild (elements, attributes, escaped text, depth) ─▶ size cap
          ─▶ <math><semantics>…<annotation encoding="application/x-tex">source</annotation>

The source stays in the ``annotation``, so nothing the model wrote is lost.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element
from markupsafe import Markup

from grader.errors import BudgetExceeded, MathParseError
from grader.mathx import budget

MAX_TEX_CHARS = 5_000
"""Longer formulas are shown as source without being converted."""
MAX_MATHML_CHARS = 50_000
"""Converted formulas whose MathML is longer than this are shown as source."""
MAX_MATHML_DEPTH = 64
"""Converted formulas nested deeper than this are shown as source."""
TIME_BUDGET_S = 1.0
"""Seconds one conversion may take before the formula is shown as source."""

# MathML Core presentation elements (no <annotation-xml>, no <maction>, nothing from HTML/SVG).
ALLOWED_ELEMENTS = frozenset(
    "math mrow mi mo mn ms mtext mspace msub msup msubsup munder mover munderover mfrac msqrt"
    " mroot mtable mtr mtd mstyle mpadded mphantom menclose merror mmultiscripts mprescripts"
    " none".split()
)
# Presentation attributes only: nothing that can hold a URL, a style, a class, an id or a script.
ALLOWED_ATTRIBUTES = frozenset(
    "display mathvariant stretchy fence separator lspace rspace columnalign rowalign"
    " columnlines rowlines columnspacing rowspacing frame accent accentunder form largeop"
    " movablelimits symmetric minsize maxsize width height depth voffset notation scriptlevel"
    " displaystyle linethickness mathsize mathcolor mathbackground".split()
)
# Keywords, lengths and colours: letters, digits, spaces, '.', '-', '+', '%', '#'.
_SAFE_VALUE = re.compile(r"[A-Za-z0-9 .+\-%#]{0,80}")
# Commands that carry URLs, CSS or HTML in MathJax/KaTeX, and macro definitions (expansion
# bombs): a formula using one stays source.
_REFUSED_COMMANDS = re.compile(
    r"\\(?:href|url|style|class|cssId|html[A-Za-z]*|require|includegraphics|data[A-Za-z]*"
    r"|def|gdef|edef|xdef|let|(?:re)?newcommand|providecommand|newenvironment|DeclareMathOperator)"
    r"(?![A-Za-z])"
)
# Elements with a fixed number of children; another count means the converter misread the input
# (it turns "\\frac{y" into a one-child <mfrac>), so the source reads better.
_ARITY = {
    "mfrac": 2, "msub": 2, "msup": 2, "mroot": 2, "munder": 2, "mover": 2, "msubsup": 3, "munderover": 3,
}  # fmt: skip
_SIGNS = frozenset("-+\u2212\u00b1\u2213")
# Operators after which a sign is binary: closing fences, bars (ambiguous), postfix marks.
_CLOSERS = frozenset(")]}\u27e9\u232a|\u2016!\u2032\u2033")
_CHAR_REF = re.compile(r"&#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode_char_refs(text: str) -> str:
    """The library writes symbols as literal ``&#x…;`` strings; turn them into characters.

    Code points that are not characters (surrogates, beyond U+10FFFF, controls) become U+FFFD.

    >>> _decode_char_refs("&#x003B1;&#60;b")
    'α<b'
    """

    def char(match: re.Match[str]) -> str:
        hex_digits, dec_digits = match.groups()
        code = int(hex_digits, 16) if hex_digits else int(dec_digits)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or _CONTROL.fullmatch(chr(code)) or code == 0:
            return "\ufffd"
        return chr(code)

    return _CONTROL.sub("\ufffd", _CHAR_REF.sub(char, text))


def _text(raw: str | None) -> str:
    return escape(_decode_char_refs(raw), quote=False) if raw else ""


def _is_prefix_sign(element: Element, previous: Element | None) -> bool:
    """A sign right after another operator ("= -g", "(-1") is unary, as TeX sets it.

    latex2mathml leaves it to the browser, which spaces it as a binary minus.
    """
    if element.tag != "mo" or "form" in element.attrib or previous is None or previous.tag != "mo":
        return False
    sign = _decode_char_refs(element.text or "").strip()
    before = _decode_char_refs(previous.text or "").strip()
    return sign in _SIGNS and before not in _CLOSERS and previous.attrib.get("form") != "postfix"


def _attributes(element: Element, prefix: bool = False) -> str:
    kept: list[str] = [' form="prefix"'] if prefix else []
    for name, value in sorted(element.attrib.items()):
        if name not in ALLOWED_ATTRIBUTES or not _SAFE_VALUE.fullmatch(value):
            continue  # href, style, class, on*, odd values: dropped, never copied
        kept.append(f' {name}="{escape(value, quote=True)}"')
    return "".join(kept)


def _rebuild(element: Element, out: list[str], depth: int, previous: Element | None = None) -> None:
    tag = element.tag
    if not isinstance(tag, str) or tag not in ALLOWED_ELEMENTS or tag == "math":
        raise MathParseError(f"element {tag!r} is not allowed in a report", where="mathml")
    if depth > MAX_MATHML_DEPTH:
        raise MathParseError(f"formula nested deeper than {MAX_MATHML_DEPTH}", where="mathml")
    if tag in ("mi", "mo", "mn") and element.text and "\\" in element.text:
        # latex2mathml passes unknown commands through as \name: the source reads better.
        raise MathParseError(f"unsupported command {element.text[:40]!r}", where="mathml")
    if tag in _ARITY and len(element) != _ARITY[tag]:
        raise MathParseError(f"<{tag}> needs {_ARITY[tag]} arguments, got {len(element)}", where="mathml")
    prefix = _is_prefix_sign(element, previous)
    out.append(f"<{tag}{_attributes(element, prefix)}>{_text(element.text)}")
    before: Element | None = None
    for child in element:
        _rebuild(child, out, depth + 1, before)
        before = child
    out.append(f"</{tag}>{_text(element.tail)}")


def sanitize_mathml(tree: Element, tex: str, display: bool) -> str:
    """Rebuild a ``<math>`` element tree from the allow-list, with ``tex`` as its annotation.

    Unknown attributes are dropped; an element outside MathML presentation markup, a command
    the converter did not know, or nesting deeper than :data:`MAX_MATHML_DEPTH` raises
    :class:`~grader.errors.MathParseError` so that the caller shows the source instead.

    >>> from xml.etree.ElementTree import fromstring
    >>> tree = fromstring('<math><mrow><mi href="javascript:x" mathvariant="bold">a</mi></mrow></math>')
    >>> sanitize_mathml(tree, "a", display=False)  # doctest: +NORMALIZE_WHITESPACE
    '<math display="inline"><semantics><mrow><mi mathvariant="bold">a</mi></mrow><annotation
     encoding="application/x-tex">a</annotation></semantics></math>'
    """
    if tree.tag != "math":
        raise MathParseError(f"root element {tree.tag!r} is not <math>", where="mathml")
    out: list[str] = []
    children = list(tree)
    if len(children) == 1:
        _rebuild(children[0], out, 1)
    else:
        out.append("<mrow>")
        for child in children:
            _rebuild(child, out, 2)
        out.append("</mrow>")
    mode = "block" if display else "inline"
    source = escape(tex, quote=False)
    return (
        f'<math display="{mode}"><semantics>{"".join(out)}'
        f'<annotation encoding="application/x-tex">{source}</annotation></semantics></math>'
    )


def _convert(tex: str, display: bool) -> str:
    tree = convert_to_element(tex, display="block" if display else "inline")
    return sanitize_mathml(tree, tex, display)


@lru_cache(maxsize=4096)
def latex_to_mathml(tex: str, display: bool = False) -> str | None:
    """Inert MathML for one formula, or None when it cannot be rendered safely.

    None for: empty or over-long input, URL/style/HTML commands, a converter error, an
    unsupported command, a conversion over :data:`TIME_BUDGET_S`, or output over the size caps.

    >>> latex_to_mathml("x^2")  # doctest: +NORMALIZE_WHITESPACE
    '<math display="inline"><semantics><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow><annotation
     encoding="application/x-tex">x^2</annotation></semantics></math>'
    >>> latex_to_mathml("\\\\href{javascript:alert(1)}{x}") is None
    True
    """
    if not tex.strip() or len(tex) > MAX_TEX_CHARS or _REFUSED_COMMANDS.search(tex):
        return None
    try:
        mathml = budget.bounded_call(lambda: _convert(tex, display), TIME_BUDGET_S)
    except BudgetExceeded:
        if budget.expired():  # the caller's own budget ran out, not ours: let it know
            raise
        return None
    except Exception:  # noqa: BLE001 - any converter failure means "show source"
        return None
    return mathml if len(mathml) <= MAX_MATHML_CHARS else None


def mathml_span(tex: str, display: bool = False) -> Markup | None:
    """One formula as ``<span class="mathml[ display]">`` around inert MathML, or None.

    None means the caller shows the escaped source, as reports did before MathML.

    >>> print(mathml_span("a<b"))  # doctest: +NORMALIZE_WHITESPACE
    <span class="mathml"><math display="inline"><semantics><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow><annotation
     encoding="application/x-tex">a&lt;b</annotation></semantics></math></span>
    >>> mathml_span("\\frac{1}{", display=True) is None
    True
    """
    mathml = latex_to_mathml(tex, display)
    if mathml is None:
        return None
    cls = "mathml display" if display else "mathml"
    return Markup(f'<span class="{cls}">{mathml}</span>')
