"""Google Takeout › My Activity › Gemini Apps ``MyActivity.json`` (``gemini-takeout-json``).

An array of activity records, newest first, one per prompt: ``{header: "Gemini Apps", title:
"Prompted <prompt>", time, safeHtmlItem: [{html}], details?/titleUrl?, subtitles?}``. The
prompt is the title minus its verb ("Prompted ", older "Asked "/"Asked: "); the answer is the
HTML of ``safeHtmlItem[0]`` (further items are regenerated drafts, kept as alternatives).
Records that are not prompts ("Used Gemini Apps", "Gave feedback") are skipped.

Takeout has no conversation id in most exports, so records are grouped into conversations:

1. sort records oldest first;
2. a record whose chat URL (``details[].url`` / ``titleUrl`` of the form
   ``https://gemini.google.com/app/<id>``) differs from the current conversation's URL starts
   a new conversation; a record with the same URL always continues it;
3. without URLs on either side, a gap of more than :data:`GAP_MINUTES` minutes since the
   previous record starts a new conversation.

Each conversation's title is its first prompt (cut to 60 characters). HTML is converted to
text (paragraphs, line breaks, lists, bold, code, tables as pipes); when it held rendered math
(KaTeX/MathML) the blocks are marked ``lossy``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from grader.errors import InputError, UnknownFormatError
from grader.models import Fidelity, Transcript
from grader.transcripts.exports.common import (
    Message,
    as_dict,
    as_list,
    as_str,
    build_turns,
    load_json,
    model_label,
    sort_key_time,
    split_blocks,
    transcript_source,
)

FORMAT_ID = "gemini-takeout-json"
GAP_MINUTES = 30
_VERB = re.compile(r"^\s*(?:Prompted|Asked)\s*:?\s*", re.IGNORECASE)
_CHAT_URL = re.compile(r"https?://gemini\.google\.com/app/[\w-]+")
_MODEL = re.compile(r"^\s*Model\s*:\s*(?P<model>.+)$", re.IGNORECASE)


class _HtmlText(HTMLParser):
    """HTML → Markdown-ish text: enough structure for the block splitter, no script/style."""

    _BREAK_BEFORE = {"p", "div", "ul", "ol", "table", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.in_pre = False
        self.row: list[str] | None = None
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self._BREAK_BEFORE:
            self.out.append("\n\n")
            if tag == "pre":
                self.out.append("```\n")
                self.in_pre = True
            elif tag.startswith("h") and len(tag) == 2:
                self.out.append("#" * int(tag[1]) + " ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag == "code" and not self.in_pre:
            self.out.append("`")
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.row.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "pre":
            self.out.append("\n```\n\n")
            self.in_pre = False
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag == "code" and not self.in_pre:
            self.out.append("`")
        elif tag == "tr" and self.row is not None:
            self.out.append("\n| " + " | ".join(c.strip() for c in self.row) + " |")
            if self.rows == 0:
                self.out.append("\n|" + "---|" * len(self.row))
            self.rows += 1
            self.row = None
        elif tag == "table":
            self.out.append("\n\n")
            self.rows = 0
        elif tag in self._BREAK_BEFORE:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.row is not None and self.row:
            self.row[-1] += data
        elif self.row is None:
            self.out.append(data)


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, with paragraphs, lists, bold, code and tables kept.

    >>> html_to_text("<p>Naxos &amp; Crete</p><div>Try<br />this.</div>")
    'Naxos & Crete\\n\\nTry\\nthis.'
    """
    parser = _HtmlText()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # HTMLParser is lenient; this is a last resort for odd input
        return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()
    text = "".join(parser.out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _chat_url(record: dict[str, Any]) -> str | None:
    candidates = [as_str(record.get("titleUrl"))]
    for detail in as_list(record.get("details")):
        candidates += [as_str(as_dict(detail).get("url")), as_str(as_dict(detail).get("name"))]
    for candidate in candidates:
        match = _CHAT_URL.match(candidate)
        if match:
            return match.group(0)
    return None


def _group(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: list[list[dict[str, Any]]] = []
    last_url: str | None = None
    last_time = float("-inf")
    for record in records:
        url = _chat_url(record)
        when = sort_key_time(record.get("time"))
        if not groups:
            new = True
        elif url is not None and last_url is not None:
            new = url != last_url
        else:
            new = when - last_time > GAP_MINUTES * 60
        if new:
            groups.append([])
        groups[-1].append(record)
        last_url = url if new else (url or last_url)
        last_time = when
    return groups


def _messages(record: dict[str, Any]) -> tuple[list[Message], str | None]:
    prompt = _VERB.sub("", as_str(record.get("title")), count=1)
    stamp = as_str(record.get("time")) or None
    messages = [Message("user", split_blocks(prompt), stamp)]
    items = [as_str(as_dict(i).get("html")) for i in as_list(record.get("safeHtmlItem"))]
    items = [i for i in items if i.strip()]
    model = None
    for subtitle in as_list(record.get("subtitles")):
        match = _MODEL.match(as_str(as_dict(subtitle).get("name")))
        if match:
            model = match.group("model").strip()
    if items:
        fidelity: Fidelity = "lossy" if re.search(r"katex|<math\b", items[0], re.IGNORECASE) else "exact"
        answer = split_blocks(html_to_text(items[0]), fidelity)
        drafts = [html_to_text(i) for i in items[1:]]
        messages.append(Message("assistant", answer, stamp, [d for d in drafts if d]))
    return messages, model


def read_gemini_takeout_json(text: str, source: str) -> list[Transcript]:
    """The conversations of a Gemini Apps ``MyActivity.json``, grouped as the module docstring says.

    Raises UnknownFormatError when the top level is not an array of activity records.
    """
    data = load_json(text, source)
    if not isinstance(data, list):
        raise UnknownFormatError(
            "unexpected JSON shape at $: expected an array of activity records", where=source
        )
    records = [
        (i, r) for i, r in enumerate(data) if isinstance(r, dict) and _VERB.match(as_str(r.get("title")))
    ]
    if not records:
        raise InputError("no prompt records ('Prompted ...') in the activity export", where=source)
    # Newest first in the file; the index breaks ties so that equal times keep file order reversed.
    records.sort(key=lambda pair: (sort_key_time(pair[1].get("time")), -pair[0]))
    transcripts: list[Transcript] = []
    seen: set[str] = set()
    for k, group in enumerate(_group([r for _, r in records])):
        messages: list[Message] = []
        model: str | None = None
        warnings: list[str] = []
        for record in group:
            more, found = _messages(record)
            messages += more
            model = found or model
            if len(more) == 1:
                warnings.append(f"no response recorded for the prompt at {as_str(record.get('time')) or '?'}")
        first = _VERB.sub("", as_str(group[0].get("title")), count=1).strip()
        title = first[:60] + ("…" if len(first) > 60 else "")
        transcripts.append(
            Transcript(
                source=transcript_source(source, title, k, seen),
                format=FORMAT_ID,
                model=model_label("Gemini", model),
                title=title or None,
                turns=build_turns(messages, ()),
                warnings=warnings,
            )
        )
    return transcripts
