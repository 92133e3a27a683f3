"""Transcript blocks to safe HTML.

Everything here comes from an untrusted transcript, so every path escapes: Markdown goes
through markdown-it-py with raw HTML disabled (``<script>`` is shown, never run), images are
disabled (a report must not fetch anything), and LaTeX becomes inert MathML (see
:mod:`grader.reports.mathml`) inside ``<span class="mathml">``, or, when it cannot be rendered
safely, escaped source inside ``<span class="math">``, so math is always shown, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup, escape

from grader.models import Block
from grader.reports.mathml import mathml_span

# Inline math delimiters, longest first; display ones get a display class.
_DELIMITERS: tuple[tuple[str, str, bool], ...] = (
    ("$$", "$$", True),
    ("\\[", "\\]", True),
    ("\\(", "\\)", False),
    ("$", "$", False),
)


def _find_close(src: str, close: str, start: int, stop: int) -> int:
    """Index of the first unescaped ``close`` in ``src[start:stop]``, or -1."""
    pos = src.find(close, start, stop)
    while pos != -1 and close == "$" and pos > start and src[pos - 1] == "\\":
        pos = src.find(close, pos + 1, stop)
    return pos


def _math_inline(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: ``$..$``, ``$$..$$``, ``\\(..\\)``, ``\\[..\\]`` become math tokens."""
    src, pos = state.src, state.pos
    for opener, closer, display in _DELIMITERS:
        if not src.startswith(opener, pos):
            continue
        start = pos + len(opener)
        end = _find_close(src, closer, start, state.posMax)
        if end <= start:
            return False
        content = src[start:end]
        # Pandoc's rule for single dollars, so that "$5 and $6" stays prose.
        if opener == "$" and (content[0].isspace() or content[-1].isspace()):
            return False
        if opener == "$" and src[end + 1 : end + 2].isdigit():
            return False
        if not silent:
            token = state.push("math_inline", "span", 0)
            token.content = content
            token.markup = opener
            token.meta = {"display": display}
        state.pos = end + len(closer)
        return True
    return False


def _render_math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    display = bool(token.meta.get("display"))
    rendered = mathml_span(token.content, display)
    if rendered is not None:
        return str(rendered)
    cls = "math display" if display else "math"
    return f'<span class="{cls}">{escapeHtml(token.content)}</span>'


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # Links from a transcript are kept (sources, docs) but never pass referrer or opener.
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    return str(self.renderToken(tokens, idx, options, env))


