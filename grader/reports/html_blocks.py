"""Transcript blocks to safe HTML.

Everything here comes from an untrusted transcript, so every path escapes: Markdown goes
through markdown-it-py with raw HTML disabled (``<script>`` is shown, never run), images are
disabled (a report must not fetch anything), and LaTeX becomes inert MathML (see
:mod:`grader.reports.mathml`) inside ``<span class="mathml">``, or, when it cannot be rendered
safely, escaped source inside ``<span class="math">``, so math is always shown, never dropped.
"""

from __future__ import annotations

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


def render_markdown_html(text: str) -> Markup:
    """Markdown source (from a transcript) as safe HTML."""
    return Markup(markdown_renderer().render(text))


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


def _tsv_table(text: str) -> Markup:
    rows = [line.split("\t") for line in text.splitlines() if line.strip()]
    head, body = rows[0], rows[1:]
    parts = [Markup("<table><thead><tr>")]
    parts += [Markup("<th>{}</th>").format(cell.strip()) for cell in head]
    parts.append(Markup("</tr></thead><tbody>"))
    for row in body:
        parts.append(Markup("<tr>"))
        parts += [Markup("<td>{}</td>").format(cell.strip()) for cell in row]
        parts.append(Markup("</tr>"))
    parts.append(Markup("</tbody></table>"))
    return Markup("").join(parts)


def render_table_html(text: str) -> Markup:
    """A table block: Markdown pipes via markdown-it, tab-separated rows as a table, else as text."""
    if "\t" in text and "|" not in text:
        return _tsv_table(text)
    html = render_markdown_html(text)
    if "<table>" in html:
        return html
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