@lru_cache(maxsize=1)
def markdown_renderer() -> MarkdownIt:
    """The one Markdown renderer of the reports: CommonMark + tables, no raw HTML, no images."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    md.inline.ruler.before("escape", "math_inline", _math_inline)
    md.add_render_rule("math_inline", _render_math)
    md.add_render_rule("link_open", _render_link_open)
    return md


# A line holding only a list marker ("+" left over from a formula broken across lines) would
# render as an empty bullet; it is text.
_LONE_MARKER = re.compile(r"^([ \t]{0,3})([-+*])[ \t]*$", re.M)


def render_markdown_html(text: str) -> Markup:
    """Markdown source (from a transcript) as safe HTML."""
    return Markup(markdown_renderer().render(_LONE_MARKER.sub(r"\1\\\2", text)))


def _math_spans(text: str) -> list[tuple[str, bool, bool]]:
    """``text`` cut into ``(piece, is_math, display)`` by the same delimiter rules as Markdown."""
    out: list[tuple[str, bool, bool]] = []
    pos = plain = 0
    while pos < len(text):
        hit = None
        for opener, closer, display in _DELIMITERS:
            if not text.startswith(opener, pos) or (pos > 0 and text[pos - 1] == "\\" and opener == "$"):
                continue
            start = pos + len(opener)
            end = _find_close(text, closer, start, len(text))
            if end <= start:
                break
            content = text[start:end]
            if opener == "$" and (
                content[0].isspace() or content[-1].isspace() or text[end + 1 : end + 2].isdigit()
            ):
                break
            hit = (content, display, end + len(closer))
            break
        if hit is None:
            pos += 1
            continue
        if pos > plain:
            out.append((text[plain:pos], False, False))
        out.append((hit[0], True, hit[1]))
        pos = plain = hit[2]
    if plain < len(text):
        out.append((text[plain:], False, False))
    return out


# TeX spacing and escapes that the grader's own sentences carry outside formulas ("341\\,s", "94\\%").
_TEX_TEXT = {
    "\\,": "\u2009",
    "\\;": " ",
    "\\:": " ",
    "\\!": "",
    "\\%": "%",
    "\\$": "$",
    "\\&": "&",
    "\\_": "_",
}
_TEX_ESCAPES = re.compile("|".join(re.escape(k) for k in _TEX_TEXT))


def render_text_with_math(text: str) -> Markup:
    """Plain text with ``$…$`` / ``\\(…\\)`` formulas: the text escaped, the formulas as MathML.

    For the grader's own sentences (explanations, reasons) and table cells, where Markdown
    emphasis must not be guessed from stray ``*`` or ``_``.

    >>> print(render_text_with_math("a <b> and $x$"))  # doctest: +ELLIPSIS
    a &lt;b&gt; and <span class="mathml"><math display="inline">...</math></span>
    """
    parts: list[Markup] = []
    for piece, is_math, display in _math_spans(text):
        if not is_math:
            parts.append(escape(_TEX_ESCAPES.sub(lambda m: _TEX_TEXT[m.group(0)], piece)))
            continue
        rendered = mathml_span(piece, display)
        cls = "math display" if display else "math"
        parts.append(
            rendered if rendered is not None else Markup('<span class="{}">{}</span>').format(cls, piece)
        )
    return Markup("").join(parts)


_TEXT_ARGUMENT = re.compile(r"\\(?:text|textrm|textit|textbf|mathrm|operatorname|mbox)\s*\{[^{}]*\}")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}")
_MATH_WORDS = frozenset(
    "sin cos tan exp log max min arg argmin argmax det diag sgn sign lim sum prod sup inf mod rank tr"
    " trace softmax relu var cov".split()
)
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_SENTENCE = re.compile(r"[A-Za-z]{2,}[,;:]?\s+\(?[A-Za-z]{2,}")


def looks_like_prose(text: str) -> bool:
    """True when ``text`` holds words (a sentence, a name, a quantity with its unit) rather than only a formula.

    Typeset as math, words become runs of italic letters, and a bare ``%`` (a TeX comment) would
    drop the rest of the line; so the note shows such text as text. Words inside ``\\text{…}``
    and command names do not count.

    >>> looks_like_prose("gradient descent (SGD with learning rate alpha/2)"), looks_like_prose("Adam")
    (True, True)
    >>> looks_like_prose("18 hours = 64800 s"), looks_like_prose("~68% = 68%")
    (True, True)
    >>> looks_like_prose("-\\\\frac{\\\\alpha g}{2}"), looks_like_prose("x_t"), looks_like_prose("\\\\max(0, x)")
    (False, False, False)
    """
    if _BARE_PERCENT.search(text):
        return True
    bare = _COMMAND.sub(" ", _TEXT_ARGUMENT.sub(" ", text))
    return any(w.lower() not in _MATH_WORDS for w in _WORD.findall(bare))


def render_formula_html(text: str) -> Markup:
    """A formula of a note (how the grader read a claim, the reference): math as math, prose as prose.

    Text with math delimiters renders as text with formulas; a sentence stays text (upright,
    wrapping); words in a formula written in plain ASCII ("-alpha*g/2") are shown as code; anything
    else is one formula, or escaped code when it cannot be rendered.
    """
    if any(is_math for _, is_math, _ in _math_spans(text)):
        return Markup('<span class="prose">{}</span>').format(render_text_with_math(text))
    if looks_like_prose(text):
        if _SENTENCE.search(text):
            return Markup('<span class="prose">{}</span>').format(text)
        return Markup('<code class="plain-math">{}</code>').format(text)  # "-alpha*g/2", "18 hours = 64800 s"
    rendered = mathml_span(text) if text.strip() else None
    return rendered if rendered is not None else Markup("<code>{}</code>").format(text)


def strip_math_delimiters(text: str) -> str:
    """The LaTeX of a math block without one outer pair of delimiters.

    >>> strip_math_delimiters("$$ u = -\\\\alpha g $$")
    'u = -\\\\alpha g'
    """
    body = text.strip()
    for opener, closer, _ in _DELIMITERS:
        if body.startswith(opener) and body.endswith(closer) and len(body) >= len(opener) + len(closer):
            inner = body[len(opener) : len(body) - len(closer)].strip()
            return inner or body
    return body


def render_math_html(text: str) -> Markup:
    """A math block as display MathML, or as escaped LaTeX source when it cannot be rendered.

    >>> print(render_math_html("$$a<\\\\frac{1}{$$"))
    <span class="math display">a&lt;\\frac{1}{</span>
    """
    tex = strip_math_delimiters(text)
    rendered = mathml_span(tex, display=True)
    if rendered is not None:
        return rendered
    return Markup('<span class="math display">{}</span>').format(tex)


def _cells_table(rows: list[list[str]]) -> Markup:
    """Rows of cell texts as a table (first row the header), math in cells rendered."""
    head, body = rows[0], rows[1:]
    parts = [Markup('<div class="table-wrap"><table><thead><tr>')]
    parts += [Markup("<th>{}</th>").format(render_text_with_math(cell.strip())) for cell in head]
    parts.append(Markup("</tr></thead><tbody>"))
    for row in body:
        parts.append(Markup("<tr>"))
        parts += [Markup("<td>{}</td>").format(render_text_with_math(cell.strip())) for cell in row]
        parts.append(Markup("</tr>"))
    parts.append(Markup("</tbody></table></div>"))
    return Markup("").join(parts)


_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _pipe_rows(text: str) -> list[list[str]] | None:
    """The rows of a pipe table that Markdown does not take (no separator row, math with '|'...)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or not all("|" in line for line in lines):
        return None
    rows = [[c for c in line.strip("|").split("|")] for line in lines if not _SEPARATOR_ROW.match(line)]
    return rows if len(rows) >= 2 else None


def render_table_html(text: str) -> Markup:
    """A table block: Markdown pipes via markdown-it, tab-separated or loose pipe rows as a table,
    else as text; math in cells is rendered in every case."""
    if "\t" in text and "|" not in text:
        return _cells_table([line.split("\t") for line in text.splitlines() if line.strip()])
    html = render_markdown_html(text)
    if "<table>" in html:
        return Markup('<div class="table-wrap">{}</div>').format(html)
    rows = _pipe_rows(text)
    if rows is not None:
        return _cells_table(rows)
    return Markup('<pre class="table-source">{}</pre>').format(text)


def render_code_html(text: str, lang: str | None = None) -> Markup:
    """A code block, escaped, with its language as a class when the reader knew it."""
    cls = f' class="language-{escape(lang)}"' if lang else ""
    return Markup("<pre><code{}>{}</code></pre>").format(Markup(cls), text)


def render_block_html(block: Block) -> Markup:
    """The body of one block as safe HTML (the caller adds labels and collapsing)."""
    if block.kind == "math":
        return render_math_html(block.text)
    if block.kind == "code":
        lang = block.meta.get("lang") or block.meta.get("language")
        return render_code_html(block.text, lang if isinstance(lang, str) else None)
    if block.kind == "table":
        return render_table_html(block.text)
    if block.kind == "residue":
        return Markup('<pre class="residue">{}</pre>').format(block.text)
    return render_markdown_html(block.text)
